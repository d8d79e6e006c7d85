"""``python -m http_status_ls``: the same entry point as the ``http-status-ls`` script."""

from .cli import main

raise SystemExit(main())
