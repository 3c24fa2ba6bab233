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

import functools
import itertools
import operator
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from markupsafe import Markup

from ..digest import digest_of
from .jobs import Output
from ..model.pagination import Listing
from ..model.site import Claim, Source, claim_url
from .claim_rows import RowChanges, moves, unchanged_lists
from .addresses import linked_pages
from .kept_lists import KeptList, claim_key, fingerprint_of, kept_list, verdict_counts
from .structured_data import claim_review, to_script_json

if TYPE_CHECKING:
    from .renderer import Renderer


class ClaimPages:
    """A claim's page, its embeddable badge, its share card, and a page at each of its old
    addresses that sends the reader on to it."""

    kind = "claim"

    def __init__(self, renderer: Renderer):
        self.r = renderer
        self.by_slug = renderer.claims_by_slug

    def keys(self) -> list[str]:
        return list(map(claim_key, self.r.site.claims))

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
        analysis and where its links lead, the sources it cites, the claims it names as related,
        and the people of its byline."""
        shown = self.r.shown
        return digest_of(self.r.layout, shown[claim.slug], claim.body_digest, *self.r.links_renamed(claim.body),
                         *[c.source.digest for c in claim.citations], *[shown[r.slug] for r in claim.related],
                         *[person.digest for person in claim.authors + claim.editors])

    def fingerprint(self, slug: str) -> str:
        return self.fingerprint_of(self.by_slug[slug])

    def fingerprints(self) -> dict:
        """Each claim page's, kept from the last update where the claim's row is the same, no
        claim it names as related has changed, come or gone (Renderer.changes_since), and its
        analysis links to no topic or claimant page that came, went or moved (linking_to): that
        covers all that fingerprint_of digests but the layout, with which all are made again."""
        layout, renamed = self.r.layout, self.r.renamed_links
        kept, claims, name = self.r.kept.claim_prints, self.r.site.claims, self.r.job_name(self.kind)
        kept.abandon()  # anything an update that stopped part-way made
        changes, last, before = self.r.changes_since(kept), kept.kept(PRINTS), kept.inputs(LAYOUT)
        again = claims
        if changes is not None and before is not None and before[0] == layout:
            again = self.changed_or_naming(changes, claims, linking_to(claims, renamed, before[1]))
            kept.carried([*changes.slugs, *(claim.slug for claim in again)])  # every other is given again
        for claim in again:
            kept.remade(claim.slug, (layout, self.r.rows[claim.slug]), functools.partial(self.fingerprint_of, claim))
        kept.computed(LAYOUT, (layout, renamed), lambda: None)
        prints = None
        if again is not claims and last is not None:
            # The last update's, with those of the claims that changed, came or went: a copy of
            # the table is quicker than 10,000 jobs named again. (A claim edited keeps its place.)
            prints = dict(last)
            for slug in changes.slugs:
                if slug not in self.by_slug:
                    prints.pop((name, slug), None)
            slugs = [claim.slug for claim in again]
            prints.update(zip(zip(itertools.repeat(name), slugs), kept.results(slugs)))
        if prints is None or len(prints) != len(claims):  # (should what changed not add up: every claim's)
            slugs = list(map(claim_key, claims))
            prints = dict(zip(zip(itertools.repeat(name), slugs), kept.results(slugs)))
        kept.remade(PRINTS, (), lambda: prints)  # (for the next update, never compared)
        kept.next_update(self.r.kept.rows.update)  # in step with the rows: Renderer.changes_since
        return prints

    def changed_or_naming(self, changes: RowChanges, claims: list[Claim], linking: list[Claim]) -> list[Claim]:
        """Of ``claims``, those whose row changed and those naming as related any claim that
        changed, came or went: found in the assembly's index of who names whom, if there is one
        (model/assemble.Assembly.naming), else by going through every claim; and ``linking``, the
        claims whose links may lead elsewhere now (linking_to)."""
        slugs, assembled = changes.slugs, changes.assembled
        if assembled is None:
            found = [claim for claim in claims if claim.slug in slugs or not slugs.isdisjoint(claim.related_slugs)]
        else:
            changed = filter(None, map(self.by_slug.get, slugs))
            found = itertools.chain(changed, *(assembled.naming.get(slug, ()) for slug in slugs))
        return list({claim.slug: claim for claim in itertools.chain(found, linking)}.values())


def linking_to(claims: list[Claim], renamed: dict[str, str], before: dict[str, str]) -> list[Claim]:
    """Of ``claims``, those whose analysis may link to a topic or claimant page that has come,
    gone or moved in the edition since ``before`` (Addresses.renamed_links): where their links
    lead, which their fingerprints cover, may have changed."""
    moved = {name for name in renamed.keys() | before.keys() if renamed.get(name) != before.get(name)}
    return [claim for claim in claims if not moved.isdisjoint(linked_pages(claim.body))] if moved else []


LAYOUT = ("layout",)  # among the claim prints kept (a tuple: a slug is a string): the layout and renamed_links then
PRINTS = ("prints",)  # and the last update's fingerprints, by job


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
        changes = renderer.changes_since(kept)
        same_claims, moved = unchanged_lists(changes), moves(changes)
        self.pages, self.prints = {}, {}
        self.wholes = {base: claims for _, base, claims, _, _ in lists}  # each list's newest page counts it
        self.counts: dict[str, dict[str, int]] = {}  # each list's verdict counts, by its address
        for template, base, claims, context, own in lists:
            of_list, holder = (layout, template, *context.values(), own), next(iter(context.values()), None)
            keep = kept.computed if same_claims(holder) else kept.remade
            made = keep(base, of_list, functools.partial(
                self.list_pages, kept.kept(base), template, base, claims, moved(holder), context, own, of_list))
            self.pages.update(made.pages)
            self.prints.update(made.prints)
            self.counts[base] = made.counts  # (list_pages set it first, for shown_by: this is a list kept)
            renderer.counted(claims, made.counts)  # which the newest page's template asks for
        kept.next_update(self.r.kept.rows.update)  # in step with the rows: Renderer.changes_since

    def list_pages(self, before: KeptList | None, template: str, base: str, claims: list[Claim], moved: tuple | None,
                   context: dict, own: str, of_list: tuple) -> KeptList:
        """A list's pages and their fingerprints, keeping what it can of ``before``'s (kept_list)."""
        counts = self.counts[base] = verdict_counts(before, claims, moved, of_list)
        return kept_list(before, self.r.job_name(self.kind), base, claims, moved, of_list, counts, self.r.shown,
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
            totals = (str(len(self.wholes[listing.base])), repr(sorted(self.counts[listing.base].items())))
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
        changes = renderer.changes_since(kept)
        same_claims, moved = unchanged_lists(changes), moves(changes)
        self.pages, self.prints = {}, {}
        self.counts: dict[str, dict[str, int]] = {}  # the verdict counts of the claims made in each source, by id
        for source in renderer.site.sources:
            keep = kept.computed if same_claims(source) else kept.remade
            made = keep(source.url_path, (layout, source),
                        functools.partial(self.source_pages, kept.kept(source.url_path), source, moved(source)))
            self.pages.update(made.pages)
            self.prints.update(made.prints)
            self.counts[source.id] = made.counts  # (source_pages set it first, for shown_by: this is a source kept)
        kept.next_update(self.r.kept.rows.update)  # in step with the rows: Renderer.changes_since

    def source_pages(self, before: KeptList | None, source: Source, moved: tuple | None) -> KeptList:
        """The source's pages and their fingerprints, keeping what it can of ``before``'s (kept_list)."""
        of_list = (self.r.layout, source)
        counts = self.counts[source.id] = verdict_counts(before, source.claims, moved, of_list,
                                                         functools.partial(made_in, source))
        return kept_list(before, self.r.job_name(self.kind), source.url_path, source.claims, moved, of_list, counts,
                         self.r.shown, lambda listing: (source, listing), self.shown_by)

    def keys(self) -> list[str]:
        return list(self.pages)

    def files(self, url: str) -> Iterator[Output]:
        source, listing = self.pages[url]
        # By verdict, how many of the claims citing it were made in it: counted with the pages (kept_lists.py).
        made = self.counts[source.id] if listing.is_newest else {}
        yield self.r.page("source.html", url, source=source, listing=listing, made_in_counts=made)
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
            totals = (str(len(source.claims)), repr(sorted(self.counts[source.id].items())))
        return (self.r.layout, source.digest, *listing.frame, *totals), listing.claims

    def fingerprints(self) -> dict:
        return self.prints


def made_in(source: Source, claims: list[Claim]) -> list[Claim]:
    """Those of ``claims`` (citing ``source``) that were made in it, which its newest page counts
    by verdict (kept_lists.verdict_counts, with those that came and went)."""
    # At C speed: a source cited by thousands is counted whenever what came and went is not known.
    return list(itertools.compress(claims, map(operator.is_, map(_appeared_in, claims), itertools.repeat(source))))


_appeared_in = operator.attrgetter("appeared_in")
