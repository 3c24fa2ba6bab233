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
from collections.abc import Callable, Collection
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
    claimants: Claimants  # whom the claims were linked to
    aliased: tuple[int, ...]  # the places of the records that give aliases (read/addresses.check_aliases)
    linked_cleanly: bool  # linking the claims to their claimants reported nothing (claimants.py)
    named: Counter  # how many records name each address as related
    clean: bool = False  # making and linking the claims reported no error (load_claims sets it)

    @property
    def claims(self) -> list[Claim]:
        return [*filter(None, self.made)]


@dataclass(eq=False)
class Claimants:
    """The claimants claims were linked to, by address, each with how many claims it has and how
    many of those give its type: what tells whether a claim that came, went or names another
    claimant changes a claimant that other claims are linked to. Changed only as a copy()."""

    by_slug: dict[str, Claimant]
    counts: Counter
    typed: Counter

    def keys(self, but: Collection[str] = ()) -> list[str]:
        """The key in reuse of each claimant (claims.same_claimants's) but those at ``but``."""
        return [record_key("claimant", slug) for slug in self.by_slug if slug not in but]

    def copy(self) -> Claimants:
        return Claimants(dict(self.by_slug), Counter(self.counts), Counter(self.typed))

    def drop(self, claim: Claim, record: ClaimFile) -> bool:
        """Unlink ``claim`` (made of ``record``) from its claimant; False if that changes the claimant
        other claims are linked to: its type, which ``record`` was the last to give."""
        slug, typed = claim.claimant.slug, bool(record.values["claimant_type"])
        self.counts[slug] -= 1
        self.typed[slug] -= typed
        if not self.counts[slug]:
            del self.by_slug[slug], self.counts[slug], self.typed[slug]
        return not (typed and self.counts[slug] and not self.typed[slug])

    def add(self, record: ClaimFile, reuse: Reuse, problems: Problems) -> Claimant | None:
        """The claimant ``record`` names, made if no claim names it yet; None if ``record`` names
        one there is otherwise than its claims do (a mistake), or gives it another type than it has
        (a mistake, or a claimant other claims are linked to changing its type)."""
        (name, slug), kind = record.claimant_named, record.values["claimant_type"]
        claimant = self.by_slug.get(slug)
        if claimant is None:  # (as claimants.claimant_for makes it, and same_claimants keeps it)
            claimant = self.by_slug[slug] = reuse.made(record_key("claimant", slug), (name, kind or "person"),
                                                       lambda found: Claimant(slug, name, kind or "person"), problems)
        elif claimant.name != name or (kind and kind != claimant.type):
            return None
        self.counts[slug] += 1
        self.typed[slug] += bool(kind)
        return claimant


def read_again(last: ClaimsRead | None, ordered: list, records: list, context: ClaimContext,
               came_or_went: frozenset[str] | None, reuse: Reuse, problems: Problems,
               make: Callable[[str, ClaimFile], Claim | None]) -> ClaimsRead | None:
    """``last`` with a claim made again (``make(slug, record)``, which reuse.made gives again or
    makes) of each record that is not the very object it was then, and every other claim given
    again with what it reported; None, having given nothing again, where that would not be what
    reading them all gives: another context, many changed records, a record that makes no claim
    now or made none then (one without a claimant, say), a claimant named or typed otherwise
    than other claims name or type it (relinked), a mistake in linking the claimants last time,
    or an update stopped since (Reuse.interrupted), whose reading may have linked the claims
    given again to other claimants. ``came_or_went``: see shifted."""
    if last is None or not last.linked_cleanly or reuse.interrupted:
        return None
    if last.ordered is not ordered:
        last = shifted(last, ordered, context, came_or_went)
    if last is None or last.context is not context:
        return None
    changed = list(itertools.compress(range(len(records)), map(operator.is_not, records, last.records)))
    if len(changed) > AGAIN_AT_MOST or not all(records[at] and complete(records[at], context) for at in changed):
        return None
    linking = relinked(last, records, changed, reuse, problems)
    if linking is None:
        return None
    claimants, linked, made_now = linking
    keys = reuse.carry_all_but(last.keys, changed, problems)  # (a claim made again keeps its key)
    reuse.carry(claimants.keys(but=made_now), problems)  # (those made now are kept already)
    made, files, named = list(last.made), dict(last.files), Counter(last.named)
    for at in changed:
        slug, record, before = ordered[at][0], records[at], last.records[at]
        claim = made[at] = make(slug, record)
        claim.claimant = linked.get(at) or last.made[at].claimant
        files[slug], keys[at] = record, record_key("claim", slug)
        named.subtract(() if before is None else before.values["related"])
        named.update(record.values["related"])
    aliased = {*last.aliased}.difference(changed).union(at for at in changed if records[at].values["aliases"])
    return ClaimsRead(ordered, records, files, context, made, keys, claimants, aliased=tuple(sorted(aliased)),
                      linked_cleanly=True, named=named)


def relinked(last: ClaimsRead, records: list, changed: list[int], reuse: Reuse,
             problems: Problems) -> tuple[Claimants, dict[int, Claimant], set[str]] | None:
    """The claimants once the records at ``changed`` are linked; the claimant of each that names
    or types another than the last record there did (or came), as Claimants.add gives it; and
    the addresses of those it made (through reuse.made, which keeps them). None where that
    changes a claimant other claims are linked to, or a claim is linked otherwise than reading
    them all would link it, or the last record there made no claim."""
    claimants, linked, made_now = last.claimants, {}, set()
    for at in changed:
        before, now = last.records[at], records[at]
        if before is not None and last.made[at] is None:
            return None  # (a mistake then)
        if before is not None and before.claimant_named == now.claimant_named and \
                before.values["claimant_type"] == now.values["claimant_type"]:
            continue  # the same claimant (claims.same_claimants)
        if claimants is last.claimants:
            claimants = claimants.copy()
        if before is not None and not claimants.drop(last.made[at], before):
            return None
        if now.claimant_named[1] not in claimants.by_slug:
            made_now.add(now.claimant_named[1])
        linked[at] = claimants.add(now, reuse, problems)
        if linked[at] is None:
            return None
    return claimants, linked, made_now


def shifted(last: ClaimsRead, ordered: list, context: ClaimContext, came_or_went: frozenset[str] | None
            ) -> ClaimsRead | None:
    """``last`` at the places of ``ordered``, the listing of a few files that came or went since
    (a record there is None, for read_again to make); None where that would not be what reading
    them all gives: a file gone whose claim was the last to give its claimant's type (Claimants);
    an address that came or went that a claim names as related (it is linked otherwise);
    anything in what claims are checked against changed but the addresses (``came_or_went``,
    claims.come_or_gone's); or a mistake in the claims last time (``clean``: its message may name
    what came or went)."""
    shift = shift_between(list(map(_slug, last.ordered)), list(map(_slug, ordered)), AGAIN_AT_MOST)
    if shift is None or not last.clean:
        return None
    slugs = {last.ordered[at][0] for at in shift.went} | {ordered[at][0] for at in shift.came}
    if came_or_went != slugs or any(last.named[slug] for slug in slugs):
        return None
    claimants, named, files = last.claimants.copy(), Counter(last.named), dict(last.files)
    for at in shift.went:
        if last.made[at] is None or not claimants.drop(last.made[at], last.records[at]):
            return None
        named.subtract(last.records[at].values["related"])
        del files[last.ordered[at][0]]
    aliased = tuple(place for place in map(shift.place, last.aliased) if place is not None)
    return ClaimsRead(ordered, shift.carry(last.records), files, context, shift.carry(last.made),
                      shift.carry(last.keys), claimants, aliased=aliased, linked_cleanly=True, named=named)


_slug = operator.itemgetter(0)  # of an item of a listing, (slug, path)
