"""The languages a site is published in, and what each translation gives.

The first language is the default: its edition is at the site's root, made from the files as
they are. Each other language has an edition under its own prefix (uk/), made from the same
claims with what the translations give (model/editions.py): site.yml's texts for the verdicts,
topics and claimants, and the files beside the originals, `<slug>.<lang>.md`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Language:
    code: str  # as <html lang> and hreflang write it: "en", "uk"
    name: str  # in the language itself, for the switcher: "Українська"
    prefix: str  # where its edition is: "" for the default language, "uk/" for the others


@dataclass
class SiteTranslation:
    """What site.yml gives for one language besides the default: every text the default
    language writes in site.yml, so that no page of the edition shows the default's."""

    language: Language
    title: str
    tagline: str
    verdicts: dict[str, tuple[str, str]]  # by slug: label, definition
    topics: dict[str, tuple[str, str, str]]  # by slug: name, description, and its page's name, made from the name
    # A claimant's name as the claims write it: its translation, and their page's name, made from it.
    claimants: dict[str, tuple[str, str]] = field(default_factory=dict)
    nonpartisanship: str | None = None
    organization_name: str | None = None


@dataclass
class ClaimTranslation:
    """A claim's `<slug>.<lang>.md`: the texts that differ from the original's, each by the place
    of what it translates in the original's lists."""

    path: Path
    title: str
    claim: str
    summary: str
    body: str
    body_line: int
    digest: str  # of the file, front matter and analysis
    quote_translations: dict[int, str] = field(default_factory=dict)  # by the citation's place in sources:
    notes: dict[int, str] = field(default_factory=dict)
    corrections: dict[tuple, str] = field(default_factory=dict)  # by the original's date and note: the note
    responses: dict[tuple, str] = field(default_factory=dict)  # by whom was asked and when: the response


@dataclass
class PageTranslation:
    path: Path
    title: str
    description: str | None
    body: str
    body_line: int
    digest: str


@dataclass
class Translations:
    """Every translation file of one language, by what it translates."""

    claims: dict[str, ClaimTranslation] = field(default_factory=dict)  # by slug
    pages: dict[str, PageTranslation] = field(default_factory=dict)  # by slug
    sources: dict[str, tuple[str, str]] = field(default_factory=dict)  # by id: notes, digest of the file
