"""Long lists cut into pages that stay put when one item joins or leaves.

A list of claims (the index, a verdict, a topic, a claimant, a source's report card) is newest
first, and an edit of one claim can add it to a list or take it out anywhere along it: a new
verdict, a new topic, a deleted file. Cut at fixed positions (30 a page), one claim joining
the middle of a list moves every newer page's items by one, and re-renders half of every list
the claim is on, hundreds of pages on a site of 10,000 claims. So the cuts are made by content,
as backup tools cut files into chunks: counting from the oldest, a page ends just before an
item whose key is a *mark* (its hash is a multiple of ``Cut.mark``), once the page holds MIN_ITEMS, or
anyway at MAX_ITEMS. An item joining or leaving changes its own page, and seldom a neighbour's;
every other page keeps its items and its address, whatever the site's shape.

A page's address is the date of its oldest item (``page/2021-03-15/``), which tells a reader
what it holds. The list's own address shows the newest page (merged with the one before when
it is short) and whatever the whole list is counted by.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class Cut:
    """How a kind of list is cut: pages of ``min_items`` to ``max_items``, about ``min_items + mark``
    (the newest, joined to the one before when short, up to ``max_items + min_items - 1``)."""

    min_items: int
    mark: int  # one key in ``mark`` starts a page
    max_items: int


CLAIMS_CUT = Cut(min_items=10, mark=20, max_items=50)  # about 30 claims a page
CORRECTIONS_CUT = Cut(min_items=20, mark=30, max_items=80)  # about 50 corrections: a line each


@dataclass(frozen=True)
class Listing:
    """One page of a long list: of claims, or of corrections (the corrections log). What the
    page shows besides its items is its own fields, which ``shown`` gives its fingerprint."""

    items: list  # the claims, or corrections, on this page, newest first
    base: str  # the list's own address, where its newest page is: "verdicts/false/"
    url: str  # this page's address: ``base``, or "verdicts/false/page/2021-03-15/"
    newer: str | None  # the address of the page of newer items, if any
    older: str | None
    oldest: str | None  # the list's oldest page, linked from its newest (None elsewhere)
    since: dt.date | None  # the date of the page's oldest item, and of its newest
    until: dt.date | None

    @property
    def claims(self) -> list:
        """The items of a list of claims, by the name its templates use."""
        return self.items

    @property
    def is_newest(self) -> bool:
        """Whether this is the list's own page, which shows what the whole list is counted by."""
        return self.url == self.base

    @property
    def frame(self) -> tuple[str, ...]:
        """Everything this page shows apart from its items and the list's totals, for its fingerprint."""
        return (self.url, self.newer or "", self.older or "", self.oldest or "", str(self.since), str(self.until))


class PageCut(NamedTuple):
    """Where one page of a list is and what it is called: it holds the list's items
    ``[start:stop]`` (newest first); the rest are Listing's fields."""

    start: int
    stop: int
    url: str
    newer: str | None
    older: str | None
    oldest: str | None
    since: dt.date | None
    until: dt.date | None


def listings_of(items: list, base: str, cuts: list[PageCut]) -> list[Listing]:
    """``items`` (newest first) laid on the pages ``cuts`` made of them (page_cuts of their keys and
    dates), newest page first; an empty list still has its page. The renderer keeps a list's cut
    from one update to the next while its items' keys and dates are the same."""
    return [listing_of(items, base, cut) for cut in cuts]


def listing_of(items: list, base: str, cut: PageCut) -> Listing:
    """The page ``cut`` of ``items``: see listings_of."""
    return Listing(items[cut.start:cut.stop], base, cut.url, newer=cut.newer, older=cut.older, oldest=cut.oldest,
                   since=cut.since, until=cut.until)


def page_cuts(keys: Sequence[str], dates: Sequence[dt.date], base: str, cut: Cut) -> list[PageCut]:
    """Where a list is cut into pages, newest first, from its items' keys (each named by one, for
    its hash) and dates (for each page's address and label), newest first. It depends on nothing
    else, so a list whose items changed but for their keys and dates is cut the same."""
    count = len(keys)
    bounds = chunk_bounds([key_hash(key) for key in reversed(keys)], cut)
    # A chunk is [start, stop) counted from the oldest item: items [count - stop, count - start)
    # newest first, its oldest item at count - 1 - start.
    firsts = [count - 1 - start for start, _ in bounds]
    addresses = page_addresses([(keys[first], dates[first]) for first in firsts[:-1]], base)
    cuts = []
    for number, (start, stop) in enumerate(bounds):
        oldest, newest = count - 1 - start, count - stop  # the page's oldest and newest items
        cuts.append(PageCut(
            newest, oldest + 1, addresses[number],
            newer=addresses[number + 1] if number + 1 < len(bounds) else None,
            older=addresses[number - 1] if number > 0 else None,
            oldest=addresses[0] if number == len(bounds) - 1 and number > 0 else None,
            since=dates[oldest] if stop > start else None, until=dates[newest] if stop > start else None))
    return cuts[::-1]


def chunk_bounds(hashes: list[int], cut: Cut) -> list[tuple[int, int]]:
    """Each page's ``(start, stop)`` in a list of items' key hashes, oldest page first and oldest
    item first; the newest page, if it is shorter than ``cut.min_items``, is joined to the one before it."""
    starts = [0]  # where each page starts; the loop finds the mark items, then cuts between them
    marks = [number for number, hashed in enumerate(hashes) if hashed % cut.mark == 0]
    for number in [*marks, len(hashes)]:  # the end, to cut what runs long before it
        while number - starts[-1] > cut.max_items:
            starts.append(starts[-1] + cut.max_items)
        if cut.min_items <= number - starts[-1] and number < len(hashes):
            starts.append(number)
    if len(starts) > 1 and len(hashes) - starts[-1] < cut.min_items:
        starts.pop()
    return list(zip(starts, [*starts[1:], len(hashes)]))


@functools.lru_cache(maxsize=1 << 17)  # the same keys are asked on every rebuild of the preview
def key_hash(key: str) -> int:
    """A number for ``key`` that does not depend on the process (unlike hash())."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=4).digest(), "big")


def page_addresses(firsts: list[tuple[str, dt.date]], base: str) -> list[str]:
    """Each page's address, oldest first, from the key and date of each page's oldest item but the
    newest page's: the day, and if other pages start that day too, that item's key hash (not a
    count, which a page split on the same day would change for every page after it); the newest
    page's is the list's own."""
    starting = Counter(day for _, day in firsts)
    addresses, taken = [], set()
    for key, day in firsts:
        name = f"{day.isoformat()}-{key_hash(key):08x}" if starting[day] > 1 else day.isoformat()
        while name in taken:  # two keys of one hash: as good as never
            name += "-2"
        taken.add(name)
        addresses.append(f"{base}page/{name}/")
    return addresses + [base]
