"""A file's checked values as plain data for the file cache, and back.

What comes back was read from disk, where anyone could have planted it, so it is untrusted:
each value must be of its field's kind and within the field's limits, as check_fields would
have left it, or the entry is refused (TypeError or ValueError) and the file is read again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from .fields import MAX_NAME, NOT_XML, Field, slug_problem


def plain_values(values: dict, schema: dict[str, Field]) -> dict:
    """``values`` (as check_fields returns them) with dates as text, for marshal."""
    return {name: _to_plain(values[name], spec) for name, spec in schema.items()}


def values_from_plain(plain: dict, schema: dict[str, Field]) -> dict:
    """The inverse of :func:`plain_values`, for values read back from the cache."""
    if type(plain) is not dict or plain.keys() != schema.keys():
        raise TypeError("a cache entry with other fields")
    return {name: read_back(plain[name]) for name, read_back in _readers(schema)}


def _to_plain(value, spec: Field):
    if value is None:
        return None
    if spec.kind == "date":
        return value.isoformat()
    if spec.kind == "record":
        return plain_values(value, spec.fields)
    if spec.kind == "records":
        return [(index, plain_values(entry, spec.fields)) for index, entry in value]
    return value


def _readers(schema: dict[str, Field]) -> list[tuple[str, Callable]]:
    """Each field's reader of a value read back: made once per schema, as a cache holds
    thousands of entries."""
    if id(schema) not in _READERS:  # the schema is kept beside, so its id stays its own
        _READERS[id(schema)] = schema, [(name, _reader(spec)) for name, spec in schema.items()]
    return _READERS[id(schema)][1]


_READERS: dict[int, tuple[dict, list]] = {}


def _reader(spec: Field) -> Callable:
    """What gives a field's value from what the cache kept, or raises TypeError or ValueError."""
    kind, longest, choices = spec.kind, spec.max_length, spec.choices

    def text(value):
        # isprintable() is quick and rules out every character NOT_XML finds (a test holds it to
        # that); most text is printable. Text with a line break or a tab is searched as before.
        if value is None or (type(value) is str and len(value) <= longest and value == value.strip()
                             and (value.isprintable() or not NOT_XML.search(value))
                             and (not choices or value in choices)):
            return value
        raise TypeError("a text field of another shape")

    def slug(value):
        if value is None or (type(value) is str and slug_problem(value) is None):
            return value
        raise TypeError("a slug field of another shape")

    def date(value):
        if value is None:
            return None
        if type(value) is str:
            date = dt.date.fromisoformat(value)  # ValueError if it is not a date
            if date.isoformat() == value:  # and spelt as the field check spells dates
                return date
        raise TypeError("a date field of another shape")

    def of_type(wanted: type) -> Callable:
        def scalar(value):
            if value is None or type(value) is wanted:
                return value
            raise TypeError(f"a {kind} field of another shape")
        return scalar

    def names(value):
        if type(value) is list and len(value) <= spec.max_items and all(_is_plain_name(item) for item in value):
            return value
        raise TypeError("a list field of another shape")

    def record(value):
        return value if value is None else values_from_plain(value, spec.fields)

    def records(value):
        if type(value) is list and len(value) <= spec.max_items:
            return [(_index(entry), values_from_plain(entry[1], spec.fields)) for entry in value]
        raise TypeError("a list of records of another shape")

    return {"text": text, "slug": slug, "date": date, "bool": of_type(bool), "int": of_type(int),
            "list": names, "record": record, "records": records}[kind]


def _is_plain_name(item) -> bool:
    """What fields.py gives for each name of a list: trimmed text (even empty: the name is then
    refused as unknown, with the file's line), within the limit."""
    return type(item) is str and len(item) <= MAX_NAME and item == item.strip()


def _index(entry) -> int:
    """An entry's place in its list, as check_fields gives it with the entry's values."""
    if type(entry) is tuple and len(entry) == 2 and type(entry[0]) is int and entry[0] >= 0:
        return entry[0]
    raise TypeError("a cache entry with a list entry of another shape")
