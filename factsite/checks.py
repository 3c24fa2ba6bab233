"""Editorial warnings over the assembled site: things that are allowed but
usually a mistake. `factsite check --strict` treats them as errors."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from .documents import DocumentCache, read_many
from .errors import ContentError, Problems
from .history import claims_at, correction_key
from .model import Site


def check_editorial(site: Site, problems: Problems) -> None:
    for claim in site.claims:
        cited = {citation.source.id for citation in claim.citations}
        if len(cited) == 1 and claim.verdict.rating is not None:
            problems.warning(
                claim.path, claim.lines.get("verdict"),
                f'only one source is cited, but the verdict is "{claim.verdict.label}"',
                "cite a second, independent source, or rate the claim with a verdict off the scale "
                "(such as Unproven) and say what evidence would settle it",
            )
    cited_anywhere = {c.source.id for claim in site.claims for c in claim.citations}
    cited_anywhere |= {claim.appeared_in.id for claim in site.claims if claim.appeared_in}
    for source in site.sources:
        if source.id not in cited_anywhere:
            problems.warning(source.path, None, f'the source "{source.id}" is not cited by any claim',
                             "cite it in a claim's sources, or delete the file")
        if source.archived_text is None and not source.archive_url:
            problems.warning(
                source.path, None, "there is no archived copy of this source",
                f"add archive_url: (e.g. a Wayback Machine address) or save the text as {source.id}.txt beside it",
            )


def check_verdict_changes(site: Site, published: Path, problems: Problems,
                          cache: DocumentCache | None = None) -> set[str]:
    """A verdict that differs from the published one needs a correction saying so.

    ``published`` is the last build's claims.json; a newsroom must never change a
    verdict silently. Returns the slugs of the claims reported.
    """
    [verdicts] = read_many([published], PublishedVerdicts, Problems(), cache=cache)
    reported: set[str] = set()
    if verdicts is None:
        return reported  # nothing published yet, or not by factsite
    base = site.config.base_url
    for claim in site.claims:
        old, since = verdicts.by_url.get(base + claim.url, (None, ""))
        if old in (None, claim.verdict.label):
            continue
        if not any(correction.date.isoformat() >= since for correction in claim.corrections):
            reported.add(claim.slug)
            problems.error(
                claim.path, claim.lines.get("verdict"),
                f'the verdict changed from "{old}" to "{claim.verdict.label}" without a correction',
                f"add to corrections: a dated note saying the verdict changed from {old} to "
                f"{claim.verdict.label}, and why",
            )
    return reported


@dataclass
class PublishedVerdicts:
    """Each claim's verdict label in a last build's claims.json, and the date it was given
    (kept in the file cache: a big site's claims.json takes a while to parse)."""

    by_url: dict[str, tuple[str | None, str]]

    @classmethod
    def read(cls, path: Path, problems: Problems) -> "PublishedVerdicts | None":
        try:
            feed = json.loads(path.read_text("utf-8"))
            return cls({review["url"]: (review.get("reviewRating", {}).get("alternateName"),
                                        review.get("dateModified") or review.get("datePublished") or "")
                        for review in feed["dataFeedElement"]})
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def to_plain(self) -> dict:
        return self.by_url

    @classmethod
    def from_plain(cls, path: Path, plain: dict) -> "PublishedVerdicts":
        return cls(plain)


def check_verdict_history(site: Site, content_dir: Path, revision: str, problems: Problems,
                          reported: Collection[str] = ()) -> None:
    """A verdict that differs from the one at git ``revision`` needs a correction added since.

    The check for a fresh checkout (the Pages workflow's), which has no last build
    to compare with but has the history. "Added since" means a (date, note) entry
    that the claim did not have at the revision. Claims in ``reported`` (by the
    comparison with the last build) are not reported twice.
    """
    try:
        history = claims_at(content_dir, revision)
    except ContentError as error:
        problems.items.append(error)
        return
    labels = {verdict.slug: verdict.label for verdict in site.config.verdicts}
    for claim in site.claims:
        past = history.claims.get(claim.slug)
        if past is None or past.verdict == claim.verdict.slug or claim.slug in reported:
            continue
        now = {correction_key(c.date, c.note) for c in claim.corrections}
        if now - past.corrections:
            continue
        old = labels.get(past.verdict, past.verdict)
        named = history.revision.lower()  # a sha is shown once, shortened; a name with its sha
        is_sha = len(named) >= 7 and history.commit.startswith(named)
        at = history.short if is_sha else f"{history.revision}, {history.short}"
        problems.error(
            claim.path, claim.lines.get("verdict"),
            f'the verdict changed from "{old}" (at {at}) to "{claim.verdict.label}" without a correction',
            f"add to corrections: a dated note saying the verdict changed from {old} to "
            f"{claim.verdict.label}, and why",
        )
