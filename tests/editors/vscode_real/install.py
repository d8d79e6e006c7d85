"""Install code-server (VS Code 1.100 in the browser) and playwright-core for the real VS Code test.

code-server's own post-install step downloads ripgrep from GitHub, which CI cannot reach. This does
the rest of that step by hand: the dependencies of VS Code and of its built-in extensions from the
npm registry, Debian's ``rg`` in ripgrep's place, and the native modules built against the running
Node's headers. The result is a ready tree under ``.cache/vscode-real/<key>`` (gitignored), where the
key covers the pinned lock file, this script and the Node version, so a second run returns at once.

    python tests/editors/vscode_real/install.py    # installs if needed; prints the folder and times
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
CACHE = REPO / ".cache" / "vscode-real"
PINNED = ("package.json", "package-lock.json")

# What the system must provide, as one Debian command; the messages of a skip or failure quote it.
SYSTEM_PACKAGES = ("chromium", "ripgrep", "build-essential", "libkrb5-dev")
APT_LINE = "apt-get install --no-install-recommends " + " ".join(SYSTEM_PACKAGES)
NODE_MAJOR = 20  # code-server 4.100.3 refuses any other

# The native modules VS Code's server loads at start (paths under lib/vscode/node_modules). Only
# kerberos needs a system library (libkrb5-dev); the others build from their own sources.
NATIVE_MODULES = ("kerberos", "node-pty", "@vscode/spdlog", "@vscode/deviceid", "@parcel/watcher", "native-watchdog")
STEP_TIMEOUT_S = 900


@dataclass(frozen=True)
class Installation:
    root: Path
    seconds: float  # how long the install took; 0.0 when the cache had it
    steps: dict[str, float]  # seconds per step of the install that made this tree

    @property
    def code_server(self) -> Path:
        """The entry point ``node`` runs (what code-server's ``bin`` points to)."""
        return self.root / "node_modules" / "code-server" / "out" / "node" / "entry.js"

    @property
    def package_json(self) -> Path:
        """Where the driver resolves ``playwright-core`` from."""
        return self.root / "package.json"


def _node() -> tuple[str, str] | None:
    """(node executable, version) or None."""
    node = shutil.which("node")
    if node is None:
        return None
    version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    return node, version.removeprefix("v")


def node_dir(node: str) -> Path:
    """The prefix whose include/node has the running Node's headers (/usr for Debian's and NodeSource's)."""
    return Path(node).resolve().parents[1]


def node_gyp() -> Path | None:
    """node-gyp as bundled with npm (npm uses it for every native module it builds)."""
    npm = shutil.which("npm")
    if npm is None:
        return None
    bundled = Path(npm).resolve().parents[1] / "node_modules" / "node-gyp" / "bin" / "node-gyp.js"
    return bundled if bundled.is_file() else None


def missing_prerequisites() -> list[str]:
    """What this machine lacks to install and run the test, one sentence each; empty when nothing."""
    missing = []
    node = _node()
    if node is None or shutil.which("npm") is None:
        missing.append(f"no node and npm on PATH (Node {NODE_MAJOR})")
    else:
        if node[1].split(".")[0] != str(NODE_MAJOR):
            missing.append(f"Node {NODE_MAJOR}, the only one code-server 4.100.3 runs on; this is Node {node[1]}")
        if not (node_dir(node[0]) / "include" / "node" / "node_api.h").is_file():
            missing.append(f"no Node C headers in {node_dir(node[0]) / 'include' / 'node'} (they come with Node's package)")
        if node_gyp() is None:
            missing.append("no node-gyp in npm's folder (npm bundles it)")
    for program, package in [
        ("chromium", "chromium"),
        ("rg", "ripgrep"),
        ("g++", "build-essential"),
        ("make", "build-essential"),
    ]:
        if shutil.which(program) is None:
            missing.append(f"no {program} on PATH (Debian package {package})")
    if shutil.which("python3") is None:
        missing.append("no python3 on PATH (node-gyp runs it)")
    if not Path("/usr/include/gssapi/gssapi.h").is_file():
        missing.append("no Kerberos headers (Debian package libkrb5-dev) for VS Code's kerberos module")
    return missing


def cache_key() -> str:
    digest = hashlib.sha256()
    for name in PINNED:
        digest.update((HERE / name).read_bytes())
    digest.update(Path(__file__).read_bytes())
    node = _node()
    digest.update((node[1] if node else "").encode())
    return digest.hexdigest()[:16]


def _run(command: list[str], cwd: Path, log: Path) -> None:
    environment = {**os.environ, "npm_config_update_notifier": "false", "npm_config_fund": "false", "npm_config_audit": "false"}
    with log.open("a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(command)}  (in {cwd})\n")
        out.flush()
        process = subprocess.run(
            command,
            cwd=cwd,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            timeout=STEP_TIMEOUT_S,
        )
    if process.returncode != 0:
        tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:])
        raise RuntimeError(f"`{' '.join(command)}` in {cwd} failed with exit {process.returncode}:\n{tail}")


def _build_native(module: Path, log: Path, *extra: str) -> None:
    node = _node()
    gyp = node_gyp()
    assert node is not None and gyp is not None, "missing_prerequisites() first"
    _run([node[0], str(gyp), "rebuild", f"--nodedir={node_dir(node[0])}", "--jobs=max", *extra], module, log)


def _symlink(target: str, link: Path) -> None:
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(target)


def _dependencies(root: Path, log: Path) -> None:
    for name in PINNED:
        shutil.copy2(HERE / name, root / name)
    # --ignore-scripts: code-server's post-install would fetch ripgrep from GitHub; the rest is here.
    _run(["npm", "ci", "--ignore-scripts"], root, log)
    vscode = _vscode(root)
    # Their shrinkwrap files are not quite in sync with package.json, so `npm ci` refuses them.
    _run(["npm", "install", "--omit=dev", "--ignore-scripts"], vscode, log)
    _run(["npm", "install", "--omit=dev", "--ignore-scripts"], vscode / "extensions", log)


def _native_modules(root: Path, log: Path) -> None:
    vscode = _vscode(root)
    ripgrep = vscode / "node_modules" / "@vscode" / "ripgrep" / "bin" / "rg"
    ripgrep.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(shutil.which("rg") or "rg", ripgrep)
    for module in NATIVE_MODULES:
        _build_native(vscode / "node_modules" / module, log)
    # argon2 (code-server's password hashing, loaded even with --auth none) is looked up in
    # node-pre-gyp's layout, which its binding.gyp takes as variables.
    argon2 = root / "node_modules" / "argon2"
    binding = argon2 / "lib" / "binding" / "napi-v3"
    _build_native(argon2, log, "--module_name=argon2", f"--module_path={binding.relative_to(argon2)}", "--napi_build_version=3")
    binding.mkdir(parents=True, exist_ok=True)
    shutil.copy2(argon2 / "build" / "Release" / "argon2.node", binding / "argon2.node")


def _links(root: Path) -> None:
    vscode = _vscode(root)
    # A desktop VS Code ships some modules in an asar archive and looks for files there; code-server
    # links the archive's name to node_modules, which holds the same files.
    _symlink("node_modules", vscode / "node_modules.asar")
    _symlink("code-linux.sh", vscode / "bin" / "remote-cli" / "code-server")
    _symlink("browser-linux.sh", vscode / "bin" / "helpers" / "browser.sh")


def _vscode(root: Path) -> Path:
    return root / "node_modules" / "code-server" / "lib" / "vscode"


def _install_into(root: Path, log: Path) -> dict[str, float]:
    """Seconds per step."""
    steps = {}
    for name, action in [
        ("npm dependencies", lambda: _dependencies(root, log)),
        ("native modules", lambda: _native_modules(root, log)),
        ("links", lambda: _links(root)),
    ]:
        started = time.monotonic()
        action()
        steps[name] = round(time.monotonic() - started, 1)
    return steps


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    """One install at a time, when two test runs share the cache."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def install() -> Installation:
    """The cached tree for the pinned versions, installed first when the cache does not have it."""
    key = cache_key()
    ready = CACHE / key
    with _locked():
        stamp = ready / "ready.json"
        if stamp.is_file():
            return Installation(ready, 0.0, json.loads(stamp.read_text(encoding="utf-8"))["steps"])
        started = time.monotonic()
        partial = CACHE / f"{key}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        log = CACHE / f"{key}.log"
        log.write_text("", encoding="utf-8")
        steps = _install_into(partial, log)
        seconds = round(time.monotonic() - started, 1)
        (partial / "ready.json").write_text(json.dumps({"seconds": seconds, "steps": steps}, indent=2) + "\n", encoding="utf-8")
        for stale in CACHE.iterdir():  # trees and logs of other keys, and an unfinished tree of this one
            if stale.is_dir() and stale != partial:
                shutil.rmtree(stale)
            elif stale.is_file() and not stale.name.startswith((key, ".lock")):
                stale.unlink()
        partial.rename(ready)
        return Installation(ready, seconds, steps)


if __name__ == "__main__":
    missing = missing_prerequisites()
    if missing:
        sys.exit("missing: " + "; ".join(missing) + f"\nOn Debian 12, as root: {APT_LINE}")
    installation = install()
    print(installation.root)
    print(f"installed in {installation.seconds} s" if installation.seconds else "from the cache", installation.steps)
