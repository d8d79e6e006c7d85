"""The knowledge base's record base class behaves like a frozen, keyword-only dataclass."""

from __future__ import annotations

import copy
import pickle
from typing import ClassVar

import pytest

from http_status_ls.kb import records
from http_status_ls.kb.libraries import BY_NAME
from http_status_ls.kb.registry import Header, Meaning, NameRef, StatusEntry


class Point(records.Record):
    x: int
    y: int = 0
    label: str = "origin"
    dimensions: ClassVar[int] = 2


class Labelled(Point):
    """A subclass adds its own fields after its base's."""

    colour: str = "red"


def test_fields_are_the_annotations_in_order_without_class_variables():
    assert list(Point._record_fields) == ["x", "y", "label"]
    assert list(Labelled._record_fields) == ["x", "y", "label", "colour"]
    assert Point._record_required == {"x"}


def test_the_constructor_takes_keywords_and_fills_in_defaults():
    point = Point(x=3)
    assert (point.x, point.y, point.label) == (3, 0, "origin")
    assert records.as_dict(Labelled(x=1, colour="blue")) == {"x": 1, "y": 0, "label": "origin", "colour": "blue"}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [({}, "missing keyword arguments: x"), ({"x": 1, "z": 2}, "unexpected keyword arguments: z")],
)
def test_the_constructor_names_a_missing_or_unknown_field(arguments, message):
    with pytest.raises(TypeError, match=message):
        Point(**arguments)


def test_positional_arguments_are_refused():
    with pytest.raises(TypeError):
        Point(1)  # type: ignore[call-arg]


def test_records_cannot_be_changed():
    point = Point(x=1)
    with pytest.raises(AttributeError, match="cannot assign to field 'x'"):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del point.y
    assert point.x == 1


def test_equality_and_hash_go_by_the_class_and_the_fields():
    assert Point(x=1, y=2) == Point(x=1, y=2)
    assert hash(Point(x=1, y=2)) == hash(Point(x=1, y=2))
    assert Point(x=1) != Point(x=2)
    assert Point(x=1) != Labelled(x=1)  # another class, even a subclass, is never equal
    assert Point(x=1) != (1, 0, "origin")
    assert len({Point(x=1), Point(x=1), Point(x=2)}) == 2


def test_repr_spells_the_fields_as_a_dataclass_does():
    assert repr(Point(x=1, label="a")) == "Point(x=1, y=0, label='a')"


def test_replace_makes_a_changed_copy():
    point = Point(x=1, y=2)
    moved = records.replace(point, y=5)
    assert (moved, point) == (Point(x=1, y=5), Point(x=1, y=2))
    with pytest.raises(TypeError, match="unexpected"):
        records.replace(point, z=1)


def test_copies_and_pickles_are_equal():
    ref = NameRef(library="http.HTTPStatus", name="NOT_FOUND", code=404, since=(3, 13))
    assert pickle.loads(pickle.dumps(ref)) == ref
    assert copy.deepcopy(ref) == ref
    library = BY_NAME["requests.codes"]
    assert pickle.loads(pickle.dumps(library)) == library


def test_post_init_derives_a_header_level():
    assert Header(name="Allow", required=True, note="").level == "required"
    assert Header(name="Retry-After", required=False, note="").level == "optional"
    assert Header(name="Retry-After", required=False, note="", level="recommended").level == "recommended"


def test_knowledge_base_records_keep_their_defaults_and_shape():
    meaning = Meaning(phrase="Blocked", vendor="nginx")
    assert records.as_dict(meaning) == {"phrase": "Blocked", "vendor": "nginx", "note": "", "meaning": ""}
    entry = StatusEntry(
        code=299, phrase="Fine", standing="unofficial", reference=None, url=None, summary="", guidance="", body="allowed"
    )
    assert entry.names == {} and entry.names_in("http.HTTPStatus") == ()
    assert entry.retry == "n/a" and entry.spec is None


def test_a_lazy_mapping_is_built_once_and_only_when_read():
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"a": 1, "b": 2}

    lazy = records.LazyMapping(build)
    assert calls == []
    assert lazy["a"] == 1 and lazy.get("c") is None and "b" in lazy and len(lazy) == 2
    assert list(lazy) == ["a", "b"] and list(lazy.items()) == [("a", 1), ("b", 2)]
    assert lazy == {"a": 1, "b": 2} and lazy != {"a": 1}
    assert lazy == records.LazyMapping(lambda: {"b": 2, "a": 1})
    assert repr(lazy) == "{'a': 1, 'b': 2}"
    assert calls == [1]
    with pytest.raises(TypeError):
        hash(lazy)


def test_listing_the_entries_derives_no_library_names():
    """``list`` prints codes, phrases and standings: each entry's names wait until they are read."""
    from http_status_ls.kb import registry

    fresh = registry.load_from(registry._data_file())
    entries = fresh.entries
    assert all(isinstance(entry.names, records.LazyMapping) and entry.names._built is None for entry in entries)
    not_found = fresh.entry(404)
    assert not_found is not None and [ref.name for ref in not_found.names_in("http.HTTPStatus")] == ["NOT_FOUND"]
    assert not_found.names._built is not None  # type: ignore[attr-defined]
