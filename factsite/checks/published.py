"""What readers saw: the state the verdict guard (guard.py) compares the content with.

For every published fact-check: its title, its verdict as readers saw it (the
label and the rating from the scale in site.yml, not the slug a claim file
names, whose meaning site.yml may change), the latest date its page showed, its
corrections and its old addresses; and every withdrawn fact-check.

Each build writes it to `verdicts.json` in the site, and the next build reads it
back from there; `check --since REV` makes the same state from git history
(history.py). The file is read back from the output folder, which anything may
have written to: it is checked through and through, and one that is not as a
build writes it counts as no file at all, never as a reason to crash.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..read.fields import SLUG_PATTERN
from ..model.site import Claim, Site, Withdrawal
from ..readback import read_own_file

STATE_FILE = "verdicts.json"
MAX_STATE_BYTES = 64 * 1024 * 1024  # some 400,000 fact-checks; a larger file is not one a build wrote
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")

Entry = tuple[str, str]  # a correction: (date as YYYY-MM-DD, note with its spacing evened out)


def correction_key(date, note) -> Entry | None:
    """A correction entry as compared across builds and revisions; None if it lacks a date or a note."""
    if date is None or note is None or isinstance(date, bool) or isinstance(note, bool):
        return None
    if not isinstance(date, str):
        date = date.isoformat() if hasattr(date, "isoformat") else str(date)
    date, note = date.strip(), " ".join(str(note).split())
    return (date, note) if date and note else None


def meaning(label: str, rating: int | None) -> tuple[str, int | None]:
    """What a verdict tells the reader: its label (spacing and case aside) and its place on the scale."""
    return " ".join(label.split()).casefold(), rating


@dataclass(frozen=True)
class Seen:
    """What a reader saw at a fact-check's address: the fact-check, or the notice that it was withdrawn."""

    slug: str
    title: str
    label: str
    rating: int | None
    modified: str  # YYYY-MM-DD: the latest date the page showed (published, updated, corrected, withdrawn)
    corrections: frozenset[Entry] = frozenset()
    aliases: tuple[str, ...] = ()
    withdrawn: bool = False

    @property
    def meaning(self) -> tuple[str, int | None]:
        return meaning(self.label, self.rating)


@dataclass
class PublishedState:
    claims: dict[str, Seen]  # by slug
    withdrawn: dict[str, Seen] = field(default_factory=dict)  # by the slug it was published under

    def __post_init__(self):
        self.aliases: dict[str, Seen] = {}  # old address -> what it led to: a claim, or else a withdrawn one
        for group in (self.claims, self.withdrawn):
            for _, seen in sorted(group.items()):
                for alias in seen.aliases:
                    if alias not in self.claims:
                        self.aliases.setdefault(alias, seen)

    def at(self, address: str) -> Seen | None:
        """What a reader opening /claims/<address>/ saw."""
        return self.claims.get(address) or self.aliases.get(address) or self.withdrawn.get(address)

    def addresses(self) -> list[str]:
        return sorted(self.claims.keys() | self.aliases.keys() | self.withdrawn.keys())

    # Read back from the last build's output --------------------------------

    @classmethod
    def read(cls, path: Path) -> PublishedState | None:
        """The state in ``path`` (a last build's verdicts.json); None if there is none, or it is not as a build writes it."""
        raw = read_own_file(path, MAX_STATE_BYTES)  # a plain file, never through a link
        if raw is None:
            return None
        try:
            return cls.from_data(json.loads(raw.decode("utf-8")))
        except (ValueError, RecursionError, UnicodeDecodeError):  # RecursionError: nesting thousands deep
            return None

    @classmethod
    def from_data(cls, data) -> PublishedState | None:
        """The state from :func:`state_data`'s shape, checked field by field; None if anything is off."""
        try:
            claims = [_seen(item, withdrawn=False) for item in _list(data, "claims")]
            withdrawn = [_seen(item, withdrawn=True) for item in _list(data, "withdrawn")]
        except (TypeError, ValueError, KeyError):
            return None
        return cls({seen.slug: seen for seen in claims}, {seen.slug: seen for seen in withdrawn})


def _list(data, name: str) -> list:
    if not isinstance(data, dict) or not isinstance(data.get(name), list):
        raise ValueError(name)
    return data[name]


def _text(value, pattern: re.Pattern | None = None) -> str:
    if not isinstance(value, str) or (pattern is not None and not pattern.match(value)):
        raise ValueError(value)
    return value


def _entry(entry) -> Entry | None:
    if not isinstance(entry, dict):
        raise ValueError(entry)
    return correction_key(_text(entry["date"], _DATE), _text(entry["note"]))


def _seen(item, withdrawn: bool) -> Seen:
    if not isinstance(item, dict):
        raise ValueError(item)
    rating = item["rating"]
    if rating is not None and (isinstance(rating, bool) or not isinstance(rating, int)):
        raise ValueError(rating)
    slug, title, label = _text(item["slug"], SLUG_PATTERN), _text(item["title"]), _text(item["verdict"])
    aliases = tuple(_text(alias, SLUG_PATTERN) for alias in _list(item, "aliases"))
    if withdrawn:
        _text(item["note"])
        return Seen(slug, title, label, rating, _text(item["date"], _DATE), aliases=aliases, withdrawn=True)
    corrections = frozenset(_entry(entry) for entry in _list(item, "corrections"))
    return Seen(slug, title, label, rating, _text(item["modified"], _DATE), corrections - {None}, aliases)


# Written by each build -----------------------------------------------------

def state_data(site: Site) -> dict:
    """The published state of ``site``, as verdicts.json holds it: drafts are not published,
    even in a build that shows them."""
    return {
        "claims": [claim_data(claim) for claim in sorted(site.claims, key=lambda c: c.slug) if not claim.draft],
        "withdrawn": withdrawn_data(site),
    }


def withdrawn_data(site: Site) -> list[dict]:
    return [withdrawal_data(w) for w in sorted(site.withdrawn, key=lambda w: w.claim)]


def claim_data(claim: Claim) -> dict:
    return {"slug": claim.slug, "title": claim.title, "verdict": claim.verdict.label, "rating": claim.verdict.rating,
            "modified": claim.modified.isoformat(),
            "corrections": [{"date": c.date.isoformat(), "note": c.note} for c in claim.corrections],
            "aliases": list(claim.aliases)}


def withdrawal_data(withdrawal: Withdrawal) -> dict:
    return {"slug": withdrawal.claim, "title": withdrawal.title, "verdict": withdrawal.verdict.label,
            "rating": withdrawal.verdict.rating, "date": withdrawal.date.isoformat(), "note": withdrawal.note,
            "aliases": list(withdrawal.aliases)}
