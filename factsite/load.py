"""Stage 2 of the build: read and check every content file.

Sources are read first, then claims (which cite sources, verdicts and topics),
then pages. Every mistake is collected; nothing stops at the first one.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .addresses import check_aliases, check_record_aliases, load_withdrawn
from .documents import (MAX_FOLDER_DEPTH, Document, DocumentCache, digest_of, is_hidden, line_of, read_many,
                        read_markdown_file, read_text, read_yaml_file, report_link)
from .claimants import check_one_name_each, claimant_for
from .errors import Problems, did_you_mean
from .markdown_limits import refusals
from .fields import SLUG_PATTERN, Field, check_fields, slug_problem, is_web_address, plain_values, values_from_plain
from .model import Citation, Claim, Claimant, Correction, Page, SiteConfig, Source, Withdrawal
from .slugs import slugify

SOURCE_KINDS = ("news report", "official statement", "interview", "social media post",
                "data", "document", "other")
STANCES = ("supports", "contradicts", "context")
PAGE_INCLUDES = ("verdict-scale", "corrections-log")
PLACEHOLDER = "TODO"  # what `factsite new` leaves for the editor to fill in
LONG_CLAIM = 75  # characters; search engines cut a ClaimReview's claimReviewed beyond this
QUOTE_PAIRS = {'"': '"', "'": "'", "“": "”", "„": "“", "‘": "’", "«": "»"}  # opening mark: its closing one

SOURCE_FIELDS = {
    "title": Field("text", '"Fortress Europe: 35 Nations Seal Historic Security Pact"', required=True, max_length=500),
    "publisher": Field("text", "The Post News", max_length=200),
    "author": Field("text", "Jane Doe", max_length=200),
    "published": Field("date", "2025-09-04"),
    "url": Field("text", "https://example.com/article", max_length=2000),
    "archive_url": Field("text", "https://web.archive.org/web/2025/https://example.com/article", max_length=2000),
    "kind": Field("text", "news report", required=True, choices=SOURCE_KINDS),
    "image_credit": Field("text", "Image by Daily Sabah", max_length=200),
    "notes": Field("text", "The copy received gives no date.", max_length=5000),
}

CITATION_FIELDS = {
    "source": Field("text", "post-news-26-nations", required=True),
    "quote": Field("text", '"the exact words from the source"', max_length=5000),
    "stance": Field("text", "supports", required=True, choices=STANCES),
}

CORRECTION_FIELDS = {
    "date": Field("date", "2025-09-12", required=True),
    "note": Field("text", "An earlier version gave the wrong number of missiles.", required=True, max_length=2000),
}

CLAIM_FIELDS = {
    "title": Field("text", "ERAM missile delivery", required=True, max_length=200),
    "claim": Field("text", "The U.S. has delivered 3,350 ERAM missiles to Ukraine.", required=True),
    "claimant": Field("text", "Emmanuel Macron", required=True, max_length=200),
    "claimant_type": Field("text", "person", choices=("person", "organization")),
    "claimant_id": Field("slug", "emmanuel-macron-2"),  # the claimant page's address, if not made from the name
    "claim_date": Field("date", "2025-09-04"),
    "appeared_in": Field("text", "post-news-26-nations"),
    "verdict": Field("text", "unproven", required=True),
    "summary": Field("text", "One or two sentences: the short answer.", required=True, max_length=2000),
    "topics": Field("list", "[troops, funding]"),
    "sources": Field("records", "[{source: post-news-26-nations, quote: \"the exact words\", stance: supports}]",
                     fields=CITATION_FIELDS, max_items=500),
    "published": Field("date", "2025-09-10", required=True),
    "updated": Field("date", "2025-09-12"),
    "corrections": Field("records", "[{date: 2025-09-12, note: What was corrected.}]", fields=CORRECTION_FIELDS),
    "related": Field("list", "[eram-missile-delivery]"),
    "aliases": Field("list", "[old-file-name]"),
    "draft": Field("bool", "false"),
}

PAGE_FIELDS = {
    "title": Field("text", "Methodology", required=True, max_length=200),
    "description": Field("text", "How we choose and check claims."),
    "order": Field("int", "10"),
    "includes": Field("list", "[verdict-scale]"),
}


@dataclass
class Content:
    sources: list[Source]
    claims: list[Claim]
    pages: list[Page]
    withdrawn: list[Withdrawal] = field(default_factory=list)
    drafts: list[Claim] = field(default_factory=list)  # left out of this build


def load_content(config: SiteConfig, content_dir: Path, problems: Problems, drafts: bool = False,
                 jobs: int = 1, cache: DocumentCache | None = None) -> Content:
    sources = load_sources(content_dir / "sources", problems, jobs, cache)
    # A source file with mistakes is reported once, not again by every claim citing it.
    by_id: dict[str, Source | None] = {path.stem: None for path in (content_dir / "sources").glob("*.yml")
                                       if not is_hidden(path.name)}  # hidden files are not sources
    by_id.update({source.id: source for source in sources})
    claims = load_claims(content_dir / "claims", config, by_id, problems, jobs, cache)
    left_out = [] if drafts else [c for c in claims if c.draft]
    if not drafts:
        claims = [c for c in claims if not c.draft]
    pages = load_pages(content_dir / "pages", problems)
    withdrawn = load_withdrawn(content_dir, config, problems)
    check_record_aliases(withdrawn, claims + left_out, problems)
    return Content(sources, claims, pages, withdrawn, left_out)


# Sources ------------------------------------------------------------------

@dataclass
class SourceFile:
    """What one source file says, checked on its own; cached like :class:`ClaimFile`."""

    path: Path
    values: dict
    digest: str

    @classmethod
    def read(cls, path: Path, problems: Problems) -> "SourceFile | None":
        doc = read_yaml_file(path, problems)
        if doc is None:
            return None
        values = check_fields(doc, SOURCE_FIELDS, problems)
        for name in ("url", "archive_url"):
            if values[name] and not is_web_address(values[name]):
                problems.error(path, doc.line(name), f'"{name}" must start with https:// or http://',
                               f"write the full address, e.g. {name}: {SOURCE_FIELDS[name].example}")
                values[name] = None
        return cls(path, values, doc.digest)

    def to_plain(self) -> tuple:
        return plain_values(self.values, SOURCE_FIELDS), self.digest

    @classmethod
    def from_plain(cls, path: Path, plain: tuple) -> "SourceFile":
        values, digest = plain
        return cls(path, values_from_plain(values, SOURCE_FIELDS), digest)


def load_sources(folder: Path, problems: Problems, jobs: int = 1,
                 cache: DocumentCache | None = None) -> list[Source]:
    sources = []
    paths = content_files(folder, "*.yml", problems)
    for path, file in zip(paths, read_many(paths, SourceFile, problems, jobs, cache), strict=True):
        if file is None:
            continue
        sources.append(source_from(file, problems))
    return sources


def source_from(file: SourceFile, problems: Problems) -> Source:
    """The source, with the archived copy kept beside its file, if there is one."""
    copy = file.path.with_suffix(".txt")
    archived_text = read_text(copy, problems) if copy.exists() else None
    return Source(id=file.path.stem, path=file.path, archived_text=archived_text,
                  digest=digest_of(file.digest, archived_text or ""), **file.values)


# Claims -------------------------------------------------------------------

@dataclass
class ClaimFile:
    """What one claim file says, checked on its own, before it meets the other files.

    Everything here depends on the file alone, so the file cache keeps it between
    builds (keyed by the file's size and time); the analysis itself is not kept,
    and is read again only for the pages that are rendered again.
    """

    path: Path
    values: dict  # the checked fields, as check_fields returns them
    lines: dict | None  # field (and entry) -> line, for messages; None when it came from the cache
    body_line: int
    digest: str  # of the front matter
    body_digest: str
    body: str | None = None  # None when it came from the cache

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
        values = check_fields(doc, CLAIM_FIELDS, problems)
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
        return plain_values(self.values, CLAIM_FIELDS), self.body_line, self.digest, self.body_digest

    @classmethod
    def from_plain(cls, path: Path, plain: tuple) -> "ClaimFile":
        values, body_line, digest, body_digest = plain
        return cls(path, values_from_plain(values, CLAIM_FIELDS), None, body_line, digest, body_digest)


def load_claims(folder: Path, config: SiteConfig, sources: dict[str, Source], problems: Problems,
                jobs: int = 1, cache: DocumentCache | None = None) -> list[Claim]:
    claims: list[Claim] = []
    claimants: dict[str, Claimant] = {}
    paths: dict[str, Path] = {}
    for path in content_files(folder, "*.md", problems, recursive=True):
        slug = path.name[:-len(".md")]
        if slug in paths:
            problems.error(path, None, f'another claim already uses the address "{slug}"',
                           f"rename one of the two files (the other is {paths[slug]})")
        else:
            paths[slug] = path
    slugs = set(paths)
    ordered = sorted(paths.items())
    context = ClaimContext(config, sources, slugs, claimants)
    files = read_many([path for _, path in ordered], ClaimFile, problems, jobs, cache)
    check_aliases([(slug, file) for (slug, _), file in zip(ordered, files) if file and file.values["aliases"]],
                  paths, problems)
    read: list[tuple[Claim, ClaimFile]] = []
    for (slug, _), file in zip(ordered, files, strict=True):
        if file is not None:
            claim = claim_from(file, slug, context, problems)
            if claim is not None:
                claims.append(claim)
                read.append((claim, file))
    check_one_name_each(read, problems)
    return claims


def load_some_claims(config: SiteConfig, content_dir: Path, edited: set[str], claim_files: dict[str, str],
                     problems: Problems, drafts: bool = False) -> Content:
    """Part of the content: the ``edited`` claims (by slug), the claims they name as related,
    the sources all of these cite, and the pages; checked as :func:`load_content` checks them,
    against ``claim_files`` (every claim file, by slug, as a path relative to ``content_dir``)
    for the names of claims.

    A rebuild after analyses were edited needs no more (see analysis_edits.py).
    """
    files = {slug: ClaimFile.read(content_dir / claim_files[slug], problems) for slug in sorted(edited)}
    related = {slug for file in files.values() if file for slug in file.values["related"]}
    for slug in sorted(related.intersection(claim_files) - files.keys()):
        files[slug] = ClaimFile.read(content_dir / claim_files[slug], problems)
    cited = {entry["source"] for file in files.values() if file for _, entry in file.values["sources"]}
    cited |= {file.values["appeared_in"] for file in files.values() if file}
    sources = []
    for name in sorted(cited - {None}):
        path = content_dir / "sources" / f"{name}.yml"
        if SLUG_PATTERN.match(name) and path.is_file() and (file := SourceFile.read(path, problems)):
            sources.append(source_from(file, problems))
    context = ClaimContext(config, {source.id: source for source in sources}, set(claim_files), {})
    claims = [claim for slug, file in sorted(files.items())
              if file and (claim := claim_from(file, slug, context, problems)) and (drafts or not claim.draft)]
    return Content(sources, claims, load_pages(content_dir / "pages", problems))


class FieldLines(Mapping):
    """The line of each field of a claim file, looked up only when a message needs one."""

    def __init__(self, file: ClaimFile):
        self.file = file

    def __getitem__(self, name: str) -> int:
        return self.file.key_lines()[(name,)]  # a KeyError names the field that is not there

    def __iter__(self):
        return (key[0] for key in self.file.key_lines() if len(key) == 1)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass
class ClaimContext:
    """What a claim file is checked against: the settings and the other files."""

    config: SiteConfig
    sources: dict[str, Source | None]
    slugs: set[str]
    claimants: dict[str, Claimant]

    def __post_init__(self):
        self.verdicts = {v.slug: v for v in self.config.verdicts}
        # In the order claims list them: by name.
        self.topics = {t.slug: t for t in sorted(self.config.topics, key=lambda t: t.name.lower())}
        self.topic_order = {slug: number for number, slug in enumerate(self.topics)}


def claim_from(file: ClaimFile, slug: str, context: ClaimContext, problems: Problems) -> Claim | None:
    """The claim, linked to its verdict, topics, sources and claimant; None if it cannot be."""
    values, path, sources = file.values, file.path, context.sources

    verdict = context.verdicts.get(values["verdict"])
    if values["verdict"] and verdict is None:
        problems.error(path, file.line("verdict"), f'unknown verdict "{values["verdict"]}"',
                       did_you_mean(values["verdict"], context.verdicts))

    topics = context.topics
    for index, name in enumerate(values["topics"]):
        if name not in topics:
            problems.error(path, file.line("topics", index), f'unknown topic "{name}"',
                           did_you_mean(name, topics) + " (topics are listed in content/site.yml)")

    appeared_in = None
    if values["appeared_in"]:
        appeared_in = sources.get(values["appeared_in"])
        if values["appeared_in"] not in sources:
            problems.error(path, file.line("appeared_in"), f'unknown source "{values["appeared_in"]}"',
                           did_you_mean(values["appeared_in"], sources) + " (sources are files in content/sources/)")

    citations = [citation for index, entry in values["sources"]
                 if (citation := citation_from(file, index, entry, sources, problems))]

    for index, name in enumerate(values["related"]):
        if name not in context.slugs:
            problems.error(path, file.line("related", index), f'unknown related claim "{name}"',
                           did_you_mean(name, context.slugs) + " (related claims are file names without .md)")
        elif name == slug:
            problems.error(path, file.line("related", index), "a claim cannot be related to itself",
                           f'remove "{name}" from related')

    corrections = [Correction(entry["date"], entry["note"]) for _, entry in values["corrections"]
                   if entry["date"] and entry["note"]]

    required = ("title", "claim", "claimant", "summary", "published")
    if verdict is None or any(values[name] is None for name in required):
        return None
    claimant = claimant_for(file, context.claimants, problems)
    claim = Claim(
        slug=slug, title=values["title"], claim=values["claim"], claimant=claimant, verdict=verdict,
        summary=values["summary"], published=values["published"], path=path,
        claim_date=values["claim_date"], appeared_in=appeared_in,
        topics=[topics[name] for name in sorted(set(values["topics"]) & topics.keys(), key=context.topic_order.get)],
        citations=citations, updated=values["updated"], corrections=sorted(corrections, key=lambda c: c.date),
        related_slugs=values["related"], aliases=values["aliases"], draft=bool(values["draft"]),
        body_line=file.body_line,
        lines=FieldLines(file),
        digest=file.digest, body_digest=file.body_digest, analysis=file.body,
    )
    for correction in claim.corrections:
        correction.claim = claim
    return claim


def citation_from(doc: ClaimFile, index: int, entry: dict, sources: dict[str, Source],
                  problems: Problems) -> Citation | None:
    source = sources.get(entry["source"])
    if entry["source"] and entry["source"] not in sources:
        problems.error(doc.path, doc.line("sources", index, "source"), f'unknown source "{entry["source"]}"',
                       did_you_mean(entry["source"], sources) + " (sources are files in content/sources/)")
    if source is None or not entry["stance"]:
        return None
    if not entry["quote"]:
        problems.warning(doc.path, doc.line("sources", index), f'the source "{source.id}" is cited without a quote',
                         "add quote: with the exact words from the source that bear on the claim")
        return Citation(source, "", entry["stance"])
    if source.archived_text is not None and not quote_appears(entry["quote"], source.archived_text):
        problems.error(
            doc.path, doc.line("sources", index, "quote"),
            f'the quote does not appear in the archived copy of "{source.id}"',
            f"copy the words exactly from {source.path.with_suffix('.txt').name}; "
            "only spacing and straight or curly quotation marks may differ",
        )
    return Citation(source, entry["quote"], entry["stance"])


def quoted_whole(text: str) -> str | None:
    """The text inside the quotation marks that open and close ``text``, if they enclose all of it."""
    opening, closing, inner = text[:1], text[-1:], text[1:-1]
    if len(text) > 2 and QUOTE_PAIRS.get(opening) == closing and opening not in inner and closing not in inner:
        return inner
    return None


_QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"',
                              "‘": "'", "’": "'", "‚": "'", "‛": "'"})


def normalise_quote(text: str) -> str:
    """Text with spacing and quotation-mark style ironed out, for comparing quotes."""
    text = unicodedata.normalize("NFC", text).translate(_QUOTE_MARKS)
    return re.sub(r"\s+", " ", text).strip()


def quote_appears(quote: str, text: str) -> bool:
    return normalise_quote(quote) in normalised_copy(text)


@functools.lru_cache(maxsize=8192)
def normalised_copy(text: str) -> str:
    """A source's archived copy, normalised once however many quotes are checked against it."""
    return normalise_quote(text)


# Pages --------------------------------------------------------------------

def load_pages(folder: Path, problems: Problems) -> list[Page]:
    pages = []
    for path in content_files(folder, "*.md", problems):
        doc = read_markdown_file(path, problems)
        if doc is None:
            continue
        values = check_fields(doc, PAGE_FIELDS, problems)
        check_markdown(doc, "page", problems)
        for index, name in enumerate(values["includes"]):
            if name not in PAGE_INCLUDES:
                problems.error(path, doc.line("includes", index), f'unknown include "{name}"',
                               did_you_mean(name, PAGE_INCLUDES))
        if values["title"]:
            pages.append(Page(path.stem, values["title"], values["description"], values["order"] or 100,
                              [i for i in values["includes"] if i in PAGE_INCLUDES], doc.body, path, doc.body_line,
                              digest_of(doc.digest, doc.body)))
    return sorted(pages, key=lambda p: (p.order, p.title.lower()))


# Shared -------------------------------------------------------------------

def check_markdown(doc: Document, what: str, problems: Problems) -> None:
    """Refuse a Markdown body that would crash or stall its conversion (markdown_limits.py)."""
    for refusal in refusals(doc.body, what):
        problems.error(doc.path, doc.body_line + refusal.line - 1, refusal.message, refusal.hint)


def content_files(folder: Path, pattern: str, problems: Problems, recursive: bool = False) -> list[Path]:
    """The folder's files matching ``pattern`` (``*.md``, ``*.yml``), sorted, each with a name
    that is safe as a web address on any system the site is copied to.

    Links (symlinks) are refused and never followed, files and folders alike, so no
    file from outside the content folder is read and no folder is gone round twice.
    Names must be lower case (macOS and Windows do not tell `ERAM.md` from `eram.md`)
    and not one Windows keeps for a device; a page cannot take the name of a folder
    the build writes itself.
    """
    if folder.is_symlink():
        report_link(folder, problems)
        return []
    if not folder.is_dir():
        return []
    suffix = pattern.removeprefix("*")
    found = sorted(_entries(folder, recursive, problems), key=lambda item: item[1].path)
    names: dict[tuple[Path, str], set[str]] = {}  # in each folder, the names written in lower case
    for _, entry, parent in found:
        names.setdefault((parent, entry.name.lower()), set()).add(entry.name)
    reserved = RESERVED_NAMES.get(folder.name, {})
    files = []
    for path, entry, parent in found:
        name = entry.name  # the same as path.name, without pathlib working it out again
        if not name.lower().endswith(suffix):
            if recursive and entry.is_symlink() and entry.is_dir():
                report_link(path, problems)  # a folder of claims that would be left out
            continue
        if entry.is_symlink():
            report_link(path, problems)
            continue
        if entry.is_dir(follow_symlinks=False):
            continue
        stem = name[: -len(suffix)]
        if not name.endswith(suffix) or not SLUG_PATTERN.match(stem):
            fixed = slugify(stem) or "name"
            fixed = (slug_problem(fixed) or (None, fixed))[1] + suffix  # never suggest "con.md"
            taken = bool(names.get((parent, fixed), set()) - {name})
            if taken and fixed == name.lower():
                message = f'the file name "{name}" differs from "{fixed}" only in upper and lower case'
            elif SLUG_PATTERN.match(stem):
                message = f'the file name "{name}" must end in "{suffix}", in lower case'
            else:
                message = f'the file name "{name}" cannot be used as a web address'
            problems.error(
                path, None, message,
                f'"{fixed}" is already in this folder, and macOS and Windows see the two names as one file: '
                "merge the two, or give this one another name in lower-case letters, digits and hyphens" if taken
                else f'rename it to "{fixed}": lower-case letters, digits and hyphens only',
            )
            continue
        problem = slug_problem(stem)
        if problem is None and stem in reserved:
            problem = reserved[stem], f"{stem}-page"
        if problem is not None:
            reason, better = problem
            problems.error(path, None, f'the file name "{name}" cannot be used: {reason}',
                           f'rename it, e.g. to "{better}{suffix}"')
            continue
        files.append(path)
    return files


# Pages become top-level folders of the site, beside the folders the build writes itself.
RESERVED_NAMES = {"pages": {name: f'the site\'s own "{name}/" pages would be replaced by this one'
                            for name in ("claimants", "claims", "page", "pagefind", "search", "sources",
                                         "topics", "verdicts")}}


def _entries(folder: Path, recursive: bool, problems: Problems):
    """``(path, os.DirEntry, folder)`` for everything in ``folder`` (and below it, if ``recursive``)
    but what is hidden: a hidden file, or anything in a hidden folder (content/claims/.archive/),
    is left out, as every other listing of the content leaves it out (documents.is_hidden).
    Never goes into a link, so a link that loops cannot make it loop, nor deeper than
    MAX_FOLDER_DEPTH folders, which it reports; a stack, not recursion, so no depth can crash it."""
    pending = [(folder, 0)]
    while pending:
        here, depth = pending.pop()
        try:
            with os.scandir(here) as scan:
                entries = [entry for entry in scan if not is_hidden(entry.name)]
        except OSError as error:
            problems.error(here, None, f"cannot read the folder: {error.strerror or error}",
                           "check that you may read it")
            continue
        for entry in entries:
            path = here / entry.name
            yield path, entry, here
            if recursive and entry.is_dir(follow_symlinks=False):
                if depth + 1 > MAX_FOLDER_DEPTH:
                    problems.error(path, None, f"this folder is more than {MAX_FOLDER_DEPTH} folders deep "
                                   f"inside {folder.name}/, and factsite looks no deeper",
                                   f"move the files in it up: a few levels such as {folder.name}/2025/09/ are plenty")
                else:
                    pending.append((path, depth + 1))

