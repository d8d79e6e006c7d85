"""Puts a workspace's route summaries together: prefixes across files, calls followed by name.

A file's key names its module (``app/routers/items.py`` -> ``app.routers.items``); an import is
followed to the file whose module ends with the imported path, so the workspace root may sit above
the package. A call reaches a function by name: a bare name defined in the file or imported from
the project, or ``module.name`` on an imported project module. Calls are followed ``depth`` levels;
a call to a project module whose function is not found, or one cut off by the depth, makes the
handler incomplete.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

from http_status_ls.core.occurrences import Span
from http_status_ls.detect.python.routes import (
    AIOHTTP,
    DJANGO,
    FASTAPI,
    FLASK,
    CallSite,
    DeclaredRoute,
    FileRoutes,
    FunctionCodes,
    ProducedStatus,
    RouteHandler,
    join_paths,
    normalise_path,
)
from http_status_ls.detect.python.routes_vocabulary import LIBRARY_EXCEPTIONS
from http_status_ls.kb import libraries, registry

_MAX_MOUNTS = 16


@functools.lru_cache(maxsize=8192)
def module_of(key: str) -> str:
    """``app/routers/items.py`` -> ``app.routers.items``; ``pkg/__init__.py`` -> ``pkg``."""
    path = key.split("://", 1)[-1].replace("\\", "/")
    if path.endswith(".py"):
        path = path[:-3]
    parts = [part for part in path.split("/") if part]
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@dataclass(slots=True)
class Workspace:
    files: Mapping[str, FileRoutes]
    modules: dict[str, list[str]] = field(default_factory=dict)
    """Every dotted suffix of every file's module -> the file keys it may denote."""
    functions: dict[str, dict[str, FunctionCodes]] = field(default_factory=dict)
    imports: dict[str, dict[str, str]] = field(default_factory=dict)
    classes: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for key in sorted(self.files, key=lambda key: (module_of(key).count("."), key)):
            module = module_of(key)
            parts = module.split(".")
            for start in range(len(parts)):
                self.modules.setdefault(".".join(parts[start:]), []).append(key)
            summary = self.files[key]
            self.functions[key] = {function.name: function for function in summary.functions}
            self.imports[key] = dict(summary.imports)
            self.classes[key] = dict(summary.classes)

    def module_file(self, key: str, dotted: str) -> str | None:
        """The file of module ``dotted`` as ``key``'s file imports it (relative paths resolved)."""
        if dotted.startswith("."):
            package = module_of(key)
            if not key.replace("\\", "/").endswith("__init__.py"):
                package = package.rpartition(".")[0]
            level = len(dotted) - len(dotted.lstrip("."))
            base = package.split(".") if package else []
            if level > 1:
                base = base[: len(base) - (level - 1)]
            rest = dotted.lstrip(".")
            dotted = ".".join([*base, rest] if rest else base)
        candidates = self.modules.get(dotted)
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        # Several services side by side may each have a ``shop.views``: take the nearest one (the
        # longest folder prefix shared with the importing file), then the shortest path.
        return max(candidates, key=lambda candidate: (_shared_prefix(key, candidate), -candidate.count("/")))

    def missing(self, key: str, name: str, qualifier: str) -> str:
        """The module a call's name is imported from when no file of the workspace is that module
        ('' when the name is not imported). Only project-looking imports make call sites."""
        path = self.imports.get(key, {}).get(qualifier or name)
        if path is None:
            return ""
        module = path if qualifier else path.rpartition(".")[0]
        if (
            self.module_file(key, module or path) is not None
            or self.module_file(key, module.rpartition(".")[0] or ".") is not None
        ):
            return ""  # the module is here (the name is a variable of it, or defined without codes)
        return module or path

    def target(self, key: str, name: str, qualifier: str) -> tuple[str, str] | None:
        """(file, name) of what ``qualifier.name`` (or a bare ``name``) denotes in ``key``'s file;
        None when it is not the project's."""
        imports = self.imports.get(key, {})
        if not qualifier:
            if name in self.functions.get(key, {}) or name in self.classes.get(key, {}):
                return key, name
            path = imports.get(name)
            if path is None:
                return None
            module, _dot, last = path.rpartition(".")
            found = self.module_file(key, module or ".") if module or path.startswith(".") else None
            return (found, last) if found is not None else None
        path = imports.get(qualifier)
        if path is None:
            return None
        found = self.module_file(key, path)
        return (found, name) if found is not None else None


def _shared_prefix(first: str, second: str) -> int:
    """How many leading folders two keys share."""
    shared = 0
    for one, other in zip(first.split("/")[:-1], second.split("/")[:-1]):
        if one != other:
            break
        shared += 1
    return shared


def resolve(files: Mapping[str, FileRoutes], depth: int = 3) -> tuple[RouteHandler, ...]:
    workspace = Workspace(files)
    mounts = _mounts(workspace)
    handlers: list[RouteHandler] = []
    for key in sorted(files):
        for route in files[key].routes:
            handlers += _handlers(workspace, key, route, mounts, depth)
    return tuple(handlers)


# --- prefixes ------------------------------------------------------------------------------------
def _router_object(workspace: Workspace, key: str, written: str) -> tuple[str, str] | None:
    """(file, variable) of a router expression written in ``key``'s file: ``router``, ``items.router``."""
    if written.startswith("module:"):  # Django's include("shop.urls")
        found = workspace.module_file(key, written.removeprefix("module:"))
        return (found, "urlpatterns") if found is not None else None
    qualifier, _dot, name = written.rpartition(".")
    if not qualifier and any(router.name == name for router in workspace.files[key].routers):
        return key, name
    target = workspace.target(key, name, qualifier)
    if target is None and not qualifier:
        path = workspace.imports.get(key, {}).get(name)
        if path is not None:
            module, _dot, last = path.rpartition(".")
            found = workspace.module_file(key, module or ".")
            target = (found, last) if found is not None else None
    return target


Dependency = tuple[str, CallSite]
"""A ``Depends(...)`` and the file it is written in."""


@dataclass(slots=True)
class Mounts:
    """Where each router (file, variable) is served: its prefixes, and the dependencies that run
    before its routes (the router's own and those of every include above it)."""

    prefixes: dict[tuple[str, str], list[str]]
    dependencies: dict[tuple[str, str], list[Dependency]]


def _mounts(workspace: Workspace) -> Mounts:
    own: dict[tuple[str, str], tuple[str, str]] = {}
    own_dependencies: dict[tuple[str, str], list[Dependency]] = {}
    for key, summary in workspace.files.items():
        for router in summary.routers:
            own[(key, router.name)] = (router.prefix, router.framework)
            own_dependencies[(key, router.name)] = [(key, site) for site in router.dependencies]
    parents: dict[tuple[str, str], list[tuple[tuple[str, str], str, list[Dependency]]]] = {}
    for key, summary in workspace.files.items():
        for include in summary.includes:
            child = _router_object(workspace, key, include.child)
            if child is not None:
                sites = [(key, site) for site in include.dependencies]
                parents.setdefault(child, []).append(((key, include.parent), include.prefix, sites))

    prefix_memo: dict[tuple[str, str], list[str]] = {}
    dependency_memo: dict[tuple[str, str], list[Dependency]] = {}

    def prefixes(router: tuple[str, str], seen: frozenset[tuple[str, str]]) -> list[str]:
        if router in prefix_memo:
            return prefix_memo[router]
        prefix, framework = own.get(router, ("", ""))
        found: list[str] = []
        for parent, include_prefix, _sites in parents.get(router, []):
            if parent in seen:
                continue
            # Flask: ``register_blueprint(url_prefix=)`` replaces the blueprint's own prefix.
            local = include_prefix if framework == FLASK and include_prefix else join_paths(include_prefix, prefix)
            found += [join_paths(outer, local) for outer in prefixes(parent, seen | {router})]
        if not parents.get(router):
            found = [prefix]
        prefix_memo[router] = list(dict.fromkeys(found))[:_MAX_MOUNTS] or [prefix]
        return prefix_memo[router]

    def dependencies(router: tuple[str, str], seen: frozenset[tuple[str, str]]) -> list[Dependency]:
        if router in dependency_memo:
            return dependency_memo[router]
        found = list(own_dependencies.get(router, []))
        for parent, _prefix, sites in parents.get(router, []):
            if parent not in seen:
                found += sites + dependencies(parent, seen | {router})
        dependency_memo[router] = list(dict.fromkeys(found))
        return dependency_memo[router]

    routers = {*own, *parents}
    return Mounts(
        prefixes={router: prefixes(router, frozenset()) for router in routers},
        dependencies={router: dependencies(router, frozenset()) for router in routers},
    )


# --- codes ---------------------------------------------------------------------------------------
def _handlers(workspace: Workspace, key: str, route: DeclaredRoute, mounts: Mounts, depth: int) -> list[RouteHandler]:
    prefixes = mounts.prefixes.get((key, route.owner), [""])
    qualifier, _dot, name = route.function.rpartition(".")
    target = workspace.target(key, name, qualifier)
    if route.view and target is not None:
        from http_status_ls.detect.python.routes_django import django_views

        variants = django_views(workspace, key, route, target, depth)
    else:
        variants = [_function_view(workspace, key, route, target, depth)]
    for file, site in mounts.dependencies.get((key, route.owner), []):
        # A router's dependency is written elsewhere: its codes go on the route's declaration.
        found: list[ProducedStatus] = []
        for variant in variants:
            _follow(workspace, file, site, found, variant.uncertain, depth)
            variant.produced += [ProducedStatus(p.code, route.decorator_span, f"{p.via} on the router", p.certain) for p in found]
            found.clear()
    handlers: list[RouteHandler] = []
    for variant in variants:
        reasons = tuple(dict.fromkeys(variant.uncertain))
        for prefix in prefixes:
            written = join_paths(join_paths(prefix, route.written_path), variant.suffix)
            if route.framework == DJANGO and not written.startswith("/"):
                written = "/" + written
            handlers.append(
                RouteHandler(
                    framework=route.framework,
                    methods=variant.methods,
                    path=normalise_path(written),
                    written_path=written or "/",
                    decorator_span=route.decorator_span,
                    function=variant.function,
                    produced=tuple(sorted(set(variant.produced), key=lambda p: (p.code, p.span, p.via))),
                    complete=not reasons,
                    uncertain=reasons,
                    file=variant.file,
                    declared_in=key,
                )
            )
    return handlers


@dataclass(slots=True)
class View:
    """One handler a declaration makes, before its prefixes: a function, or one method or action of
    a Django class-based view or DRF viewset."""

    methods: tuple[str, ...]
    function: str
    file: str
    produced: list[ProducedStatus] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    suffix: str = ""
    """Added to the declared path: ``{pk}/`` for a viewset's detail actions."""


def _function_view(workspace: Workspace, key: str, route: DeclaredRoute, target: tuple[str, str] | None, depth: int) -> View:
    name = route.function.rpartition(".")[2]
    view = View(route.methods, name, key, list(route.implied))
    if target is None:
        view.uncertain.append(f"handler {route.function} not found in the workspace")
    else:
        view.file = target[0]
        codes = workspace.functions.get(target[0], {}).get(target[1])
        if codes is not None:
            if route.framework == FASTAPI and _returns_only_responses(codes):
                view.produced = [_unused(produced) for produced in view.produced]
            collect(workspace, target[0], codes, view.produced, view.uncertain, depth, handler=True, framework=route.framework)
            view.methods = view.methods or codes.methods
    view.methods = view.methods or ("GET",)
    for dependency in route.dependencies:
        _follow(workspace, key, dependency, view.produced, view.uncertain, depth)
    return view


_SUCCESS_VIAS = ("default status_code (200)", "status_code= on the decorator")


def _returns_only_responses(codes: FunctionCodes) -> bool:
    """Whether every return of a FastAPI handler is a Response: FastAPI then sends the Response's
    status, and the decorator's ``status_code=`` only documents."""
    return codes.plain_return is None and bool(codes.returned) and not any(call.returned for call in codes.calls)


def _unused(produced: ProducedStatus) -> ProducedStatus:
    if produced.via not in _SUCCESS_VIAS:
        return produced
    return ProducedStatus(produced.code, produced.span, f"{produced.via}, unused: every return is a Response", certain=False)


def collect(
    workspace: Workspace,
    key: str,
    codes: FunctionCodes,
    produced: list[ProducedStatus],
    uncertain: list[str],
    depth: int,
    *,
    handler: bool,
    framework: str = "",
) -> None:
    """A handler's own codes and those its calls reach."""
    produced += codes.produced
    uncertain += codes.uncertain
    if handler:
        produced += codes.returned
        if codes.plain_return is not None and framework in (FLASK, AIOHTTP, DJANGO):
            produced.append(ProducedStatus(200, codes.plain_return, "plain return (200)"))
        for parameter in codes.parameters:
            uncertain.append(f"status from the parameter {parameter.name}")
    for call in codes.calls:
        _follow(workspace, key, call, produced, uncertain, depth, returned_counts=handler and call.returned)


def _follow(
    workspace: Workspace,
    key: str,
    call: CallSite,
    produced: list[ProducedStatus],
    uncertain: list[str],
    depth: int,
    *,
    returned_counts: bool = False,
) -> None:
    """The codes a call in ``key``'s file produces, placed on the call's span."""
    target = workspace.target(key, call.name, call.qualifier)
    label = f"{call.qualifier}.{call.name}" if call.qualifier else call.name
    if target is None:
        missing = workspace.missing(key, call.name, call.qualifier)
        if missing:
            uncertain.append(f"{label}() comes from {missing}, which is not in the workspace")
        return  # else not the project's: a name the file does not bind to an import
    target, callee = _through_reexports(workspace, target)
    if call.raised and (callee is None or not (callee.produced or callee.parameters or callee.returned)):
        inherited = _inherited_codes(workspace, target)
        if inherited is not None:
            callee = inherited
        else:
            uncertain.append(f"raise {label}: its status is not known (an error handler may map it)")
            return
    if callee is None:
        return  # defined without codes, or not found (a library re-exported by the project)
    if depth <= 0:
        uncertain.append(f"{label}() not followed (call depth reached)")
        return
    via = f"Depends({label})" if call.dependency else (f"raise {label}" if call.raised else f"calls {label}()")
    inner: list[ProducedStatus] = []
    inner_uncertain: list[str] = []
    inner += callee.produced
    if returned_counts or call.raised:
        inner += callee.returned
    _parameter_codes(call, callee, via, produced, inner_uncertain, returned_counts=returned_counts)
    inner_uncertain += callee.uncertain
    for nested in callee.calls:
        nested_produced: list[ProducedStatus] = []
        _follow(
            workspace,
            target[0],
            nested,
            nested_produced,
            inner_uncertain,
            depth - 1,
            returned_counts=returned_counts and nested.returned,
        )
        inner += nested_produced
    produced += [ProducedStatus(found.code, call.span, via, found.certain) for found in inner]
    uncertain += [f"via {label}(): {reason}" for reason in inner_uncertain]


def _through_reexports(workspace: Workspace, target: tuple[str, str]) -> tuple[tuple[str, str], FunctionCodes | None]:
    """The function ``target`` names, followed through a package's ``__init__`` re-exporting it."""
    callee = workspace.functions.get(target[0], {}).get(target[1])
    for _hop in range(3):
        if callee is not None or target[1] not in workspace.imports.get(target[0], {}):
            break
        target = workspace.target(target[0], target[1], "") or target
        callee = workspace.functions.get(target[0], {}).get(target[1])
    return target, callee


def _parameter_codes(
    call: CallSite,
    callee: FunctionCodes,
    via: str,
    produced: list[ProducedStatus],
    uncertain: list[str],
    *,
    returned_counts: bool,
) -> None:
    """The codes ``call`` passes to the callee's status parameters (or their defaults), placed on
    the arguments; a parameter given something else is uncertain."""
    label = f"{call.qualifier}.{call.name}" if call.qualifier else call.name
    for parameter in callee.parameters:
        if parameter.returned and not returned_counts:
            continue
        passed = [
            argument
            for argument in call.arguments
            if (parameter.position is not None and argument.position == parameter.position) or argument.keyword == parameter.name
        ]
        if passed:
            produced += [ProducedStatus(argument.code, argument.span, via) for argument in passed]
        elif parameter.default is not None and not _passes(call, parameter.position, parameter.name):
            produced.append(ProducedStatus(parameter.default, call.span, via))
        else:
            uncertain.append(f"{label}() takes its status from an argument that is not a code")


def _passes(call: CallSite, position: int | None, keyword: str) -> bool:
    """Whether a call passes a value for the parameter at ``position`` called ``keyword``."""
    if call.positional_count < 0 or "**" in call.keywords:
        return True
    return (position is not None and position < call.positional_count) or keyword in call.keywords


def _inherited_codes(workspace: Workspace, target: tuple[str, str]) -> FunctionCodes | None:
    """The codes a project exception class gets from its bases: a project base with a code or a
    constructor, or a library exception the knowledge base names (werkzeug's ``NotFound``)."""
    frontier = [target]
    for _level in range(4):
        following: list[tuple[str, str]] = []
        for file, name in frontier:
            for base in workspace.classes.get(file, {}).get(name, ()):
                code = _library_code(workspace.imports.get(file, {}).get(base, ""))
                if code is not None:
                    return FunctionCodes(base, produced=(ProducedStatus(code, _NOWHERE, f"raise {base}"),))
                found = workspace.target(file, base, "")
                if found is None:
                    continue
                codes = workspace.functions.get(found[0], {}).get(found[1])
                if codes is not None and (codes.produced or codes.parameters):
                    return codes
                following.append(found)
        frontier = following
    return None


_NOWHERE = Span(0, 0, 0, 0)
"""Spans of inherited codes are replaced by the raising call's."""


def _library_code(path: str) -> int | None:
    owner, _dot, member = path.rpartition(".")
    library = libraries.BY_PATH.get(owner)
    if library is not None:
        ref = registry.load().resolve(library.name, member)
        return ref.code if ref is not None else None
    return LIBRARY_EXCEPTIONS.get(path)
