"""Editorial warnings over the assembled site: things that are allowed but
usually a mistake. `factsite check --strict` treats them as errors."""

from __future__ import annotations

import json
from pathlib import Path

from .errors import Problems
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


def check_verdict_changes(site: Site, published: Path, problems: Problems) -> None:
    """A verdict that differs from the published one needs a correction saying so.

    ``published`` is the last build's claims.json; a newsroom must never change a
    verdict silently.
    """
    try:
        feed = json.loads(published.read_text("utf-8"))
        before = {review["url"]: review for review in feed["dataFeedElement"]}
    except (OSError, ValueError, KeyError, TypeError):
        return  # nothing published yet, or not by factsite
    base = site.config.base_url
    for claim in site.claims:
        review = before.get(base + claim.url)
        if review is None:
            continue
        old = review.get("reviewRating", {}).get("alternateName")
        if old in (None, claim.verdict.label):
            continue
        since = review.get("dateModified") or review.get("datePublished") or ""
        if not any(correction.date.isoformat() >= since for correction in claim.corrections):
            problems.error(
                claim.path, claim.lines.get("verdict"),
                f'the verdict changed from "{old}" to "{claim.verdict.label}" without a correction',
                f"add to corrections: a dated note saying the verdict changed from {old} to "
                f"{claim.verdict.label}, and why",
            )
