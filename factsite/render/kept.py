"""What rendering works out from the model and keeps from one update to the next.

A long-running preview keeps each claim, source and verdict that did not change as the very
same object (read/reuse.py). What the renderer works out from them is kept too, each piece
with what it was worked out from, and worked out again only where that differs: a claim's row
(claim_rows.py), its page's fingerprint, each list's pages and their fingerprints (pages.py),
each review's JSON (site_files.py), each claim's card (renderer.py). A build that keeps
nothing works out everything, through the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Kept:
    rows: dict = field(default_factory=dict)  # each claim's row, by slug
    reviews: dict = field(default_factory=dict)  # each review's JSON, by layout and review key
    claim_prints: dict = field(default_factory=dict)  # each claim page's fingerprint, by slug, with its inputs
    lists: dict = field(default_factory=dict)  # each list's pages and fingerprints, by its address, with its inputs
    sources: dict = field(default_factory=dict)  # each source's pages and fingerprints, the same way
    pieces: dict = field(default_factory=dict)  # each claim card and badge, by template and key, with its inputs


def kept_or_made(kept: dict, now: dict, name, inputs: tuple, make):
    """``make()``, or what it gave for ``name`` last time (in ``kept``) if ``inputs`` are equal;
    noted in ``now``, which becomes ``kept`` for the next update. (Rows compare by the identity
    of the objects in them first, which is what makes this quick.)"""
    old = kept.get(name)
    if old is None or old[0] != inputs:
        old = (inputs, make())
    now[name] = old
    return old[1]
