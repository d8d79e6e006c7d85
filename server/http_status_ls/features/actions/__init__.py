"""Code actions: a status literal as a named constant and back, and the fixes for what diagnostics report."""
