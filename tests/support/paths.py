"""Where things are, for every test and benchmark: the repository, the shared OpenAPI corpus beside
it, and the fixture texts."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "server" / "http_status_ls"
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
CORPUS = SHARED_CORPUS / "openapi"
FIXTURES = REPO / "tests" / "fixtures"
