"""Stage 4 of the build: turn the site model into files.

The site is cut into jobs (:meth:`Renderer.jobs`); :meth:`Renderer.render_job`
gives one job's ``(path, bytes)`` files, and :meth:`Renderer.write_into` renders
many jobs into a folder using every core.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import multiprocessing as mp
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple
from pathlib import Path
from urllib.parse import urljoin

import jinja2
from markupsafe import Markup

from . import __version__
from .documents import digest_of
from .links import OutputIndex, WrittenLinks
from .markup import MarkdownRenderer
from .model import Claim, Listing, Page, Site, Source, Verdict, claim_url, paginate
from .published import STATE_FILE, state_data
from .search import search_shards, shard_folder
from .write import write_files
from .structured_data import claim_review, data_feed, review_key, to_json, to_script_json
from .compiled import compiled_templates
from .theme import ThemeLoader, read_theme_file, theme_files

Output = tuple[str, bytes]
Job = tuple[str, str]  # ("claim", slug), ("listing", address), ("source", id), ("shared", "") or ("file", path)
CARD_VERSION = "2"  # change when cards.py draws differently, so cached cards are drawn again
OUTPUT_VERSION = "3"  # change when this code writes any file differently, so no build keeps an old one


class JobResult(NamedTuple):
    """What a job wrote: each file with the ids on it (None: not searched for; the link check
    reads the page if a link names an anchor on it), and the links its Markdown holds.

    Plain tuples, lists and dicts underneath, so the build cache stores them quickly."""

    files: dict[str, list[str] | None]
    links: list[WrittenLinks]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
PAGE_SIZE = 30  # claims on one page of a list; long lists continue on /page/2/ and so on
FEED_SIZE = 50  # the fact-checks the Atom feed carries: those changed last, as readers poll it often
# A path that urljoin() would append to the base URL unchanged: no scheme, no leading
# slash, no "." or ".." segment, no query or fragment.
SITE_PATH = re.compile(r"(?:[\w-][\w.-]*/)*(?:[\w-][\w.-]*)?")
STANCE_LABELS = {"supports": "Supports the claim", "contradicts": "Contradicts the claim",
                 "context": "Gives context"}


def human_date(value: dt.date | None) -> str:
    """"4 September 2025": the same in every locale, so builds are reproducible."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}" if value else ""


def as_text(markup: str) -> Markup:
    """HTML shown as text, to be copied (the embed snippet): ``markup``, its values already
    escaped for the page that pastes it, escaped once more for ours. Quotation marks need
    no escaping in text, so they are left as they are."""
    return Markup(html.escape(str(markup), quote=False))


# The verdict badge's shapes (16x16 strokes), so a verdict never relies on colour alone.
ICON_PATHS = {
    "check": "M3 8.5l3.2 3.2L13 5",
    "mostly": "M2.5 8l3 3L11 5.5M13.5 12v.01",
    "info": "M8 7.5V12M8 4.2v.01",
    "warning": "M8 3.5v5.5M8 12.5v.01",
    "cross": "M4.5 4.5l7 7M11.5 4.5l-7 7",
    "question": "M5.8 6.2a2.3 2.3 0 1 1 3.3 2.1c-.7.3-1.1.9-1.1 1.6v.4M8 12.6v.01",
}


class Renderer:
    """Renders the site model into files: pages through the templates, and the rest."""

    def __init__(self, site: Site, templates_dir: Path, static_dir: Path, build_date: dt.date | None = None,
                 cards: bool = True, search: bool = True, env: jinja2.Environment | None = None,
                 card_cache=None, compiled_templates: bool = False):
        """``env`` may be kept from an earlier build (the preview server does it): Jinja
        then compiles again only the templates that changed. ``compiled_templates``: keep them
        compiled between builds (compiled.py)."""
        self.site = site
        self.templates_dir = templates_dir
        self.card_cache = card_cache  # a CardCache, or None to draw every card
        self.cards = cards
        self.search = search
        self.static_dir = static_dir
        self.build_date = build_date
        self.base_path = site.config.base_path
        self.env = env or template_environment(templates_dir, compiled_templates)
        # The parts of the search index (see search.py), which the search page loads.
        self.search_shards = search_shards([claim.url for claim in site.claims]) if search else []
        self.env.globals.update(
            site=site, url=self.url, absolute_url=self.absolute_url, asset=self.asset,
            STANCE_LABELS=STANCE_LABELS, ICON_PATHS=ICON_PATHS, by_month=by_month,
            count_by_verdict=self.count_by_verdict, cards_built=cards, search_built=search,
            badge=self.badge, claim_card=self.claim_card,
            search_bundles=[self.url(shard_folder(n)) for n in range(1, len(self.search_shards) + 1)],
        )
        self.env.filters["human_date"] = human_date
        self.env.filters["as_text"] = as_text
        self.generated_assets = {STYLESHEET: stylesheet(static_dir, site)}
        self._asset_versions: dict[str, str] = {}
        self.written_links: list[WrittenLinks] = []  # by the job being rendered; checked once all are
        self.listings = self.all_listings()
        self.claims_by_slug = {claim.slug: claim for claim in site.claims}
        # A withdrawn fact-check's address says so (and its old addresses lead there), unless
        # a claim of this build took it again.
        taken = self.claims_by_slug.keys() | {alias for claim in site.claims for alias in claim.aliases}
        self.withdrawn_pages = [w for w in site.withdrawn if w.claim not in taken]
        self.withdrawn_aliases = [(alias, w) for w in site.withdrawn for alias in w.aliases if alias not in taken]
        self.sources_by_id = {source.id: source for source in site.sources}
        self._verdict_counts: dict[int, tuple[list[Claim], dict[str, int]]] = {}
        self._pieces: dict[tuple[str, ...], Markup] = {}

    @functools.cached_property
    def markdown(self) -> MarkdownRenderer:
        """Made when first needed: in each worker process, and not at all by a rebuild
        that renders no analysis."""
        return MarkdownRenderer(self.base_path)

    def count_by_verdict(self, claims: list[Claim]) -> dict[str, int]:
        """How many of ``claims`` have each verdict; remembered, as every page of a topic asks."""
        # Kept with the list itself: a list a template made and dropped could leave its id
        # to another list.
        remembered = self._verdict_counts.get(id(claims))
        if remembered is None or remembered[0] is not claims:
            remembered = self._verdict_counts[id(claims)] = (claims, count_by_verdict(claims))
        return remembered[1]

    # Pieces that many pages show, each rendered once from its own template: a claim is
    # listed on five pages or so, and a verdict's badge is on most pages.

    def badge(self, verdict: Verdict, size: str = "") -> Markup:
        return self._piece("_badge.html", (verdict.slug, size), verdict=verdict, size=size)

    def claim_card(self, claim: Claim, heading: str = "h2") -> Markup:
        return self._piece("_claim_card.html", (claim.slug, heading), claim=claim, heading=heading)

    def forget(self, claim: Claim) -> None:
        """Drop what is kept of a claim that changed in place (assemble.replace_claim)."""
        self._pieces = {key: piece for key, piece in self._pieces.items()
                        if not (key[0] == "_claim_card.html" and key[1] == claim.slug)}

    def _piece(self, template: str, key: tuple[str, ...], **context) -> Markup:
        key = (template, *key)
        if key not in self._pieces:
            self._pieces[key] = Markup(self.env.get_template(template).render(**context))
        return self._pieces[key]

    # URLs -----------------------------------------------------------------

    def url(self, path: str = "") -> str:
        """A link from anywhere on the site: the base path plus ``path``."""
        return self.base_path + path

    def absolute_url(self, path: str = "") -> str:
        return join_url(self.site.config.base_url, path)

    def asset(self, path: str) -> str:
        """A static file's URL, with a hash of its content so browsers never keep a stale copy."""
        if path not in self._asset_versions:
            data = self.generated_assets.get(path) or read_theme_file(self.static_dir / path, self.static_dir)
            digest = hashlib.sha256(data).hexdigest()[:10]
            self._asset_versions[path] = digest
        return f"{self.url(path)}?v={self._asset_versions[path]}"

    # What to render -------------------------------------------------------
    #
    # The site is rendered as jobs: each claim, each page of a list, each source,
    # each file made from every claim (the feeds, the sitemap), and one for everything
    # else. A job is named by a stable key (its kind and slug or address), so the next
    # build can tell which jobs changed. Jobs run on every core.

    def jobs(self) -> list[Job]:
        site = self.site
        return ([("shared", "")] + [("file", path) for path in self.whole_site_files()]
                + [("claim", c.slug) for c in site.claims]
                + [("listing", url) for url in self.listings] + [("source", s.id) for s in site.sources])

    def whole_site_files(self) -> dict[str, Callable[[], bytes]]:
        """The files made from every claim, each a job of its own: an edit to a claim's
        title, say, leaves the sitemap and claims.json as they were, and rendering them
        is most of the time of such a rebuild."""
        files = {"feed.xml": self.feed, "claims.json": self.claims_json, "sitemap.xml": self.sitemap,
                 STATE_FILE: self.published_state}
        if self.search:
            files["search/facets.json"] = self.search_facets
        return files

    def run_job(self, job: Job) -> Iterator[Output]:
        kind, key = job
        if kind == "shared":
            yield from self.shared_outputs()
        elif kind == "file":
            yield key, self.whole_site_files()[key]()
        elif kind == "claim":
            yield from self.claim_outputs(self.claims_by_slug[key])
        elif kind == "listing":
            template, listing, context, _ = self.listings[key]
            yield self.page(template, listing.url, listing=listing, **context)
        else:
            source = self.sources_by_id[key]
            yield self.page("source.html", source.url_path, source=source)
            if source.archived_copy_path:
                yield source.archived_copy_path, source.archived_text.encode("utf-8")

    def all_listings(self) -> dict[str, tuple[str, Listing, dict, list[Claim]]]:
        """Every page of every list of claims, by address: its template, what else it shows,
        and the whole list it is a page of."""
        site = self.site
        lists = [("index.html", "", site.claims, {})]
        lists += [("verdict.html", v.url, v.claims, {"verdict": v}) for v in site.verdicts]
        lists += [("topic.html", t.url, t.claims, {"topic": t}) for t in site.topics]
        lists += [("claimant.html", c.url, c.claims, {"claimant": c}) for c in site.claimants]
        return {listing.url: (template, listing, context, claims) for template, base, claims, context in lists
                for listing in paginate(claims, base, PAGE_SIZE)}

    def shared_outputs(self) -> Iterator[Output]:
        """Everything but claims, pages of lists, sources and the whole-site files: indexes, pages,
        static files."""
        site = self.site
        yield from self.static_files()
        yield self.page("verdicts.html", "verdicts/")
        yield self.page("topics.html", "topics/")
        yield self.page("claimants.html", "claimants/")
        yield self.page("sources.html", "sources/")
        for page in site.pages:
            yield self.content_page(page)
        for withdrawal in self.withdrawn_pages:
            yield self.page("withdrawn.html", withdrawal.url, withdrawal=withdrawal)
        for alias, withdrawal in self.withdrawn_aliases:
            yield self.page("alias.html", claim_url(alias), target=withdrawal)
        yield self.page("search.html", "search/")
        yield self.page("404.html", "404.html")
        yield "card.png", self.site_card()
        robots = f"User-agent: *\nAllow: /\n\nSitemap: {self.absolute_url('sitemap.xml')}\n"
        yield "robots.txt", robots.encode("utf-8")
        if site.config.custom_domain:
            yield "CNAME", (site.config.custom_domain + "\n").encode("ascii")

    def claim_outputs(self, claim: Claim) -> Iterator[Output]:
        """A claim's page, its embeddable badge, its share card, and a page at each of its old
        addresses that sends the reader on to it."""
        yield self.claim_page(claim)
        yield self.page("badge.svg", claim.url + "badge.svg", claim=claim)
        if self.cards:
            yield claim.url + "card.png", self.share_card(claim)
        for alias in claim.aliases:
            yield self.page("alias.html", claim_url(alias), target=claim)

    def share_card(self, claim: Claim) -> bytes:
        """The claim's share card: its claim, claimant and verdict, under the site's title."""
        config = self.site.config

        def draw() -> bytes:
            from .cards import claim_card  # here: Pillow is loaded only by builds that draw a card

            return claim_card(claim, config)

        return self.drawn_once(draw, config.title, claim.claim, claim.claimant.name, claim.verdict.label,
                               claim.verdict.colour, claim.verdict.icon)

    def site_card(self) -> bytes:
        """The share card of every page but the claims': the site's title and tagline."""
        config = self.site.config

        def draw() -> bytes:
            from .cards import site_card

            return site_card(config)

        return self.drawn_once(draw, "site", config.title, config.tagline)

    def drawn_once(self, draw: Callable[[], bytes], *shown: str) -> bytes:
        """A share card, drawn only when what it shows (``shown``) has not been drawn before."""
        if self.card_cache is None:
            return draw()
        return self.card_cache.get_or_make(digest_of(CARD_VERSION, *shown), draw)

    # What changed -----------------------------------------------------------

    def fingerprints(self) -> dict[Job, str]:
        """For every job, a digest of everything its files show: equal digests, equal files.

        Keeps two of the parts, which the build records for the next one: ``self.layout``
        and ``self.shown`` (see :func:`shown_digests`).
        """
        site = self.site
        self.layout = self.layout_digest()  # kept: the next build compares it
        self.shown = shown_digests(site)
        self.review_keys = {claim.slug: review_key(claim) for claim in site.claims}
        prints = self.whole_site_prints()
        for claim in site.claims:
            prints[("claim", claim.slug)] = self.claim_print(claim)
        for url in self.listings:
            prints[("listing", url)] = self.listing_print(url)
        for source in site.sources:
            prints[("source", source.id)] = self.source_print(source)
        return prints

    def fingerprints_after(self, prints: dict[Job, str], claims: list[Claim]) -> dict[Job, str]:
        """``prints``, this renderer's last fingerprints, after ``claims`` took in place the
        fields of their files read again, each still listed where it was (assemble.replace_claim):
        the same as :meth:`fingerprints`, working out again only the jobs that show them."""
        self.shown.update(shown_digests_of(claims))
        self.review_keys.update((claim.slug, review_key(claim)) for claim in claims)
        prints = {**prints, **self.whole_site_prints()}
        for kind, key in sorted(self.jobs_showing(claims)):
            prints[(kind, key)] = (self.claim_print(self.claims_by_slug[key]) if kind == "claim"
                                   else self.listing_print(key) if kind == "listing"
                                   else self.source_print(self.sources_by_id[key]))
        return prints

    def jobs_showing(self, claims: list[Claim]) -> set[Job]:
        """The claims' own pages and every claim page, page of a list and source page that
        shows them (the whole-site files and the shared job aside)."""
        slugs = {claim.slug for claim in claims}
        # Flat loops: at 10,000 claims, a generator for each claim, page and source costs more.
        jobs = {("claim", slug) for slug in slugs}
        jobs |= {("claim", other.slug) for other in self.site.claims for r in other.related if r.slug in slugs}
        jobs |= {("listing", url) for url, (_, listing, _, _) in self.listings.items()
                 for claim in listing.claims if claim.slug in slugs}
        jobs |= {("source", source.id) for source in self.site.sources for claim in source.claims
                 if claim.slug in slugs}
        return jobs

    # Every rebuild works these out for every job: lists are unpacked below, as they
    # unpack faster than generators (a third of their time at 10,000 claims).

    def whole_site_prints(self) -> dict[Job, str]:
        """The shared job's and the whole-site files' fingerprints."""
        site, layout, shown = self.site, self.layout, self.shown
        withdrawn = [f"{w.claim}\x1f{w.title}\x1f{w.date}\x1f{w.verdict.slug}\x1f{w.note}\x1f{w.aliases}"
                     for w in site.withdrawn]
        prints: dict[Job, str] = {("shared", ""): digest_of(
            # The indexes of verdicts, topics, claimants and sources: names and counts.
            layout, *[str(len(v.claims)) for v in site.verdicts], *[str(len(t.claims)) for t in site.topics],
            *[f"{c.slug}\x1f{c.name}\x1f{c.type}\x1f{len(c.claims)}" for c in site.claimants],
            *[f"{s.id}\x1f{s.digest}\x1f{len(s.claims)}" for s in site.sources],
            # A page's list of corrections, and the search page, which names each part of the index.
            *[f"{c.date}\x1f{c.note}\x1f{c.claim.slug}\x1f{c.claim.title}" for c in site.corrections],
            str(len(self.search_shards)),
            # The withdrawn fact-checks, listed with the corrections, and the pages at their addresses.
            *withdrawn, *[w.claim for w in self.withdrawn_pages], *[alias for alias, _ in self.withdrawn_aliases])}
        latest = [shown[c.slug] for c in latest_changed(site.claims, FEED_SIZE)]
        prints[("file", "feed.xml")] = digest_of(layout, *latest or [str(self.build_date)])  # dated by it if empty
        prints[("file", "claims.json")] = digest_of(layout, *self.review_keys.values())  # in the site's order
        # What readers saw of each claim (its fields, the verdicts' meaning in the layout), and the withdrawn.
        prints[("file", STATE_FILE)] = digest_of(layout, *shown.values(), *withdrawn)
        prints[("file", "sitemap.xml")] = digest_of(layout, *[f"{path}\x1f{date}" for path, date in self.sitemap_paths()])
        if self.search:
            prints[("file", "search/facets.json")] = digest_of(layout, *shown.values())
        return prints

    def claim_print(self, claim: Claim) -> str:
        shown = self.shown
        return digest_of(self.layout, shown[claim.slug], claim.body_digest, *[c.source.digest for c in claim.citations],
                         *[shown[r.slug] for r in claim.related])

    def listing_print(self, url: str) -> str:
        template, listing, _, whole = self.listings[url]
        shown = self.shown
        return digest_of(self.layout, template, url, str(listing.count), str(len(whole)),
                         repr(sorted(self.count_by_verdict(whole).items())), *[shown[c.slug] for c in listing.claims])

    def source_print(self, source: Source) -> str:
        shown = self.shown
        return digest_of(self.layout, source.digest, *[shown[c.slug] for c in source.claims])

    def layout_digest(self) -> str:
        """What every page shows or depends on: templates, static files, settings, the menus,
        and how this code writes them."""
        config = self.site.config
        files = []
        for folder in (self.templates_dir, self.static_dir):
            for relative, path in theme_files(folder):
                files += [relative, read_theme_file(path, folder)]
        return digest_of(__version__, OUTPUT_VERSION, *files, config.path.read_bytes(), config.base_url,
                         str(self.cards), str(self.search),
                         # Every page names the site's pages in its menus, by their addresses too.
                         *(f"{p.slug}\x1f{p.digest}" for p in self.site.pages))

    # Running the jobs ---------------------------------------------------------

    def write_into(self, folder: Path | None, work: list[Job] | None = None, jobs: int = 1,
                   progress: Callable[[int, int], None] | None = None) -> dict[Job, JobResult]:
        """Render ``work`` (every job by default) into ``folder``, on ``jobs`` processes
        (``folder`` None: render only, as `factsite check` does).

        Returns, for each job, its files (with the ids on each when rendering only), and the
        links it wrote.
        ``progress(done, total)`` is told how many jobs are done as they finish.
        """
        work = self.jobs() if work is None else work
        progress = progress or (lambda done, total: None)
        if jobs <= 1 or len(work) < PARALLEL_FROM or "fork" not in mp.get_all_start_methods():
            results = {}
            for job, result in self.run_jobs(folder, work):
                results[job] = result
                progress(len(results), len(work))
            return results
        global _WORKER_RENDERER
        for template in ("claim.html", "index.html", "verdict.html", "topic.html", "claimant.html", "source.html"):
            self.env.get_template(template)  # compiled once here, inherited by every worker
        _WORKER_RENDERER = self
        # The jobs of the whole site (indexes, feeds) go first, in a chunk of their own, so they run
        # beside the rest.
        first = [job for job in work if job[0] in ("shared", "file")]
        rest = [job for job in work if job[0] not in ("shared", "file")]
        chunks = [(folder, first)] * bool(first) + [(folder, rest[i:i + CHUNK]) for i in range(0, len(rest), CHUNK)]
        results: dict[Job, JobResult] = {}
        try:
            with mp.get_context("fork").Pool(jobs) as pool:
                for chunk in pool.imap_unordered(_run_jobs, chunks):
                    results.update(chunk)
                    progress(len(results), len(work))
        finally:
            _WORKER_RENDERER = None
        return results

    def run_jobs(self, folder: Path | None, work: list[Job]) -> Iterator[tuple[Job, JobResult]]:
        for job in work:
            # Pages written to disk are read again for their ids only if a link names one of
            # them, which is rare: finding every page's ids took a tenth of the time of a claim's.
            files, result = self.render_job(job, with_ids=folder is None)
            if folder is not None:
                write_files(folder, files.items())
            yield job, result

    def render_job(self, job: Job, with_ids: bool = True) -> tuple[dict[str, bytes], JobResult]:
        """A job's files, and what the build keeps of them: the ids on each (if ``with_ids``),
        the links written."""
        self.written_links = []
        index = OutputIndex()
        files = dict(index.record(self.run_job(job), with_ids))
        ids_by_file = {path: None if found is None else sorted(found) for path, found in index.ids.items()}
        return files, JobResult(ids_by_file, self.written_links)

    # Pages ----------------------------------------------------------------

    def page(self, template: str, path: str, **context) -> Output:
        html = self.env.get_template(template).render(page_path=path, **context)
        target = path + "index.html" if path == "" or path.endswith("/") else path
        return target, html.encode("utf-8")

    def markdown_of(self, item: Claim | Page) -> Markup:
        html, links = self.markdown(item.body), self.markdown.last_links
        self.written_links.append(WrittenLinks.found(item.path, self.absolute_url(item.url), item.body,
                                                     item.body_line, links))
        return Markup(html)

    def claim_page(self, claim: Claim) -> Output:
        review = claim_review(claim, self.site, self.absolute_url)
        return self.page("claim.html", claim.url, claim=claim, analysis=self.markdown_of(claim),
                         json_ld=Markup(to_script_json(review)))

    def content_page(self, page: Page) -> Output:
        return self.page("page.html", page.url, page=page, body=self.markdown_of(page))

    def search_facets(self) -> bytes:
        """What the search page filters on: each claim's verdict and topics, newest first."""
        facets = [{"url": self.url(c.url), "title": c.title, "claim": c.claim, "verdict": c.verdict.slug,
                   "label": c.verdict.label, "topics": [t.slug for t in c.topics]} for c in self.site.claims]
        return to_json(facets).encode("utf-8")

    # Machine-readable files -----------------------------------------------

    def feed(self) -> bytes:
        site, config = self.site, self.site.config
        from feedgen.feed import FeedGenerator  # here: it loads lxml, which most rebuilds never need

        feed = FeedGenerator()
        feed.id(self.absolute_url())
        feed.title(config.title)
        if config.tagline:
            feed.subtitle(config.tagline)
        feed.author(name=config.organization.name, uri=config.organization.url or self.absolute_url())
        feed.link(href=self.absolute_url(), rel="alternate")
        feed.link(href=self.absolute_url("feed.xml"), rel="self")
        feed.language(config.language)
        feed.generator("factsite", __version__)
        feed.updated(midnight(site.modified or self.build_date or dt.date(1970, 1, 1)))
        for claim in latest_changed(site.claims, FEED_SIZE):
            entry = feed.add_entry(order="append")
            entry.id(self.absolute_url(claim.url))
            entry.title(f"{claim.verdict.label}: {claim.title}")
            entry.link(href=self.absolute_url(claim.url))
            entry.published(midnight(claim.published))
            entry.updated(midnight(claim.modified))
            entry.summary(f"Claim: {claim.claim} Verdict: {claim.verdict.label}. {claim.summary}")
            for topic in claim.topics:
                entry.category(term=topic.slug, label=topic.name)
        return feed.atom_str(pretty=True)

    def claims_json(self) -> bytes:
        return (to_json(data_feed(self.site, self.absolute_url)) + "\n").encode("utf-8")

    def published_state(self) -> bytes:
        """What readers see, which the next build compares the content with (guard.py)."""
        return (to_json(state_data(self.site)) + "\n").encode("utf-8")

    def sitemap(self) -> bytes:
        entries = [(self.absolute_url(path), modified) for path, modified in self.sitemap_paths()]
        return self.page("sitemap.xml", "sitemap.xml", entries=entries)[1]

    def sitemap_paths(self) -> list[tuple[str, dt.date | None]]:
        """Every page the sitemap lists, and when the claims' pages last changed."""
        site = self.site
        entries = [("", site.modified)]
        entries += [(claim.url, claim.modified) for claim in site.claims]
        entries += [(path, None) for path in ("verdicts/", "topics/", "claimants/", "sources/")]
        entries += [(v.url, None) for v in site.verdicts]
        entries += [(t.url, None) for t in site.topics]
        entries += [(c.url, None) for c in site.claimants]
        entries += [(s.url_path, None) for s in site.sources]
        entries += [(p.url, None) for p in site.pages] + [("search/", None)]
        return entries

    def static_files(self) -> Iterator[Output]:
        yield from sorted(self.generated_assets.items())
        for relative, path in theme_files(self.static_dir):  # never a link (theme.py)
            if not path.name.startswith(".") and relative not in self.generated_assets:
                yield relative, read_theme_file(path, self.static_dir)


STYLESHEET = "site.css"


def stylesheet(static_dir: Path, site: Site) -> bytes:
    """The theme's stylesheet plus each verdict's colour from the scale in site.yml."""
    rules = [f".badge--{v.slug}{{background:{v.colour}}}.verdict-box--{v.slug}{{border-top-color:{v.colour}}}"
             for v in site.verdicts]
    css = read_theme_file(static_dir / STYLESHEET, static_dir).decode("utf-8")
    return (css.rstrip("\n") + "\n/* Verdict colours, from content/site.yml */\n" + "\n".join(rules) + "\n").encode()


# Jobs run on several processes once there are enough of them to pay for starting
# the processes. The workers are forked: they inherit the site model and the
# compiled templates, and write their files themselves.
PARALLEL_FROM = 300
CHUNK = 40
_WORKER_RENDERER: Renderer | None = None


def _run_jobs(task: tuple[Path, list[Job]]) -> dict[Job, JobResult]:
    folder, jobs = task
    return dict(_WORKER_RENDERER.run_jobs(folder, jobs))


def template_environment(templates_dir: Path, compiled: bool = False,
                         reload: bool = False) -> jinja2.Environment:
    """The templates' environment; ``compiled``: keep the compiled templates between builds
    (a rebuild that renders a page or two would otherwise spend more time compiling the
    templates than rendering). ``reload``: look at each template's
    file again every time it is used, for an environment kept from build to build; a build
    of its own does not, which saves a system call or three per page."""
    return jinja2.Environment(
        loader=ThemeLoader(templates_dir),  # follows no link
        bytecode_cache=compiled_templates() if compiled else None,  # never in the project: compiled.py
        auto_reload=reload,
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def shown_digests(site: Site) -> dict[str, str]:
    """For each claim (by slug, in the site's order), a digest of what lists, feeds, source pages
    and related claims show of it: its file, and its address (a renamed file is the same
    text at a new address). The claimant's name and type are the shared claimant's, which
    another claim's file may set."""
    return shown_digests_of(site.claims)


def shown_digests_of(claims: list[Claim]) -> dict[str, str]:
    return {c.slug: digest_of(c.slug, c.digest, c.claimant.name, c.claimant.type,
                              c.appeared_in.digest if c.appeared_in else "")
            for c in claims}


def count_by_verdict(claims: list[Claim]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for claim in claims:
        counts[claim.verdict.slug] = counts.get(claim.verdict.slug, 0) + 1
    return counts


def by_month(claims: list[Claim]) -> list[tuple[str, list[Claim]]]:
    """Claims grouped by the month they were published, newest month first."""
    groups: dict[tuple[int, int], list[Claim]] = {}
    for claim in claims:
        groups.setdefault((claim.published.year, claim.published.month), []).append(claim)
    return [(f"{MONTHS[month - 1]} {year}", items) for (year, month), items in sorted(groups.items(), reverse=True)]


def join_url(base: str, path: str) -> str:
    """urljoin(base, path): most paths are the site's own, which it appends unchanged to a base
    it leaves as it is; appending them is a hundred times quicker (thousands in the feeds)."""
    return base + path if SITE_PATH.fullmatch(path) and _kept_by_urljoin(base) else urljoin(base, path)


@functools.lru_cache(maxsize=16)
def _kept_by_urljoin(base: str) -> bool:
    """Whether urljoin keeps ``base`` as written (not so an upper-case scheme, "//", "..", "?" or "#")."""
    return urljoin(base, "a") == base + "a"


def latest_changed(claims: list[Claim], count: int) -> list[Claim]:
    """The ``count`` claims changed last (published, updated or corrected), the newest change first."""
    return sorted(claims, key=lambda claim: claim.modified, reverse=True)[:count]  # stable: ties keep their order


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)

