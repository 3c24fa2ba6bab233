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
from .pages import load_pages
from .people import load_people
from .reuse import Reuse
from .sources import load_sources


def load_content(config: SiteConfig, content_dir: Path, problems: Problems, drafts: bool = False,
                 jobs: int = 1, cache: DocumentCache | None = None, reuse: Reuse | None = None) -> Content:
    """``reuse``: what the last update made of each file, given again where nothing it was
    made from changed (reuse.py)."""
    reuse = reuse or Reuse()
    sources = load_sources(content_dir / "sources", problems, jobs, cache, reuse)
    # A source file with mistakes is reported once, not again by every claim citing it.
    by_id: dict[str, Source | None] = {path.stem: None for path in (content_dir / "sources").glob("*.yml")
                                       if not is_hidden(path.name)}  # hidden files are not sources
    by_id.update({source.id: source for source in sources})
    people = load_people(content_dir / "people", problems, jobs, cache, reuse)
    people_by_id: dict[str, Person | None] = {path.stem: None for path in (content_dir / "people").glob("*.yml")
                                              if not is_hidden(path.name)}
    people_by_id.update({person.id: person for person in people})
    claims = load_claims(content_dir / "claims", config, by_id, problems, jobs, cache, reuse, people_by_id)
    left_out = [] if drafts else [c for c in claims if c.draft]
    if not drafts:
        claims = [c for c in claims if not c.draft]
    else:
        for claim in claims:
            if claim.draft:  # a work in progress: warned about only where it is shown, as the preview does
                check_claim(claim, problems)
    pages = load_pages(content_dir / "pages", problems)
    withdrawn = load_withdrawn(content_dir, config, problems)
    check_record_aliases(withdrawn, claims + left_out, problems)
    return Content(sources, claims, pages, withdrawn, left_out, people)
