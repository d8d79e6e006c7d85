"""References and highlights through the real server, over a small workspace of Python, YAML and
JSON files (with a .gitignore, a virtual environment and node_modules that must not be searched)."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import LanguageClient, client_capabilities

from .conftest import CLIENTS, REAL_SERVER
from .session import new_uri, open_document, position_at, range_of, units

pytestmark = pytest.mark.asyncio(loop_scope="module")

APP = """\
from http import HTTPStatus

from flask import abort


def show(pet):
    if pet is None:
        abort(404)
    time.sleep(404)
    return pet, HTTPStatus.OK


def gone():
    return "", HTTPStatus.NOT_FOUND
"""

OPENAPI = """\
openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets/{id}:
    get:
      responses:
        '200': {description: the pet}
        '404': {description: no such pet}
        4XX: {description: client error}
    delete:
      responses:
        '204': {description: deleted}
        '404': {description: no such pet}
"""

CASES = '{"cases": [{"path": "/pets/1", "status": 200}, {"path": "/pets/0", "status": 404}]}\n'

EMOJI = 'banner = "🐾 pets"; abort(404)\n'

FILES = {
    ".gitignore": "generated/\n*.tmp.py\n",
    "app.py": APP,
    "api/openapi.yaml": OPENAPI,
    "tests/cases.json": CASES,
    "tests/banner.py": EMOJI,
    "tests/fixtures.yaml": "- request: /pets/0\n  status: 404\n- request: /pets/1\n  status: 200\n",
    "unrelated.py": "retries = 404\nabort(500)\n",
    "generated/client.py": "abort(404)\n",
    "scratch.tmp.py": "abort(404)\n",
    ".venv/pyvenv.cfg": "home = /usr/bin\n",
    ".venv/lib/site.py": "abort(404)\n",
    "node_modules/pkg/data.json": '{"status": 404}\n',
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pets")
    (root / ".git").mkdir()
    for relative, text in FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest_lsp.fixture(
    scope="module",
    params=CLIENTS,
    config=REAL_SERVER,
)
async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient, workspace: Path):
    root = from_fs_path(str(workspace))
    result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(request.param),
            root_uri=root,
            workspace_folders=[types.WorkspaceFolder(uri=root, name="pets")],
        )
    )
    lsp_client.initialize_result = result  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


def uri_of(workspace: Path, relative: str) -> str:
    return from_fs_path(str(workspace / relative))


async def references_at(client: LanguageClient, uri: str, position: types.Position, declaration: bool = True):
    return await client.text_document_references_async(
        types.ReferenceParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position,
            context=types.ReferenceContext(include_declaration=declaration),
        )
    )


def by_file(locations) -> dict[str, list[types.Range]]:
    found: dict[str, list[types.Range]] = {}
    for location in locations:
        found.setdefault(location.uri, []).append(location.range)
    return found


async def test_references_across_the_workspace(client: LanguageClient, workspace: Path):
    app = uri_of(workspace, "app.py")
    open_document(client, app, "python", APP)
    result = await references_at(client, app, position_at(APP, "404", client))
    found = by_file(result)
    assert found == {
        app: [range_of(APP, "404", client), range_of(APP, "NOT_FOUND", client)],
        uri_of(workspace, "api/openapi.yaml"): [
            range_of(OPENAPI, "'404'", client),
            range_of(OPENAPI, "'404'", client, occurrence=1),
        ],
        uri_of(workspace, "tests/cases.json"): [range_of(CASES, "404", client)],
        uri_of(workspace, "tests/banner.py"): [range_of(EMOJI, "404", client)],
        uri_of(workspace, "tests/fixtures.yaml"): [types.Range(start=types.Position(1, 10), end=types.Position(1, 13))],
    }
    # Ignored by .gitignore, inside a virtual environment or node_modules, or not a status: absent.
    # An unopened file's range is in the client's units: the emoji before the code counts 2 or 4.
    [banner] = found[uri_of(workspace, "tests/banner.py")]
    assert banner.start.character == units('banner = "🐾 pets"; abort(', client)
    assert banner.start.character != len('banner = "🐾 pets"; abort(')
    # includeDeclaration changes nothing: a status code has no declaration.
    assert await references_at(client, app, position_at(APP, "NOT_FOUND", client), declaration=False) == result


async def test_references_use_the_open_text(client: LanguageClient, workspace: Path):
    spec = uri_of(workspace, "api/openapi.yaml")
    edited = OPENAPI.replace("'204': {description: deleted}", "'404': {description: unsaved}")
    open_document(client, spec, "yaml", edited)
    found = by_file(await references_at(client, spec, position_at(edited, "'404'", client)))
    assert found[spec] == [range_of(edited, "'404'", client, occurrence=i) for i in range(3)]
    assert uri_of(workspace, "app.py") in found
    # A document open outside the workspace counts too.
    scratch = new_uri(".py")
    open_document(client, scratch, "python", "abort(404)\n")
    found = by_file(await references_at(client, spec, position_at(edited, "'404'", client)))
    assert found[scratch] == [range_of("abort(404)\n", "404", client)]


async def test_references_of_a_range_key(client: LanguageClient, workspace: Path):
    spec = uri_of(workspace, "api/openapi.yaml")
    open_document(client, spec, "yaml", OPENAPI)
    result = await references_at(client, spec, position_at(OPENAPI, "4XX", client))
    assert [(loc.uri, loc.range) for loc in result] == [(spec, range_of(OPENAPI, "4XX", client))]


async def test_no_references_where_there_is_no_status(client: LanguageClient, workspace: Path):
    other = uri_of(workspace, "unrelated.py")
    open_document(client, other, "python", FILES["unrelated.py"])
    assert await references_at(client, other, position_at(FILES["unrelated.py"], "404", client)) is None
    unknown = new_uri(".py")
    assert await references_at(client, unknown, types.Position(0, 0)) is None


async def test_highlights_in_python(client: LanguageClient):
    uri = new_uri(".py")
    open_document(client, uri, "python", APP)
    result = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=position_at(APP, "NOT_FOUND", client)
        )
    )
    assert [h.range for h in result] == [range_of(APP, "404", client), range_of(APP, "NOT_FOUND", client)]
    assert {h.kind for h in result} == {types.DocumentHighlightKind.Text}
    ok = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=position_at(APP, "OK", client)
        )
    )
    assert [h.range for h in ok] == [range_of(APP, "OK", client)]
    nothing = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=position_at(APP, "404", client, occurrence=1)
        )
    )
    assert nothing is None  # time.sleep(404)


async def test_highlights_in_openapi_with_wide_characters(client: LanguageClient):
    text = "openapi: 3.1.0\ninfo: {title: 'Pets 🐾', version: '1'}\npaths:\n  /p:\n    get:\n      responses: {'404': {description: '🐾 gone'}, '200': {description: ok}}\n    put:\n      responses: {'404': {description: x}}\n"
    uri = new_uri(".yaml")
    open_document(client, uri, "yaml", text)
    result = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=position_at(text, "'404'", client, offset=2)
        )
    )
    assert [h.range for h in result] == [range_of(text, "'404'", client), range_of(text, "'404'", client, occurrence=1)]


# --- a workspace big enough for the search to take a while -------------------------------------


@pytest.fixture(scope="module")
def big_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big")
    cases = "".join(f"- name: case {j}\n  status: 201\n" for j in range(40))
    for i in range(600):
        folder = root / f"suite{i // 100}"
        folder.mkdir(exist_ok=True)
        (folder / f"cases{i}.yaml").write_text(cases, encoding="utf-8")
    return root


@pytest_lsp.fixture(
    scope="module",
    params=CLIENTS[:1],
    config=REAL_SERVER,
)
async def big(request: pytest.FixtureRequest, lsp_client: LanguageClient, big_workspace: Path):
    root = from_fs_path(str(big_workspace))
    await lsp_client.initialize_session(types.InitializeParams(capabilities=client_capabilities(request.param), root_uri=root))
    yield
    await lsp_client.shutdown_session()


def _index_built(client: LanguageClient) -> bool:
    """Whether the server's workspace index has finished building: its ``$/progress`` ended (the
    client declares ``window.workDoneProgress``, so the build reports)."""
    for reports in client.progress_reports.values():
        for report in reports:
            kind = report.get("kind") if isinstance(report, dict) else getattr(report, "kind", None)
            if kind == "end":
                return True
    return False


async def test_a_long_search_lets_other_requests_through_and_can_be_cancelled(big: LanguageClient, big_workspace: Path):
    """The streaming search, which answers until the workspace index is built: both searches here
    start while the build is still going (it waits for them), which the test checks, so that it
    keeps testing the slow search rather than a quick indexed one. The cancelled search goes first:
    the build resumes between searches, and a loaded machine must not let it finish before both."""
    import asyncio

    text = "abort(201)\n"
    uri = new_uri(".py")
    open_document(big, uri, "python", text)
    params = types.ReferenceParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(0, 7),
        context=types.ReferenceContext(include_declaration=True),
    )
    finished: list[str] = []

    async def search():
        result = await big.text_document_references_async(params)
        finished.append("references")
        return result

    # Cancelled half-way, first (the index build has only just started): the answer is the LSP's
    # RequestCancelled error, and the server goes on.
    assert not _index_built(big), "the index was ready: the search to cancel would not stream"
    future = big.protocol.send_request(types.TEXT_DOCUMENT_REFERENCES, params, msg_id="cancel-me")
    await asyncio.sleep(0.1)
    big.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="cancel-me"))
    with pytest.raises(Exception) as raised:
        await asyncio.wrap_future(future)
    assert "cancel" in str(raised.value).lower()
    again = await big.text_document_hover_async(types.HoverParams(text_document=params.text_document, position=params.position))
    assert "201 Created" in again.contents.value

    task = asyncio.ensure_future(search())
    await asyncio.sleep(0.05)
    hover = await big.text_document_hover_async(types.HoverParams(text_document=params.text_document, position=params.position))
    finished.append("hover")
    result = await task
    assert not _index_built(big), "the index was ready: this search did not stream"
    assert "201 Created" in hover.contents.value
    assert finished == ["hover", "references"]  # the hover did not wait for the whole search
    assert len(result) == 600 * 40 + 1
