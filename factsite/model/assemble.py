"""Stage 3 of the build: link the loaded content into one :class:`Site`.

After this stage every object knows its neighbours: a verdict, topic, claimant
or source knows its claims; a claim knows its related claims. All lists are
sorted, so the output does not depend on the order files were read in.
"""

from __future__ import annotations

import itertools
import operator

from .site import Claim, Content, Site, SiteConfig


def newest_first(claims: list[Claim]) -> list[Claim]:
    return sorted(claims, key=_published_and_slug, reverse=True)


_published_and_slug = operator.attrgetter("published", "slug")  # at C speed: assembled on every save
_corrections = operator.attrgetter("corrections")


def assemble_site(config: SiteConfig, content: Content) -> Site:
    claims = newest_first(content.claims)
    by_slug = {claim.slug: claim for claim in claims}

    for holder in config.verdicts + config.topics + content.sources + content.people:
        holder.claims = []
    for claim in claims:  # (every claim, on every update of the preview: kept to the few steps it needs)
        if claim.related_slugs:
            link_related(claim, by_slug)
        else:
            claim.related = []
        for holder in claim.holders:
            holder.claims.append(claim)

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
        people=content.people,
    )


def link_related(claim: Claim, by_slug: dict[str, Claim]) -> None:
    # A related claim left out of this build (a draft) is simply not linked. (At C speed, as
    # most claims are linked on every update: a claim is never false, so filter drops only the None.)
    claim.related = [*filter(None, map(by_slug.get, claim.related_slugs))]


def corrections_of(claims: list[Claim]) -> list:
    """Every correction of every claim, newest first."""
    return sorted(itertools.chain.from_iterable(map(_corrections, claims)),
                  key=lambda c: (c.date, c.claim.slug), reverse=True)


def disassemble(site: Site) -> None:
    """Undo the links from the model's holders to their claims (a verdict's, a claimant's), so
    that a model no one uses any more is freed at once, by reference counting. Left linked,
    only the cycle collector frees it, which must walk every live object to find it: 0.3 s at
    10,000 claims, which a long-running preview would spend after every save. The claims
    themselves, and the verdicts and sources, may serve the next update (read/reuse.py)."""
    for holder in (*site.verdicts, *site.topics, *site.claimants, *site.sources, *site.people):
        holder.claims = []


def unlink(claim: Claim) -> None:
    """Undo a claim's links to other claims and back from its corrections, once no update
    uses it (read/reuse.py), for the same reason."""
    claim.related = []
    for correction in claim.corrections:
        correction.claim = None
