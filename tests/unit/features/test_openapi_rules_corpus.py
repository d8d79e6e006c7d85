"""The response-set rules on the real descriptions of ../shared/corpus/openapi, as ``check`` runs them."""

from __future__ import annotations

from collections import Counter

import pytest

from http_status_ls.detect.analysis import analyse
from http_status_ls.features.diagnostics import findings
from tests.support.paths import CORPUS

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not checked out at {CORPUS}"),
]

NEW_RULES = (
    "missing-success-response",
    "missing-error-response",
    "missing-response-header",
    "method-status-mismatch",
    "conflicting-success-responses",
    "status-not-allowed",
    "description-mismatch",
)


def counts(name: str) -> Counter[str]:
    text = (CORPUS / name).read_text(encoding="utf-8")
    analysis = analyse(name, None, text, None)
    return Counter(f.rule for f in findings(analysis, text=text) if f.rule in NEW_RULES)


@pytest.mark.parametrize("api", ["github.api", "stripe.spec3"])
def test_yaml_and_json_agree(api):
    assert counts(f"{api}.yaml") == counts(f"{api}.json")


def test_what_the_default_profile_finds():
    github = counts("github.api.yaml")
    # 401s without WWW-Authenticate, 3xx without Location, a 405 without Allow; 304 on non-GET methods.
    assert github["missing-response-header"] >= 100 and github["method-status-mismatch"] >= 50
    assert github["missing-success-response"] == 0 and github["description-mismatch"] == 0
    assert counts("stripe.spec3.yaml") == Counter()  # 200 and default everywhere: nothing to say
    assert counts("petstore-expanded.yaml") == Counter()
