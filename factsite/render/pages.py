"""The kinds of page that show claims (site_pages.py has the others), each declared in one
place: the jobs of its kind, the files each job writes (what its templates receive) and its
fingerprint (what those files show, digested). Keep the two side by side: a value given to a
template and left out of the fingerprint leaves a page stale after an incremental build
(tests/test_incremental.py and tests/test_preview.py compare such builds with fresh ones).

What every page shows (templates, static files, settings, the menus) is the renderer's
``layout``, in every fingerprint. What a page shows of a claim listed on it is the claim's
``shown`` digest (claim_rows.py). A fingerprint is one flat call to digest_of, with lists
unpacked rather than generators (a third quicker); the preview keeps each list's from one
update to the next while its claims' rows are the same (kept.py).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from markupsafe import Markup

from ..digest import digest_of
from .jobs import Output
from ..model.pagination import CLAIMS_CUT, Listing, paginate
from ..model.site import Claim, Source, claim_url
from .structured_data import claim_review, to_script_json
from .templating import count_by_verdict

if TYPE_CHECKING:
    from .renderer import Renderer


def claim_pages(claims: list[Claim], base: str) -> list[Listing]:
    """A list of claims cut into pages (model/pagination.py): a page starts at a claim by its slug."""
    return paginate(claims, base, CLAIMS_CUT, key=claim_key, date=claim_date)


def rows_of(rows: dict, claims: list[Claim]) -> list:
    """The rows (claim_rows.py) of ``claims``, in their order."""
    return list(map(rows.__getitem__, map(claim_key, claims)))


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
        """Each claim page's, kept from the last update where the claim's row and its related
        claims' rows are the same (kept.py): they cover all that fingerprint_of digests."""
        rows, layout, kept = self.r.rows, self.r.layout, self.r.kept.claim_prints
        prints = {("claim", claim.slug): kept.computed(
                      claim.slug, (layout, rows[claim.slug], *rows_of(rows, claim.related)),
                      functools.partial(self.fingerprint_of, claim))
                  for claim in self.r.site.claims}
        kept.next_update()
        return prints


class ListPage(NamedTuple):
    """One page of a list of claims: what its template receives."""

    template: str
    listing: Listing  # the claims on this page, and where the list goes on
    # The verdict, topic, claimant or person the list is of: named by the address; what the page
    # shows of it is in the layout (site.yml), in its claims' shown digests (the claimant's
    # name) or in ``own`` (a person's file).
    context: dict
    whole: list[Claim]  # the whole list: the page shows its size and its count of each verdict
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
        # Each list's pages and their fingerprints, kept from the last update where the list's
        # claims have the same rows (kept.py): most lists do not hold the claim an edit changed.
        rows, layout, kept = renderer.rows, renderer.layout, renderer.kept.lists
        self.pages, self.prints = {}, {}
        for template, base, claims, context, own in lists:
            pages, prints = kept.computed(base, (layout, template, *context.values(), own, *rows_of(rows, claims)),
                                          functools.partial(self.list_pages, template, base, claims, context, own))
            self.pages.update(pages)
            self.prints.update(prints)
        kept.next_update()

    def list_pages(self, template: str, base: str, claims: list[Claim], context: dict, own: str) -> tuple[dict, dict]:
        """A list's pages, by address, and their fingerprints."""
        pages = {listing.url: ListPage(template, listing, context, claims, own)
                 for listing in claim_pages(claims, base)}
        return pages, {("listing", url): self.fingerprint_of(page) for url, page in pages.items()}

    def keys(self) -> list[str]:
        return list(self.pages)

    def files(self, url: str) -> Iterator[Output]:
        page = self.pages[url]
        yield self.r.page(page.template, url, listing=page.listing, **page.context)

    def fingerprint(self, url: str) -> str:
        return self.fingerprint_of(self.pages[url])

    def fingerprint_of(self, page: ListPage) -> str:
        """Each field of its ListPage: the template, the page's claims and its own fields (its
        address, its neighbours', its dates), and on the list's newest page, the whole list's
        size and verdict counts."""
        template, listing, _, whole, own = page
        shown = self.r.shown
        totals = [str(len(whole)), repr(sorted(self.r.count_by_verdict(whole).items()))] if listing.is_newest else []
        return digest_of(self.r.layout, template, own, *listing.frame, *totals,
                         *[shown[c.slug] for c in listing.claims])

    def fingerprints(self) -> dict:
        return self.prints


class SourcePages:
    """Each source's report card, its claims cut into pages as the lists are (a source can be
    cited by thousands), and the text copy its quotes are checked against, beside its newest page."""

    kind = "source"

    def __init__(self, renderer: Renderer):
        self.r = renderer
        # Kept from the last update as the lists' are (ListingPages), by the source and its claims' rows.
        rows, layout, kept = renderer.rows, renderer.layout, renderer.kept.sources
        self.pages, self.prints = {}, {}
        for source in renderer.site.sources:
            pages, prints = kept.computed(source.url_path, (layout, source, *rows_of(rows, source.claims)),
                                          functools.partial(self.source_pages, source))
            self.pages.update(pages)
            self.prints.update(prints)
        kept.next_update()

    def source_pages(self, source: Source) -> tuple[dict, dict]:
        pages = {listing.url: (source, listing) for listing in claim_pages(source.claims, source.url_path)}
        return pages, {("source", url): self.fingerprint_of(source, listing) for url, (_, listing) in pages.items()}

    def keys(self) -> list[str]:
        return list(self.pages)

    def files(self, url: str) -> Iterator[Output]:
        source, listing = self.pages[url]
        yield self.r.page("source.html", url, source=source, listing=listing,
                          made_in=made_in(source) if listing.is_newest else [])
        if listing.is_newest and source.archived_copy_path:
            yield source.archived_copy_path, source.archived_text.encode("utf-8")

    def fingerprint(self, url: str) -> str:
        return self.fingerprint_of(*self.pages[url])

    def fingerprint_of(self, source: Source, listing: Listing) -> str:
        """The source's file (its text copy's digest is in it), the claims on this page and the
        page's own fields, and on its newest page, how many claims cite it and the verdicts of
        the claims made in it."""
        shown = self.r.shown
        totals = [str(len(source.claims)), repr(sorted(count_by_verdict(made_in(source)).items()))] if listing.is_newest else []
        return digest_of(self.r.layout, source.digest, *listing.frame, *totals, *[shown[c.slug] for c in listing.claims])

    def fingerprints(self) -> dict:
        return self.prints


def made_in(source: Source) -> list[Claim]:
    """The claims citing ``source`` that were made in it, which its newest page counts by verdict."""
    return [claim for claim in source.claims if claim.appeared_in is source]
