"""What reading the claim files made, kept by each file's place in the folder's listing.

A long-running preview reads the claims again on every save. The file cache gives each unchanged
file's very record again, in a list of the same files in the same order (file_lists.py), and a
claim made from the same record in the same context is the same claim (reuse.py). So where the
listing and the context are as they were, only the records that are new objects are made into
claims again: the rest, and what linking them to their claimants found, are the last update's.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import Problems
from ..model.site import Claim
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

    @property
    def claims(self) -> list[Claim]:
        return [*filter(None, self.made)]


def read_again(last: ClaimsRead | None, ordered: list, records: list, context: ClaimContext, reuse: Reuse,
               problems: Problems, make: Callable[[str, ClaimFile], Claim | None]) -> ClaimsRead | None:
    """``last`` with a claim made again (``make(slug, record)``, which reuse.made gives again or
    makes) of each record that is not the very object it was then, and every other claim given
    again with what it reported; None, having done nothing, where that would not be what reading
    them all gives: another listing or context, many changed records, a record that makes no
    claim now or made none then (one without a claimant, say), a claimant spelled or typed
    otherwise (who may then be someone else, or be named two ways: claimants.py), a mistake in
    linking the claimants last time, or an update stopped since (Reuse.interrupted), whose
    reading may have linked the claims given again to other claimants."""
    if last is None or last.ordered is not ordered or last.context is not context or not last.linked_cleanly \
            or reuse.interrupted:
        return None
    changed = list(itertools.compress(range(len(records)), map(operator.is_not, records, last.records)))
    if len(changed) > AGAIN_AT_MOST or not all(_made_alike(last, records, at, context) for at in changed):
        return None
    reuse.carry_all_but(last.keys, changed, problems)  # (a claim made again keeps its key)
    reuse.carry(last.claimant_keys, problems)
    made = list(last.made)
    files = dict(last.files)
    for at in changed:
        claim = made[at] = make(ordered[at][0], records[at])
        claim.claimant = last.made[at].claimant  # the same name and type: the same claimant (claims.same_claimants)
        files[ordered[at][0]] = records[at]
    aliased = {*last.aliased}.difference(changed).union(at for at in changed if records[at].values["aliases"])
    return ClaimsRead(ordered, records, files, context, made, last.keys, last.claimant_keys, tuple(sorted(aliased)),
                      True)


def _made_alike(last: ClaimsRead, records: list, at: int, context: ClaimContext) -> bool:
    """Whether the record at ``at`` makes a claim, as the last one there did, with a claimant of
    the same name and type."""
    before, now = last.records[at], records[at]
    return (before is not None and now is not None and last.made[at] is not None and complete(now, context)
            and before.claimant_named == now.claimant_named
            and before.values["claimant_type"] == now.values["claimant_type"])
