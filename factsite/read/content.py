"""All the content, read and checked: what the rest of the build starts from.

Sources and people are read first, then claims (which cite sources, verdicts, topics and people),
then pages and the withdrawn records. Every mistake is collected; nothing stops at the first one.
"""

from __future__ import annotations

from pathlib import Path

from .addresses import check_record_aliases, load_withdrawn
from ..errors import Problems
from ..model.site import Content, Person, SiteConfig, Source
from .claims import check_claim, load_claims
from .filecache import DocumentCache
from .hidden import is_hidden
from .listing import translated_name
from .pages import load_pages
from .people import load_people
from .reuse import Reuse
from .sources import load_sources
from .translations import load_translations


def load_content(config: SiteConfig, content_dir: Path, problems: Problems, drafts: bool = False,
                 jobs: int = 1, cache: DocumentCache | None = None, reuse: Reuse | None = None) -> Content:
    """``reuse``: what the last update made of each file, given again where nothing it was
    made from changed (reuse.py)."""
    reuse = reuse or Reuse()
    sources = load_sources(content_dir / "sources", problems, jobs, cache, reuse)
    people = load_people(content_dir / "people", problems, jobs, cache, reuse)
    files: dict = {}
    claims = load_claims(content_dir / "claims", config, by_id(content_dir / "sources", sources), problems, jobs,
                         cache, reuse, by_id(content_dir / "people", people), files)
    translations = load_translations(content_dir, config.languages, files, problems, jobs, cache, reuse)
    left_out = [] if drafts else [c for c in claims if c.draft]
    if not drafts:
        claims = [c for c in claims if not c.draft]
    else:
        for claim in claims:
            if claim.draft:  # a work in progress: warned about only where it is shown, as the preview does
                check_claim(claim, problems)
    pages = load_pages(content_dir / "pages", problems)
    editions = {language.code for language in config.languages[1:]}
    for page in pages:
        if page.slug in editions:
            problems.error(page.path, None, f'"{page.slug}/" is where the site\'s edition in that language is',
                           f'rename the page, e.g. to "{page.slug}-page.md"')
    withdrawn = load_withdrawn(content_dir, config, problems)
    check_record_aliases(withdrawn, claims + left_out, problems)
    return Content(sources, claims, pages, withdrawn, left_out, people, translations)


def by_id(folder: Path, records: list[Source] | list[Person]) -> dict[str, Source | Person | None]:
    """Each record by id, and None for each file of ``folder`` that made none: a file with
    mistakes is reported once, not again by every claim naming it. Hidden files are not records."""
    found: dict = {path.stem: None for path in folder.glob("*.yml")
                   if not is_hidden(path.name) and translated_name(path.stem) is None}
    found.update((record.id, record) for record in records)
    return found
