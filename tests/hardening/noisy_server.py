"""The real server with two faults planted, for the lifecycle tests (run as a script).

- Every hover first writes to stdout with ``print()``, the way a stray debugging line or a chatty
  library would: the protocol must stay intact (the server sends stray output to stderr).
- Hovers in documents whose URI contains ``explode`` raise inside the hover feature: the request must
  be answered empty and the failure logged with ``window/logMessage``, the session going on.
- In documents whose URI contains ``everything-fails``, taking the analysis raises, which every
  feature does first: each one must answer (empty), not fail the request.
"""

from __future__ import annotations

import sys

from http_status_ls.cli.main import main
from http_status_ls.lsp import handlers, session
from http_status_ls.lsp import server as server_module

_real_hover = handlers.hover
_real_build = server_module.build_server


def _exploding_hover(analysis, *args, **kwargs):
    if "explode" in analysis.uri:
        raise RuntimeError("planted failure in hover")
    return _real_hover(analysis, *args, **kwargs)


def _noisy_build(*args, **kwargs):
    built = _real_build(*args, **kwargs)
    features = built.protocol.fm.features
    hover_feature = features["textDocument/hover"]

    def noisy_hover(*params):
        print("stray output from a hover handler")
        return hover_feature(*params)

    features["textDocument/hover"] = noisy_hover
    return built


_real_analysed = session.StatusServer.analysed


def _failing_analysed(self, uri):
    if "everything-fails" in uri:
        raise RuntimeError("planted failure in the analysis")
    return _real_analysed(self, uri)


handlers.hover = _exploding_hover
session.StatusServer.analysed = _failing_analysed
server_module.build_server = _noisy_build

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
