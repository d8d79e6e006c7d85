"""http-status-ls: HTTP status codes as first-class symbols in the editor and in CI."""

# The one place the version is written: pyproject.toml reads it from here (hatch's version source),
# and reading a constant costs nothing at start-up, unlike importlib.metadata.
__version__ = "0.1.0"
