"""Stage 3 of the build: link the loaded content into one :class:`Site`.

After this stage every object knows its neighbours: a verdict, topic, claimant
or source knows its claims; a claim knows its related claims. All lists are
sorted, so the output does not depend on the order files were read in.
"""

from __future__ import annotations

from dataclasses import fields

from .read.content import Content
from .model import Claim, Site, SiteConfig


def newest_first(claims: list[Claim]) -> list[Claim]:
    return sorted(claims, key=lambda c: (c.published, c.slug), reverse=True)


def assemble_site(config: SiteConfig, content: Content) -> Site:
    claims = newest_first(content.claims)
    by_slug = {claim.slug: claim for claim in claims}

    for holder in config.verdicts + config.topics + content.sources:
        holder.claims = []
    for claim in claims:
        link_related(claim, by_slug)
        claim.verdict.claims.append(claim)
        for topic in claim.topics:
            topic.claims.append(claim)
        for source in {citation.source.id: citation.source for citation in claim.citations}.values():
            source.claims.append(claim)

    claimants = sorted({claim.claimant.slug: claim.claimant for claim in claims}.values(),
                       key=lambda c: c.name.lower())
    for claimant in claimants:
        claimant.claims = []
    for claim in claims:
        claim.claimant.claims.append(claim)

    return Site(
        config=config,
        claims=claims,
        sources=sorted(content.sources, key=lambda s: s.id),
        pages=content.pages,
        claimants=claimants,
        corrections=corrections_of(claims),
        withdrawn=content.withdrawn,
        drafts=content.drafts,
    )


def link_related(claim: Claim, by_slug: dict[str, Claim]) -> None:
    # A related claim left out of this build (a draft) is simply not linked.
    claim.related = [by_slug[slug] for slug in claim.related_slugs if slug in by_slug]


def corrections_of(claims: list[Claim]) -> list:
    """Every correction of every claim, newest first."""
    return sorted((correction for claim in claims for correction in claim.corrections),
                  key=lambda c: (c.date, c.claim.slug), reverse=True)


def placement(claim: Claim) -> tuple:
    """What :func:`assemble_site` lists a claim by: where it is listed, and in which order
    (and its old addresses, which are checked against every other claim's)."""
    return (claim.slug, claim.published, claim.draft, claim.verdict.slug, [topic.slug for topic in claim.topics],
            claim.claimant.slug, sorted({citation.source.id for citation in claim.citations}), claim.aliases)


def replace_claim(site: Site, old: Claim, new: Claim) -> None:
    """Put ``new``, read again from ``old``'s file, in ``old``'s place, as if the site had been
    assembled with it; both must have the same :func:`placement`, so every list that holds
    ``old`` holds it where ``new`` goes. ``old`` takes on ``new``'s fields: lists, other
    claims' related claims and the templates' caches keep the object they hold."""
    assert placement(old) == placement(new), "a claim listed elsewhere: assemble the site again"
    for name in (f.name for f in fields(Claim) if f.name != "related"):
        setattr(old, name, getattr(new, name))
    for correction in old.corrections:
        correction.claim = old
    link_related(old, {claim.slug: claim for claim in site.claims})
    site.corrections = corrections_of(site.claims)
    site.__dict__.pop("modified", None)  # a cached property: the latest date may have moved
