"""What the workspace index keeps for the cross-check: each Python file's routes (an open
document's own in place of its file's) and which YAML/JSON files are API descriptions."""

from __future__ import annotations

from pathlib import Path

from http_status_ls.detect.python.routes import summarise_routes
from http_status_ls.features.references import path_key
from http_status_ls.features.workspace_index import WorkspaceIndex

VIEWS = """\
from flask import Flask, abort

app = Flask(__name__)


@app.get("/items/<int:item_id>")
def item(item_id):
    abort(404)
"""

SPEC = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"


def _built(root: Path) -> WorkspaceIndex:
    index = WorkspaceIndex([str(root)])
    for _ in index.build():
        pass
    return index


def test_routes_and_descriptions_are_indexed(tmp_path: Path) -> None:
    (tmp_path / "views.py").write_text(VIEWS)
    (tmp_path / "plain.py").write_text("x = 1\n")
    (tmp_path / "openapi.yaml").write_text(SPEC)
    (tmp_path / "config.yaml").write_text("status: 404\n")
    index = _built(tmp_path)
    routes = index.routes()
    assert list(routes) == [path_key(str(tmp_path / "views.py"))]
    assert [route.written_path for route in routes[path_key(str(tmp_path / "views.py"))].routes] == ["/items/<int:item_id>"]
    assert [Path(record.path).name for record in index.descriptions()] == ["openapi.yaml"]
    assert index.descriptions()[0].openapi == "3.0.3"


def test_an_open_document_s_routes_win_until_it_closes(tmp_path: Path) -> None:
    views = tmp_path / "views.py"
    views.write_text(VIEWS)
    index = _built(tmp_path)
    edited = summarise_routes(VIEWS.replace("/items/<int:item_id>", "/things/<int:item_id>"))
    assert index.set_open_routes(str(views), edited)
    assert not index.set_open_routes(str(views), edited)  # the same again: nothing moved
    assert index.routes()[path_key(str(views))].routes[0].written_path == "/things/<int:item_id>"
    assert index.clear_open_routes(str(views))
    assert index.routes()[path_key(str(views))].routes[0].written_path == "/items/<int:item_id>"


def test_a_file_edited_on_disk_is_read_again(tmp_path: Path) -> None:
    views = tmp_path / "views.py"
    views.write_text(VIEWS)
    index = _built(tmp_path)
    views.write_text(VIEWS + '\n\n@app.post("/items")\ndef create():\n    return {}, 201\n')
    assert index.update(str(views))
    assert [route.written_path for route in index.routes()[path_key(str(views))].routes] == ["/items/<int:item_id>", "/items"]
