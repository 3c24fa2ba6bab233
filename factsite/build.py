"""The build pipeline: config -> load and validate -> site model -> render -> write.

Reading and checking come first and cover everything, so a build with any
mistake in the content stops before a single file is written. The cache
(`cache.py`) lets a build skip what has not changed since the last one.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

from .analysis_edits import read_edited_analyses
from .assemble import assemble_site
from .checks import check_editorial
from .config import load_config
from .errors import ContentError, Problems
from .links import check_rendered_links
from .read.content import load_content
from .cache import BuildCache, BuildState
from .digest import digest_of
from .read.filecache import DocumentCache, content_signatures
from .guard import check_verdict_changes, check_verdict_history
from .model import Site, claim_url
from .render import Renderer
from .search import build_search_index, refresh_search_index, search_shards
from .theme import check_theme_folder
from .readback import LeadsOutside, read_own_file
from .runtime import Stopwatch, available_cores, collector_paused, model_frozen, source_date
from .write import journal_pending, owned, refuse_project_folder, update_site, write_site


@dataclass
class Project:
    """Where a site's content, templates and static files live."""

    content_dir: Path
    templates_dir: Path
    static_dir: Path

    @classmethod
    def at(cls, root: Path, content_dir: Path | None = None) -> "Project":
        return cls(content_dir or root / "content", root / "templates", root / "static")

    def check_theme(self, problems: Problems) -> None:
        for folder in (self.templates_dir, self.static_dir):
            if not folder.is_dir():
                problems.error(folder, None, f"the {folder.name} folder is missing",
                               "run factsite from the folder that holds content/, templates/ and static/")
            else:
                check_theme_folder(folder, problems)  # no link (symlink) in it


@dataclass
class BuildResult:
    out_dir: Path
    files_written: int
    warnings: list[ContentError] = field(default_factory=list)
    seconds: float = 0.0
    files_reused: int = 0  # left as they were: the cache showed nothing they show had changed
    timings: dict[str, float] = field(default_factory=dict)  # seconds, by phase


def read_site(project: Project, base_url: str | None = None, drafts: bool = False,
              jobs: int = 1, cache: DocumentCache | None = None,
              published: Path | None = None, since: str | None = None,
              editorial: bool = True) -> tuple[Site, Problems]:
    """Stages 1 to 3: the checked site model; raises BuildFailed listing every mistake.

    ``published``: the folder of the site as last built: what readers saw there may not change
    without a note saying so (guard.py); ``since``: a git revision, the same for the content there;
    ``editorial``: False to leave out the editorial warnings (checks.check_editorial).
    """
    problems = Problems()
    project.check_theme(problems)
    config = load_config(project.content_dir, problems, base_url)
    problems.raise_if_errors()
    content = load_content(config, project.content_dir, problems, drafts, jobs, cache)
    problems.raise_if_errors()
    site = assemble_site(config, content)
    if editorial:
        check_editorial(site, problems)
    reported = set()
    if published is not None:
        reported = check_verdict_changes(site, published, problems)
    if since is not None:
        check_verdict_history(site, project.content_dir, since, problems, reported)
    problems.raise_if_errors()
    return site, problems


@collector_paused()
def build(project: Project, out_dir: Path, base_url: str | None = None, drafts: bool = False,
          cards: bool = True, search: bool = True, use_cache: bool = True, progress=None,
          since: str | None = None) -> BuildResult:
    """Build the site into ``out_dir``.

    ``cards=False`` skips the claims' share images, ``search=False`` the search
    index. With the cache (`.factsite-cache/` beside ``out_dir``) only the pages
    whose fingerprint changed since the last build are rendered, and written in
    place; otherwise the whole site is written into a new folder that replaces
    the old one. Either way, nothing is written unless every file rendered.
    When only analyses changed since the last build, only their claims are read
    (analysis_edits.py). ``progress(done, total)`` hears how many jobs are rendered.
    """
    clock = Stopwatch()
    out_dir = out_dir.resolve()
    refuse_project_folder(out_dir, [project.content_dir, project.templates_dir, project.static_dir, Path.cwd()])
    cores = available_cores()
    cache = _usable_cache(out_dir) if use_cache else None
    renderer_for = functools.partial(_renderer_for, project, cache, cards, search)
    documents = None
    with clock("read"):
        state = _last_build(cache, out_dir)
        inputs = content_signatures(project.content_dir) if cache else {}
        edits = None
        if state and since is None:
            edits = read_edited_analyses(project, state, inputs, base_url, cards, search, drafts, source_date(),
                                         renderer_for)
        if edits is None:
            documents = _document_cache(cache, project.content_dir, inputs)
            site, problems = read_site(project, base_url, drafts, cores, documents, published=out_dir, since=since)
    with clock("compare"):
        if edits:
            site, renderer, prints, shown = edits.site, edits.renderer, edits.prints, edits.shown
            problems = edits.warnings
        else:
            renderer = renderer_for(site)
            prints, shown = renderer.fingerprints(), renderer.shown
        settings = (site.config.base_url, cards, search, drafts)
        if state and state.settings != settings:
            state = None
    # A build stopped after the site changes but before the new state is saved must leave
    # no state, rather than one that no longer describes the site.
    forget_state = cache.forget_state if cache else None
    shards, search_digests = _search_parts(prints, shown) if search else (None, None)
    with clock("render and write"), model_frozen():
        results, written, in_place = _render_and_write(renderer, out_dir, state, prints, shards, cores, progress,
                                                       forget_state)
    with clock("search index"):
        if shards is not None and in_place:  # a site written whole was indexed before the swap
            refresh_changed_shards(out_dir, shards, state.search_digests, search_digests)
    with clock("save cache"):
        if documents:
            documents.save()
        if cache:
            cache.save_state(BuildState(
                str(out_dir), settings, {job: (prints[job], results[job]) for job in results}, search_digests,
                inputs, shown, digest_of(renderer.layout, str(source_date())),
                _saved_warnings(problems, project.content_dir)))
    with clock("check links"):
        check_rendered_links(results.values(), site.config.base_url, problems, read=_site_reader(out_dir))
    return _result(out_dir, results, written, problems, clock)


def _usable_cache(out_dir: Path) -> BuildCache | None:
    """The build cache beside ``out_dir``; None when it is a link (the build would read and
    write wherever it leads) or something else has its name."""
    cache = BuildCache(out_dir)
    return cache if cache.usable() else None


def _renderer_for(project: Project, cache: BuildCache | None, cards: bool, search: bool, site: Site) -> Renderer:
    return Renderer(site, project.templates_dir, project.static_dir, source_date(), cards=cards, search=search,
                    card_cache=cache.cards() if cache else None,
                    compiled_templates=cache is not None)


def _last_build(cache: BuildCache | None, out_dir: Path) -> BuildState | None:
    """The last build's state, if it describes the site now in ``out_dir``: None when there is
    nothing to compare with, or a site half-updated (then everything is built)."""
    state = cache.load_state() if cache else None
    if state and state.out_dir == str(out_dir) and owned(out_dir) and not journal_pending(out_dir):
        return state
    return None


def _document_cache(cache: BuildCache | None, content_dir: Path, inputs: dict) -> DocumentCache | None:
    """The file cache, told the signatures of the content's files (listed once, for the build state too)."""
    documents = cache.documents() if cache else None
    if documents:
        documents.listed(content_dir, inputs)
    return documents


def _search_parts(prints: dict, shown: dict) -> tuple[list[list[str]], list[str]]:
    """The parts of the search index (each a list of claim pages), and a digest of what the
    claim pages in each show: a part is indexed again when its digest changes."""
    claim_prints = {claim_url(slug): prints[("claim", slug)] for slug in shown}
    shards = search_shards(list(claim_prints))
    return shards, [digest_of(*(claim_prints[url] for url in shard)) for shard in shards]


def _render_and_write(renderer: Renderer, out_dir: Path, state: BuildState | None, prints: dict,
                      shards: list[list[str]] | None, cores: int, progress, forget_state) -> tuple[dict, set, bool]:
    """Every job's result, the jobs rendered, and whether the site was changed in place.

    With the last build's ``state``, only the jobs whose fingerprint changed are rendered,
    into the site in place; without it (or when a link in the site stands where a folder
    should be, and nothing was changed), every page is written into a new folder, with the
    search index (unless ``shards`` is None), which then replaces the site.
    """
    if state:
        try:
            results, written = write_changed(renderer, out_dir, state, prints, cores, progress, forget_state)
            return results, written, True
        except LeadsOutside:
            pass
    index = (lambda folder: build_search_index(folder, shards)) if shards is not None else None
    results = write_site(out_dir, lambda folder: renderer.write_into(folder, jobs=cores, progress=progress),
                         before_swap=index, before_change=forget_state,
                         adopt=lambda: BuildCache(out_dir).names(out_dir))
    return results, set(results), False


def _saved_warnings(problems: Problems, content_dir: Path) -> list[tuple]:
    """The warnings about the content, as the build state keeps them (analysis_edits.py shows them again)."""
    return [(_relative(w.path, content_dir), w.line, w.message, w.hint) for w in problems.warnings]


def _site_reader(out_dir: Path):
    """Reads a file of the site as built, for the link check: never through a link."""
    return lambda path: read_own_file(out_dir / path) or b""


def _result(out_dir: Path, results: dict, written: set, problems: Problems, clock: Stopwatch) -> BuildResult:
    files_written = sum(len(results[job].files) for job in written)
    files_reused = sum(len(result.files) for result in results.values()) - files_written
    return BuildResult(out_dir, files_written, problems.warnings, clock.total(), files_reused=files_reused,
                       timings=clock.phases)


def _relative(path: Path, folder: Path) -> str:
    """``path`` relative to ``folder`` if it is inside it: the next build may name the folder otherwise."""
    return os.path.relpath(path, folder) if path.is_relative_to(folder) else str(path)


def write_changed(renderer: Renderer, out_dir: Path, state: BuildState, prints: dict,
                  cores: int, progress=None, before_change=None) -> tuple[dict, set]:
    """Render only the jobs whose fingerprint differs from ``state``'s, into the site in place.

    Returns every job's result (the unchanged ones from ``state``) and the jobs rendered.
    """
    work = list(prints)  # every job, as renderer.jobs() lists them (or the last build did)
    changed = [job for job in work if state.jobs.get(job, (None,))[0] != prints[job]]
    unchanged = set(work) - set(changed)
    results = {job: state.jobs[job][1] for job in work if job in unchanged}

    def stale(new: dict) -> list[str]:
        """Files of the last build that no job writes any more (a deleted claim's, say)."""
        kept = {path for result in list(results.values()) + list(new.values()) for path in result.files}
        return [path for _, old in state.jobs.values() for path in old.files if path not in kept]

    if changed or stale({}):
        results.update(update_site(out_dir, lambda folder: renderer.write_into(folder, changed, cores, progress),
                                   stale, before_change))
    return results, set(changed)


def refresh_changed_shards(out_dir: Path, shards: list[list[str]], old: list[str] | None, new: list[str]) -> None:
    """Index again the parts of the search index whose pages changed (all, if the parts did)."""
    if old is None or len(old) != len(new):
        refresh_search_index(out_dir, shards)
        return
    changed = {number for number, (before, now) in enumerate(zip(old, new), start=1) if before != now}
    if changed:
        refresh_search_index(out_dir, shards, changed)


@collector_paused()
def check(project: Project, base_url: str | None = None, drafts: bool = False,
          published: Path | None = None, since: str | None = None) -> Problems:
    """Everything a build checks, rendering in memory and writing nothing.

    Files unchanged since the last build into ``published`` are taken from its
    file cache, which is read but never written.
    """
    cores = available_cores()
    published = published.resolve() if published else None  # as the build names it in the cache
    cache = BuildCache(published) if published else None
    documents = cache.documents() if cache and cache.usable() else None
    site, problems = read_site(project, base_url, drafts, cores, documents, published=published, since=since)
    renderer = Renderer(site, project.templates_dir, project.static_dir, source_date(), cards=False, search=False)
    with model_frozen():
        results = renderer.write_into(None, jobs=cores)
    check_rendered_links(results.values(), site.config.base_url, problems)
    return problems
