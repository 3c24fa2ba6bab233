"""Stage 3 of the build: link the loaded content into one :class:`Site`.

After this stage every object knows its neighbours: a verdict, topic, claimant
or source knows its claims; a claim knows its related claims. All lists are
sorted, so the output does not depend on the order files were read in.

A long-running preview assembles the site on every save, and a save changes a claim or two
of thousands: an assembly starts from the last one's (:class:`Assembly`) where few claims
came or went, and puts just those in or out of its lists, which are then the same lists,
in the same order, as assembling everything again would make.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from .site import Claim, Claimant, Content, Correction, Site, SiteConfig


def newest_first(claims: list[Claim]) -> list[Claim]:
    return sorted(claims, key=published_and_slug, reverse=True)


published_and_slug = operator.attrgetter("published", "slug")  # the lists' order; at C speed: asked on every save
_corrections = operator.attrgetter("corrections")
_claimant = operator.attrgetter("claimant")
PATCHED_AT_MOST = 100  # claims come or gone; beyond that, putting each in its place costs more than sorting


@dataclass(frozen=True)
class Assembly:
    """The lists an assembly made, for the next one to patch. Never changed once made: the
    site assembled holds the very same lists (and Update.discard only takes them from it)."""

    claims: list[Claim]  # newest first
    by_id: dict[int, Claim]  # each by id(): the claims are held here, so no other object can take their id
    claimants: tuple[Claimant, ...]  # each claim's, in the same order
    by_slug: dict[str, Claim]
    # By slug, the claims that name it as related: made by the first patch (naming_index), as a
    # build that assembles once never needs it.
    naming: dict[str, list[Claim]] | None
    lists: dict  # each verdict's, topic's, source's, person's and claimant's claims, by the holder
    corrections: list[Correction]  # newest first
    # What it changed of the assembly it patched, for the stages after it (render/claim_rows.py):
    # named by that assembly's token (None: assembled anew), as holding it would hold its lists.
    since: object = None
    came: tuple[Claim, ...] = ()  # the claims put in
    went: tuple[Claim, ...] = ()  # the claims taken out
    token: object = field(default_factory=object)  # equal to no other assembly's

    def changes_since(self, token: object) -> Changes | None:
        """The claims put in and taken out since the assembly whose token is ``token``, if this
        one is that very assembly (none), or was patched from it, or is a copy of one patched from
        it (assemble_site's, of an assembly ``patched`` gave again as nothing came or went since:
        with its ``since``, ``came`` and ``went``, which a renderer whose update stopped after that
        one was patched still needs); None if that is not known."""
        if token is self.token:
            return Changes((), (), self.naming or {})
        if token is None or token is not self.since:
            return None
        return Changes(self.came, self.went, self.naming)


class Changes(NamedTuple):
    """An assembly's claims come and gone since another, and which claims name each as related."""

    came: tuple[Claim, ...]
    went: tuple[Claim, ...]
    naming: dict[str, list[Claim]]


def assemble_site(config: SiteConfig, content: Content, last: Assembly | None = None) -> tuple[Site, Assembly]:
    """The site, and its assembly for the next; ``last``: the last assembly of the same edition."""
    holders = config.verdicts + config.topics + content.sources + content.people
    assembly = (last and patched(last, content.claims)) or assembled(content.claims, holders)
    for holder in holders:
        holder.claims = assembly.lists.get(holder) or []
    claimants = sorted((holder for holder, claims in assembly.lists.items() if type(holder) is Claimant and claims),
                       key=_by_name)
    for claimant in claimants:
        claimant.claims = assembly.lists[claimant]
    site = Site(
        config=config,
        claims=assembly.claims,
        sources=sorted(content.sources, key=lambda s: s.id),
        pages=content.pages,
        claimants=claimants,
        corrections=assembly.corrections,
        withdrawn=content.withdrawn,
        drafts=content.drafts,
        people=content.people,
    )
    # Kept for the next: only the lists of this site's holders, so that one gone is not held.
    lists = {holder: holder.claims for holder in holders} | {claimant: claimant.claims for claimant in claimants}
    return site, replace(assembly, lists=lists)


def assembled(claims: list[Claim], holders: list) -> Assembly:
    """Every list made anew from ``claims``."""
    claims = newest_first(claims)
    by_slug = {claim.slug: claim for claim in claims}
    for holder in holders:
        holder.claims = []
    for claim in claims:  # (every claim, on every update of the preview: kept to the few steps it needs)
        if claim.related_slugs:
            link_related(claim, by_slug)
        else:
            claim.related = []
        for holder in claim.holders:
            holder.claims.append(claim)
    claimants = {claim.claimant.slug: claim.claimant for claim in claims}.values()
    for claimant in claimants:
        claimant.claims = []
    for claim in claims:
        claim.claimant.claims.append(claim)
    lists = {holder: holder.claims for holder in itertools.chain(holders, claimants)}
    return Assembly(claims, dict(zip(map(id, claims), claims)), tuple(map(_claimant, claims)), by_slug, None,
                    lists, corrections_of(claims))


def patched(last: Assembly, claims: list[Claim]) -> Assembly | None:
    """``last`` with the claims of ``claims`` it does not hold put in their places, and those it
    holds that ``claims`` does not taken out; None where too many came or went, or where a claim
    it holds has another claimant (whose claims that changes: the reader links claimants anew)."""
    by_id = dict(zip(map(id, claims), claims))
    gone, new = last.by_id.keys() - by_id.keys(), by_id.keys() - last.by_id.keys()
    if len(gone) + len(new) > PATCHED_AT_MOST or any(map(operator.is_not, map(_claimant, last.claims),
                                                           last.claimants)):
        return None
    if not gone and not new:
        # (Its lists are the site's holders' at the last assembly: assemble_site keeps those alone.
        # Its changes are kept too, for a renderer that missed them: Assembly.changes_since.)
        return last
    removed, added = [last.by_id[at] for at in gone], newest_first([by_id[at] for at in new])
    ordered, claimants, by_slug = list(last.claims), list(last.claimants), dict(last.by_slug)
    lists, naming = Copied(last.lists), Copied(naming_index(last.claims) if last.naming is None else last.naming)
    for claim in removed:
        del claimants[take_out(ordered, claim, published_and_slug)]
        for holder in (*claim.holders, claim.claimant):
            take_out(lists.own(holder), claim, published_and_slug)
        for slug in dict.fromkeys(claim.related_slugs):
            naming.own(slug).remove(claim)
        if by_slug.get(claim.slug) is claim:
            del by_slug[claim.slug]
    for claim in added:
        by_slug[claim.slug] = claim
        claimants.insert(put_in_place(ordered, claim, published_and_slug), claim.claimant)
        for holder in (*claim.holders, claim.claimant):
            put_in_place(lists.own(holder), claim, published_and_slug)
        for slug in dict.fromkeys(claim.related_slugs):
            naming.own(slug).append(claim)
    # Linked again: the claims added, and those naming a claim that came, went or is another object.
    for claim in {id(claim): claim for claim in itertools.chain(
            added, *(naming.get(c.slug, ()) for c in removed + added))}.values():
        link_related(claim, by_slug)
    return Assembly(ordered, by_id, tuple(claimants), by_slug, naming, lists,
                    patched_corrections(last.corrections, removed, added), last.token, tuple(added), tuple(removed))


def naming_index(claims: list[Claim]) -> dict[str, list[Claim]]:
    """By slug, the claims of ``claims`` that name it as related."""
    naming: dict[str, list[Claim]] = {}
    for claim in claims:
        for slug in dict.fromkeys(claim.related_slugs):
            naming.setdefault(slug, []).append(claim)
    return naming


class Copied(dict):
    """A copy of a dict of lists, each list copied before it is first changed: the last
    assembly's lists are never changed."""

    def __init__(self, lists: dict):
        super().__init__(lists)
        self.copied: set = set()

    def own(self, key) -> list:
        if key not in self.copied:  # (a holder is its own key, by identity; a slug by its letters)
            self.copied.add(key)
            self[key] = list(self.get(key, ()))
        return self[key]


def patched_corrections(corrections: list[Correction], removed: list[Claim], added: list[Claim]) -> list[Correction]:
    """The last assembly's corrections, less the claims' removed and with the claims' added."""
    if not any(claim.corrections for claim in removed + added):
        return corrections
    kept = list(corrections)
    for claim in removed:
        for correction in claim.corrections:
            kept.remove(correction)  # by identity
    for claim in added:
        for correction in claim.corrections:
            put_in_place(kept, correction, _correction_order)
    return kept


def put_in_place(items: list, item, key: Callable) -> int:
    """Put ``item`` into ``items``, sorted by ``key`` from the greatest, where ``key`` puts it:
    after those with the same key, as sorting keeps items with the same key in the order they
    came (a claim's corrections of one day). Returns where."""
    at = end_of(items, key(item), key)
    items.insert(at, item)
    return at


def take_out(items: list, item, key: Callable) -> int:
    """Take ``item`` out of ``items``, sorted by ``key`` from the greatest, in which no other item
    has its key (a claim's date and address); returns where it was. Found by its key, without
    looking at every item (which, in a list of thousands of claims, each lie elsewhere in memory)."""
    at = end_of(items, key(item), key) - 1
    if at < 0 or items[at] is not item:
        at = items.index(item)  # (not sorted so: found the slow way)
    del items[at]
    return at


def end_of(items: Sequence, wanted, key: Callable) -> int:
    """Where the items of ``items`` (sorted by ``key`` from the greatest) whose key is ``wanted``
    or greater end."""
    low, high = 0, len(items)
    while low < high:
        middle = (low + high) // 2
        if key(items[middle]) >= wanted:
            low = middle + 1
        else:
            high = middle
    return low


def _by_name(claimant: Claimant) -> tuple[str, str]:
    return claimant.name.lower(), claimant.slug  # two may share a name, each with an address of their own


def link_related(claim: Claim, by_slug: dict[str, Claim]) -> None:
    # A related claim left out of this build (a draft) is simply not linked. (At C speed, as
    # most claims are linked on every update: a claim is never false, so filter drops only the None.)
    claim.related = [*filter(None, map(by_slug.get, claim.related_slugs))]


def _correction_order(correction: Correction) -> tuple:
    return correction.date, correction.claim.slug


def corrections_of(claims: list[Claim]) -> list:
    """Every correction of every claim, newest first."""
    return sorted(itertools.chain.from_iterable(map(_corrections, claims)), key=_correction_order, reverse=True)


def disassemble(site: Site) -> None:
    """Undo the links from the model's holders to their claims (a verdict's, a claimant's), so
    that a model no one uses any more is freed at once, by reference counting. Left linked,
    only the cycle collector frees it, which must walk every live object to find it: 0.3 s at
    10,000 claims, which a long-running preview would spend after every save. The claims
    themselves, and the verdicts and sources, may serve the next update (read/reuse.py), and
    the lists themselves the next assembly (Assembly), which reaches none through a holder."""
    for holder in (*site.verdicts, *site.topics, *site.claimants, *site.sources, *site.people):
        holder.claims = []


def unlink(claim: Claim) -> None:
    """Undo a claim's links to other claims and back from its corrections, once no update
    uses it (read/reuse.py), for the same reason."""
    claim.related = []
    for correction in claim.corrections:
        correction.claim = None
