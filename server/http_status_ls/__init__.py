"""http-status-ls: HTTP status codes as first-class symbols in the editor and in CI."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("http-status-ls")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
