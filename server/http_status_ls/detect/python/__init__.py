"""The Python detector: status literals and library names found through tree-sitter-python."""
