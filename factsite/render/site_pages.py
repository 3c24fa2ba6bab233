"""The pages that are not lists of claims, each kind declared as pages.py declares its own:
the corrections log, cut into pages, and the rest: the indexes and the site's pages, each a job,
and one job for what only the layout changes (the withdrawn fact-checks, search, 404, the static files)."""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from .admin import ADMIN
from ..digest import digest_of
from ..read.theme import read_theme_file, theme_files
from .jobs import Output
from ..model.pagination import CORRECTIONS_CUT, listings_of, page_cuts
from ..model.site import Page, claim_url

if TYPE_CHECKING:
    from .renderer import Renderer


def correction_line(correction) -> tuple[str, str]:
    """What the log knows a correction by (its key, for where pages are cut), and what its page
    shows of it."""
    claim = correction.claim
    return (f"{claim.slug}\x1f{correction.date}\x1f{correction.note}",
            f"{correction.date}\x1f{correction.note}\x1f{claim.slug}\x1f{claim.title}")


_date = operator.attrgetter("date")


class CorrectionsLog(NamedTuple):
    """The log's pages, what each shows of its corrections, and what they were worked out from,
    for the next update (CorrectionsPages.log_pages)."""

    listings: list
    shown: dict  # by page address: a digest of its corrections' lines
    lines: dict  # each correction's (correction_line), by the correction itself
    pages: dict  # each page's corrections, by its address


class CorrectionsPages:
    """Each page that includes the corrections log (the corrections page), the log cut into
    pages (model/pagination.py): the newest is the page itself (its text, the latest
    corrections and the withdrawn fact-checks), and older corrections follow on pages named
    by their first day, <page>/page/2025-03-09/."""

    kind = "corrections"

    def __init__(self, renderer: Renderer):
        self.r = renderer
        site, kept = renderer.site, renderer.kept.corrections
        self.pages, self.shown = {}, {}  # each page, and a digest of what it shows of its corrections
        for page in filter(logs_corrections, site.pages):
            # Kept from the last update while the corrections are the same objects (a claim made
            # again makes its corrections again), so an edit elsewhere does not cut the log again.
            # Most often the very list of the last update (the assembly keeps it while no claim
            # with corrections changed), which compares at once: thousands of corrections otherwise.
            log = kept.computed(page.url, (page.url, site.corrections),
                                functools.partial(self.log_pages, page.url, kept.kept(page.url)))
            self.pages.update((listing.url, (page, listing)) for listing in log.listings)
            self.shown.update(log.shown)
        kept.next_update()

    def log_pages(self, url: str, before: CorrectionsLog | None) -> CorrectionsLog:
        """The log cut into pages under ``url``, and what each page shows of its corrections. A
        correction is made with its claim and belongs to it alone (read/claims.py, model/editions.py),
        so the same correction object shows the same line: ``before``'s lines and page digests are
        given again for the same corrections."""
        corrections, known = self.r.site.corrections, before.lines if before else {}
        lines = {correction: known.get(correction) or correction_line(correction) for correction in corrections}
        keys = [lines[correction][0] for correction in corrections]
        cuts = page_cuts(keys, list(map(_date, corrections)), url, CORRECTIONS_CUT)
        log = CorrectionsLog(listings_of(corrections, url, cuts), {}, lines, {})
        for listing in log.listings:
            items = log.pages[listing.url] = tuple(listing.items)
            kept = before is not None and before.pages.get(listing.url) == items
            log.shown[listing.url] = before.shown[listing.url] if kept \
                else digest_of(*[lines[correction][1] for correction in items])
        return log

    def keys(self) -> list[str]:
        return list(self.pages)

    def files(self, url: str) -> Iterator[Output]:
        page, listing = self.pages[url]
        body = self.r.markdown_of(page) if listing.is_newest else ""
        yield self.r.page("page.html", url, page=page, body=body, corrections=listing)

    def fingerprint(self, url: str) -> str:
        """The page's file is in the layout; besides, the corrections on this page and the page's
        own fields, and on the log's newest page the page's text, the withdrawn fact-checks and,
        if it shows the verdict scale, how many claims each verdict has, and the team if it shows it."""
        page, listing = self.pages[url]
        newest = []
        if listing.is_newest:
            newest = [*withdrawn_records(self.r.site), *included_records(self.r.site, page),
                      *self.r.links_renamed(page.body)]
        return digest_of(self.r.layout, *listing.frame, *newest, self.shown[url])

    def fingerprints(self) -> dict:
        return {(self.r.job_name(self.kind), url): self.fingerprint(url) for url in self.pages}


def logs_corrections(page: Page) -> bool:
    return "corrections-log" in page.includes


INDEXES = ("verdicts", "topics", "claimants", "sources", "people")  # each at its own address: verdicts/


class SharedPages:
    """The pages that are not lists of claims: each index (verdicts/, topics/, claimants/,
    sources/, people/) and each of the site's pages but the corrections log's is a job of its
    own, so that a new claim renders the counts it changes and no more; one job ("") holds the
    rest, which the layout and the withdrawn fact-checks alone change: the static files, search,
    the page for suggesting a claim, the withdrawn fact-checks, 404, the site's card."""

    kind = "shared"

    def __init__(self, renderer: Renderer):
        self.r = renderer
        site = renderer.site
        # A withdrawn fact-check's address says so (and its old addresses lead there), unless
        # a claim of this build took it again.
        by_slug = renderer.claims_by_slug
        aliases = {alias for claim in site.claims if claim.aliases for alias in claim.aliases} if site.withdrawn else ()
        self.withdrawn_pages = [w for w in site.withdrawn if w.claim not in by_slug and w.claim not in aliases]
        self.withdrawn_aliases = [(alias, w) for w in site.withdrawn for alias in w.aliases
                                  if alias not in by_slug and alias not in aliases]
        self.indexes = {f"{index}/": index for index in INDEXES if index != "people" or site.people}
        self.pages = {page.url: page for page in site.pages if not logs_corrections(page)}  # the log: CorrectionsPages'

    def keys(self) -> list[str]:
        return ["", *self.indexes, *self.pages]

    def files(self, key: str) -> Iterator[Output]:
        r = self.r
        if key in self.indexes:
            yield r.page(f"{self.indexes[key]}.html", key)
        elif key in self.pages:
            page = self.pages[key]
            yield r.page("page.html", page.url, page=page, body=r.markdown_of(page))
        elif key == "":
            yield from self.layout_files()
        else:
            raise KeyError(key)

    def fingerprint(self, key: str) -> str:
        """The static files, the site's pages, its card, robots.txt and CNAME are in the layout.
        Besides: what an index lists (names and counts); what a page includes, and where its
        links lead; and for the rest, the parts of the search index and the withdrawn fact-checks."""
        site = self.r.site
        if key in self.indexes:
            return digest_of(self.r.layout, key, *index_records(site, self.indexes[key]))
        if key in self.pages:
            page = self.pages[key]
            return digest_of(self.r.layout, key, *included_records(site, page), *self.r.links_renamed(page.body))
        return digest_of(
            # The search page, which names each part of the index.
            self.r.layout, *self.r.search_bundles,
            # The withdrawn fact-checks, and the pages at their addresses.
            *withdrawn_records(site), *[w.claim for w in self.withdrawn_pages],
            *[alias for alias, _ in self.withdrawn_aliases])

    def fingerprints(self) -> dict:
        name = self.r.job_name(self.kind)
        return {(name, key): self.fingerprint(key) for key in self.keys()}

    def static_files(self) -> Iterator[Output]:
        r = self.r
        yield from sorted(r.generated_assets.items())
        for relative, path in theme_files(r.static_dir):  # never a link (theme.py)
            if not path.name.startswith(".") and relative not in r.generated_assets \
                    and not relative.startswith(ADMIN):  # the CMS's, written by its own job (admin.py)
                yield relative, read_theme_file(path, r.static_dir)

    def layout_files(self) -> Iterator[Output]:
        """The files that only the layout and the withdrawn fact-checks change."""
        r, site = self.r, self.r.site
        if r.is_default:  # the files every edition shares
            yield from self.static_files()
            yield r.page("404.html", "404.html")
            yield "robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {r.absolute_url('sitemap.xml')}\n".encode()
            if site.config.custom_domain:
                yield "CNAME", (site.config.custom_domain + "\n").encode("ascii")
        yield r.page("suggest.html", "suggest/")
        for withdrawal in self.withdrawn_pages:
            yield r.page("withdrawn.html", withdrawal.url, withdrawal=withdrawal)
        for alias, withdrawal in self.withdrawn_aliases:
            yield r.page("alias.html", claim_url(alias), target=withdrawal)
        yield r.page("search.html", "search/")
        yield "card.png", r.site_card()


def index_records(site, index: str) -> list[str]:
    """What an index shows of each thing it lists, besides the layout (the verdicts' and topics'
    names and meanings are in site.yml): how many claims each has, and the claimants' and
    sources' own fields; the people, as the team's lists show them."""
    if index == "verdicts":
        return [str(len(v.claims)) for v in site.verdicts]
    if index == "topics":
        return [str(len(t.claims)) for t in site.topics]
    if index == "claimants":
        return [f"{c.slug}\x1f{c.name}\x1f{c.type}\x1f{len(c.claims)}" for c in site.claimants]  # (a theme may show the type)
    if index == "sources":
        return [f"{s.id}\x1f{s.digest}\x1f{len(s.claims)}" for s in site.sources]
    if index == "people":
        return people_records(site)
    raise KeyError(index)


def included_records(site, page: Page) -> list[str]:
    """What a site's page shows besides its text (which is in the layout): the verdict scale's
    counts, the team, if it includes them."""
    records = []
    if "verdict-scale" in page.includes:
        records += index_records(site, "verdicts")
    if "team" in page.includes:
        records += people_records(site)
    return records


def people_records(site) -> list[str]:
    """Each person as the team's lists show them: their file."""
    return [f"{p.id}\x1f{p.digest}" for p in site.people]


def withdrawn_records(site) -> list[str]:
    """Each withdrawn fact-check as the pages and published state show it."""
    return [f"{w.claim}\x1f{w.title}\x1f{w.date}\x1f{w.verdict.slug}\x1f{w.note}\x1f{w.aliases}"
            for w in site.withdrawn]
