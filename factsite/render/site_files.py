"""The files made from every claim, each a job of its own (an edit to a claim's title, say,
leaves the sitemap and claims.json as they were, and rendering them is most of the time of
such a rebuild). Each file is declared once, in :meth:`WholeSiteFiles.declared`: the function
that writes it beside the one that digests what it shows.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import heapq
import itertools
import operator
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from .. import __version__
from ..digest import digest_of
from .jobs import Output
from ..model.site import Claim
from .site_pages import withdrawn_records
from ..checks.published import STATE_FILE, withdrawn_data
from .structured_data import claim_review, data_feed_json, to_json

if TYPE_CHECKING:
    from .renderer import Renderer

_state = operator.attrgetter("state")
_lang, _slug = operator.attrgetter("lang"), operator.attrgetter("slug")
FEED_SIZE = 50  # the fact-checks the Atom feed carries: those changed last, as readers poll it often
MONTHS = "months"  # the key of the claims by month in kept.months
SITEMAP_PREFIX = "sitemap-"  # the sitemap's parts, beside sitemap.xml: sitemap-sources.xml, sitemap-claims-2025-03.xml


class WholeSiteFiles:
    kind = "file"

    def __init__(self, renderer: Renderer):
        self.r = renderer
        self.site = renderer.site

    def declared(self) -> dict[str, tuple[Callable[[], bytes], Callable[[], str]]]:
        """Each file's path: the function that writes it, and its fingerprint. Each edition has
        its feed and its search filters; claims.json and the sitemap hold every edition's."""
        files = {"feed.xml": (self.feed, self.feed_print)}
        if self.r.is_default:
            files.update({"claims.json": (self.claims_json, self.claims_json_print),
                          "sitemap.xml": (self.sitemap_index, self.sitemap_index_print),
                          STATE_FILE: (self.published_state, self.published_state_print)})
            files.update((path, (functools.partial(self.sitemap, path), functools.partial(self.sitemap_print, path)))
                         for path in self.sitemap_parts)
        if self.r.search:
            files["search/facets.json"] = (self.search_facets, self.search_facets_print)
        return files

    def keys(self) -> list[str]:
        return list(self.declared())

    def files(self, path: str) -> Iterator[Output]:
        yield path, self.declared()[path][0]()

    def fingerprint(self, path: str) -> str:
        return self.declared()[path][1]()

    def fingerprints(self) -> dict:
        name = self.r.job_name(self.kind)
        prints = {(name, path): digest() for path, (_, digest) in self.declared().items()}
        self.r.kept.sitemaps.next_update()  # only this update's parts are kept (Kept is each edition's own)
        return prints

    # The Atom feed: the claims changed last.

    @functools.cached_property
    def in_feed(self) -> list[Claim]:
        """The claims the feed carries, found once: its fingerprint and its file both ask."""
        return latest_changed(self.site.claims, FEED_SIZE)

    def feed(self) -> bytes:
        site, config, absolute_url, _ = self.site, self.site.config, self.r.absolute_url, self.r.gettext
        from feedgen.feed import FeedGenerator  # here: it loads lxml, which most rebuilds never need

        feed = FeedGenerator()
        feed.id(absolute_url())
        feed.title(config.title)
        if config.tagline:
            feed.subtitle(config.tagline)
        feed.author(name=config.organization.name, uri=config.organization.url or absolute_url())
        feed.link(href=absolute_url(), rel="alternate")
        feed.link(href=absolute_url("feed.xml"), rel="self")
        feed.language(config.language)
        feed.generator("factsite", __version__)
        feed.updated(midnight(site.modified or self.r.build_date or dt.date(1970, 1, 1)))
        for claim in self.in_feed:
            entry = feed.add_entry(order="append")
            entry.id(absolute_url(claim.url))
            entry.title(f"{claim.verdict.label}: {claim.title}")
            entry.link(href=absolute_url(claim.url))
            entry.published(midnight(claim.published))
            entry.updated(midnight(claim.modified))
            said = (_("Claim (paraphrased): %(claim)s") if claim.paraphrased else _("Claim: “%(claim)s”")) % {
                "claim": claim.claim}
            entry.summary(_("%(said)s Verdict: %(verdict)s. %(summary)s") % {
                "said": said, "verdict": claim.verdict.label, "summary": claim.summary})
            for topic in claim.topics:
                entry.category(term=topic.slug, label=topic.name)
        return feed.atom_str(pretty=True)

    def feed_print(self) -> str:
        """The claims it carries as they are shown, and the build date if it carries none
        (the latest change dates the feed)."""
        shown = self.r.shown
        latest = [shown[c.slug] for c in self.in_feed]
        return digest_of(self.r.layout, *latest or [str(self.r.build_date)])

    # claims.json: every claim's ClaimReview.

    def claims_json(self) -> bytes:
        """Each review's JSON is kept (the preview keeps ``kept.reviews`` between builds) by its
        edition, the edition's layout and its review key, which digests all the review shows
        (structured_data.review_key): looked up by key at C speed, rather than each asked for by
        name, and only those not found are made."""
        reviews, kept = [], {}
        for edition in self.r.editions:  # each claim's review in each language, the default's first
            site, absolute_url = edition.site, edition.absolute_url
            # (A claim not yet translated is the original's review again: only the original's is listed.)
            claims = list(itertools.filterfalse(_lang, site.claims))
            keys = list(map(edition.review_keys.__getitem__, map(_slug, claims)))
            known = self.r.kept.reviews.get((edition.prefix, edition.layout), {})
            found = list(map(known.get, keys))
            for at in [at for at, review in enumerate(found) if review is None]:
                found[at] = to_json(claim_review(claims[at], site, absolute_url)).encode("utf-8")
            kept[edition.prefix, edition.layout] = dict(zip(keys, found))
            reviews += found
        data = data_feed_json(self.site, self.r.absolute_url, reviews)
        self.r.kept.reviews = kept  # only this build's reviews: deleted and edited claims' drop out
        return data

    def claims_json_print(self) -> str:
        """Each claim's review inputs (structured_data.review_key) in each edition, in the site's order."""
        return digest_of(*(value for edition in self.r.editions
                           for value in (edition.layout, *edition.review_keys.values())))

    # The sitemap: an index of its parts, which list every page and when each claim's changed.
    # In parts, as the sitemap protocol allows no more than 50,000 addresses in a file, and so
    # that a claim added or deleted, or a page renamed, writes one part again, not 40,000
    # addresses. A part holds one kind of page (the sources', say), or the claims published in
    # one month: parts by month, unlike parts cut by their number, stay put as claims come and
    # go. The parts are beside the index, at the site's root, as the protocol lets a sitemap
    # list only addresses under its own folder.

    @functools.cached_property
    def sitemap_parts(self) -> dict[str, list[tuple[str, dt.date | None]]]:
        """Each part's path, with the pages it lists (by their address in the default edition)
        and their dates: each kind of page but the claims, then each month's claims, oldest first."""
        site = self.site
        kinds = {"pages": self.sitemap_pages(), "sources": [(s.url_path, None) for s in site.sources],
                 "claimants": [(c.url, None) for c in site.claimants],
                 "people": [(p.url_path, None) for p in site.people]}
        parts = {f"{SITEMAP_PREFIX}{name}.xml": pages for name, pages in kinds.items() if pages}
        parts.update((f"{SITEMAP_PREFIX}{month}.xml", claims) for month, claims in sorted(self.months().items()))
        return parts

    def months(self) -> dict[str, list[tuple[str, dt.date]]]:
        """Each month's claims, by address, with the date each changed, in order: the last
        update's months (kept.py), with the claims that came and went since where that is known
        (Renderer.changes_since), as a title edit changes none."""
        kept = self.r.kept.months
        kept.abandon()  # anything an update that stopped part-way made
        changes, last = self.r.changes_since(kept), kept.kept(MONTHS)
        if changes is None or changes.assembled is None or last is None:
            months = months_of(self.site.claims)
        else:
            months = dict(last)
            for claims, change in ((changes.assembled.went, _left_out), (changes.assembled.came, _put_in)):
                for claim in claims:
                    month = month_part(claim.published)
                    months[month] = change(months.get(month, []), (claim.url, claim.modified))
            months = {month: claims for month, claims in months.items() if claims}
        kept.remade(MONTHS, (), lambda: months)  # (kept for the next update, never compared)
        kept.next_update(self.r.kept.rows.update)  # in step with the rows: Renderer.changes_since
        return months

    def sitemap_index(self) -> bytes:
        locations = [self.r.absolute_url(path) for path in self.sitemap_parts]
        return self.r.page("sitemap-index.xml", "sitemap.xml", locations=locations)[1]

    def sitemap_index_print(self) -> str:
        return digest_of(self.r.layout, *self.sitemap_parts)

    def sitemap(self, path: str) -> bytes:
        """The part's every page in every edition, each with its alternates in the others."""
        entries = [(edition.absolute_url(edition.own_path(page)), modified, self.r.alternates(page))
                   for edition in self.r.editions for page, modified in self.sitemap_parts[path]]
        return self.r.page("sitemap.xml", path, entries=entries, multilingual=len(self.r.editions) > 1)[1]

    def sitemap_print(self, path: str) -> str:
        """Kept from the last update while the part's pages and dates are the same (kept.py): each
        update asks for every part's, and most parts are months no edit touched."""
        layouts, pages = tuple(edition.layout for edition in self.r.editions), self.sitemap_parts[path]
        # (A month's pages are the very list of the last update while none of its claims changed.)
        return self.r.kept.sitemaps.computed(path, (layouts, pages), lambda: digest_of(
            *layouts, *[f"{page}\x1f{date}" for page, date in pages]))

    def sitemap_pages(self) -> list[tuple[str, dt.date | None]]:
        """The home page, the indexes, each verdict's and topic's page, the site's own pages."""
        site = self.site
        entries = [("", site.modified)]
        entries += [(path, None) for path in ("verdicts/", "topics/", "claimants/", "sources/")]
        entries += [(v.url, None) for v in site.verdicts]
        entries += [(t.url, None) for t in site.topics]
        entries += [("people/", None)] * bool(site.people)
        entries += [(p.url, None) for p in site.pages] + [("search/", None), ("suggest/", None)]
        return entries

    # The published state: what readers see, which the next build compares the content with (checks/guard.py).

    def published_state(self) -> bytes:
        """checks/published.state_data as JSON, each claim's entry from its row (claim_rows.py):
        the same bytes as to_json(state_data(site))."""
        rows, site = self.r.rows, self.site
        # (At C speed: a title edited is in it, and a preview writes it again on every such save.)
        claims = ",".join(filter(None, map(_state, map(rows.__getitem__, sorted(rows)))))
        withdrawn = to_json(withdrawn_data(site))
        return ('{"claims":[' + claims + '],"withdrawn":' + withdrawn + "}\n").encode("utf-8")

    def published_state_print(self) -> str:
        """Each claim's fields (the verdicts' meaning is in the layout), and the withdrawn."""
        return digest_of(self.r.layout, *self.r.shown.values(), *withdrawn_records(self.site))

    # The search page's filters: each claim's verdict and topics, newest first.

    def search_facets(self) -> bytes:
        url = self.r.url
        facets = [{"url": url(c.url), "title": c.title, "claim": c.claim, "verdict": c.verdict.slug,
                   "label": c.verdict.label, "topics": [t.slug for t in c.topics]} for c in self.site.claims]
        return to_json(facets).encode("utf-8")

    def search_facets_print(self) -> str:
        return digest_of(self.r.layout, *self.r.shown.values())


def months_of(claims: list[Claim]) -> dict[str, list[tuple[str, dt.date]]]:
    """Each month's claims, by address, with the date each changed, in order."""
    months: dict[str, list[tuple[str, dt.date]]] = {}
    for claim in claims:
        months.setdefault(month_part(claim.published), []).append((claim.url, claim.modified))
    return {month: sorted(claims) for month, claims in months.items()}


def _put_in(claims: list, entry: tuple) -> list:
    claims = list(claims)  # (the last update's is kept as it was)
    bisect.insort(claims, entry)
    return claims


def _left_out(claims: list, entry: tuple) -> list:
    return [claim for claim in claims if claim != entry]


@functools.lru_cache(maxsize=4096)  # asked for every claim's date on every update; far fewer dates
def month_part(published: dt.date) -> str:
    """The name of the sitemap's part that lists the claims published on ``published``."""
    return f"claims-{published:%Y-%m}"


def latest_changed(claims: list[Claim], count: int) -> list[Claim]:
    """The ``count`` claims changed last (published, updated or corrected), the newest change
    first; of claims changed the same day, those first in ``claims`` (heapq.nlargest is
    sorted(..., reverse=True)[:count], without sorting them all)."""
    return heapq.nlargest(count, claims, key=operator.attrgetter("modified"))


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
