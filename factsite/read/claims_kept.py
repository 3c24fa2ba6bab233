"""What reading the claim files made, kept by each file's place in the folder's listing.

A long-running preview reads the claims again on every save. The file cache gives each unchanged
file's very record again, in a list of the same files in the same order (file_lists.py), and a
claim made from the same record in the same context is the same claim (reuse.py). So where the
listing and the context are as they were, only the records that are new objects are made into
claims again: the rest, and what linking them to their claimants found, are the last update's.
Where a few files came or went, and nothing else changed, the same holds at their new places
(shifted, by factsite/places.py).
"""

from __future__ import annotations

import itertools
import operator
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from ..digest import record_key
from ..errors import Problems
from ..model.site import Claim, Claimant
from ..places import shift_between
from .claim_file import ClaimFile
from .claim_links import ClaimContext, complete
from .reuse import Reuse

AGAIN_AT_MOST = 100  # records changed; beyond that, reading every one costs little more


@dataclass(frozen=True, eq=False)
class ClaimsRead:
    """What load_claims made of the listing's files, by their place in ``ordered``."""

    ordered: list  # (slug, path) of each file, as load_claims lists them: this very object
    records: list[ClaimFile | None]  # each file's record, as the file cache gave it
    files: dict[str, ClaimFile]  # the same, by the claim's address, for the translations (translations.py)
    context: ClaimContext  # what each claim was checked against
    made: list[Claim | None]  # the claim made of each record
    keys: list[str | None]  # each claim's key in reuse, None where there is no record
    claimant_keys: list[str]  # the key of each claimant the claims were linked to
    aliased: tuple[int, ...]  # the places of the records that give aliases (read/addresses.check_aliases)
    linked_cleanly: bool  # linking the claims to their claimants reported nothing (claimants.py)
    # For a file that comes or goes (shifted): each claimant by address, how many claims each has
    # and how many of those give its type, and how many claims name each address as related.
    claimants: dict[str, Claimant]
    claim_counts: Counter
    typed_counts: Counter
    named: Counter
    clean: bool = False  # reading them reported no error (load_claims sets it)

    @property
    def claims(self) -> list[Claim]:
        return [*filter(None, self.made)]


def read_again(last: ClaimsRead | None, ordered: list, records: list, context: ClaimContext,
               came_or_went: frozenset[str] | None, reuse: Reuse, problems: Problems,
               make: Callable[[str, ClaimFile], Claim | None]) -> ClaimsRead | None:
    """``last`` with a claim made again (``make(slug, record)``, which reuse.made gives again or
    makes) of each record that is not the very object it was then, and every other claim given
    again with what it reported; None, having done nothing, where that would not be what reading
    them all gives: another listing or context, many changed records, a record that makes no
    claim now or made none then (one without a claimant, say), a claimant spelled or typed
    otherwise (who may then be someone else, or be named two ways: claimants.py), a mistake in
    linking the claimants last time, or an update stopped since (Reuse.interrupted), whose
    reading may have linked the claims given again to other claimants."""
    if last is None or not last.linked_cleanly or reuse.interrupted:
        return None
    if last.ordered is not ordered:
        last = shifted(last, ordered, context, came_or_went)
    if last is None or last.context is not context:
        return None
    changed = list(itertools.compress(range(len(records)), map(operator.is_not, records, last.records)))
    if len(changed) > AGAIN_AT_MOST or not all(_made_alike(last, records, at, context) for at in changed):
        return None
    keys = reuse.carry_all_but(last.keys, changed, problems)  # (a claim made again keeps its key)
    reuse.carry(last.claimant_keys, problems)
    made, files, named = list(last.made), dict(last.files), Counter(last.named)
    claim_counts, typed_counts = Counter(last.claim_counts), Counter(last.typed_counts)
    for at in changed:
        slug, record, before = ordered[at][0], records[at], last.records[at]
        claim = made[at] = make(slug, record)
        claim.claimant = last.claimants[record.claimant_named[1]]  # the same name and type (_made_alike)
        files[slug], keys[at] = record, record_key("claim", slug)
        if before is None:  # (a file that came)
            claim_counts[claim.claimant.slug] += 1
            typed_counts[claim.claimant.slug] += bool(record.values["claimant_type"])
        named.subtract(() if before is None else before.values["related"])
        named.update(record.values["related"])
    aliased = {*last.aliased}.difference(changed).union(at for at in changed if records[at].values["aliases"])
    return ClaimsRead(ordered, records, files, context, made, keys, last.claimant_keys, tuple(sorted(aliased)),
                      True, last.claimants, claim_counts, typed_counts, named)


def shifted(last: ClaimsRead, ordered: list, context: ClaimContext, came_or_went: frozenset[str] | None
            ) -> ClaimsRead | None:
    """``last`` at the places of ``ordered``, the listing of a few files that came or went since
    (a record there is None, for read_again to make); None where that would not be what reading
    them all gives: a file gone whose claim was its claimant's last, or the last to give its type
    (the claimant changes); an address that came or went that a claim names as related (it is
    linked otherwise); anything in what claims are checked against changed but the addresses
    (``came_or_went``, claims.come_or_gone's); or a mistake reported last time (the message may
    name what came or went)."""
    shift = shift_between(list(map(_slug, last.ordered)), list(map(_slug, ordered)), AGAIN_AT_MOST)
    if shift is None or not last.clean:
        return None
    slugs = {last.ordered[at][0] for at in shift.went} | {ordered[at][0] for at in shift.came}
    if came_or_went != slugs or any(last.named[slug] for slug in slugs):
        return None
    claim_counts, typed_counts = Counter(last.claim_counts), Counter(last.typed_counts)
    for at in shift.went:
        if last.made[at] is None:
            return None
        claimant, record = last.made[at].claimant.slug, last.records[at]
        claim_counts[claimant] -= 1
        typed_counts[claimant] -= bool(record.values["claimant_type"])
        if not claim_counts[claimant] or (record.values["claimant_type"] and not typed_counts[claimant]):
            return None
    named, files = Counter(last.named), dict(last.files)
    for at in shift.went:
        named.subtract(last.records[at].values["related"])
        del files[last.ordered[at][0]]
    aliased = tuple(place for place in map(shift.place, last.aliased) if place is not None)
    return ClaimsRead(ordered, shift.carry(last.records), files, context, shift.carry(last.made),
                      shift.carry(last.keys), last.claimant_keys, aliased, True, last.claimants, +claim_counts,
                      +typed_counts, named, True)


def _made_alike(last: ClaimsRead, records: list, at: int, context: ClaimContext) -> bool:
    """Whether the record at ``at`` makes a claim, as the last one there did, with a claimant of
    the same name and type; or, if no record was there (a file that came), with a claimant there
    is, named as it is, and of its type if it gives one."""
    before, now = last.records[at], records[at]
    if now is None or not complete(now, context):
        return False
    if before is None:
        (name, slug), kind = now.claimant_named, now.values["claimant_type"]
        claimant = last.claimants.get(slug)
        return claimant is not None and claimant.name == name and (not kind or kind == claimant.type)
    return (last.made[at] is not None and before.claimant_named == now.claimant_named
            and before.values["claimant_type"] == now.values["claimant_type"])


_slug = operator.itemgetter(0)  # of an item of a listing, (slug, path)
