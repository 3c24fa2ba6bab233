"""Stage 2 of the build: read and check every content file.

Sources are read first, then claims (which cite sources, verdicts and topics),
then pages. Every mistake is collected; nothing stops at the first one.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .documents import Document, DocumentCache, digest_of, read_many, read_markdown_file, read_text, read_yaml_file
from .errors import Problems, did_you_mean
from .fields import SLUG_PATTERN, Field, check_fields, is_web_address
from .model import Citation, Claim, Claimant, Correction, Page, SiteConfig, Source

SOURCE_KINDS = ("news report", "official statement", "interview", "social media post",
                "data", "document", "other")
STANCES = ("supports", "contradicts", "context")
PAGE_INCLUDES = ("verdict-scale", "corrections-log")
PLACEHOLDER = "TODO"  # what `factsite new` leaves for the editor to fill in
LONG_CLAIM = 75  # characters; search engines cut a ClaimReview's claimReviewed beyond this

SOURCE_FIELDS = {
    "title": Field("text", '"Fortress Europe: 35 Nations Seal Historic Security Pact"', required=True),
    "publisher": Field("text", "The Post News"),
    "author": Field("text", "Jane Doe"),
    "published": Field("date", "2025-09-04"),
    "url": Field("text", "https://example.com/article"),
    "archive_url": Field("text", "https://web.archive.org/web/2025/https://example.com/article"),
    "kind": Field("text", "news report", required=True, choices=SOURCE_KINDS),
    "image_credit": Field("text", "Image by Daily Sabah"),
    "notes": Field("text", "The copy received gives no date."),
}

CITATION_FIELDS = {
    "source": Field("text", "post-news-26-nations", required=True),
    "quote": Field("text", '"the exact words from the source"'),
    "stance": Field("text", "supports", required=True, choices=STANCES),
}

CORRECTION_FIELDS = {
    "date": Field("date", "2025-09-12", required=True),
    "note": Field("text", "An earlier version gave the wrong number of missiles.", required=True),
}

CLAIM_FIELDS = {
    "title": Field("text", "ERAM missile delivery", required=True),
    "claim": Field("text", "The U.S. has delivered 3,350 ERAM missiles to Ukraine.", required=True),
    "claimant": Field("text", "Emmanuel Macron", required=True),
    "claimant_type": Field("text", "person", choices=("person", "organization")),
    "claim_date": Field("date", "2025-09-04"),
    "appeared_in": Field("text", "post-news-26-nations"),
    "verdict": Field("text", "unproven", required=True),
    "summary": Field("text", "One or two sentences: the short answer.", required=True),
    "topics": Field("list", "[troops, funding]"),
    "sources": Field("records", "[{source: post-news-26-nations, quote: \"the exact words\", stance: supports}]",
                     fields=CITATION_FIELDS),
    "published": Field("date", "2025-09-10", required=True),
    "updated": Field("date", "2025-09-12"),
    "corrections": Field("records", "[{date: 2025-09-12, note: What was corrected.}]", fields=CORRECTION_FIELDS),
    "related": Field("list", "[eram-missile-delivery]"),
    "draft": Field("bool", "false"),
}

PAGE_FIELDS = {
    "title": Field("text", "Methodology", required=True),
    "description": Field("text", "How we choose and check claims."),
    "order": Field("int", "10"),
    "includes": Field("list", "[verdict-scale]"),
}


@dataclass
class Content:
    sources: list[Source]
    claims: list[Claim]
    pages: list[Page]


def load_content(config: SiteConfig, content_dir: Path, problems: Problems, drafts: bool = False,
                 jobs: int = 1, cache: DocumentCache | None = None) -> Content:
    sources = load_sources(content_dir / "sources", problems, jobs, cache)
    # A source file with mistakes is reported once, not again by every claim citing it.
    by_id: dict[str, Source | None] = {path.stem: None for path in (content_dir / "sources").glob("*.yml")}
    by_id.update({source.id: source for source in sources})
    claims = load_claims(content_dir / "claims", config, by_id, problems, jobs, cache)
    if not drafts:
        claims = [c for c in claims if not c.draft]
    pages = load_pages(content_dir / "pages", problems)
    return Content(sources, claims, pages)


# Sources ------------------------------------------------------------------

def load_sources(folder: Path, problems: Problems, jobs: int = 1,
                 cache: DocumentCache | None = None) -> list[Source]:
    sources = []
    paths = content_files(folder, "*.yml", problems)
    for path, doc in zip(paths, read_many(paths, read_yaml_file, problems, jobs, cache), strict=True):
        if doc is None:
            continue
        values = check_fields(doc, SOURCE_FIELDS, problems)
        for name in ("url", "archive_url"):
            if values[name] and not is_web_address(values[name]):
                problems.error(path, doc.line(name), f'"{name}" must start with https:// or http://',
                               f"write the full address, e.g. {name}: {SOURCE_FIELDS[name].example}")
                values[name] = None
        copy = path.with_suffix(".txt")
        archived_text = read_text(copy, problems) if copy.exists() else None
        sources.append(Source(id=path.stem, path=path, archived_text=archived_text,
                              digest=digest_of(doc.digest, archived_text or ""),
                              **{k: v for k, v in values.items() if k in SOURCE_FIELDS}))
    return sources


# Claims -------------------------------------------------------------------

def load_claims(folder: Path, config: SiteConfig, sources: dict[str, Source], problems: Problems,
                jobs: int = 1, cache: DocumentCache | None = None) -> list[Claim]:
    claims: list[Claim] = []
    claimants: dict[str, Claimant] = {}
    paths: dict[str, Path] = {}
    for path in content_files(folder, "*.md", problems, recursive=True):
        if path.stem in paths:
            problems.error(path, None, f'another claim already uses the address "{path.stem}"',
                           f"rename one of the two files (the other is {paths[path.stem]})")
        else:
            paths[path.stem] = path
    slugs = set(paths)
    ordered = sorted(paths.items())
    documents = read_many([path for _, path in ordered], read_markdown_file, problems, jobs, cache)
    for (slug, _), doc in zip(ordered, documents, strict=True):
        if doc is not None:
            claim = claim_from(doc, slug, config, sources, slugs, claimants, problems)
            if claim is not None:
                claims.append(claim)
    return claims


def claim_from(doc: Document, slug: str, config: SiteConfig, sources: dict[str, Source],
               slugs: set[str], claimants: dict[str, Claimant], problems: Problems) -> Claim | None:
    values = check_fields(doc, CLAIM_FIELDS, problems)
    path = doc.path

    verdicts = {v.slug: v for v in config.verdicts}
    verdict = verdicts.get(values["verdict"])
    if values["verdict"] and verdict is None:
        problems.error(path, doc.line("verdict"), f'unknown verdict "{values["verdict"]}"',
                       did_you_mean(values["verdict"], verdicts))

    topics = {t.slug: t for t in config.topics}
    for index, name in enumerate(values["topics"]):
        if name not in topics:
            problems.error(path, doc.line("topics", index), f'unknown topic "{name}"',
                           did_you_mean(name, topics) + " (topics are listed in content/site.yml)")

    appeared_in = None
    if values["appeared_in"]:
        appeared_in = sources.get(values["appeared_in"])
        if values["appeared_in"] not in sources:
            problems.error(path, doc.line("appeared_in"), f'unknown source "{values["appeared_in"]}"',
                           did_you_mean(values["appeared_in"], sources) + " (sources are files in content/sources/)")

    citations = [citation for index, entry in values["sources"]
                 if (citation := citation_from(doc, index, entry, sources, problems))]

    if values["claim"] and len(values["claim"]) > LONG_CLAIM:
        problems.warning(path, doc.line("claim"),
                         f"the claim is {len(values['claim'])} characters long; search engines show only {LONG_CLAIM}",
                         "shorten it to the words that were actually claimed")

    for index, name in enumerate(values["related"]):
        if name not in slugs:
            problems.error(path, doc.line("related", index), f'unknown related claim "{name}"',
                           did_you_mean(name, slugs) + " (related claims are file names without .md)")
        elif name == slug:
            problems.error(path, doc.line("related", index), "a claim cannot be related to itself",
                           f'remove "{name}" from related')

    corrections = [Correction(entry["date"], entry["note"]) for _, entry in values["corrections"]
                   if entry["date"] and entry["note"]]

    if not values["draft"]:
        if not citations and not values["sources"]:
            problems.error(path, doc.line("sources"), "a published claim needs at least one source",
                           "add sources: with the source, the exact quote and its stance, or set draft: true")
        for name in ("title", "claim", "claimant", "summary"):
            if values[name] and PLACEHOLDER in values[name]:
                problems.error(path, doc.line(name), f'"{name}" still has the placeholder {PLACEHOLDER}',
                               "replace it with the real text, or keep draft: true until it is ready")
        if PLACEHOLDER in doc.body:
            problems.error(path, doc.body_line + doc.body[:doc.body.index(PLACEHOLDER)].count("\n"),
                           f"the analysis still has the placeholder {PLACEHOLDER}",
                           "replace it with the real text, or keep draft: true until it is ready")

    required = ("title", "claim", "claimant", "summary", "published")
    if verdict is None or any(values[name] is None for name in required):
        return None
    claimant = claimant_for(doc, values["claimant"], values["claimant_type"], claimants, problems)
    claim = Claim(
        slug=slug, title=values["title"], claim=values["claim"], claimant=claimant, verdict=verdict,
        summary=values["summary"], published=values["published"], body=doc.body, path=path,
        claim_date=values["claim_date"], appeared_in=appeared_in,
        topics=sorted((topics[t] for t in set(values["topics"]) if t in topics), key=lambda t: t.name.lower()),
        citations=citations, updated=values["updated"], corrections=sorted(corrections, key=lambda c: c.date),
        related_slugs=values["related"], draft=bool(values["draft"]), body_line=doc.body_line,
        lines={key[0]: line for key, line in doc.lines.items() if len(key) == 1},
        digest=doc.digest, body_digest=doc.body_digest,
    )
    for correction in claim.corrections:
        correction.claim = claim
    return claim


def citation_from(doc: Document, index: int, entry: dict, sources: dict[str, Source],
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


_QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"',
                              "‘": "'", "’": "'", "‚": "'", "‛": "'"})


def normalise_quote(text: str) -> str:
    """Text with spacing and quotation-mark style ironed out, for comparing quotes."""
    text = unicodedata.normalize("NFC", text).translate(_QUOTE_MARKS)
    return re.sub(r"\s+", " ", text).strip()


def quote_appears(quote: str, text: str) -> bool:
    return normalise_quote(quote) in normalised_copy(text)


@functools.lru_cache(maxsize=256)
def normalised_copy(text: str) -> str:
    """A source's archived copy, normalised once however many quotes are checked against it."""
    return normalise_quote(text)


def claimant_for(doc: Document, name: str, kind: str | None, claimants: dict[str, Claimant],
                 problems: Problems) -> Claimant:
    """The one Claimant of that name, shared by all their claims; a claim that leaves
    claimant_type out takes it from another claim that gives it."""
    slug = claimant_slug(name)
    claimant = claimants.setdefault(slug, Claimant(slug, name, kind or "person"))
    if kind:
        if claimant.type_given_in and claimant.type != kind:
            problems.error(doc.path, doc.line("claimant_type"),
                           f'{name} is "{kind}" here but "{claimant.type}" in {claimant.type_given_in.name}',
                           f"use the same claimant_type for {name} in every claim")
        elif not claimant.type_given_in:
            claimant.type, claimant.type_given_in = kind, doc.path
    return claimant


# Pages --------------------------------------------------------------------

def load_pages(folder: Path, problems: Problems) -> list[Page]:
    pages = []
    for path in content_files(folder, "*.md", problems):
        doc = read_markdown_file(path, problems)
        if doc is None:
            continue
        values = check_fields(doc, PAGE_FIELDS, problems)
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

def content_files(folder: Path, pattern: str, problems: Problems, recursive: bool = False) -> list[Path]:
    """The folder's files matching ``pattern``, sorted, each with a valid address name."""
    if not folder.is_dir():
        return []
    found = sorted(folder.rglob(pattern) if recursive else folder.glob(pattern), key=str)
    files = []
    for path in found:
        if not path.is_file() or path.name.startswith("."):
            continue
        if not SLUG_PATTERN.match(path.stem):
            problems.error(path, None, f'the file name "{path.name}" cannot be used as a web address',
                           f'rename it to "{slugify(path.stem) or "name"}{path.suffix}": '
                           "lower-case letters, digits and hyphens only")
            continue
        files.append(path)
    return files


def slugify(text: str) -> str:
    """A web-address name: "ERAM missile delivery" -> "eram-missile-delivery"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def claimant_slug(name: str) -> str:
    # Names in other scripts (e.g. Cyrillic) have no ASCII letters to keep.
    return slugify(name) or "claimant-" + hashlib.sha1(name.encode()).hexdigest()[:8]
