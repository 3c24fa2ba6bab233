"""A list of claims cut into pages, kept from one update to the next: the cut while the claims'
slugs and dates are the same, each page's fingerprint while its fields and its claims' rows are
(kept_list). A long-running preview makes again, of a list of thousands, the page a claim
edited is on and the newest, which counts the whole list (render/pages.py's lists and sources);
and where a claim came or went, the pages cut anew around it, each other page being the last
update's (pages_shifted).
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

from ..digest import digest_of
from ..model.assemble import end_of, published_and_slug
from ..model.pagination import CLAIMS_CUT, Listing, PageCut, listing_of, page_cuts
from ..model.site import Claim
from ..places import Shift
from .claim_rows import rows_key
from .templating import count_by_verdict, verdict_slug

claim_key = operator.attrgetter("slug")  # asked of every claim of every list: quicker than a function
claim_date = operator.attrgetter("published")
_claimant = operator.attrgetter("claimant")


class KeptList(NamedTuple):
    """A list's pages and their fingerprints, and what they were worked out from, for the next
    update (kept_list)."""

    pages: dict  # by address
    prints: dict  # by job
    cuts: list[PageCut]
    starts: list[int]  # where each page starts in the list, newest page first
    inputs: dict  # by address: what each page's fingerprint was worked out from (its fields, rows_key)
    # The claims, and each one's claimant if they were looked at: what the next update compares its
    # list with. The assembly's list itself, which is never changed (model/assemble.Assembly), or a copy.
    claims: Sequence[Claim]
    claimants: tuple | None
    of_list: tuple  # what every page shows of the list itself
    counts: dict[str, int]  # how many of the claims its newest page counts have each verdict (verdict_counts)
    keys: tuple  # the claims' slugs, and their dates: what the cut is made of (page_cuts)
    dates: tuple


def kept_list(before: KeptList | None, kind: str, base: str, claims: list[Claim], moved: tuple | None,
              of_list: tuple, counts: dict[str, int], shown: dict[str, str], page_of: Callable[[Listing], object],
              shown_by: Callable) -> KeptList:
    """The pages of a list of claims (``page_of`` each Listing), and their fingerprints (``shown_by``
    each page's, fingerprint_of). From ``before``, the last update's of the same list, it keeps the
    cut while the claims' slugs and dates are the same, and a page's fingerprint while its fields
    and its claims' rows are: an edit that changes one claim of a list of thousands digests one page.

    ``moved``: the claims that came to the list since ``before`` and those that went (claim_rows.moves),
    every other being the same object with the same claimant at its place; None if not known, and
    the two lists are compared whole. ``counts``: the list's verdict_counts, kept for the next update.

    ``of_list`` is what every page shows of the list itself (the settings, the verdict or source
    it is of): a page's page_of and shown_by may depend on nothing else but its Listing and, on
    the list's newest page alone, the whole list. So while ``of_list`` and the cut are the same,
    only the pages holding a claim whose row changed, and the newest, are made again; and where
    claims came or went (``moved``), the newest and those not cut as before (pages_shifted)."""
    claimants = None if moved is not None else tuple(map(_claimant, claims))
    changed = changed_places(before, claims, claimants, moved)
    # The cut depends on the claims' slugs and dates alone (page_cuts), and a claim that is the
    # same object has the same: only where the list has another claim need they be compared.
    same_cut = changed is not None and all(same_place(before.claims[at], claims[at]) for at in changed)
    kept_claims = claims if moved is not None else tuple(claims)  # (the assembly's list, if moves are known)
    if same_cut and before.of_list == of_list:
        made = before._replace(pages=dict(before.pages), prints=dict(before.prints), inputs=dict(before.inputs),
                               claims=kept_claims, claimants=claimants, counts=counts)
        again, shifted = {0, *(bisect.bisect_right(before.starts, at) - 1 for at in changed)}, set()
    else:
        keys, dates = (before.keys, before.dates) if same_cut else keys_and_dates(before, claims, moved)
        cuts = before.cuts if same_cut else page_cuts(keys, dates, base, CLAIMS_CUT)
        made = KeptList({}, {}, cuts, [cut.start for cut in cuts], {}, kept_claims, claimants, of_list, counts,
                        keys, dates)
        again = range(len(cuts))
        shifted = set() if moved is None or before is None or before.of_list != of_list else \
            pages_shifted(before, made)
    for number in sorted(again):
        if number in shifted:  # (before's page, in its place among those made again)
            url = made.cuts[number].url
            made.pages[url], made.inputs[url] = before.pages[url], before.inputs[url]
            made.prints[(kind, url)] = before.prints[(kind, url)]
            continue
        listing = listing_of(claims, base, made.cuts[number])
        page = made.pages[listing.url] = page_of(listing)
        fields, on_page = shown_by(page)
        inputs = made.inputs[listing.url] = (fields, *rows_key(on_page))
        job = (kind, listing.url)
        kept = before is not None and before.inputs.get(listing.url) == inputs
        made.prints[job] = before.prints[job] if kept else fingerprint_of((fields, on_page), shown)
    return made


def keys_and_dates(before: KeptList | None, claims: list[Claim], moved: tuple | None) -> tuple[tuple, tuple]:
    """The claims' slugs and dates, which the cut is made of: ``before``'s, with the claims that came
    and went put in and taken out, where those are known (``moved``, as kept_list takes it: every
    other claim is the same object, so has the same slug and date); else read from each claim,
    which, as each claim lies elsewhere in memory, costs more than the cut itself."""
    if before is None or moved is None:
        return tuple(map(claim_key, claims)), tuple(map(claim_date, claims))
    came, went = moved
    gone, come = [place_of(before.claims, claim) for claim in went], [place_of(claims, claim) for claim in came]
    if None in gone or None in come or len(before.keys) - len(gone) + len(come) != len(claims):
        return tuple(map(claim_key, claims)), tuple(map(claim_date, claims))
    shift = Shift(sorted(gone), sorted(come))
    keys, dates = shift.carry(before.keys), shift.carry(before.dates)
    for at in shift.came:
        keys[at], dates[at] = claims[at].slug, claims[at].published
    return tuple(keys), tuple(dates)


def pages_shifted(before: KeptList, made: KeptList) -> set[int]:
    """Of ``made``'s pages, cut anew as claims came to the list or went, those that are ``before``'s
    page but for where it starts in the list (which the claims that came or went before it move):
    cut as it was, with the very same claims. Not the newest, which counts the whole list. (Only
    where every claim but those that came and went is the same object with the same claimant as
    before: kept_list's ``moved``.)"""
    last = {cut.url: cut for cut in before.cuts}
    kept_pages = set()
    for number, cut in enumerate(made.cuts[1:], start=1):
        old = last.get(cut.url)
        if old is not None and old[2:] == cut[2:] and old.stop - old.start == cut.stop - cut.start and \
                all(map(operator.is_, before.claims[old.start:old.stop], made.claims[cut.start:cut.stop])):
            kept_pages.add(number)
    return kept_pages


def verdict_counts(before: KeptList | None, claims: list[Claim], moved: tuple | None, of_list: tuple,
                   counted: Callable[[list[Claim]], list[Claim]] | None = None) -> dict[str, int]:
    """How many of the list's claims (those ``counted`` keeps: by default all) have each verdict, as
    count_by_verdict counts them: ``before``'s counts with the claims that came and went since
    (``moved``, as kept_list takes it), where those are known and ``before`` is of the same list
    (``of_list``, which holds what the list is of: a person edited is another object, whose list
    has every claim come to it). The newest page of a list of thousands shows its counts, and a
    title edit would otherwise count the list again."""
    if before is None or moved is None or before.of_list != of_list:
        return count_by_verdict(claims if counted is None else counted(claims))
    came, went = moved if counted is None else map(counted, moved)
    counts = Counter(before.counts)
    counts.update(map(verdict_slug, came))
    counts.subtract(map(verdict_slug, went))
    if counted is None and counts.total() != len(claims):  # what came and went is not this list's: count it
        return count_by_verdict(claims)
    return {slug: count for slug, count in counts.items() if count}


def changed_places(before: KeptList | None, claims: list[Claim], claimants: tuple | None,
                   moved: tuple | None) -> list[int] | None:
    """Where ``claims`` holds another claim, or one with another claimant, than ``before``'s list,
    in order; None if the two are not as long, or where they differ is not known."""
    if before is None or len(before.claims) != len(claims):
        return None
    if moved is None:
        if before.claimants is None:
            return None
        return sorted(set(changed_positions((before.claims, before.claimants), (claims, claimants))))
    came, went = moved
    places = [*(place_of(claims, claim) for claim in came), *(place_of(before.claims, claim) for claim in went)]
    if None in places:
        return None
    # Every claim outside these places is where it was; between them, one may have moved up or down.
    return [at for at in range(min(places), max(places) + 1) if before.claims[at] is not claims[at]] if places else []


def place_of(claims: Sequence[Claim], claim: Claim) -> int | None:
    """Where ``claim`` is in ``claims``, newest first (model/assemble.py sorts them so), or None."""
    at = end_of(claims, published_and_slug(claim), published_and_slug) - 1  # (no two claims share a slug)
    return at if at >= 0 and claims[at] is claim else None


def same_place(claim: Claim, other: Claim) -> bool:
    """Whether ``other`` takes ``claim``'s place in a list's cut: the same slug and date."""
    return claim.slug == other.slug and claim.published == other.published


def changed_positions(before: tuple, after: tuple) -> Iterator[int]:
    """Where two rows_key of lists as long as each other differ: a claim, or its claimant, is
    another object. At C speed: lists of thousands are compared on every update."""
    (claims, claimants), (new_claims, new_claimants) = before, after
    positions = range(len(claims))
    yield from itertools.compress(positions, map(operator.is_not, claims, new_claims))
    yield from itertools.compress(positions, map(operator.is_not, claimants, new_claimants))


def fingerprint_of(page_shows: tuple[tuple[str, ...], list[Claim]], shown: dict[str, str]) -> str:
    """A page's fingerprint from what it shows (a kind's ``shown_by``): its own fields, and what it
    shows of each claim on it (their rows' ``shown``)."""
    fields, claims = page_shows
    return digest_of(*fields, *[shown[claim.slug] for claim in claims])
