"""Shared types and plumbing: occurrences, positions, settings, languages, the project walk."""
