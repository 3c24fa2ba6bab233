"""The site model: plain dataclasses that the templates receive.

Loading fills in what each file says; assembling (``assemble.py``) links the
objects to each other: related claims, and the claims of each verdict, topic,
claimant and source.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass, field
from pathlib import Path

from .languages import Language, SiteTranslation, Translations
from .organization import Funding, Organization

_modified = operator.attrgetter("modified")  # (mapped at C speed over every claim)


@dataclass(eq=False)
class Verdict:
    slug: str
    label: str
    definition: str
    colour: str
    rating: int | None  # None for verdicts outside the scale, such as "Unproven"
    icon: str = "question"  # the badge's shape, so the verdict does not rely on colour alone
    claims: list[Claim] = field(default_factory=list, repr=False)

    @property
    def url(self) -> str:
        return f"verdicts/{self.slug}/"


@dataclass(eq=False)
class Topic:
    slug: str
    name: str
    description: str
    claims: list[Claim] = field(default_factory=list, repr=False)
    address: str = ""  # its page's name, where it is not the slug: in another language, made from its name

    @property
    def url(self) -> str:
        return f"topics/{self.address or self.slug}/"


@dataclass(eq=False)
class SiteConfig:
    title: str
    tagline: str
    language: str
    base_url: str  # absolute, ends with "/"
    organization: Organization
    contact_email: str
    verdicts: list[Verdict]
    topics: list[Topic]
    path: Path
    custom_domain: str | None = None  # written to CNAME for GitHub Pages
    repository: str | None = None  # on GitHub, owner/name: where readers report errors
    ownership: str | None = None  # who owns and runs the publication
    nonpartisanship: str | None = None
    funding: Funding | None = None
    data_license: str | None = None  # the licence of the ClaimReview data, by its address
    # The site's languages, the default first (one, for a site in one language), what site.yml
    # gives for each of the others, and where this config's edition is: "" or "uk/" (editions.py).
    languages: list[Language] = field(default_factory=list)
    translations: dict[str, SiteTranslation] = field(default_factory=dict, repr=False)
    prefix: str = ""

    @property
    def base_path(self) -> str:
        """The path part of the base URL: "/" at a domain root, "/repo/" under GitHub Pages."""
        from urllib.parse import urlsplit

        return urlsplit(self.base_url).path or "/"

    @property
    def best_rating(self) -> int | None:
        ratings = [v.rating for v in self.verdicts if v.rating is not None]
        return max(ratings) if ratings else None

    @property
    def worst_rating(self) -> int | None:
        ratings = [v.rating for v in self.verdicts if v.rating is not None]
        return min(ratings) if ratings else None


@dataclass(eq=False)
class Source:
    id: str
    title: str
    kind: str
    publisher: str | None = None
    author: str | None = None
    published: dt.date | None = None
    url: str | None = None
    archive_url: str | None = None
    accessed: dt.date | None = None  # when the desk read it, for a web page with no archived copy
    image_credit: str | None = None
    notes: str | None = None
    notes_lang: str | None = None  # the language of the notes, where it is not the edition's (not yet translated)
    archived_text: str | None = None  # verbatim copy kept beside the source file
    path: Path | None = None
    digest: str = ""  # of the source's file and its copy
    claims: list[Claim] = field(default_factory=list, repr=False)

    @property
    def url_path(self) -> str:
        return f"sources/{self.id}/"

    @property
    def archived_copy_path(self) -> str | None:
        return f"sources/{self.id}/archived-copy.txt" if self.archived_text is not None else None


@dataclass
class Citation:
    source: Source
    quote: str  # the source's exact words, or ""
    stance: str  # "supports", "contradicts" or "context"
    note: str = ""  # what the source shows, in the desk's words
    quote_translation: str = ""  # the quote in the edition's language, beside the source's own words


@dataclass(eq=False)
class Person:
    """Someone of the desk, from content/people/<id>.yml: who wrote or edited fact-checks."""

    id: str
    name: str
    role: str
    bio: str
    url: str | None = None
    path: Path | None = None
    digest: str = ""  # of the person's file
    claims: list[Claim] = field(default_factory=list, repr=False)  # written or edited, newest first

    @property
    def url_path(self) -> str:
        return f"people/{self.id}/"


@dataclass
class Contact:
    """Whom the desk asked about the claim before publishing, and what they said."""

    who: str
    date: dt.date
    response: str | None  # None: no answer by publication


@dataclass(eq=False)
class Correction:
    date: dt.date
    note: str
    claim: Claim | None = field(default=None, repr=False)


@dataclass(eq=False)
class Claimant:
    slug: str
    name: str
    type: str  # "person" or "organization"
    claims: list[Claim] = field(default_factory=list, repr=False)

    @property
    def url(self) -> str:
        return f"claimants/{self.slug}/"


@dataclass(eq=False)
class Claim:
    slug: str
    title: str
    claim: str
    claimant: Claimant
    verdict: Verdict
    summary: str
    published: dt.date
    path: Path
    claim_date: dt.date | None = None
    appeared_in: Source | None = None
    topics: list[Topic] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    updated: dt.date | None = None
    corrections: list[Correction] = field(default_factory=list)
    related_slugs: list[str] = field(default_factory=list)
    related: list[Claim] = field(default_factory=list, repr=False)
    aliases: list[str] = field(default_factory=list)  # addresses it had before, which redirect to it
    wording: str | None = None  # "verbatim", "paraphrase", or None: not said (shown as a quote)
    authors: list[Person] = field(default_factory=list)
    editors: list[Person] = field(default_factory=list)
    contacted: list[Contact] = field(default_factory=list)
    draft: bool = False
    body_line: int = 1
    lines: dict = field(default_factory=dict, repr=False)  # front-matter field -> line, for messages
    digest: str = ""  # of the front matter
    body_digest: str = ""  # of the analysis
    body: str = field(default="", repr=False)  # the analysis, in Markdown
    # In an edition of another language (editions.py): the language its texts are in, where they
    # are not yet translated, or whether they are a translation.
    lang: str | None = None
    translated: bool = False

    @property
    def url(self) -> str:
        return claim_url(self.slug)

    @property
    def paraphrased(self) -> bool:
        return self.wording == "paraphrase"

    @property
    def cited_sources(self) -> list[tuple[Source, list[Citation]]]:
        """Each source cited, once, in the order first cited, with its citations in their order:
        a source quoted twice is listed once, both quotes under it."""
        grouped: dict[str, tuple[Source, list[Citation]]] = {}
        for citation in self.citations:
            grouped.setdefault(citation.source.id, (citation.source, []))[1].append(citation)
        return list(grouped.values())

    @functools.cached_property
    def holders(self) -> tuple:
        """What lists it (model/assemble.py): its verdict, its topics, each source it cites and
        each person of its byline, each once. Worked out once per claim, as its modified date is:
        none of these fields is set again once a claim is made, and the reader makes a claim
        again when any of the objects they hold is another (read/reuse.py)."""
        return (self.verdict, *self.topics, *dict.fromkeys(citation.source for citation in self.citations),
                *dict.fromkeys(self.authors + self.editors))

    @functools.cached_property
    def modified(self) -> dt.date:
        """The latest date anything about this fact-check changed."""
        # Asked of every claim by the feeds and the sitemap on every update: worked out once per
        # claim (a claim is made again when its file changes, and a copy by replace() starts afresh).
        latest = self.updated if self.updated is not None and self.updated > self.published else self.published
        for correction in self.corrections:
            if correction.date > latest:
                latest = correction.date
        return latest


def claim_url(slug: str) -> str:
    return f"claims/{slug}/"


@dataclass
class Withdrawal:
    """A fact-check taken off the site, as content/withdrawn.yml records it: its address
    then says so, and the corrections page lists it."""

    claim: str  # the slug it was published under
    title: str
    date: dt.date
    verdict: Verdict  # the verdict it had
    note: str
    path: Path
    lines: dict = field(default_factory=dict, repr=False)  # field (or ("aliases", n)) -> line, for messages
    aliases: list[str] = field(default_factory=list)  # the fact-check's own old addresses, which lead here

    @property
    def url(self) -> str:
        return claim_url(self.claim)


@dataclass
class Page:
    slug: str
    title: str
    description: str | None
    order: int
    includes: list[str]
    body: str
    path: Path
    body_line: int = 1
    digest: str = ""
    lang: str | None = None  # the language of its text, where it is not the edition's (not yet translated)

    @property
    def url(self) -> str:
        return f"{self.slug}/"


@dataclass
class Content:
    """Every record as read and checked, before assembly links them into a Site."""

    sources: list[Source]
    claims: list[Claim]
    pages: list[Page]
    withdrawn: list[Withdrawal] = field(default_factory=list)
    drafts: list[Claim] = field(default_factory=list)  # left out of this build
    people: list[Person] = field(default_factory=list)
    translations: dict[str, Translations] = field(default_factory=dict)  # by language, but the default


@dataclass
class Site:
    """Everything the templates need, linked together."""

    config: SiteConfig
    claims: list[Claim]  # newest first
    sources: list[Source]
    pages: list[Page]
    claimants: list[Claimant]
    corrections: list[Correction]  # newest first
    withdrawn: list[Withdrawal] = field(default_factory=list)  # newest first
    drafts: list[Claim] = field(default_factory=list)  # the drafts left out of this build
    people: list[Person] = field(default_factory=list)  # by id
    editions: list[Site] = field(default_factory=list, repr=False)  # the site in each other language (editions.py)

    @property
    def verdicts(self) -> list[Verdict]:
        return self.config.verdicts

    @property
    def topics(self) -> list[Topic]:
        return self.config.topics

    @functools.cached_property  # asked by several files; the claims do not change once assembled
    def modified(self) -> dt.date | None:
        return max(map(_modified, self.claims), default=None)

    def page(self, slug: str) -> Page | None:
        return next((p for p in self.pages if p.slug == slug), None)
