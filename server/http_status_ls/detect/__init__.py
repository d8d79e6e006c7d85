"""Text in, :class:`~http_status_ls.core.occurrences.Detection` out: one detector per language. No LSP."""
