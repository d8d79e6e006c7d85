"""``python -m http_status_ls``: the same entry point as the ``http-status-ls`` script."""

from http_status_ls.cli.main import main

raise SystemExit(main())
