"""Starts http-status-ls from the libraries the extension carries in ``bundled/libs``.

    python launch_server.py            the language server on stdio (what the extension runs)
    python launch_server.py check F    any other http-status-ls command line works the same way
    python launch_server.py --probe    one JSON line: this interpreter's version, and whether the
                                       bundled libraries load in it (the extension asks before starting)

The libraries go first on ``sys.path``, so whatever the interpreter has installed itself (another
pygls, say, in a project's virtual environment) cannot shadow them. Without ``bundled/libs`` (a
checkout of the repository, not a .vsix) the interpreter's own packages are used.

The syntax stays plain enough for any Python, even 2.7, to run ``--probe`` (so no f-strings, no
annotations): an interpreter that is too old must be able to say its version so the extension can
name it, not fail on a SyntaxError.
"""

import json
import os
import sys

MINIMUM = (3, 10)
EXTENSION_BUNDLE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIBS = os.path.join(EXTENSION_BUNDLE, "libs")
BUILD_FACTS = os.path.join(EXTENSION_BUNDLE, "build.json")


def use_bundled_libs():
    if os.path.isdir(LIBS):
        sys.path.insert(0, LIBS)
        return True
    return False


def build_facts():
    """What the .vsix was built for (written by scripts/package.mjs), for the extension's messages."""
    try:
        with open(BUILD_FACTS) as facts:
            return json.load(facts)
    except Exception:  # missing or unreadable (a checkout has none); only messages use it
        return None


def probe():
    answer = {
        "version": list(sys.version_info[:3]),
        "executable": sys.executable,
        "implementation": sys.implementation.name if hasattr(sys, "implementation") else "unknown",
        "bundled": use_bundled_libs(),
        "build": build_facts(),
    }
    if tuple(sys.version_info[:2]) >= MINIMUM:
        try:
            # The compiled parts are what can fail on a Python or platform the .vsix was not built
            # for; the pure-Python rest is imported when the server starts.
            import tree_sitter
            import tree_sitter_json
            import tree_sitter_python
            import yaml

            tree_sitter.Language(tree_sitter_python.language())
            tree_sitter.Language(tree_sitter_json.language())
            import http_status_ls

            answer["server"] = http_status_ls.__version__
            answer["libyaml"] = bool(getattr(yaml, "__with_libyaml__", False))
        except Exception as error:  # any failure to load is the answer, not a crash
            answer["error"] = type(error).__name__ + ": " + str(error)
    sys.stdout.write(json.dumps(answer) + "\n")
    return 0


def serve(arguments):
    if tuple(sys.version_info[:2]) < MINIMUM:
        needed = ".".join(str(part) for part in MINIMUM)
        sys.stderr.write("http-status-ls needs Python " + needed + " or newer; this is " + sys.version.split()[0] + "\n")
        return 2
    use_bundled_libs()
    from http_status_ls.cli.main import main

    return main(arguments)


if __name__ == "__main__":
    if sys.argv[1:] == ["--probe"]:
        sys.exit(probe())
    sys.exit(serve(sys.argv[1:]))
