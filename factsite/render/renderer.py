"""Stage 4 of the build: turn the site model into files.

The site is cut into jobs of a few kinds (pages.py, site_files.py), each kind declaring
the files its jobs write beside their fingerprints; :meth:`Renderer.render_job` gives one
job's ``(path, bytes)`` files, and :meth:`Renderer.render_jobs` renders many jobs on every
core, handing their files to a writer (jobs.py). The Renderer holds what every job shares: the
templates, the URLs, the pieces many pages show, the share cards.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import __version__

from . import jobs as job_runner
from .addresses import Addresses, edition_path
from .card_faces import claim_face, drawn_once, site_face
from ..digest import digest_of
from ..errors import BuildFailed, Problems
from .jobs import Job, JobResult, Output, Writer
from ..checks.links import OutputIndex, WrittenLinks
from .i18n import human_date, install_catalogue, plural_examples, translations
from .markup import MarkdownRenderer
from ..model.assemble import Assembly
from ..model.search_parts import search_shards, shard_folder
from ..model.site import Claim, Page, Site, Verdict
from .claim_rows import ClaimRow, RowChanges, claim_rows
from .admin import ADMIN, AdminPages
from .kept import Kept
from .pages import ClaimPages, ListingPages, SourcePages
from .site_pages import CorrectionsPages, SharedPages
from .site_files import FEED_SIZE, WholeSiteFiles
from .templating import (ICON_PATHS, STANCE_LABELS, STYLESHEET, as_text, by_month, count_by_verdict,
                         join_url, stylesheet, template_environment)
from ..read.reuse import Reuse
from ..read.theme import read_theme_file, theme_files

__all__ = ["FEED_SIZE", "Job", "JobResult", "Renderer", "join_url", "template_environment"]
OUTPUT_VERSION = "6"  # change when this code writes any file differently, so no build keeps an old one


class Renderer(Addresses):
    """Renders the site model into files: pages through the templates, and the rest."""

    def __init__(self, site: Site, templates_dir: Path, static_dir: Path, build_date: dt.date | None = None,
                 cards: bool = True, search: bool = True, env: jinja2.Environment | None = None,
                 card_cache=None, compiled_templates: bool = False, kept: Kept | None = None,
                 assembly: Assembly | None = None):
        """``env`` may be kept from an earlier build (the preview server does it): Jinja
        then compiles again only the templates that changed. ``compiled_templates``: keep them
        compiled between builds (compiled.py). ``kept``: what an earlier update's renderer worked out
        from the model, given again where it was worked out from the same objects (kept.py);
        ``assembly``: the one that made ``site``, which tells what came and went since (claim_rows.py)."""
        self.site = site
        self.templates_dir = templates_dir
        self.card_cache = card_cache  # a CardCache, or None to draw every card
        self.kept = kept or Kept()
        self.assembly = assembly
        self.cards = cards
        self.search = search
        self.static_dir = static_dir
        self.build_date = build_date
        self.base_path = site.config.base_path
        language = site.config.language
        # An edition in another language than the default is under its own prefix (uk/), and its
        # jobs are named with it; the files every edition shares are the default's.
        self.prefix = site.config.prefix
        self.job_prefix = f"{language}:" if self.prefix else ""
        self.editions: list[Renderer] = [self]  # every edition's, the default's first (editions.py)
        self.env = env or template_environment(templates_dir, compiled_templates)
        # The parts of the search index that hold this edition's claims, which its search page
        # loads (each part holds one language's pages, which Pagefind indexes the same every time),
        # and where they are: numbered after the earlier editions' parts (editions.py).
        self.search_shards = search_shards([self.prefix + claim.url for claim in site.claims]) if search else []
        self.search_bundles: list[str] = []
        self.number_search_parts(1)
        self.site_globals = dict(
            site=site, url=self.url, root_url=self.root_url, absolute_url=self.absolute_url, asset=self.asset,
            STANCE_LABELS=STANCE_LABELS, ICON_PATHS=ICON_PATHS, by_month=functools.partial(by_month, language=language),
            count_by_verdict=self.count_by_verdict, cards_built=cards, search_built=search,
            badge=self.badge, claim_card=self.claim_card, issue_form=self.issue_form,
            search_bundles=self.search_bundles,
            alternates=self.alternates, plural_examples=plural_examples(language),
        )
        self.env.globals.update(self.site_globals)
        catalogue = translations(templates_dir, language)
        self.gettext = catalogue.gettext  # for the few words written outside the templates (the share cards)
        install_catalogue(self.env, catalogue)
        self.env.filters["human_date"] = functools.partial(human_date, language=language)
        self.env.filters["as_text"] = as_text
        self.generated_assets = {STYLESHEET: stylesheet(static_dir, site)}
        self._asset_versions: dict[str, str] = {}
        self.written_links: list[WrittenLinks] = []  # by the job being rendered; checked once all are
        # The assembly's own index of the claims (never changed once made), where there is one.
        self.claims_by_slug = assembly.by_slug if assembly else {claim.slug: claim for claim in site.claims}
        self._verdict_counts: dict[int, tuple[list[Claim], dict[str, int]]] = {}
        # Every kind of job, in the order they are listed and run.
        kinds = (SharedPages(self), WholeSiteFiles(self), ClaimPages(self), ListingPages(self), SourcePages(self),
                 CorrectionsPages(self), AdminPages(self))
        self.kinds = {self.job_name(kind.kind): kind for kind in kinds}

    @property
    def is_default(self) -> bool:
        """Whether this is the default language's edition, which writes the files every edition shares."""
        return not self.prefix

    def number_search_parts(self, first: int) -> None:
        """Number this edition's parts of the search index from ``first``. In place: the
        templates' globals hold this very list (search_bundles), made before the editions are known."""
        self.search_bundles[:] = [self.root_url(shard_folder(n)) for n in range(first, first + len(self.search_shards))]

    def compile_most_used(self) -> None:
        for template in job_runner.MOST_USED_TEMPLATES:
            self.env.get_template(template)

    def release(self) -> None:
        """Take this site out of the template environment, which may outlive it (the preview
        keeps it): the site model is then freed once the build is done with it, rather than
        when the next build replaces it."""
        for name, value in self.site_globals.items():
            if self.env.globals.get(name) is value:
                del self.env.globals[name]

    def unlink(self) -> None:
        """Drop the kinds of job, each of which points back at this renderer (see Update.discard)."""
        self.release()
        self.kinds, self.site_globals = {}, {}  # the globals hold methods bound to this renderer
        self.assembly = None  # so that an update kept after this holds neither its lists nor the claims that went

    @functools.cached_property
    def markdown(self) -> MarkdownRenderer:
        """Made when first needed: in each worker process, and not at all by a rebuild
        that renders no analysis."""
        # Given plain data, not this renderer: Python-Markdown's objects point at each other, so
        # a converter is freed only by the cycle collector, and would keep the site alive till then.
        if not self.prefix:
            return MarkdownRenderer(self.base_path)
        return MarkdownRenderer(self.base_path, functools.partial(edition_path, self.prefix,
                                                                  self.editions[0].shared_files, self.own_names))

    def count_by_verdict(self, claims: list[Claim]) -> dict[str, int]:
        """How many of ``claims`` have each verdict; remembered, as every page of a topic asks."""
        # Kept with the list itself: a list a template made and dropped could leave its id
        # to another list.
        remembered = self._verdict_counts.get(id(claims))
        if remembered is None or remembered[0] is not claims:
            remembered = self._verdict_counts[id(claims)] = (claims, count_by_verdict(claims))
        return remembered[1]

    def counted(self, claims: list[Claim], counts: dict[str, int]) -> None:
        """Remember ``counts`` as ``claims``'s count_by_verdict: counted by what was kept (render/kept_lists.py)."""
        self._verdict_counts[id(claims)] = (claims, counts)

    # Pieces that many pages show, each rendered once from its own template: a claim is
    # listed on five pages or so, and a verdict's badge is on most pages. They are kept from
    # one update to the next (kept.py), by the layout and, for a claim's card, its row, which
    # covers all that lists show of a claim (claim_rows.py).

    def badge(self, verdict: Verdict, size: str = "") -> Markup:
        return self._piece("_badge.html", (verdict.slug, size), (), verdict=verdict, size=size)

    def claim_card(self, claim: Claim, heading: str = "h2") -> Markup:
        return self._piece("_claim_card.html", (claim.slug, heading), (self.rows[claim.slug],),
                           claim=claim, heading=heading)

    def _piece(self, template: str, key: tuple[str, ...], inputs: tuple, **context) -> Markup:
        key, inputs = (template, *key), (self.layout, *inputs)
        kept = self.kept.pieces.get(key)
        if kept is None or kept[0] != inputs:
            kept = self.kept.pieces[key] = (inputs, Markup(self.env.get_template(template).render(**context)))
        return kept[1]

    # URLs: see addresses.py; and the static files' ---------------------------

    def asset(self, path: str) -> str:
        """A static file's URL, with a hash of its content so browsers never keep a stale copy."""
        if path not in self._asset_versions:
            data = self.generated_assets.get(path) or read_theme_file(self.static_dir / path, self.static_dir)
            digest = hashlib.sha256(data).hexdigest()[:10]
            self._asset_versions[path] = digest
        return f"{self.root_url(path)}?v={self._asset_versions[path]}"

    # The jobs, and what changed ---------------------------------------------------

    def jobs(self) -> list[Job]:
        return [(name, key) for name, kind in self.kinds.items() for key in kind.keys()]

    def run_job(self, job: Job) -> Iterator[Output]:
        kind, key = job
        for path, data in self.kinds[kind].files(key):
            yield self.prefix + path, data

    def job_name(self, kind: str) -> str:
        """What this edition's jobs of ``kind`` are named (each kind names its jobs so)."""
        return self.job_prefix + kind

    def fingerprints(self) -> dict[Job, str]:
        """For every job, a digest of everything its files show: equal digests, equal files."""
        prints: dict[Job, str] = {}
        for kind in self.kinds.values():
            prints.update(kind.fingerprints())
        return prints

    # The parts every kind of job's fingerprint builds on, worked out once.

    @functools.cached_property
    def layout(self) -> str:
        return self.layout_digest()

    @functools.cached_property
    def rows(self) -> dict[str, ClaimRow]:
        """What the files made from every claim show of each (claim_rows.py), by slug in the site's order."""
        return self._rows_and_changes[0]

    def changes_since(self, kept: Reuse) -> RowChanges | None:
        """What changed since ``kept``'s last update (claim_rows.RowChanges), or None if that is not
        known. The rows tell what changed since their own last update, which is ``kept``'s too if
        ``kept`` was last updated with them: a kind that keeps its results by these changes numbers
        its updates as the rows do (``kept.next_update(self.kept.rows.update)``), and an update
        that stopped between the two leaves the numbers apart until the next one."""
        changes = self._rows_and_changes[1]
        return changes if kept.update == self.kept.rows.update - 1 else None

    @functools.cached_property
    def _rows_and_changes(self) -> tuple[dict[str, ClaimRow], RowChanges]:
        assembly = self.assembly
        rows, changes = claim_rows(self.site.claims, self.kept.rows,
                                   assembly and assembly.changes_since(self.kept.assembly))
        self.kept.assembly = assembly and assembly.token
        # The cards of claims deleted or renamed since, forgotten once they could be as many as
        # the claims' own (each has a card or two): a dict that size is gone through seldom.
        if len(self.kept.pieces) > 3 * len(rows) + 100:
            self.kept.pieces = {key: kept for key, kept in self.kept.pieces.items()
                                if key[0] != "_claim_card.html" or key[1] in rows}
        return rows, changes

    @functools.cached_property
    def shown(self) -> dict[str, str]:
        """What lists show of each claim: claim_rows.ClaimRow.shown."""
        return {slug: row.shown for slug, row in self.rows.items()}

    @functools.cached_property
    def review_keys(self) -> dict[str, str]:
        """What each claim's ClaimReview is made of: structured_data.review_key."""
        return {slug: row.review_key for slug, row in self.rows.items()}

    def layout_digest(self) -> str:
        """What every page shows or depends on: templates, static files, settings, the menus,
        and how this code writes them."""
        config = self.site.config
        files = []
        for folder in (self.templates_dir, self.static_dir):
            for relative, path in theme_files(folder):
                if folder == self.static_dir and relative.startswith(ADMIN):
                    continue  # the CMS at /admin/, on no page: its own job's (admin.py)
                if folder == self.templates_dir and relative.startswith("locale/") and \
                        not relative.startswith(f"locale/{self.site.config.language}/"):
                    continue  # another language's catalogue (or the template of them all) is not on these pages
                files += [relative, read_theme_file(path, folder)]
        return digest_of(__version__, OUTPUT_VERSION, *files, config.path.read_bytes(), config.base_url,
                         config.language, config.prefix,
                         # Given to the build (--repository) or read from site.yml: every footer links to it.
                         config.repository or "", str(self.cards), str(self.search),
                         # Every footer links to the team's page if there is anyone on it.
                         str(bool(self.site.people)),
                         # Every page names the site's pages in its menus, by their addresses too.
                         *(f"{p.slug}\x1f{p.digest}" for p in self.site.pages))

    # Running the jobs ---------------------------------------------------------

    def render_jobs(self, write: Writer | None = None, work: list[Job] | None = None, jobs: int = 1,
                    progress: Callable[[int, int], None] | None = None) -> dict[Job, JobResult]:
        """Render ``work`` (every job by default) on ``jobs`` processes, handing the files to
        ``write``: see jobs.render_jobs."""
        return job_runner.render_jobs(self, write, self.jobs() if work is None else work, jobs, progress)

    def render_job(self, job: Job, with_ids: bool = True) -> tuple[dict[str, bytes], JobResult]:
        """A job's files, and what the build keeps of them: the ids on each (if ``with_ids``),
        the links written."""
        self.written_links = []
        index = OutputIndex()
        files = dict(index.record(self.run_job(job), with_ids))
        ids_by_file = {path: None if found is None else sorted(found) for path, found in index.ids.items()}
        return files, JobResult(ids_by_file, self.written_links)

    # What the kinds of job share ------------------------------------------------

    def page(self, template: str, path: str, **context) -> Output:
        html = self.env.get_template(template).render(page_path=path, **context)
        target = path + "index.html" if path == "" or path.endswith("/") else path
        return target, html.encode("utf-8")

    def markdown_of(self, item: Claim | Page) -> Markup:
        try:
            html, links, checked = self.markdown(item.body), self.markdown.last_links, self.markdown.last_checked
        except RecursionError:  # markdown_limits.py refuses what nests this deep; should anything get by it:
            problems = Problems()
            problems.error(item.path, item.body_line, "the Markdown is nested too deeply to be converted",
                           "flatten the quotes and lists, and leave blank lines between definitions")
            raise BuildFailed(problems) from None
        self.written_links.append(WrittenLinks.found(item.path, self.absolute_url(item.url), item.body,
                                                     item.body_line, links, checked))
        return Markup(html)

    def share_card(self, claim: Claim) -> bytes:
        """The claim's share card, drawn from its face (card_faces.py) alone."""
        return drawn_once(claim_face(claim, self.site.config, self.gettext), self.card_cache)

    def site_card(self) -> bytes:
        """The share card of every page but the claims'."""
        return drawn_once(site_face(self.site.config), self.card_cache)
