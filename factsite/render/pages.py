"""The kinds of page that show claims (site_pages.py has the others), each declared in one
place: the jobs of its kind, the files each job writes (what its templates receive) and its
fingerprint (what those files show, digested). Keep the two side by side: a value given to a
template and left out of the fingerprint leaves a page stale after an incremental build
(tests/test_incremental.py and tests/test_preview.py compare such builds with fresh ones).

What every page shows (templates, static files, settings, the menus) is the renderer's
``layout``, in every fingerprint. What a page shows of a claim listed on it is the claim's
``shown`` digest (claim_rows.py). A fingerprint is one flat call to digest_of, with lists
unpacked rather than generators (a third quicker); the preview keeps each list's from one
update to the next while none of its claims changed (kept.py, Renderer.changes_since).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from markupsafe import Markup

from ..digest import digest_of
from .jobs import Output
from ..model.pagination import CLAIMS_CUT, Listing, PageCut, listing_of, page_cuts
from ..model.site import Claim, Source, claim_url
from .claim_rows import rows_key, unchanged_lists
from .structured_data import claim_review, to_script_json
from .templating import count_by_verdict

if TYPE_CHECKING:
    from .renderer import Renderer


claim_key = operator.attrgetter("slug")  # asked of every claim of every list: quicker than a function
claim_date = operator.attrgetter("published")


class ClaimPages:
    """A claim's page, its embeddable badge, its share card, and a page at each of its old
    addresses that sends the reader on to it."""

    kind = "claim"

    def __init__(self, renderer: Renderer):
        self.r = renderer
        self.by_slug = renderer.claims_by_slug

    def keys(self) -> list[str]:
        return list(self.by_slug)

    def files(self, slug: str) -> Iterator[Output]:
        r, claim = self.r, self.by_slug[slug]
        review = claim_review(claim, r.site, r.absolute_url)
        yield r.page("claim.html", claim.url, claim=claim, analysis=r.markdown_of(claim),
                     json_ld=Markup(to_script_json(review)))
        yield r.page("badge.svg", claim.url + "badge.svg", claim=claim)
        if r.cards:
            yield claim.url + "card.png", r.share_card(claim)
        for alias in claim.aliases:
            yield r.page("alias.html", claim_url(alias), target=claim)

    def fingerprint_of(self, claim: Claim) -> str:
        """The claim's fields and address (which its review, badge, card and aliases show), its
        analysis, the sources it cites, the claims it names as related, and the people of its byline."""
        shown = self.r.shown
        return digest_of(self.r.layout, shown[claim.slug], claim.body_digest,
                         *[c.source.digest for c in claim.citations], *[shown[r.slug] for r in claim.related],
                         *[person.digest for person in claim.authors + claim.editors])

    def fingerprint(self, slug: str) -> str:
        return self.fingerprint_of(self.by_slug[slug])

    def fingerprints(self) -> dict:
        """Each claim page's, kept from the last update where the claim's row is the same and no
        claim it names as related has changed, come or gone (Renderer.changes_since): that covers
        all that fingerprint_of digests but the layout, which is among its inputs (kept.py)."""
        rows, layout, kept = self.r.rows, self.r.layout, self.r.kept.claim_prints
        kept.abandon()  # anything an update that stopped part-way made
        changes = self.r.changes_since(kept)
        changed = changes.slugs if changes is not None else None
        prints = {}
        for claim in self.r.site.claims:
            slug = claim.slug
            same = changed is not None and slug not in changed and changed.isdisjoint(claim.related_slugs)
            prints[("claim", slug)] = (kept.computed if same else kept.remade)(
                slug, (layout, rows[slug]), functools.partial(self.fingerprint_of, claim))
        kept.next_update(self.r.kept.rows.update)  # in step with the rows: Renderer.changes_since
        return prints


class ListPage(NamedTuple):
    """One page of a list of claims: what its template receives."""

    template: str
    listing: Listing  # the claims on this page, and where the list goes on
    # The verdict, topic, claimant or person the list is of: named by the address; what the page
    # shows of it is in the layout (site.yml), in its claims' shown digests (the claimant's
    # name) or in ``own`` (a person's file).
    context: dict
    own: str = ""


class ListingPages:
    """Every page of every list of claims: the front page, each verdict, topic, claimant and person."""

    kind = "listing"

    def __init__(self, renderer: Renderer):
        self.r = renderer
        site = renderer.site
        lists = [("index.html", "", site.claims, {}, "")]
        lists += [("verdict.html", v.url, v.claims, {"verdict": v}, "") for v in site.verdicts]
        lists += [("topic.html", t.url, t.claims, {"topic": t}, "") for t in site.topics]
        lists += [("claimant.html", c.url, c.claims, {"claimant": c}, "") for c in site.claimants]
        lists += [("person.html", p.url_path, p.claims, {"person": p}, p.digest) for p in site.people]
        # Each list's pages and their fingerprints, kept from the last update where the list holds
        # the same claims (kept.py): most lists do not hold the claim an edit changed.
        layout, kept = renderer.layout, renderer.kept.lists
        kept.abandon()  # anything an update that stopped part-way made
        same_claims = unchanged_lists(renderer.changes_since(kept))
        self.pages, self.prints = {}, {}
        self.wholes = {base: claims for _, base, claims, _, _ in lists}  # each list's newest page counts it
        for template, base, claims, context, own in lists:
            of_list = (layout, template, *context.values(), own)
            keep = kept.computed if same_claims(next(iter(context.values()), None)) else kept.remade
            made = keep(base, of_list, functools.partial(
                self.list_pages, kept.kept(base), template, base, claims, context, own, of_list))
            self.pages.update(made.pages)
            self.prints.update(made.prints)
        kept.next_update(self.r.kept.rows.update)  # in step with the rows: Renderer.changes_since

    def list_pages(self, before: KeptList | None, template: str, base: str, claims: list[Claim],
                   context: dict, own: str, of_list: tuple) -> KeptList:
        """A list's pages and their fingerprints, keeping what it can of ``before``'s (kept_list)."""
        return kept_list(before, self.kind, base, claims, rows_key(claims), of_list, self.r.shown,
                         lambda listing: ListPage(template, listing, context, own), self.shown_by)

    def keys(self) -> list[str]:
        return list(self.pages)

    def files(self, url: str) -> Iterator[Output]:
        page = self.pages[url]
        yield self.r.page(page.template, url, listing=page.listing, **page.context)

    def fingerprint(self, url: str) -> str:
        return fingerprint_of(self.shown_by(self.pages[url]), self.r.shown)

    def shown_by(self, page: ListPage) -> tuple[tuple[str, ...], list[Claim]]:
        """What the page shows (fingerprint_of): the template, its own fields (its address, its
        neighbours', its dates), and on the list's newest page, the whole list's size and verdict
        counts; and its claims."""
        template, listing, _, own = page
        totals = ()
        if listing.is_newest:
            whole = self.wholes[listing.base]
            totals = (str(len(whole)), repr(sorted(self.r.count_by_verdict(whole).items())))
        return (self.r.layout, template, own, *listing.frame, *totals), listing.claims

    def fingerprints(self) -> dict:
        return self.prints


class SourcePages:
    """Each source's report card, its claims cut into pages as the lists are (a source can be
    cited by thousands), and the text copy its quotes are checked against, beside its newest page."""

    kind = "source"

    def __init__(self, renderer: Renderer):
        self.r = renderer
        # Kept from the last update as the lists' are (ListingPages), by the source and its claims.
        layout, kept = renderer.layout, renderer.kept.sources
        kept.abandon()  # anything an update that stopped part-way made
        same_claims = unchanged_lists(renderer.changes_since(kept))
        self.pages, self.prints = {}, {}
        for source in renderer.site.sources:
            keep = kept.computed if same_claims(source) else kept.remade
            made = keep(source.url_path, (layout, source),
                        functools.partial(self.source_pages, kept.kept(source.url_path), source))
            self.pages.update(made.pages)
            self.prints.update(made.prints)
        kept.next_update(self.r.kept.rows.update)  # in step with the rows: Renderer.changes_since

    def source_pages(self, before: KeptList | None, source: Source) -> KeptList:
        """The source's pages and their fingerprints, keeping what it can of ``before``'s (kept_list)."""
        return kept_list(before, self.kind, source.url_path, source.claims, rows_key(source.claims),
                         (self.r.layout, source), self.r.shown, lambda listing: (source, listing), self.shown_by)

    def keys(self) -> list[str]:
        return list(self.pages)

    def files(self, url: str) -> Iterator[Output]:
        source, listing = self.pages[url]
        yield self.r.page("source.html", url, source=source, listing=listing,
                          made_in=made_in(source) if listing.is_newest else [])
        if listing.is_newest and source.archived_copy_path:
            yield source.archived_copy_path, source.archived_text.encode("utf-8")

    def fingerprint(self, url: str) -> str:
        return fingerprint_of(self.shown_by(self.pages[url]), self.r.shown)

    def shown_by(self, page: tuple[Source, Listing]) -> tuple[tuple[str, ...], list[Claim]]:
        """The source's file (its text copy's digest is in it), the page's own fields, and on its
        newest page, how many claims cite it and the verdicts of the claims made in it; and the
        claims on this page."""
        source, listing = page
        totals = ()
        if listing.is_newest:
            totals = (str(len(source.claims)), repr(sorted(count_by_verdict(made_in(source)).items())))
        return (self.r.layout, source.digest, *listing.frame, *totals), listing.claims

    def fingerprints(self) -> dict:
        return self.prints


class KeptList(NamedTuple):
    """A list's pages and their fingerprints, and what they were worked out from, for the next
    update (kept_list)."""

    pages: dict  # by address
    prints: dict  # by job
    cuts: list[PageCut]
    starts: list[int]  # where each page starts in the list, newest page first
    inputs: dict  # by address: what each page's fingerprint was worked out from (its fields, rows_key)
    listed: tuple  # rows_key of the whole list: what the next update compares its claims with, and its cut
    of_list: tuple  # what every page shows of the list itself


def kept_list(before: KeptList | None, kind: str, base: str, claims: list[Claim], listed: tuple, of_list: tuple,
              shown: dict[str, str], page_of: Callable[[Listing], object], shown_by: Callable) -> KeptList:
    """The pages of a list of claims (``page_of`` each Listing), and their fingerprints (``shown_by``
    each page's, fingerprint_of); ``listed`` is rows_key(claims). From ``before``, the last update's of
    the same list, it keeps the cut while the claims' slugs and dates are the same, and a page's
    fingerprint while its fields and its claims' rows are: an edit that changes one claim of a list
    of thousands digests one page.

    ``of_list`` is what every page shows of the list itself (the settings, the verdict or source
    it is of): a page's page_of and shown_by may depend on nothing else but its Listing and, on
    the list's newest page alone, the whole list. So while ``of_list`` and the cut are the same,
    only the pages holding a claim whose row changed, and the newest, are made again."""
    changed = None
    if before is not None and len(before.listed[0]) == len(claims):
        changed = sorted(set(changed_positions(before.listed, listed)))
    # The cut depends on the claims' slugs and dates alone (page_cuts), and a claim that is the
    # same object has the same: only where the list has another claim need they be compared.
    same_cut = changed is not None and all(
        same_place(before.listed[0][at], claims[at]) for at in changed)
    if same_cut and before.of_list == of_list:
        made = before._replace(pages=dict(before.pages), prints=dict(before.prints), inputs=dict(before.inputs),
                               listed=listed)
        again = {0, *(bisect.bisect_right(before.starts, at) - 1 for at in changed)}
    else:
        cuts = before.cuts if same_cut else page_cuts(tuple(map(claim_key, claims)), tuple(map(claim_date, claims)),
                                                      base, CLAIMS_CUT)
        made = KeptList({}, {}, cuts, [cut.start for cut in cuts], {}, listed, of_list)
        again = range(len(cuts))
    for number in sorted(again):
        listing = listing_of(claims, base, made.cuts[number])
        page = made.pages[listing.url] = page_of(listing)
        fields, on_page = shown_by(page)
        inputs = made.inputs[listing.url] = (fields, *rows_key(on_page))
        job = (kind, listing.url)
        kept = before is not None and before.inputs.get(listing.url) == inputs
        made.prints[job] = before.prints[job] if kept else fingerprint_of((fields, on_page), shown)
    return made


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


def made_in(source: Source) -> list[Claim]:
    """The claims citing ``source`` that were made in it, which its newest page counts by verdict."""
    return [claim for claim in source.claims if claim.appeared_in is source]
