"""Checking the fields of a content file against what each kind of file expects.

Each kind of file declares its fields once, as a dict of :class:`Field`. The
same declaration gives the editor's messages: what a field must hold and an
example of what to write.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .parse import Document
from ..errors import Problems, did_you_mean

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z: "$" would let a final newline through
# Names Windows keeps for devices, with or without an extension: a site holding a folder
# `con/` cannot be checked out, copied or previewed there.
WINDOWS_RESERVED = frozenset(["con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                              *(f"lpt{i}" for i in range(10))])
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_SLUG_LENGTH = 200  # characters; a file or folder name may have at most 255 bytes


def slug_problem(slug: str) -> tuple[str, str] | None:
    """Why ``slug`` cannot name a folder of the site, and a name that can; None if it can."""
    if not SLUG_PATTERN.match(slug):
        return "only lower-case letters, digits and hyphens can be used", "mostly-accurate"
    if slug in WINDOWS_RESERVED:
        return (f'Windows keeps the name "{slug}" for a device, so the site could not be copied to '
                "or previewed on Windows", f"{slug}-1")
    if len(slug) > MAX_SLUG_LENGTH:
        return (f"it has {len(slug)} characters, and a name of the site's files and folders may have "
                f"at most {MAX_SLUG_LENGTH}", slug[:40].rstrip("-"))
    return None


# Limits on what one field may hold. Real fact-checks stay far below them; a value past them
# is a mistake (a paste gone wrong) or an attack: a title of a million characters is shown on
# every page that lists the claim and crashed the share card. Each text field may set its own.
MAX_TEXT = 1000  # characters of a text field that sets no limit of its own (names, addresses)
MAX_NAME = MAX_SLUG_LENGTH  # characters of each name in a list (topics, related claims)
MAX_ITEMS = 100  # names in a list, entries in a list of records, unless the field says otherwise


@dataclass(frozen=True)
class Field:
    """One field: its kind (text, date, bool, int, list, records), and an example value."""

    kind: str
    example: str
    required: bool = False
    fields: dict | None = None  # for kind "records": the fields of each entry
    choices: tuple[str, ...] = ()
    max_length: int = MAX_TEXT  # for kind "text": characters
    max_items: int = MAX_ITEMS  # for kinds "list" and "records"


def check_fields(doc: Document, schema: dict[str, Field], problems: Problems,
                 data=None, keys: tuple = ()) -> dict:
    """The document's values, checked and converted; every mistake goes to ``problems``.

    Missing optional fields and empty values come back as None (or [] for lists).
    """
    data = doc.data if data is None else data
    values: dict = {}
    for name in sorted(set(data) - set(schema), key=str):
        problems.error(
            doc.path, doc.line(*keys, str(name)), f'unknown field "{name}"',
            did_you_mean(name, schema),
        )
    for name, spec in schema.items():
        raw = data.get(name)
        where = keys + (name,)
        if raw is None or raw == "" or raw == []:
            if spec.required:
                problems.error(
                    doc.path, doc.line(*where), f'missing required field "{name}"',
                    f"add a line: {name}: {spec.example}",
                )
            values[name] = [] if spec.kind in ("list", "records") else None
            continue
        values[name] = _convert(doc, name, spec, raw, where, problems)
    return values


def _convert(doc, name, spec, raw, where, problems):
    """The value of one field that is there, checked against its kind; None (or []) after a mistake."""
    value = _Value(doc, name, spec, raw, where, problems)
    kind = spec.kind
    if kind == "text":
        return _text(value)
    if kind == "slug":
        return _slug(value)
    if kind == "date":
        return _parse_date(str(raw).strip(), value.wrong)
    if kind == "bool":
        return raw if isinstance(raw, bool) else value.wrong("must be true or false")
    if kind == "int":
        return raw if isinstance(raw, int) and not isinstance(raw, bool) else value.wrong("must be a whole number")
    if kind == "list":
        return _names(value)
    if kind == "record":
        return _record(value)
    if kind == "records":
        return _records(value)
    raise ValueError(f"unknown field kind {kind!r}")


class _Value:
    """One field's value as written, where it is, and where its mistakes go."""

    __slots__ = ("doc", "name", "spec", "raw", "where", "problems")

    def __init__(self, doc: Document, name: str, spec: Field, raw, where: tuple, problems: Problems):
        self.doc, self.name, self.spec, self.raw, self.where, self.problems = doc, name, spec, raw, where, problems

    def error(self, message: str, hint: str) -> None:
        """A mistake on the field's line (found only when there is one: a file's lines are read lazily)."""
        self.problems.error(self.doc.path, self.doc.line(*self.where), message, hint)

    def wrong(self, what: str):
        """The value is not of the field's kind: say so, and give what the field holds when empty."""
        name, spec = self.name, self.spec
        if isinstance(self.raw, bool) and spec.kind != "bool":
            # YAML reads bare true/false/yes/no/on/off as true or false.
            word = _yaml_word(self.doc, self.where)
            hint = f'YAML reads this word as true or false; put it in quotes, e.g. {name}: "{word}"'
        else:
            hint = f"write it like this: {name}: {spec.example}"
        self.error(f'"{name}" {what}', hint)
        return [] if spec.kind in ("list", "records") else None

    def too_many(self, count: int) -> bool:
        """Whether the list is longer than the field allows, which is then one error, not one per entry."""
        if count <= self.spec.max_items:
            return False
        self.error(f'"{self.name}" has {count:,} entries; it may have at most {self.spec.max_items}',
                   "keep the ones that matter to readers")
        return True


def _text(value: _Value) -> str | None:
    raw, name, spec = value.raw, value.name, value.spec
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        return value.wrong("must be text")
    text = str(raw).strip()
    if len(text) > spec.max_length:  # first: the checks below, and the message, read the whole text
        value.error(f'"{name}" is {len(text):,} characters long; it may have at most {spec.max_length:,}',
                    f"shorten it to what readers need: {name}: {spec.example}")
        return None
    control = NOT_XML.search(text)
    if control:  # from an escape such as "\x07" in quotes: the feed and the badges are XML, which forbids it
        value.error(f'"{name}" holds an invisible control character (U+{ord(control.group()):04X})',
                    "delete it; in quotes it is written as an escape such as \\x07 or \\0")
        return None
    if spec.choices and text not in spec.choices:
        value.error(f'"{name}" cannot be "{text}"', did_you_mean(text, spec.choices))
        return None
    return text


def _slug(value: _Value) -> str | None:
    raw, name = value.raw, value.name
    if not isinstance(raw, str) or not SLUG_PATTERN.match(raw.strip()):
        return value.wrong("must be lower-case letters, digits and hyphens")
    problem = slug_problem(raw.strip())
    if problem is not None:  # a name that becomes a folder of the site, e.g. verdicts/<slug>/
        reason, better = problem
        value.error(f'"{name}" cannot be "{raw.strip()}": {reason}', f"write another, e.g. {name}: {better}")
        return None
    return raw.strip()


def _names(value: _Value) -> list[str]:
    """A list of names (one name alone is a list of one)."""
    raw, name = value.raw, value.name
    items = [raw] if _is_name(raw) else raw
    if not isinstance(items, list) or not all(_is_name(item) for item in items):
        return value.wrong("must be a list of names")
    if value.too_many(len(items)):
        return []
    if any(len(str(i)) > MAX_NAME for i in items):
        value.error(f'a name in "{name}" is longer than {MAX_NAME} characters',
                    f"names are file names or slugs, such as {name}: {value.spec.example}")
        return []
    return [str(i).strip() for i in items]


def _is_name(item) -> bool:
    """Text or a number (YAML reads a bare 2024 as one), but not YAML's true or false."""
    return isinstance(item, (str, int)) and not isinstance(item, bool)


def _record(value: _Value) -> dict | None:
    if not isinstance(value.raw, dict):
        return value.wrong("must be a group of fields, each on its own indented line")
    return check_fields(value.doc, value.spec.fields, value.problems, value.raw, value.where)


def _records(value: _Value) -> list[tuple[int, dict]]:
    """Each entry's values, with its place in the list (for its line in messages)."""
    raw, doc, where = value.raw, value.doc, value.where
    if not isinstance(raw, list):
        return value.wrong("must be a list, each entry starting with `- `")
    if value.too_many(len(raw)):
        return []
    records = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            value.problems.error(doc.path, doc.line(*where, index),
                                 f'entry {index + 1} of "{value.name}" is not a group of fields',
                                 f"write each entry like this: {value.spec.example}")
            continue
        records.append((index, check_fields(doc, value.spec.fields, value.problems, item, where + (index,))))
    return records


def is_web_address(url: str) -> bool:
    return re.match(r"^https?://[^\s/]+", url) is not None


def _yaml_word(doc: Document, where: tuple) -> str:
    """The word as the editor typed it on the line, for the hint."""
    try:
        text = doc.path.read_text("utf-8").split("\n")[doc.line(*where) - 1]
        return text.split(":", 1)[1].strip() if ":" in text else text.strip(" -")
    except (OSError, IndexError, UnicodeDecodeError):
        return "..."


def _parse_date(text: str, wrong):
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return wrong(f'must be a date written YYYY-MM-DD, not "{text}"')
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return wrong(f'is not a real date: "{text}"')
