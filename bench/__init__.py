"""Benchmarks over ../shared/corpus, run from the repository root as ``python -m bench.<name>``: a
package so that they import the shared client in ``tests.support`` without any path edits."""
