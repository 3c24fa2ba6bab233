"""What each share card shows, declared once: cards.py draws a card from its face and
nothing else, and a card is drawn again only when its face (digested) changed.

Kept apart from cards.py, which loads Pillow: a rebuild that finds every card drawn
before never loads it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from ..digest import digest_of
from ..model.site import Claim, SiteConfig

CARD_VERSION = "4"  # change when cards.py draws differently, so cached cards are drawn again


class ClaimFace(NamedTuple):
    """A claim's card: the claim, who made it and the verdict (colour, shape and label),
    under the site's title, with a kicker in the site's language."""

    kicker: str
    site_title: str
    claim: str  # as the card shows it: in quotation marks, unless paraphrased
    claimant: str
    verdict_label: str
    verdict_colour: str
    verdict_icon: str


class SiteFace(NamedTuple):
    """The card of every page but the claims': the site's title and tagline."""

    title: str
    tagline: str


def claim_face(claim: Claim, config: SiteConfig, gettext: Callable[[str], str] = str) -> ClaimFace:
    verdict = claim.verdict
    if claim.paraphrased:
        kicker, shown = gettext("FACT-CHECK · CLAIM PARAPHRASED"), claim.claim
    else:
        kicker, shown = gettext("FACT-CHECK"), gettext("“%(claim)s”") % {"claim": claim.claim}
    return ClaimFace(kicker, config.title, shown, claim.claimant.name, verdict.label, verdict.colour, verdict.icon)


def site_face(config: SiteConfig) -> SiteFace:
    return SiteFace(config.title, config.tagline)


def card_digest(face: ClaimFace | SiteFace) -> str:
    """Equal digests, equal cards. The two kinds of face never share one."""
    kind = ("site",) if isinstance(face, SiteFace) else ()
    return digest_of(CARD_VERSION, *kind, *map(str, face))


def drawn_once(face: ClaimFace | SiteFace, cache) -> bytes:
    """The card of ``face``, drawn only when no card of its digest was drawn before (``cache``:
    a CardCache, or None to draw every card)."""
    def draw() -> bytes:
        from .cards import draw_claim_card, draw_site_card  # here: Pillow is loaded only by builds that draw a card

        return draw_site_card(face) if isinstance(face, SiteFace) else draw_claim_card(face)

    return draw() if cache is None else cache.get_or_make(card_digest(face), draw)
