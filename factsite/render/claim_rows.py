"""What the files made from every claim show of each one, worked out once per claim.

Lists, feeds and source pages show a claim's card; claims.json its ClaimReview; the published
state its title and verdict. Each of these files, and its fingerprint, goes through every claim
of the site. A long-running preview keeps each claim that did not change from one update to the
next as the very same object, linked to the same claimant (read/reuse.py): a claim's row is
then kept too, and worked out again only for the claims that are new objects.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import NamedTuple

from ..checks.published import claim_data
from ..digest import digest_of
from ..model.assemble import Changes
from ..model.site import Claim, Claimant
from ..read.reuse import Reuse
from .structured_data import review_key, to_json


class ClaimRow(NamedTuple):
    claim: Claim  # the objects it was worked out from
    claimant: Claimant
    # What lists, feeds, source pages and related claims show of it: its file, and its address
    # (a renamed file is the same text at a new address). The claimant's name and type are the
    # shared claimant's, which another claim's file may set.
    shown: str
    review_key: str  # what its ClaimReview is made of (structured_data.review_key)
    state: str  # its entry in the published state, as JSON (checks/published.claim_data); "" for a draft


def row_of(claim: Claim) -> ClaimRow:
    shown = digest_of(claim.slug, claim.digest, claim.claimant.name, claim.claimant.type,
                      claim.appeared_in.digest if claim.appeared_in else "")
    return ClaimRow(claim, claim.claimant, shown, review_key(claim), "" if claim.draft else to_json(claim_data(claim)))


def rows_key(claims: list[Claim]) -> tuple[tuple, tuple]:
    """What the rows of ``claims`` are worked out from, as claim_rows compares it (the claims and
    their claimants): equal keys mean equal rows. Made at C speed, as lists of thousands ask it."""
    return tuple(claims), tuple(map(_claimant, claims))


_claimant = operator.attrgetter("claimant")


class RowChanges(NamedTuple):
    """What differs from the last update's rows (claim_rows)."""

    slugs: set  # of each claim whose row was made again, is new or is gone
    holders: set  # whose lists may hold other claims (model/site.Claim.holders, and claimants)
    # The claims that came and went, and who names whom as related, if the assembly told them
    # (model/assemble.Assembly.changes_since).
    assembled: Changes | None = None


def claim_rows(claims: list[Claim], kept: Reuse, assembled: Changes | None = None
               ) -> tuple[dict[str, ClaimRow], RowChanges]:
    """Each claim's row, by slug in the order of ``claims``: the last update's where the claim and
    its claimant are the same objects; and what changed since: the claims whose row is not the last
    update's, and the lists of their holders and claimants, as they were and as they are. A claim
    given again with the same claimant is in the same lists as before, at the same place
    (model/assemble.py sorts them by its date and slug), so a list of none of these holders holds
    the very claims it held at the last update, and shows the same.

    ``assembled``: the claims that came and went since the assembly the kept rows were made
    from, if known (Assembly.changes_since). Every other claim is then the same object, with the
    same claimant (an assembly is patched only then), and its row is given again unlooked at."""
    kept.abandon()  # anything an update that stopped part-way made: not this update's changes
    if assembled is None:
        rows = {claim.slug: kept.computed(claim.slug, (claim, claim.claimant), functools.partial(row_of, claim))
                for claim in claims}
    else:
        kept.carried([claim.slug for claim in assembled.came + assembled.went])
        for claim in assembled.came:
            kept.computed(claim.slug, (claim, claim.claimant), functools.partial(row_of, claim))
        slugs = list(map(_slug, claims))
        rows = dict(zip(slugs, kept.results(slugs)))
    changes = row_changes(kept, assembled)
    kept.next_update()
    return rows, changes


def row_changes(kept: Reuse, assembled: Changes | None = None) -> RowChanges:
    """What differs from the last update's rows in ``kept``, before its next_update."""
    changes = RowChanges(set(), set(), assembled)
    for claim, claimant in kept.changed_inputs():
        changes.slugs.add(claim.slug)
        changes.holders.update(claim.holders)
        changes.holders.add(claimant)
    return changes


_slug = operator.attrgetter("slug")


def unchanged_lists(changes: RowChanges | None) -> Callable[[object], bool]:
    """Whether the list of a verdict, topic, source, person or claimant (None: the front page, of
    every claim) holds the very claims, with the same claimants, as when the results kept of it
    were made, given what changed since (Renderer.changes_since; None: not known). A list kept
    whose claims changed is made again (Reuse.remade), as its inputs (the settings, what it is
    of) do not cover them (render/pages.py)."""
    def unchanged(holder) -> bool:
        if changes is None:
            return False
        return not changes.slugs if holder is None else holder not in changes.holders

    return unchanged


def moves(changes: RowChanges | None) -> Callable[[object], tuple | None]:
    """The claims that came to the list of a verdict, topic, source, person or claimant (None: the
    front page, of every claim), and those that went from it, since the last update (``changes``,
    Renderer.changes_since); None if that is not known."""
    if changes is None or changes.assembled is None:
        return lambda holder: None
    by_holder: dict = {}
    for side, claims in enumerate((changes.assembled.came, changes.assembled.went)):
        for claim in claims:
            for holder in dict.fromkeys((None, *claim.holders, claim.claimant)):
                by_holder.setdefault(holder, ([], []))[side].append(claim)
    return lambda holder: by_holder.get(holder, ((), ()))
