"""The engine: the one way factsite turns content into files, for build, check and serve alike.

An update reads the whole content again (a file unchanged since the last update comes back
from the file cache rather than being parsed again), checks it, assembles the whole site
model, works out every job's fingerprint, and hands the renderer to a sink. The sink renders
the jobs whose fingerprint differs from the one it kept, and keeps their files: a folder on
disk (site/ for `factsite build`, a folder of its own for `factsite serve`: commands/build.py),
or nothing (`factsite check`).

There is no shortcut for a small edit: an edited analysis, a new verdict and a deleted
file all take this path, so what the preview shows, what a rebuild writes and what a cold
build writes cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import jinja2

from .model.assemble import disassemble, unlink
from .model.editions import assemble_editions
from .checks.editorial import check_editorial
from .read.config import load_config
from .errors import Problems
from .checks.guard import check_verdict_changes, check_verdict_history
from .render.jobs import Job, JobResult
from .checks.links import LinkCheck
from .model.site import Claim, Site
from .read.content import load_content
from .read.filecache import DocumentCache, settled_or_new
from .read.reuse import Reuse
from .render.editions import Editions
from .render.kept import Kept
from .render.renderer import Renderer
from .render.templating import template_environment
from .runtime import Stopwatch, available_cores, collector_paused, model_frozen, source_date
from .read.theme import check_theme_folder


@dataclass
class Project:
    """Where a site's content, templates and static files live."""

    content_dir: Path
    templates_dir: Path
    static_dir: Path

    @classmethod
    def at(cls, root: Path, content_dir: Path | None = None) -> Project:
        return cls(content_dir or root / "content", root / "templates", root / "static")

    def check_theme(self, problems: Problems) -> None:
        for folder in (self.templates_dir, self.static_dir):
            if not folder.is_dir():
                problems.error(folder, None, f"the {folder.name} folder is missing",
                               "run factsite from the folder that holds content/, templates/ and static/")
            else:
                check_theme_folder(folder, problems)  # no link (symlink) in it


@dataclass(frozen=True)
class Settings:
    """What a build is asked for, besides the content."""

    base_url: str | None = None  # None: site.yml's (or its custom domain's)
    drafts: bool = False  # drafts published too (the preview shows them)
    cards: bool = True  # share cards drawn
    search: bool = True  # the search index made
    repository: str | None = None  # None: site.yml's


def read_site(project: Project, base_url: str | None = None, drafts: bool = False,
              jobs: int = 1, cache: DocumentCache | None = None,
              published: Path | None = None, since: str | None = None,
              reuse: Reuse | None = None, repository: str | None = None,
              copies: Reuse | None = None, assemblies: dict | None = None) -> tuple[Site, Problems]:
    """Config, read and validate, assemble: the checked site model, and the warnings;
    raises BuildFailed listing every mistake.

    ``published``: the folder of the site as last built: what readers saw there may not change
    without a note saying so (checks/guard.py); ``since``: a git revision, the same for the content there.
    ``reuse``: what the last read made of each file, given again where nothing it was made from
    changed (read/reuse.py); this read's is kept in it for the next. Objects given again are
    linked anew, so a model read before is valid only until the next read with the same ``reuse``.
    ``copies``: the same, for the editions in other languages (model/editions.py); ``assemblies``:
    each edition's last assembly, which this one patches and replaces (model/assemble.py).
    """
    problems = Problems()
    reuse = reuse or Reuse()
    reuse.abandon()  # anything a read that crashed part-way made (the preview goes on after a crash)
    project.check_theme(problems)
    settings_file = project.content_dir / "site.yml"
    config = reuse.made("site.yml", (settled_or_new(DocumentCache.signature(settings_file)), base_url, repository),
                        lambda found: load_config(project.content_dir, found, base_url, repository), problems)
    if problems.errors:
        reuse.abandon()  # the content was not read: what the last update read is kept for the next
        problems.raise_if_errors()
    content = load_content(config, project.content_dir, problems, drafts, jobs, cache, reuse)
    for dropped in reuse.dropped():
        if isinstance(dropped, Claim):
            unlink(dropped)
    reuse.next_update()
    problems.raise_if_errors()
    site = assemble_editions(config, content, copies or Reuse(), assemblies)
    check_editorial(site, problems)
    reported = set()
    if published is not None:
        reported = check_verdict_changes(site, published, problems)
    if since is not None:
        check_verdict_history(site, project.content_dir, since, problems, reported)
    problems.raise_if_errors()
    return site, problems


class Sink(Protocol):
    """Where an update's files go. ``render`` renders the jobs whose fingerprint changed (all of
    them, if it keeps none) and returns every job's result and the jobs it rendered: a job not
    rendered keeps the very result it had, and its files as they were (the link check relies on
    it). ``read`` gives a file as rendered, for the link check (None: the results carry every
    page's ids)."""

    read: Callable[[str], bytes | None] | None

    def render(self, renderer: Renderer, prints: dict[Job, str], cores: int) -> tuple[dict[Job, JobResult], set[Job]]:
        ...


@dataclass(frozen=True)
class Update:
    """What one update made: the site model, every job's fingerprint and result, the jobs
    rendered this time, and the warnings (mistakes raise BuildFailed instead). The next update
    of the same engine links the objects it keeps anew (read/reuse.py): the model is valid
    until then; the fingerprints, results and warnings stay as they are."""

    site: Site
    renderer: Editions
    prints: dict[Job, str]
    results: dict[Job, JobResult]
    rendered: set[Job]
    problems: Problems

    def discard(self) -> None:
        """Unlink the model and the renderer (model/assemble.disassemble), for a caller that
        keeps running and is done with this update: they are then freed as soon as it drops
        it. The update's results, fingerprints and problems stay as they are."""
        for site in (self.site, *self.site.editions):
            disassemble(site)
        self.renderer.unlink()


class Engine:
    """Reads, assembles and renders a project, keeping between updates what it may reuse: the
    file cache (what reading each file gave), what reading and rendering made of each record
    (``reuse``, ``copies``, ``kept``), the compiled templates and the link check's findings."""

    def __init__(self, project: Project, settings: Settings = Settings(), documents: DocumentCache | None = None,
                 templates: jinja2.Environment | None = None, card_cache=None, compiled_templates: bool = False,
                 cores: int | None = None):
        """``cores``: how many processes may read and render (every usable core by default).
        ``compiled_templates``: keep the compiled templates between runs, in the user's own
        folder for them (render/compiled.py), as Python does its modules."""
        self.project = project
        self.cores = cores
        self.settings = settings
        self.documents = documents
        self.templates = templates
        self.card_cache = card_cache
        self.compiled_templates = compiled_templates
        self.reuse = Reuse()  # what reading made of each file (read/reuse.py)
        self.copies = Reuse()  # the editions' copies of what it made (model/editions.py)
        self.assemblies: dict = {}  # by language: the lists the last assembly made (model/assemble.py)
        self.kept: dict[str, Kept] = {}  # by language: what rendering worked out from the model (render/kept.py)
        self.environments: dict[str, jinja2.Environment] = {}  # by language, but the default's (``templates``)
        self.links = LinkCheck()  # what the last update's link check found, and every file written (the preview's)

    @collector_paused()
    def update(self, sink: Sink, published: Path | None = None, since: str | None = None,
               clock: Stopwatch | None = None) -> Update:
        """Read everything, render what changed into ``sink``, check the links. Raises
        BuildFailed listing every mistake in the content before ``sink`` is given anything (a
        template's error, or Markdown too deep to convert, stops the rendering itself).

        ``published`` and ``since``: what readers saw, for the verdict guard (see read_site).
        ``clock`` hears the seconds each stage took.
        """
        settings, cores, clock = self.settings, self.cores or available_cores(), clock or Stopwatch()
        with clock("read and check"):
            site, problems = read_site(self.project, settings.base_url, settings.drafts, cores, self.documents,
                                       published, since, self.reuse, settings.repository, self.copies,
                                       self.assemblies)
        with clock("fingerprint"):
            renderer = Editions([self.renderer(edition) for edition in (site, *site.editions)])
            prints = renderer.fingerprints()
        try:
            with clock("render and write"), model_frozen():
                results, rendered = sink.render(renderer, prints, cores)
        finally:
            renderer.release()
        with clock("check links"):
            self.links.check(results, site.config.base_url, problems, read=sink.read)
        return Update(site, renderer, prints, results, rendered, problems)

    def renderer(self, site: Site) -> Renderer:
        """The renderer of one edition, with what the engine keeps for its language."""
        language, default = site.config.language, not site.config.prefix
        env = self.templates if default else self.environments.get(language)
        if env is None and self.templates is not None:  # kept between updates, as the default's is
            env = self.environments[language] = template_environment(self.project.templates_dir,
                                                                     self.compiled_templates, reload=True)
        return Renderer(site, self.project.templates_dir, self.project.static_dir, source_date(),
                        cards=self.settings.cards, search=self.settings.search, env=env,
                        card_cache=self.card_cache, compiled_templates=self.compiled_templates,
                        kept=self.kept.setdefault(language, Kept()), assembly=self.assemblies.get(language))


class NoSink:
    """Renders every job and keeps nothing: `factsite check`."""

    read = None

    def render(self, renderer: Renderer, prints: dict[Job, str], cores: int) -> tuple[dict[Job, JobResult], set[Job]]:
        results = renderer.render_jobs(jobs=cores)
        return results, set(results)
