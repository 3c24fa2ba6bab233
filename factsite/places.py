"""Where what was kept by place goes when a few items of a sorted list came or went.

A long-running preview keeps what it made of each claim file by the file's place in the
folder's listing (read/file_lists.py, read/claims_kept.py). A claim file saved anew, or deleted,
makes a new listing: the same files in the same order, but for the one put in or taken out. A
Shift says where, so that what was kept is carried to the new places by slicing the lists
(at C speed) rather than by looking at each of 10,000 items again. What is kept by key (each
job's result) asks only which keys went (keys_gone).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Collection, Hashable, Iterable, Sequence
from typing import NamedTuple


class Shift(NamedTuple):
    """How a list became another: the places of the old list whose items went, and the places
    of the new list whose items came, both ascending. Every other item is in both, in the same
    order."""

    went: list[int]
    came: list[int]

    def carry(self, items: Sequence, fill=None) -> list:
        """``items``, by the old list's places, at the new list's: ``fill`` where an item came."""
        ends = [*self.went, len(items)]
        starts = [0, *(at + 1 for at in self.went)]
        carried = list(itertools.chain.from_iterable(items[start:end] for start, end in zip(starts, ends)))
        for at in self.came:
            carried.insert(at, fill)
        return carried

    def place(self, at: int) -> int | None:
        """The new place of the item at the old list's place ``at``; None if it went."""
        went_before = bisect.bisect_left(self.went, at)
        if went_before < len(self.went) and self.went[went_before] == at:
            return None
        at -= went_before
        for came in self.came:  # (ascending: each one at or before the item moves it on)
            if came <= at:
                at += 1
        return at


def shift_between(old: Sequence[Hashable], new: Sequence[Hashable], at_most: int) -> Shift | None:
    """The Shift from ``old`` to ``new``: two lists of keys that tell their items apart (a
    file's name, a claim's address), each list in the same order; None if more than ``at_most``
    keys came and went."""
    old_set, new_set = set(old), set(new)
    went, came = old_set - new_set, new_set - old_set
    if len(went) + len(came) > at_most:
        return None
    # (list.index, at C speed, for the few that came and went, rather than a place for each of thousands)
    return Shift(sorted(map(old.index, went)), sorted(map(new.index, came)))


def keys_gone(old: Collection, now: Collection, changed: Iterable) -> list:
    """The keys of ``old`` that ``now`` lacks. ``changed``: the keys of ``now`` whose value is not
    ``old``'s, those new to ``now`` among them. None went if ``now`` holds as many of ``old``'s
    keys as ``old`` has: counted so, without hashing every key once more (a preview has 40,000
    jobs)."""
    new = sum(key not in old for key in changed)
    return [] if len(now) - new == len(old) else list(itertools.filterfalse(now.__contains__, old))
