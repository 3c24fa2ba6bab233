"""What each share card shows, declared once: cards.py draws a card from its face and
nothing else, and a card is drawn again only when its face (digested) changed.

Kept apart from cards.py, which loads Pillow: a rebuild that finds every card drawn
before never loads it.
"""

from __future__ import annotations

from typing import NamedTuple

from ..digest import digest_of
from ..model.site import Claim, SiteConfig

CARD_VERSION = "3"  # change when cards.py draws differently, so cached cards are drawn again


class ClaimFace(NamedTuple):
    """A claim's card: the claim, who made it and the verdict (colour, shape and label),
    under the site's title."""

    site_title: str
    claim: str
    claimant: str
    verdict_label: str
    verdict_colour: str
    verdict_icon: str
    paraphrase: bool  # the claim in the desk's words: drawn without quotation marks, and labelled


class SiteFace(NamedTuple):
    """The card of every page but the claims': the site's title and tagline."""

    title: str
    tagline: str


def claim_face(claim: Claim, config: SiteConfig) -> ClaimFace:
    verdict = claim.verdict
    return ClaimFace(config.title, claim.claim, claim.claimant.name, verdict.label, verdict.colour, verdict.icon,
                     claim.paraphrased)


def site_face(config: SiteConfig) -> SiteFace:
    return SiteFace(config.title, config.tagline)


def card_digest(face: ClaimFace | SiteFace) -> str:
    """Equal digests, equal cards. The two kinds of face never share one."""
    kind = ("site",) if isinstance(face, SiteFace) else ()
    return digest_of(CARD_VERSION, *kind, *map(str, face))
