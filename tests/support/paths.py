"""Where things are, for every test: the repository root and the shared OpenAPI corpus beside it."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "server" / "http_status_ls"
CORPUS = REPO.parent / "shared" / "corpus" / "openapi"
FIXTURES = REPO / "tests" / "fixtures"
