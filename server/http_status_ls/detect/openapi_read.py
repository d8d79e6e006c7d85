"""Builds the operations model (`detect.openapi_operations`) from a YAML or JSON source.

The walk is the same for both formats; a source (`openapi_yaml_source`, `openapi_json_source`)
answers "the keys of this mapping", "this scalar", "where is it". Only ``paths``, ``webhooks``,
callbacks, and the components a ``$ref`` names are visited.
"""

from __future__ import annotations

import re
from typing import Any

from http_status_ls.core.occurrences import Span, new_span
from http_status_ls.detect.openapi import classify_response_key, is_response_key
from http_status_ls.detect.openapi_operations import METHODS, OpenApiDocument, Operation, ResponseEntry, new_response_entry
from http_status_ls.detect.openapi_reads import Reads

_BODY_PARAMETER = re.compile(r"""["']?in["']?\s*:\s*["']?(?:body|formData)\b""")
_ERRORISH = re.compile(r"error|problem|fault", re.IGNORECASE)
_METHODS = frozenset(METHODS)
_PATH_ITEM_KEYS = (*METHODS, "parameters")
_OPERATION_KEYS = ("responses", "security", "requestBody", "parameters", "callbacks")
_RESPONSE_KEYS = ("description", "headers", "content", "schema", "$ref")


def _token(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


class _Builder:
    def __init__(self, source: Any, language: str) -> None:
        self.source = source
        self.language = language
        self.root_items: dict[str, Any] = {}
        self.swagger2 = False
        self.root_security: bool | None = None
        self._resolved: dict[str, Any] = {}
        self._children: dict[str, dict[str, Any]] = {}
        # The root and the components are read only for what the model uses.
        self._wanted: dict[str, tuple[str, ...]] = {
            "#": ("openapi", "swagger", "paths", "webhooks", "components", "security", "responses", "parameters", "definitions"),
            "#/components": ("responses", "headers", "schemas", "parameters"),
        }
        self._responses: dict[str, dict[str, Any] | None] = {}
        self._ref_only: dict[str, dict[str, Any]] = {}
        self._security: dict[str, bool] = {}

    def build(self) -> OpenApiDocument | None:
        root = self.source.root()
        if root is None:
            return None
        self.root_items = self.children("#")
        version_node = self.root_items.get("openapi") or self.root_items.get("swagger")
        version = self.source.scalar(version_node) if version_node is not None else None
        if not version:
            return None
        self.swagger2 = version.startswith("2")
        security = self.root_items.get("security")
        self.root_security = self.security(security) if security is not None else None
        operations: list[Operation] = []
        for where in ("paths", "webhooks"):
            node = self.root_items.get(where)
            if node is not None:
                for key, _, item in self.source.items(node):
                    if where == "paths" and key.startswith("x-"):
                        continue
                    self.path_item(item, key, f"/{where}/{_token(key)}", where, operations)
        return OpenApiDocument(
            version=version,
            language=self.language,
            operations=tuple(operations),
            response_refs=self.component_refs("responses"),
            schema_refs=tuple(ref for ref in self.component_refs("schemas") if _ERRORISH.search(ref.rsplit("/", 1)[-1])),
        )

    # --- references --------------------------------------------------------------------------

    def resolve(self, ref: str) -> Any:
        """The node a local ``$ref`` points to, None when it leads outside the file or nowhere."""
        if not ref.startswith("#/"):
            return None
        if ref not in self._resolved:
            parent, _, last = ref.rpartition("/")
            name = last.replace("~1", "/").replace("~0", "~")
            self._resolved[ref] = self.children(parent).get(name)
        return self._resolved[ref]

    def children(self, pointer: str) -> dict[str, Any]:
        """The keys of the mapping at ``pointer`` (``#`` is the root), read once per build."""
        known = self._children.get(pointer)
        if known is None:
            node = self.source.root() if pointer == "#" else self.resolve(pointer)
            known = {} if node is None else {key: value for key, _, value in self.source.items(node, self._wanted.get(pointer))}
            self._children[pointer] = known
        return known

    def component_refs(self, kind: str) -> tuple[str, ...]:
        if self.swagger2:
            holder, prefix = self.root_items.get({"responses": "responses", "schemas": "definitions"}[kind]), "#/"
            prefix += "responses/" if kind == "responses" else "definitions/"
        else:
            # The components were read once already, for the keys `resolve` follows: a second
            # search for the keys of a 1.4 MB `components` object cost milliseconds.
            holder = self.children("#/components").get(kind)
            prefix = f"#/components/{kind}/"
        if holder is None:
            return ()
        return tuple(prefix + _token(key) for key, _, _ in self.source.items(holder))

    # --- operations ---------------------------------------------------------------------------

    def security(self, node: Any) -> bool:
        """Whether a ``security`` value requires authentication: ``[]`` and ``[{}]`` do not."""
        raw = self.source.raw(node)
        known = self._security.get(raw)
        if known is None:
            value = self.source.python(node)
            known = isinstance(value, list) and any(isinstance(option, dict) and option for option in value)
            self._security[raw] = known
        return known

    def path_item(self, item: Any, path: str, pointer: str, where: str, out: list[Operation]) -> None:
        entries = list(self.source.items(item, _PATH_ITEM_KEYS, sparse=True))
        parameters = next((value for key, _, value in entries if key == "parameters"), None)
        path_parameters = parameters is not None and not self.source.is_empty(parameters)
        swagger_body = self.swagger2 and path_parameters and self.body_parameter(parameters)
        for method, handle, value in entries:
            if method in _METHODS:
                context = (method, path, f"{pointer}/{method}", where, handle)
                self.operation(value, context, path_parameters, swagger_body, out)

    def callbacks(self, node: Any, pointer: str, out: list[Operation]) -> None:
        for name, _, callback in self.source.items(node):
            for expression, _, item in self.source.items(callback):
                base = f"{pointer}/callbacks/{_token(name)}/{_token(expression)}"
                self.path_item(item, expression, base, "callbacks", out)

    def body_parameter(self, parameters: Any) -> bool:
        raw = self.source.raw(parameters)
        if _BODY_PARAMETER.search(raw):
            return True
        for ref in re.findall(r"""["']?\$ref["']?\s*:\s*["']?(#/[^"'\s,}]+)""", raw):
            target = self.resolve(ref)
            if target is not None and _BODY_PARAMETER.search(self.source.raw(target)):
                return True
        return False

    def operation(
        self, node: Any, context: tuple[str, str, str, str, Any], path_parameters: bool, swagger_body: bool, out: list[Operation]
    ) -> None:
        method, path, pointer, where, handle = context
        source = self.source
        secured = self.root_security
        has_body = swagger_body
        has_parameters = path_parameters
        responses: tuple[ResponseEntry, ...] = ()
        responses_span: Span | None = None
        flow, key_indent = False, None
        callbacks = None
        for key, key_handle, value in source.items(node, _OPERATION_KEYS, sparse=True):
            if key == "responses":
                responses = tuple(self.responses(value))
                start = source.key_span(key_handle)
                flow, key_indent, end = source.layout(value)
                end_line, end_col = end if end is not None else (start.end_line, start.end_col)
                responses_span = new_span(start.start_line, start.start_col, end_line, end_col)
            elif key == "security":
                secured = self.security(value)
            elif key == "requestBody":
                has_body = True
            elif key == "parameters" and not source.is_empty(value):
                has_parameters = True
                if self.swagger2 and not has_body:
                    has_body = self.body_parameter(value)
            elif key == "callbacks":
                callbacks = value
        out.append(
            Operation(
                method=method,
                path=path,
                pointer=pointer,
                where=where,
                span=source.key_span(handle),
                responses=responses,
                responses_span=responses_span,
                responses_flow=flow,
                responses_key_indent=key_indent,
                secured=secured,
                has_request_body=has_body,
                has_parameters=has_parameters,
            )
        )
        if callbacks is not None:
            self.callbacks(callbacks, pointer, out)

    def responses(self, node: Any) -> list[ResponseEntry]:
        walked = self.source.responses(node)
        if walked is not None:
            response = self.response
            return [response(key.value, key.span, value, key.code, key.range_class) for key, value in walked]
        entries = []
        for key, handle, value in self.source.items(node):
            if not is_response_key(key):
                continue
            # Positions are asked for in the text's order: cheaper.
            entries.append(self.response(key, self.source.key_span(handle), value, *classify_response_key(key)))
        return entries

    def fields(self, node: Any, *, spans: bool, media_types: bool = True) -> dict[str, Any]:
        """What a response object declares: description, headers, body (with spans when its own);
        the body's media types when ``media_types``."""
        source = self.source
        fields: dict[str, Any] = {}
        body_key = "schema" if self.swagger2 else "content"
        for name, name_handle, value in source.items(node, _RESPONSE_KEYS):
            if name == "description":
                fields["description"] = source.scalar(value)
                if spans:
                    fields["description_span"] = source.value_span(value)
            elif name == "headers":
                fields["headers"] = tuple(header for header, _, _ in source.items(value))
                if spans:
                    fields["headers_span"] = source.key_span(name_handle)
            elif name == body_key:
                fields["has_body"] = not source.is_empty(value)
                if spans:
                    fields["body_span"] = source.key_span(name_handle)
                if media_types and not self.swagger2:
                    fields["content_types"] = tuple(media for media, _, _ in source.items(value))
            elif name == "$ref":
                fields["ref"] = source.scalar(value)
        return fields

    def referenced(self, ref: str) -> dict[str, Any] | None:
        """The fields of the response a ``$ref`` points to, read once per build."""
        if ref not in self._responses:
            target = self.resolve(ref)
            found = None
            if target is not None:
                found = self.fields(target, spans=False)
                found.pop("ref", None)  # a reference to a reference: not followed further
            self._responses[ref] = found
        return self._responses[ref]

    def response(self, key: str, span: Span, node: Any, code: int | None, range_class: int | None) -> ResponseEntry:
        """The entry of one response; ``code`` and ``range_class`` as the detector classifies ``key``."""
        ref = self.source.only_ref(node)
        if ref is not None:
            # Most responses of a large description are a lone `$ref` to a shared response (990 of
            # GitHub's 1,858): told apart without reading their keys, their fields made once per target.
            fields = self._ref_only.get(ref)
            if fields is None:
                fields = self._ref_only[ref] = self.with_target({"ref": ref})
            return new_response_entry(key, code, range_class, span, fields)
        # Reading the media types of every success response cost a tenth of the build; only the fix
        # that adds an error response asks for them, and only of error responses.
        fields = self.with_target(self.fields(node, spans=True, media_types=key.startswith(("4", "5", "default"))))
        return new_response_entry(key, code, range_class, span, fields)

    def with_target(self, fields: dict[str, Any]) -> dict[str, Any]:
        """A response's own fields, with those of the response its ``$ref`` points to where it has none."""
        ref = fields.get("ref")
        if ref is not None:
            target = self.referenced(ref)
            if target is not None:
                fields["ref_resolved"] = True
                for name, value in target.items():
                    fields.setdefault(name, value)
        return fields


def read_document(
    text: str, language: str, tree: Any = None, encoded: bytes | None = None, skeleton: Any = None
) -> tuple[OpenApiDocument | None, Reads | None]:
    """The model of ``text`` (None when it is not an API description, see `operations_of`) and
    what its build read (`openapi_reads`). What the detector read of this very text spares work
    when at hand: for JSON its ``tree``, the ``encoded`` bytes it parsed and the responses objects
    its walk read, for YAML the pre-scan's lines (``skeleton``, see `Detection`)."""
    source: Any
    if language == "json":
        from http_status_ls.detect.openapi_json_source import JsonSource

        source = JsonSource(text, tree, encoded, skeleton)
    elif language == "yaml":
        from http_status_ls.detect.openapi_yaml_source import YamlSource

        source = YamlSource(text, skeleton)
    else:
        return None, None
    return _Builder(source, language).build(), source.finish()
