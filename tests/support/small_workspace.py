"""A small workspace on disk for the references and workspace-index tests: Python, YAML and JSON
files with codes, and the places a walk must skip (ignored by git, virtual environments,
node_modules) or cannot read as UTF-8."""

from __future__ import annotations

from pathlib import Path


def write(root: Path, relative: str, text: str | bytes) -> Path:
    """Write ``text`` at ``root/relative``, making the folders on the way."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def populate(root: Path, openapi: str) -> Path:
    """Fill ``root`` with the small workspace, ``openapi`` as its API description; ``root``."""
    (root / ".git").mkdir()
    write(root, ".gitignore", "build/\n*.generated.py\n")
    write(root, "app.py", "from http import HTTPStatus\n\n\ndef f():\n    abort(404)\n    return HTTPStatus.NOT_FOUND\n")
    write(root, "other.py", "import time\n\ntime.sleep(404)\nabort(500)\n")
    write(root, "api/openapi.yaml", openapi)
    write(root, "tests/cases.json", '{"cases": [{"status": 404}, {"status": 201}]}\n')
    write(root, "tests/emoji.py", 'label = "😀"; abort(404)\n')
    write(root, "build/out.py", "abort(404)\n")
    write(root, "x.generated.py", "abort(404)\n")
    write(root, ".venv/pyvenv.cfg", "home = /usr/bin\n")
    write(root, ".venv/lib/site.py", "abort(404)\n")
    write(root, "node_modules/pkg/data.json", '{"status": 404}\n')
    write(root, "latin1.py", "name = 'caf\xe9'\nabort(404)\n".encode("latin-1"))
    return root
