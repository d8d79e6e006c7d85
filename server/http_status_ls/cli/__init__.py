"""The ``http-status-ls`` command line: explain, list, check, and starting the server."""
