"""The quick fix of ``undocumented-status``: add the code's response to the spec's operation, in
the spec's file (a cross-file edit: the diagnostic is in the handler's file).

What the new response says and how it is written (indentation, quotes, a ``$ref`` to the file's
error response) is :class:`~http_status_ls.features.actions.openapi_responses.ResponseFixes`'s
job, as for the spec's own ``missing-error-response`` fix; this module only finds the operation the
diagnostic names and the key to add.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from http_status_ls.core.occurrences import Analysis
from http_status_ls.features.actions.edits import Action, DocumentText
from http_status_ls.features.actions.openapi_responses import ResponseFixes
from http_status_ls.features.code_spec import covers


def fix_data(data: Any) -> tuple[str, str, int] | None:
    """(spec path, operation pointer, code) from an ``undocumented-status`` diagnostic's data."""
    if not isinstance(data, Mapping):
        return None
    spec, operation, code = data.get("spec"), data.get("operation"), data.get("code")
    if not isinstance(spec, str) or not isinstance(operation, str) or not isinstance(code, int):
        return None
    return spec, operation, code


def add_response(spec: Analysis, lines: Sequence[str], operation_pointer: str, code: int) -> Action | None:
    """The action adding ``code`` to the operation at ``operation_pointer`` of the analysed spec,
    its edits in the spec's code points; None when the spec covers the code already (it was edited
    since the diagnostic) or the operation is gone."""
    fixes = ResponseFixes(spec, DocumentText(lines))
    document = fixes.document
    if document is None:
        return None
    operation = next((op for op in document.operations if op.pointer == operation_pointer), None)
    if operation is None or covers(operation, code):
        return None
    key = str(code)
    action = fixes.add_response(operation, key)
    if action is not None:
        action.preferred = True
    return action
