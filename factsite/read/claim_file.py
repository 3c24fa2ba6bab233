"""One claim file, read and checked on its own, before it meets the other files.

Everything checked here depends on the file alone, so the file cache keeps the result;
claims.py then links it to the sources, verdicts, topics and other claims.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ..errors import Problems
from .claimants import plain_name
from .fields import check_fields
from .plain_values import plain_values, values_from_plain
from .parse import check_markdown, read_markdown_file
from .schema import CLAIM_FIELDS, LONG_CLAIM, PLACEHOLDER, QUOTE_PAIRS
from .slugs import claimant_slug
from .yaml_lines import line_of


@dataclass(eq=False)
class ClaimFile:
    """What one claim file says, checked on its own, before it meets the other files.

    Everything here depends on the file alone, so the file cache keeps it between
    builds (keyed by the file's size and time), the analysis with the rest.
    """

    FIELDS: ClassVar[dict] = CLAIM_FIELDS  # a translation's file has fields of its own (translations.py)

    path: Path
    values: dict  # the checked fields, as check_fields returns them
    lines: dict | None  # field (and entry) -> line, for messages; None when it came from the cache
    body_line: int
    digest: str  # of the front matter
    body_digest: str
    body: str  # the analysis, in Markdown

    @functools.cached_property
    def claimant_named(self) -> tuple[str, str]:
        """The claimant's name as this file spells it, with what a reader cannot see ironed out, and
        the address of their page (claimants.py): asked of every claim on every update, worked
        out once per file (the file cache gives an unchanged file's very object again)."""
        name = plain_name(self.values["claimant"])
        return name, self.values["claimant_id"] or claimant_slug(name)

    def line(self, *keys) -> int:
        return line_of(self.key_lines(), keys)

    def key_lines(self) -> dict[tuple, int]:
        """Where each field (and entry) is in the file."""
        if self.lines is None:
            # Messages are rare, and the cache is smaller and faster without every file's lines.
            doc = read_markdown_file(self.path, Problems())
            self.lines = doc.lines if doc is not None and doc.digest == self.digest else {}
        return self.lines

    @classmethod
    def read(cls, path: Path, problems: Problems) -> "ClaimFile | None":
        doc = read_markdown_file(path, problems)
        if doc is None:
            return None
        values = check_fields(doc, cls.FIELDS, problems)
        check_markdown(doc, "analysis", problems)
        file = cls(path, values, doc.lines, doc.body_line, doc.digest, doc.body_digest, doc.body)
        file.check_alone(problems)
        return file

    def check_alone(self, problems: Problems) -> None:
        """The checks that need nothing but this file."""
        values, path = self.values, self.path
        if values["claim"] and len(values["claim"]) > LONG_CLAIM:
            problems.warning(path, self.line("claim"),
                             f"the claim is {len(values['claim'])} characters long; search engines show only {LONG_CLAIM}",
                             "shorten it to the words that were actually claimed")
        if values["claim"] and (inner := quoted_whole(values["claim"])) is not None:
            problems.warning(path, self.line("claim"), "the claim is in quotation marks, which the pages add",
                             f"leave them out: claim: {inner}")
        if values["draft"]:
            return
        if not values["claim_wording"] and ("claim_wording",) not in self.key_lines():  # (a wrong one is an error)
            problems.warning(path, self.line("claim"), "the claim does not say whether it is the claimant's own words",
                             "add claim_wording: verbatim if it is their exact words (then checked against the "
                             "source it appeared in), or claim_wording: paraphrase if it is put in your words")
        if not values["sources"]:
            problems.error(path, self.line("sources"), "a published claim needs at least one source",
                           "add sources: with the source, the exact quote and its stance, or set draft: true")
        for name in ("title", "claim", "claimant", "summary"):
            if values[name] and PLACEHOLDER in values[name]:
                problems.error(path, self.line(name), f'"{name}" still has the placeholder {PLACEHOLDER}',
                               "replace it with the real text, or keep draft: true until it is ready")
        if PLACEHOLDER in self.body:
            problems.error(path, self.body_line + self.body[:self.body.index(PLACEHOLDER)].count("\n"),
                           f"the analysis still has the placeholder {PLACEHOLDER}",
                           "replace it with the real text, or keep draft: true until it is ready")

    def to_plain(self) -> tuple:
        return plain_values(self.values, self.FIELDS), self.body_line, self.digest, self.body_digest, self.body

    @classmethod
    def from_plain(cls, path: Path, plain: tuple) -> "ClaimFile":
        values, body_line, digest, body_digest, body = plain  # read back: untrusted (filecache.py)
        if not (type(body_line) is int and type(digest) is str and type(body_digest) is str and type(body) is str):
            raise TypeError("a cache entry of another shape")
        return cls(path, values_from_plain(values, cls.FIELDS), None, body_line, digest, body_digest, body)


def quoted_whole(text: str) -> str | None:
    """The text inside the quotation marks that open and close ``text``, if they enclose all of it."""
    opening, closing, inner = text[:1], text[-1:], text[1:-1]
    if len(text) > 2 and QUOTE_PAIRS.get(opening) == closing and opening not in inner and closing not in inner:
        return inner
    return None
