"""What a project's ``pyproject.toml`` requires: the lowest Python and the lowest starlette it allows.

A project promises to run on every version its requirements allow, so the lowest one decides which
names may be written: ``requires-python = ">=3.10"`` rules out ``HTTPStatus.UNPROCESSABLE_CONTENT``
(3.13+), ``dependencies = ["starlette>=0.48"]`` allows ``HTTP_422_UNPROCESSABLE_CONTENT``.

PEP 440 specifiers are read here by hand, for final releases only (pre-, post- and dev-releases do
not move a floor): the server must not depend on ``packaging``, which is not always installed
beside it. Poetry's own syntax (``^3.10``, ``~3.11``, ``||``) is read too.
"""

from __future__ import annotations

import operator
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from http_status_ls.kb.libraries import Version, parse_version

_MINOR_RANGE = range(0, 100)
"""The Python 3 minor releases a ``requires-python`` is tried against."""

_CLAUSE = re.compile(r"\s*(~=|===|==|!=|<=|>=|<|>)\s*([0-9]+(?:\.[0-9]+)*)(\.\*)?\s*")

_COMPARISONS: Mapping[str, Callable[[Version, Version], bool]] = {
    "==": operator.eq,
    "===": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}

_LOWER_BOUNDS = frozenset({">=", "~=", "==", "===", ">"})
"""The operators that set a floor. ``>0.47`` counts as 0.47 itself: 0.47.1 is allowed, and it is not
0.48, so the floor must stay below any release that brought a name."""


def python_setting(text: str) -> Version | None:
    """The ``pythonVersion`` setting: ``"3.12"`` (or ``"3.12.4"``: names change with minor
    releases only) -> ``(3, 12)``; None when it is not such a version."""
    version = parse_version(text)
    if version is None or len(version) < 2 or len(version) > 3 or version[0] != 3:
        return None
    return version[:2]


# --- PEP 440 specifiers ------------------------------------------------------------------------------


def _padded(version: Version, length: int) -> Version:
    return version + (0,) * (length - len(version))


def _clause_allows(op: str, spec: Version, wildcard: bool, candidate: Version) -> bool:
    """Whether one clause (``>=3.10``, ``!=3.9.*``) allows a final release."""
    if wildcard:
        same = candidate[: len(spec)] == spec
        return same if op == "==" else not same if op == "!=" else False
    length = max(len(spec), len(candidate))
    left, right = _padded(candidate, length), _padded(spec, length)
    if op == "~=":
        return len(spec) >= 2 and left >= right and candidate[: len(spec) - 1] == spec[:-1]
    return _COMPARISONS[op](left, right)


def _clauses(specifier: str) -> list[tuple[str, Version, bool]] | None:
    """``">=3.10, <4"`` -> its clauses (operator, version, wildcard); None when any part is not a
    clause we can read."""
    clauses = []
    for part in specifier.split(","):
        match = _CLAUSE.fullmatch(part)
        version = parse_version(match[2]) if match else None
        if match is None or version is None or (match[3] and match[1] not in ("==", "!=")):
            return None
        clauses.append((match[1], version, bool(match[3])))
    return clauses


def _patches_to_try(minor: int, specs: list[Version]) -> list[int]:
    """The patch releases of 3.``minor`` where a clause can change its answer: 0, and each patch a
    clause names in that series and the one after (``>3.10`` first allows 3.10.1)."""
    patches = {0}
    for spec in specs:
        if _padded(spec, 3)[:2] == (3, minor):
            patches |= {_padded(spec, 3)[2], _padded(spec, 3)[2] + 1}
    return sorted(patches)


def lowest_python(specifier: str) -> Version | None:
    """The lowest Python 3 minor release a PEP 440 ``requires-python`` allows, as (3, minor):
    ``>=3.10`` and ``>=3.10,<4`` -> (3, 10); ``~=3.11`` -> (3, 11); ``==3.12.*`` -> (3, 12);
    ``>=3.9,!=3.9.*`` -> (3, 10). None when it cannot be read or allows no Python 3."""
    if not specifier.strip():
        return None
    clauses = _clauses(specifier)
    if clauses is None:
        return None
    for minor in _MINOR_RANGE:
        for patch in _patches_to_try(minor, [spec for _, spec, _ in clauses]):
            candidate = (3, minor, patch)
            if all(_clause_allows(op, spec, wildcard, candidate) for op, spec, wildcard in clauses):
                return (3, minor)
    return None


def lower_bound(specifier: str) -> Version | None:
    """The floor a package specifier sets (``>=0.48,<1`` -> (0, 48)); None without one, or when it
    cannot be read."""
    clauses = _clauses(specifier) if specifier.strip() else None
    floors = [spec for op, spec, _ in clauses or () if op in _LOWER_BOUNDS]
    return max(floors) if floors else None


# --- Poetry's constraints ----------------------------------------------------------------------------


def _poetry_specifier(alternative: str) -> str:
    """One of Poetry's alternatives as a PEP 440 specifier with the same floor: ``^3.10`` and
    ``~3.10`` become ``>=3.10`` (their upper bounds do not matter here), a bare version ``==``."""
    # `>= 3.10` is one clause written as two words; clauses are separated by commas or spaces.
    words = re.sub(r"(~=|===|==|!=|<=|>=|<|>|\^|~)\s+", r"\1", alternative.replace(",", " ")).split()
    clauses = []
    for word in words:
        if word == "*":
            continue
        if word[:1] in ("^", "~") and word[:2] != "~=":
            clauses.append(f">={word[1:]}")
        elif word[:1].isdigit():
            clauses.append(f"=={word}")
        else:
            clauses.append(word)
    return ",".join(clauses)


def _poetry_floor(constraint: str, floor_of: Callable[[str], Version | None]) -> Version | None:
    """The lowest of the floors of Poetry's ``||`` alternatives; None when one has none."""
    floors = [floor_of(_poetry_specifier(alternative)) for alternative in constraint.split("||")]
    return None if not floors or None in floors else min(f for f in floors if f is not None)


def lowest_poetry_python(constraint: str) -> Version | None:
    """Poetry's ``python = "^3.10"``: the lowest Python its constraint allows."""
    return _poetry_floor(constraint, lowest_python)


# --- pyproject.toml ----------------------------------------------------------------------------------


def _toml_loads(path: Path) -> dict[str, Any] | None:
    """A TOML file's content, or None when it cannot be read (no tomllib on 3.10 without tomli,
    unreadable, not TOML): then the file tells us nothing."""
    if sys.version_info >= (3, 11):
        import tomllib as toml
    else:
        try:
            import tomli as toml  # type: ignore[import-not-found,no-redef,unused-ignore]
        except ImportError:
            return None
    try:
        with open(path, "rb") as stream:
            content: dict[str, Any] = toml.load(stream)
    except (OSError, UnicodeDecodeError, ValueError):  # TOMLDecodeError is a ValueError
        return None
    return content


def _table(content: Mapping[str, Any], *keys: str) -> Mapping[str, Any]:
    """``content[keys[0]][keys[1]]...`` when each is a table, else an empty one."""
    for key in keys:
        inner = content.get(key)
        content = inner if isinstance(inner, Mapping) else {}
    return content


Declared = tuple[Version | None, str]
"""A floor (None when the requirement cannot be read or sets none) and where it was said."""


def declared_python(pyproject: Path) -> Declared | None:
    """What a ``pyproject.toml`` says about Python: the lowest version it allows and where; None when
    it says nothing (a file that only configures tools), so the search goes on upward."""
    content = _toml_loads(pyproject)
    if content is None:
        return None
    requires = _table(content, "project").get("requires-python")
    if isinstance(requires, str):
        return lowest_python(requires), f"{pyproject} requires-python {requires.strip()!r}"
    python = _table(content, "tool", "poetry", "dependencies").get("python")
    if isinstance(python, str):
        return lowest_poetry_python(python), f"{pyproject} tool.poetry python {python.strip()!r}"
    return None


_REQUIREMENT = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*\(?([^()]*)\)?\s*")


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _requirement_floors(requirements: Iterable[Any], distribution: str) -> list[Version | None]:
    """The floor of each PEP 508 requirement on ``distribution`` (``starlette[full]>=0.48; ...``)."""
    floors = []
    for requirement in requirements:
        match = _REQUIREMENT.fullmatch(requirement.split(";", 1)[0]) if isinstance(requirement, str) else None
        if match is not None and _normalised(match[1]) == distribution:
            floors.append(lower_bound(match[2]))
    return floors


def declared_dependency(pyproject: Path, distribution: str) -> Declared | None:
    """The lowest version of ``distribution`` a ``pyproject.toml``'s dependencies allow (``[project]
    dependencies`` or Poetry's) and where; None when it does not depend on it. Several requirements
    (one per environment marker) give the lowest floor; one without a floor, none."""
    content = _toml_loads(pyproject)
    if content is None:
        return None
    listed = _table(content, "project").get("dependencies")
    floors = _requirement_floors(listed if isinstance(listed, list) else (), distribution)
    for name, constraint in _table(content, "tool", "poetry", "dependencies").items():
        if _normalised(str(name)) == distribution:
            version = constraint.get("version") if isinstance(constraint, Mapping) else constraint
            floors.append(_poetry_floor(version, lower_bound) if isinstance(version, str) else None)
    if not floors:
        return None
    lowest = None if None in floors else min(f for f in floors if f is not None)
    return lowest, f"{pyproject} dependencies"


def find_declared(start: Path, read: Callable[[Path], Declared | None]) -> tuple[Version | None, str, Path | None]:
    """The nearest ``pyproject.toml`` from the folder ``start`` upward that ``read`` finds something
    in: (its floor, where that was said, its folder); (None, "", None) when none says."""
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if not candidate.is_file():
            continue
        found = read(candidate)
        if found is not None:
            return found[0], found[1], directory
    return None, "", None
