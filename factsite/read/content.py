"""All the content, read and checked: what the rest of the build starts from.

Sources are read first, then claims (which cite sources, verdicts and topics),
then pages and the withdrawn records. Every mistake is collected; nothing stops at the first one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..addresses import check_record_aliases, load_withdrawn
from ..errors import Problems
from ..fields import SLUG_PATTERN
from ..model import Claim, Page, SiteConfig, Source, Withdrawal
from .claim_file import ClaimFile
from .claims import ClaimContext, claim_from, load_claims
from .filecache import DocumentCache
from .listing import is_hidden
from .pages import load_pages
from .sources import SourceFile, load_sources, source_from


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


def load_some_claims(config: SiteConfig, content_dir: Path, edited: set[str], claim_files: dict[str, str],
                     problems: Problems, drafts: bool = False) -> Content:
    """Part of the content: the ``edited`` claims (by slug), the claims they name as related,
    the sources all of these cite, and the pages; checked as :func:`load_content` checks them,
    against ``claim_files`` (every claim file, by slug, as a path relative to ``content_dir``)
    for the names of claims.

    A rebuild after analyses were edited needs no more (see analysis_edits.py).
    """
    files = _edited_and_related(content_dir, edited, claim_files, problems)
    sources = _cited_sources(content_dir, [file for file in files.values() if file], problems)
    context = ClaimContext(config, {source.id: source for source in sources}, set(claim_files), {})
    claims = [claim for slug, file in sorted(files.items())
              if file and (claim := claim_from(file, slug, context, problems)) and (drafts or not claim.draft)]
    return Content(sources, claims, load_pages(content_dir / "pages", problems))


def _edited_and_related(content_dir: Path, edited: set[str], claim_files: dict[str, str],
                        problems: Problems) -> dict[str, ClaimFile | None]:
    """The ``edited`` claims' files, and those of the claims they name as related, by slug."""
    files = {slug: ClaimFile.read(content_dir / claim_files[slug], problems) for slug in sorted(edited)}
    related = {slug for file in files.values() if file for slug in file.values["related"]}
    for slug in sorted(related.intersection(claim_files) - files.keys()):
        files[slug] = ClaimFile.read(content_dir / claim_files[slug], problems)
    return files


def _cited_sources(content_dir: Path, files: list[ClaimFile], problems: Problems) -> list[Source]:
    """The sources that ``files`` cite or say the claim appeared in, in the order of their names."""
    cited = {entry["source"] for file in files for _, entry in file.values["sources"]}
    cited |= {file.values["appeared_in"] for file in files}
    sources = []
    for name in sorted(cited - {None}):
        path = content_dir / "sources" / f"{name}.yml"
        if SLUG_PATTERN.match(name) and path.is_file() and (file := SourceFile.read(path, problems)):
            sources.append(source_from(file, problems))
    return sources
