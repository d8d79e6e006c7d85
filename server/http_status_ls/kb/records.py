"""Immutable records for the knowledge base, without paying for ``dataclasses`` at start-up.

``http-status-ls explain 404`` is a fresh process every time it is typed. Importing ``dataclasses``
(which loads ``inspect``, ``ast``, ``dis`` and ``tokenize``) and generating each record class's
methods with ``exec`` took close to half of what that start spent beyond the interpreter's own.
A :class:`Record` subclass declares its fields the way a dataclass does (annotations, defaults as
class attributes) and behaves like a ``@dataclass(frozen=True, kw_only=True)``: a keyword-only
constructor, equality and hash over the fields in order, the same ``repr``, and no assignment
after construction. mypy reads it as such through ``dataclass_transform``.
"""

from __future__ import annotations

from collections.abc import Mapping

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which `explain` never needs
if TYPE_CHECKING:
    from collections.abc import Callable, ItemsView, Iterator, KeysView, ValuesView
    from typing import ClassVar, TypeVar

    from typing_extensions import dataclass_transform

    AnyRecord = TypeVar("AnyRecord", bound="Record")
    Key = TypeVar("Key")
    Value = TypeVar("Value")
else:

    def dataclass_transform(**_options):
        return lambda cls: cls


_REQUIRED = object()
"""The default of a field that has none: the constructor must be given it."""


class FrozenRecordError(AttributeError):
    """An assignment to a record after its construction (``dataclasses.FrozenInstanceError`` is
    an AttributeError too)."""


@dataclass_transform(kw_only_default=True, frozen_default=True, eq_default=True)
class Record:
    """The base of an immutable record: subclass it and annotate the fields."""

    _record_fields: ClassVar[dict[str, object]] = {}
    """Field name -> its default (or ``_REQUIRED``), in declaration order, base classes' first."""
    _record_required: ClassVar[frozenset[str]] = frozenset()
    """The fields without a default."""

    def __init_subclass__(cls, **options: object) -> None:
        super().__init_subclass__(**options)
        fields: dict[str, object] = {}
        for klass in reversed(cls.__mro__):
            if klass is Record or not issubclass(klass, Record):
                continue
            # Since Python 3.10 a class's __annotations__ are its own, never a base class's.
            for name, annotation in klass.__annotations__.items():
                # Annotations are strings here (`from __future__ import annotations`): a ClassVar is
                # recognised by its spelling, as dataclasses does.
                if not str(annotation).startswith(("ClassVar", "typing.ClassVar")):
                    fields[name] = vars(klass).get(name, _REQUIRED)
        cls._record_fields = fields
        cls._record_required = frozenset(name for name, default in fields.items() if default is _REQUIRED)

    if not TYPE_CHECKING:  # mypy reads the constructor dataclass_transform describes, and no __setattr__

        def __init__(self, **values):
            # Every field with its default, then the values given: two dict updates in C keep the
            # declaration order and cost far less than a loop over the fields.
            state = self.__dict__
            state.update(self._record_fields)
            state.update(values)
            if len(state) != len(self._record_fields) or not values.keys() >= self._record_required:
                self._reject(values)
            self.__post_init__()

        def _reject(self, values):
            name = type(self).__qualname__
            if unknown := sorted(set(values) - set(self._record_fields)):
                raise TypeError(f"{name}() got unexpected keyword arguments: {', '.join(unknown)}")
            missing = sorted(self._record_required - set(values))
            raise TypeError(f"{name}() missing keyword arguments: {', '.join(missing)}")

        def __setattr__(self, name, value):
            raise FrozenRecordError(f"cannot assign to field {name!r}")

        def __delattr__(self, name):
            raise FrozenRecordError(f"cannot delete field {name!r}")

    def __post_init__(self) -> None:
        """Derive a field from the others after construction (write it with ``object.__setattr__``)."""

    def _values(self) -> tuple[object, ...]:
        state = self.__dict__
        return tuple(state[name] for name in self._record_fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        state = self.__dict__
        shown = ", ".join(f"{name}={state[name]!r}" for name in self._record_fields)
        return f"{type(self).__qualname__}({shown})"


def replace(record: AnyRecord, **changes: object) -> AnyRecord:
    """A copy of ``record`` with some fields changed, as ``dataclasses.replace`` makes one."""
    state = record.__dict__
    return type(record)(**{**{name: state[name] for name in record._record_fields}, **changes})


def as_dict(record: Record) -> dict[str, object]:
    """The fields and their values, in declaration order (what ``vars`` of a dataclass gives)."""
    state = record.__dict__
    return {name: state[name] for name in record._record_fields}


class LazyMapping(Mapping["Key", "Value"]):
    """A read-only mapping made by ``build`` the first time it is read: a record's field that most
    readers never look at (``list`` prints no entry's library names) costs nothing until then.
    It equals any mapping with the same items, and is no more hashable than a dict."""

    __slots__ = ("_build", "_built")

    def __init__(self, build: Callable[[], dict[Key, Value]]):
        self._build = build
        self._built: dict[Key, Value] | None = None

    def _items(self) -> dict[Key, Value]:
        built = self._built
        if built is None:
            # Two threads may build at once: both results are equal, the last one is kept.
            built = self._built = self._build()
        return built

    def __getitem__(self, key: Key) -> Value:
        return self._items()[key]

    def __iter__(self) -> Iterator[Key]:
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())

    def __contains__(self, key: object) -> bool:
        return key in self._items()

    def get(self, key: Key, default: Value | None = None) -> Value | None:  # type: ignore[override]
        return self._items().get(key, default)

    def keys(self) -> KeysView[Key]:
        return self._items().keys()

    def values(self) -> ValuesView[Value]:
        return self._items().values()

    def items(self) -> ItemsView[Key, Value]:
        return self._items().items()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyMapping):
            other = other._items()
        return self._items() == other if isinstance(other, dict) else Mapping.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._items())
