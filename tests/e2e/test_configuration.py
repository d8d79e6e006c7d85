"""Settings through the real server: every source (initializationOptions, workspace/configuration,
didChangeConfiguration, pyproject.toml), live changes for push and pull clients, invalid settings,
suppression comments, extra codes, languages and the size limit.

Each test starts its own server, since settings are per session; every test runs with Neovim's
capabilities (utf-8; it pulls diagnostics but cannot be told to pull again, so the server pushes to it)
and VS Code's (utf-16, push); the refresh test makes Neovim's pull client one that can be told.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.uris import from_fs_path
from pytest_lsp import LanguageClient, client_capabilities

from .conftest import CLIENTS, REAL_SERVER
from .session import by_rule, hover_text, new_uri, open_document, position_at

PYTHON = """\
from flask import abort


def view(kind):
    if kind == "calm":
        abort(420)
    if kind == "teapot":
        abort(418)
    if kind == "proxy":
        abort(305)
    if kind == "ours":
        abort(599)
    return "ok", 200
"""


@pytest_lsp.fixture(
    params=CLIENTS,
    config=REAL_SERVER,
)
async def fresh(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    """A server not yet initialised; the test calls :func:`start` with its own parameters."""
    lsp_client.client_name = request.param  # type: ignore[attr-defined]
    lsp_client.inlay_hint_refreshes = 0  # type: ignore[attr-defined]

    # Neovim advertises inlayHint refresh support; pytest-lsp's client has no handler for it.
    @lsp_client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
    def inlay_hint_refresh(client: LanguageClient, params: None) -> None:
        client.inlay_hint_refreshes += 1  # type: ignore[attr-defined]

    yield
    await lsp_client.shutdown_session()


async def start(
    client: LanguageClient,
    *,
    options: Any = None,
    configuration: Any = None,
    root: Path | None = None,
    tweak: Callable[[types.ClientCapabilities], None] | None = None,
) -> None:
    """Initialise the session: ``options`` as initializationOptions, ``configuration`` as what the
    client answers to workspace/configuration for ``httpStatus``, ``root`` as the workspace folder."""
    capabilities = client_capabilities(client.client_name)  # type: ignore[attr-defined]
    if tweak is not None:
        tweak(capabilities)
    if configuration is not None:
        client.set_configuration(configuration, section="httpStatus")
    folders = [types.WorkspaceFolder(uri=from_fs_path(str(root)), name=root.name)] if root else None
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            initialization_options=options,
            root_uri=from_fs_path(str(root)) if root else None,
            workspace_folders=folders,
        )
    )
    client.initialize_result = result  # type: ignore[attr-defined]


def pulls(client: LanguageClient) -> bool:
    """Whether the server chose to be pulled from (it offered ``textDocument/diagnostic``), else it
    pushes; what the client declares is not enough (see ``lsp/push.py``)."""
    return client.initialize_result.capabilities.diagnostic_provider is not None  # type: ignore[attr-defined]


async def diagnostics_of(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    return list(report.items)


async def until(condition: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = condition()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def current_diagnostics(client: LanguageClient, uri: str, after: int = 0) -> list[types.Diagnostic]:
    """Pulled now, or the latest push once more than ``after`` pushes arrived for ``uri``."""
    if pulls(client):
        return await diagnostics_of(client, uri)
    await until(lambda: len(client.published.get(uri, [])) > after, what=f"a push for {uri}")  # type: ignore[attr-defined]
    return list(client.published[uri][-1].diagnostics)  # type: ignore[attr-defined]


def pushes(client: LanguageClient, uri: str) -> int:
    return len(client.published.get(uri, []))  # type: ignore[attr-defined]


def rules_at(items: list[types.Diagnostic]) -> list[tuple[str, int]]:
    return sorted((str(d.code), d.range.start.line) for d in items)


async def hover_at(client: LanguageClient, uri: str, text: str, needle: str) -> types.Hover | None:
    return await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position_at(text, needle, client))
    )


def change_settings(client: LanguageClient, settings: Any) -> None:
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=settings))


# --- sources ------------------------------------------------------------------------------------


async def test_defaults(fresh: LanguageClient):
    await start(fresh)
    uri = new_uri(".py")
    open_document(fresh, uri, "python", PYTHON)
    found = by_rule(await current_diagnostics(fresh, uri))
    assert found["unofficial-code"][0].severity == types.DiagnosticSeverity.Warning
    assert {d.range.start.line for d in found["unofficial-code"]} == {5, 11}  # 420, 599
    assert found["reserved-code"][0].severity == types.DiagnosticSeverity.Information  # 418
    assert fresh.messages == []


async def test_initialization_options(fresh: LanguageClient):
    await start(
        fresh, options={"httpStatus": {"rules": {"unofficial-code": "error", "418": "off"}, "extraYamlKeys": ["expectedCode"]}}
    )
    uri = new_uri(".py")
    open_document(fresh, uri, "python", PYTHON)
    found = by_rule(await current_diagnostics(fresh, uri))
    assert [d.severity for d in found["unofficial-code"]] == [types.DiagnosticSeverity.Error] * 2
    assert "reserved-code" not in found  # 418 switched off by code
    assert found["deprecated-code"][0].severity == types.DiagnosticSeverity.Warning  # untouched
    yaml_uri = new_uri(".yaml")
    yaml_text = "- request: /calm\n  expectedCode: 420\n"
    open_document(fresh, yaml_uri, "yaml", yaml_text)
    [unofficial] = await current_diagnostics(fresh, yaml_uri)
    assert unofficial.code == "unofficial-code" and unofficial.range.start.line == 1


async def test_workspace_configuration(fresh: LanguageClient):
    # Nothing in initializationOptions: the settings only come from the client's answer, and even
    # the first diagnostics already follow them.
    await start(fresh, configuration={"rules": {"unofficial-code": "off", "deprecated-code": "error"}})
    uri = new_uri(".py")
    open_document(fresh, uri, "python", PYTHON)
    found = by_rule(await current_diagnostics(fresh, uri))
    assert "unofficial-code" not in found
    assert found["deprecated-code"][0].severity == types.DiagnosticSeverity.Error
    if not pulls(fresh):
        assert len(fresh.published[uri]) == 1  # type: ignore[attr-defined]  # no flash of the defaults


async def test_pyproject_and_its_place_among_the_layers(fresh: LanguageClient, tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(
        "[tool.http-status-ls]\n"
        'extra-yaml-keys = ["expectedCode"]\n'
        "[tool.http-status-ls.rules]\n"
        'unofficial-code = "error"\n'
        'deprecated-code = "off"\n'
        "[tool.http-status-ls.extra-codes]\n"
        '799 = "Upstream Quota Exhausted"\n',
        encoding="utf-8",
    )
    # The client overrides one rule of the file; the file's other settings stay.
    await start(fresh, root=tmp_path, options={"httpStatus": {"rules": {"unofficial-code": "hint"}}})
    text = PYTHON.replace("abort(599)", "abort(799)")
    uri = from_fs_path(str(tmp_path / "app.py"))
    open_document(fresh, uri, "python", text)
    found = by_rule(await current_diagnostics(fresh, uri))
    assert [d.severity for d in found["unofficial-code"]] == [types.DiagnosticSeverity.Hint]  # 420 only
    assert "deprecated-code" not in found  # the file switched it off
    assert "invalid-code" not in found  # 799 is the project's own code
    assert "Upstream Quota Exhausted" in hover_text(await hover_at(fresh, uri, text, "799"))
    yaml_uri = from_fs_path(str(tmp_path / "cases.yaml"))
    open_document(fresh, yaml_uri, "yaml", "expectedCode: 305\n")
    assert rules_at(await current_diagnostics(fresh, yaml_uri)) == []  # a 305 found, but switched off
    assert "305 Use Proxy" in hover_text(await hover_at(fresh, yaml_uri, "expectedCode: 305\n", "305"))


# --- live changes -------------------------------------------------------------------------------


async def test_live_change_turns_a_rule_off_and_on(fresh: LanguageClient):
    await start(fresh)
    uri = new_uri(".py")
    open_document(fresh, uri, "python", PYTHON)
    before = await current_diagnostics(fresh, uri)
    assert ("unofficial-code", 5) in rules_at(before)
    seen = pushes(fresh, uri)
    if pulls(fresh):
        first = await fresh.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )

    change_settings(fresh, {"httpStatus": {"rules": {"unofficial-code": "off"}}})
    if pulls(fresh):
        # The same document version, but the settings changed: a full report with a new result id.
        report = await fresh.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(
                text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=first.result_id
            )
        )
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport) and report.result_id != first.result_id
        after = list(report.items)
    else:
        after = await current_diagnostics(fresh, uri, after=seen)
        assert fresh.published[uri][-1].version == 1  # type: ignore[attr-defined]  # same version, new verdict
    assert rules_at(after) == [r for r in rules_at(before) if r[0] != "unofficial-code"]

    seen = pushes(fresh, uri)
    change_settings(fresh, {"httpStatus": {}})
    again = await current_diagnostics(fresh, uri, after=seen)
    assert rules_at(again) == rules_at(before)


async def test_null_change_makes_the_server_ask(fresh: LanguageClient):
    await start(fresh, configuration={})
    uri = new_uri(".py")
    open_document(fresh, uri, "python", PYTHON)
    assert ("unofficial-code", 5) in rules_at(await current_diagnostics(fresh, uri))
    seen = pushes(fresh, uri)
    fresh.set_configuration({"rules": {"unofficial-code": "off"}}, section="httpStatus")
    change_settings(fresh, None)  # VS Code's pull model: "something changed, ask me"
    if pulls(fresh):
        after = await until_pulled(fresh, uri, lambda items: ("unofficial-code", 5) not in rules_at(items))
    else:
        after = await current_diagnostics(fresh, uri, after=seen)
    assert ("unofficial-code", 5) not in rules_at(after)
    assert ("deprecated-code", 9) in rules_at(after)


async def until_pulled(client: LanguageClient, uri: str, good: Callable[[list[types.Diagnostic]], bool]):
    """Pull until the answer is ``good`` (the settings arrive asynchronously after a null change)."""
    deadline = asyncio.get_running_loop().time() + 10
    while True:
        items = await diagnostics_of(client, uri)
        if good(items) or asyncio.get_running_loop().time() > deadline:
            return items
        await asyncio.sleep(0.02)


async def test_pull_clients_that_can_be_asked_get_a_refresh(fresh: LanguageClient):
    def refreshable(capabilities: types.ClientCapabilities) -> None:
        assert capabilities.workspace is not None
        capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)

    await start(fresh, tweak=refreshable)
    uri = new_uri(".py")
    open_document(fresh, uri, "python", PYTHON)
    await current_diagnostics(fresh, uri)
    change_settings(fresh, {"httpStatus": {"rules": {"deprecated-code": "off"}}})
    if pulls(fresh):
        await until(lambda: fresh.diagnostic_refresh_count >= 1, what="workspace/diagnostic/refresh")
        assert ("deprecated-code", 9) not in rules_at(await diagnostics_of(fresh, uri))
    else:
        await until(lambda: pushes(fresh, uri) >= 2, what="a second push")
        assert fresh.diagnostic_refresh_count == 0  # pushed clients are pushed to, not asked
    # Inlay hints follow the settings too (on/off per language): clients that can be asked to
    # refresh them are asked.
    if get_capability(fresh.capabilities, "workspace.inlay_hint.refresh_support", False):
        await until(lambda: fresh.inlay_hint_refreshes >= 1, what="workspace/inlayHint/refresh")  # type: ignore[attr-defined]
    else:
        assert fresh.inlay_hint_refreshes == 0  # type: ignore[attr-defined]
    # An unchanged setting is not a change: nothing more is sent.
    count, seen = fresh.diagnostic_refresh_count, pushes(fresh, uri)
    change_settings(fresh, {"httpStatus": {"rules": {"deprecated-code": "off"}}})
    await asyncio.sleep(0.3)
    assert (fresh.diagnostic_refresh_count, pushes(fresh, uri)) == (count, seen)


# --- invalid settings ---------------------------------------------------------------------------


async def test_invalid_settings_are_named_and_defaults_used(fresh: LanguageClient):
    await start(fresh, options={"httpStatus": {"rules": {"unofficial-code": "loud"}, "colour": "red", "maxFileSize": -3}})
    await until(lambda: fresh.messages, what="window/showMessage")
    [message] = fresh.messages
    assert message.type == types.MessageType.Warning
    assert "httpStatus.rules.unofficial-code: 'loud' is not one of error, warning, information, hint, off" in message.message
    assert "httpStatus.colour: unknown setting" in message.message
    assert "httpStatus.maxFileSize: -3 is not a size" in message.message
    uri = new_uri(".py")
    open_document(fresh, uri, "python", PYTHON)
    found = by_rule(await current_diagnostics(fresh, uri))
    assert found["unofficial-code"][0].severity == types.DiagnosticSeverity.Warning  # the default
    # A live change with another mistake says so; repeating it does not nag again.
    change_settings(fresh, {"httpStatus": {"languages": {"cobol": True}}})
    await until(lambda: len(fresh.messages) == 2, what="a second showMessage")
    assert "httpStatus.languages.cobol: unknown language" in fresh.messages[1].message
    change_settings(fresh, {"httpStatus": {"languages": {"cobol": True}}})
    change_settings(fresh, {"httpStatus": {"rules": {"reserved-code": 3}}})
    await until(lambda: len(fresh.messages) == 3, what="a third showMessage")
    assert "httpStatus.rules.reserved-code: 3 is not one of" in fresh.messages[2].message
    # Still serving.
    assert "420 Enhance Your Calm" in hover_text(await hover_at(fresh, uri, PYTHON, "420"))


async def test_a_broken_pyproject_is_reported(fresh: LanguageClient, tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[tool.http-status-ls]\nrules = 'loud'\n", encoding="utf-8")
    await start(fresh, root=tmp_path)
    await until(lambda: fresh.messages, what="window/showMessage")
    assert "[tool.http-status-ls].rules: expected a table of rule = severity" in fresh.messages[0].message


# --- what the settings do -----------------------------------------------------------------------


async def test_suppression_comments(fresh: LanguageClient):
    await start(fresh)
    text = (
        "from flask import abort\n"
        "abort(420)  # http-status: ignore[unofficial-code] -- the mobile app expects it\n"
        "abort(509)  # http-status: ignore\n"
        "abort(305)  # http-status: ignore[unofficial-code]\n"
        "abort(420)  # http-status: ignore[unofficial-code\n"
        "abort(420)\n"
    )
    uri = new_uri(".py")
    open_document(fresh, uri, "python", text)
    assert rules_at(await current_diagnostics(fresh, uri)) == [
        ("deprecated-code", 3),  # another rule than the one ignored
        ("unofficial-code", 4),  # a malformed comment silences nothing
        ("unofficial-code", 5),
    ]
    yaml_text = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        '420': {description: calm}  # http-status: ignore\n        '306': {description: x}\n"
    yaml_uri = new_uri(".yaml")
    open_document(fresh, yaml_uri, "yaml", yaml_text)
    assert rules_at(await current_diagnostics(fresh, yaml_uri)) == [("reserved-code", 6)]


async def test_extra_codes_in_hover_and_exempt(fresh: LanguageClient):
    await start(
        fresh,
        options={
            "httpStatus": {
                "extraCodes": [
                    {"code": 599, "phrase": "Network Connect Timeout", "description": "Our load balancer's answer."},
                    {"code": 512, "phrase": "Partner Down"},
                ]
            }
        },
    )
    text = PYTHON + "\ndef partner():\n    abort(512)\n"
    uri = new_uri(".py")
    open_document(fresh, uri, "python", text)
    found = rules_at(await current_diagnostics(fresh, uri))
    assert ("unofficial-code", 11) not in found and ("unofficial-code", 5) in found  # 599 allowed, 420 not
    assert not any(rule == "unassigned-code" for rule, _ in found)  # 512
    own = hover_text(await hover_at(fresh, uri, text, "599"))
    assert "599 Network Connect Timeout" in own and "Our load balancer's answer." in own
    partner = hover_text(await hover_at(fresh, uri, text, "512"))
    assert "512 Partner Down" in partner and "httpStatus.extraCodes" in partner


async def test_languages_switched_off(fresh: LanguageClient):
    await start(fresh, options={"httpStatus": {"languages": {"yaml": False}}})
    yaml_text = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        '420': {description: calm}\n        '200': {description: ok}\n"
    yaml_uri = new_uri(".yaml")
    open_document(fresh, yaml_uri, "yaml", yaml_text)
    assert await current_diagnostics(fresh, yaml_uri) == []
    assert await hover_at(fresh, yaml_uri, yaml_text, "420") is None
    await until(lambda: any("not analysed" in m.message and yaml_uri in m.message for m in fresh.log_messages), what="a log")
    uri = new_uri(".py")
    open_document(fresh, uri, "python", PYTHON)
    assert ("unofficial-code", 5) in rules_at(await current_diagnostics(fresh, uri))
    # Switched back on live: the YAML document is analysed again.
    seen = pushes(fresh, yaml_uri)
    change_settings(fresh, {"httpStatus": {"languages": {"yaml": True}}})
    if pulls(fresh):
        items = await diagnostics_of(fresh, yaml_uri)
    else:
        items = await current_diagnostics(fresh, yaml_uri, after=seen)
    assert rules_at(items) == [("unofficial-code", 5)]
    assert "420" in hover_text(await hover_at(fresh, yaml_uri, yaml_text, "420"))


async def test_max_file_size(fresh: LanguageClient):
    await start(fresh, options={"httpStatus": {"maxFileSize": "1KB"}})
    big = PYTHON + "".join(f"# padding line {i}\n" for i in range(80))
    assert len(big) > 1000
    uri = new_uri(".py")
    open_document(fresh, uri, "python", big)
    assert await current_diagnostics(fresh, uri) == []
    assert await hover_at(fresh, uri, big, "420") is None
    await until(lambda: [m for m in fresh.log_messages if uri in m.message and "not analysed" in m.message], what="a log")
    skipped = [m for m in fresh.log_messages if uri in m.message and "not analysed" in m.message]
    assert len(skipped) == 1 and skipped[0].type == types.MessageType.Info
    assert "over maxFileSize (1,000 bytes)" in skipped[0].message
    small = new_uri(".py")
    open_document(fresh, small, "python", PYTHON)
    assert ("unofficial-code", 5) in rules_at(await current_diagnostics(fresh, small))
