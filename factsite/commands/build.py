"""`factsite build` and `factsite check`: the engine (engine.py) with a folder, or nothing, as its sink.

Reading and checking come first and cover everything, so a build with any mistake in the
content stops before a single file is written. The cache (`.factsite-cache/`, cache.py)
keeps between builds what reading each file gave and each job's fingerprint, so a rebuild
parses only the files that changed and renders only the pages whose fingerprint changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..output.cache import STAMP, BuildCache, BuildState
from ..engine import Engine, NoSink, Project, Settings, Update
from ..errors import ContentError, Problems
from ..render.jobs import Job, JobResult
from ..readback import LeadsOutside, read_own_file
from ..read.filecache import DocumentCache, content_signatures
from ..read.theme import theme_signatures
from ..render import card_faces, renderer as rendering
from ..render.renderer import Renderer
from ..runtime import Stopwatch, source_date
from ..output.search import build_search_index, refresh_search_index
from ..digest import digest_of
from ..output.ownership import owned, refuse_project_folder
from ..output.held import HeldUpdate
from .in_place import rendering_into, write_changed
from ..output.write import journal_pending, write_site

@dataclass
class BuildResult:
    out_dir: Path
    files_written: int
    warnings: list[ContentError] = field(default_factory=list)
    seconds: float = 0.0
    files_reused: int = 0  # left as they were: the cache showed nothing they show had changed
    timings: dict[str, float] = field(default_factory=dict)  # seconds, by phase


def build(project: Project, out_dir: Path, base_url: str | None = None, drafts: bool = False,
          cards: bool = True, search: bool = True, use_cache: bool = True, progress=None,
          since: str | None = None, repository: str | None = None) -> BuildResult:
    """Build the site into ``out_dir``.

    ``cards=False`` skips the claims' share images, ``search=False`` the search index. With
    the cache (`.factsite-cache/` beside ``out_dir``) only the pages whose fingerprint changed
    since the last build are rendered, and written in place; otherwise the whole site is
    written into a new folder that replaces the old one. Either way, nothing is written
    unless every file rendered. ``progress(done, total)`` hears how many jobs are rendered.
    """
    clock = Stopwatch()
    out_dir = out_dir.resolve()
    refuse_project_folder(out_dir, [project.content_dir, project.templates_dir, project.static_dir, Path.cwd()])
    cache = _usable_cache(out_dir) if use_cache else None
    settings = Settings(base_url, drafts, cards, search, repository)
    with clock("read cache"):
        signatures = content_signatures(project.content_dir) if cache else {}
        # Compared with git's past too (--since), the content is not all a build reads.
        inputs = inputs_digest(project, settings, out_dir, signatures) if cache and since is None else None
        last = _unchanged_since_last(cache, inputs, out_dir)
        if last is not None:  # the site in out_dir is what this build would write
            files, warnings = last
            return BuildResult(out_dir, 0, warnings, clock.total(), files_reused=files, timings=clock.phases)
        documents = _document_cache(cache, project.content_dir, signatures)
        sink = FolderSink(out_dir, cache, _last_build(cache, out_dir), settings, progress)
    # The compiled templates are kept whether or not the build keeps its cache: they depend on
    # the templates alone, not on anything the build cache holds (render/compiled.py).
    engine = Engine(project, settings, documents, card_cache=cache.cards() if cache else None,
                    compiled_templates=True)
    update = engine.update(sink, published=out_dir, since=since, clock=clock)
    with clock("save cache"):
        if documents:
            documents.save()
        if cache:
            cache.save_state(sink.state_after(update))
            cache.save_inputs(inputs, sum(len(result.files) for result in update.results.values()),
                              [(str(w.path), w.line, w.message, w.hint) for w in update.problems.warnings])
    return _result(out_dir, update, clock)


def inputs_digest(project: Project, settings: Settings, out_dir: Path, content: dict) -> str | None:
    """A digest of everything a build reads: each file of the content (``content``, its
    signatures: hidden files are left out, as the build leaves them out), and everything in the
    templates and static folders (hidden files and links too: theme_signatures), by size and
    times; the settings, the build date, the folders, and the versions of how factsite reads
    and writes. None when a file changed too recently for its times to tell
    (filecache.settled), or a folder cannot be listed."""
    folders = [content, theme_signatures(project.templates_dir), theme_signatures(project.static_dir)]
    if any(signature is None for signatures in folders for signature in signatures.values()):
        return None
    return digest_of(repr(STAMP), rendering.OUTPUT_VERSION, card_faces.CARD_VERSION, str(out_dir),
                     str(project.content_dir), str(project.templates_dir), str(project.static_dir), repr(settings),
                     str(source_date()),
                     *[repr(sorted(signatures.items())) for signatures in folders])


def _unchanged_since_last(cache: BuildCache | None, inputs: str | None, out_dir: Path) -> tuple | None:
    """(files, warnings) of the last build into ``out_dir``, if it was made of ``inputs`` and the
    site it left is there as it left it: a build of the same inputs writes the same files
    (tests/test_build.py builds twice to hold it to that), so it has nothing to do."""
    last = cache.load_inputs() if cache is not None and inputs is not None else None
    if last is None or last[0] != inputs or not intact(out_dir):
        return None
    _, files, warnings = last
    return files, [ContentError(Path(path), line, message, hint, "warning") for path, line, message, hint in warnings]


def check(project: Project, base_url: str | None = None, drafts: bool = False,
          published: Path | None = None, since: str | None = None, repository: str | None = None) -> Problems:
    """Everything a build checks, rendering in memory and writing nothing: see :func:`checked`."""
    return checked(project, base_url, drafts, published, since, repository).problems


def checked(project: Project, base_url: str | None = None, drafts: bool = False,
            published: Path | None = None, since: str | None = None, repository: str | None = None) -> Update:
    """Everything a build checks, rendering in memory and writing nothing: the update, with the
    site model and the warnings; raises BuildFailed listing every mistake.

    Files unchanged since the last build into ``published`` are taken from its
    file cache, which is read but never written.
    """
    published = published.resolve() if published else None  # as the build names it in the cache
    cache = BuildCache(published) if published else None
    documents = cache.documents() if cache and cache.usable() else None
    engine = Engine(project, Settings(base_url, drafts, cards=False, search=False, repository=repository), documents)
    return engine.update(NoSink(), published=published, since=since)


class FolderSink:
    """Writes the site into ``out_dir``: in place, only the jobs whose fingerprint changed since
    the build ``state`` describes; without it, every job into a new folder that then replaces
    the old one. The search index is made (or its changed parts made again) before the swap."""

    def __init__(self, out_dir: Path, cache: BuildCache | None, state: BuildState | None, settings: Settings,
                 progress, hold: bool = False):
        """``hold``: an update in place holds its files in memory (``held``) for the caller to
        write (the preview's: output/held.py)."""
        self.out_dir, self.cache, self.state, self.progress = out_dir, cache, state, progress
        self.settings = settings
        self.held: HeldUpdate | None = HeldUpdate() if hold else None
        self.search_digests: list[str] | None = None
        self.updated_in_place_of: BuildState | None = None  # the state this sink's files were an update of, in place
        self.gone: list = []  # the jobs of that state there are no more

    def read(self, path: str) -> bytes | None:
        """A file of the site as built, for the link check: never through a link (None if it cannot be read)."""
        held = self.held.read(path) if self.held is not None else None
        return held if held is not None else read_own_file(self.out_dir / path)

    def render(self, renderer: Renderer, prints: dict[Job, str], cores: int) -> tuple[dict[Job, JobResult], set[Job]]:
        state = self.state if self.state and self.state.settings == self.settings_of(renderer) else None
        self.updated_in_place_of, self.gone = None, []
        shards = None
        if self.settings.search:
            shards, self.search_digests = search_parts_and_digests(renderer.search_shards(),
                                                                   renderer.claim_prints(prints))
        # A build stopped after the site changes but before the new state is saved must leave
        # no state, rather than one that no longer describes the site.
        forget_state = self.cache.forget_state if self.cache else None
        if state:
            try:
                results, written, self.gone = write_changed(renderer, self.out_dir, state, prints, cores,
                                                            self.progress, forget_state, self.held)
            except LeadsOutside:  # a link in the site where a folder should be: the whole site is written
                pass
            else:
                if shards is not None:
                    refresh_changed_shards(self.out_dir, shards, state.search_digests, self.search_digests)
                self.updated_in_place_of = state
                return results, written
        index = (lambda folder: build_search_index(folder, shards)) if shards is not None else None
        results = write_site(self.out_dir,
                             rendering_into(renderer, None, cores, self.progress),
                             before_swap=index, before_change=forget_state,
                             adopt=lambda: BuildCache(self.out_dir).names(self.out_dir))
        return results, set(results)

    def state_after(self, update: Update) -> BuildState:
        """What the next build compares with."""
        before = self.updated_in_place_of
        if before is not None:
            # Updated in place: every job not rendered again has the fingerprint and result it had,
            # every job that came was rendered, and those that went are known (write_changed).
            jobs = dict(before.jobs)
            for job in self.gone:
                del jobs[job]
            jobs.update((job, (update.prints[job], update.results[job])) for job in update.rendered)
        else:
            jobs = {job: (update.prints[job], update.results[job]) for job in update.results}
        return BuildState(str(self.out_dir), self.settings_of(update.renderer), jobs, self.search_digests)

    def settings_of(self, renderer: Renderer) -> tuple:
        """The settings the files depend on, as the build state records them (the base URL as
        site.yml or --base-url gave it)."""
        settings = self.settings
        return (renderer.site.config.base_url, settings.cards, settings.search, settings.drafts)


def _usable_cache(out_dir: Path) -> BuildCache | None:
    """The build cache beside ``out_dir``; None when it is a link (the build would read and
    write wherever it leads) or something else has its name."""
    cache = BuildCache(out_dir)
    return cache if cache.usable() else None


def _last_build(cache: BuildCache | None, out_dir: Path) -> BuildState | None:
    """The last build's state, if it describes the site now in ``out_dir``: None when there is
    nothing to compare with, or a site half-updated (then everything is built)."""
    state = cache.load_state() if cache else None
    return state if state and describes(state, out_dir) else None


def describes(state: BuildState, out_dir: Path) -> bool:
    """Whether ``state`` is of the site in ``out_dir`` as it is (:func:`intact`)."""
    return state.out_dir == str(out_dir) and intact(out_dir)


def intact(out_dir: Path) -> bool:
    """Whether the site in ``out_dir`` was written there by factsite, and not left half-updated by
    a build that stopped while moving its files in."""
    return owned(out_dir) and not journal_pending(out_dir)


def _document_cache(cache: BuildCache | None, content_dir: Path, signatures: dict) -> DocumentCache | None:
    """The file cache, told the signatures of the content's files (content_signatures: listed in one pass)."""
    documents = cache.documents() if cache else None
    if documents:
        documents.listed(content_dir, signatures)
    return documents


def search_parts_and_digests(shards: list[list[str]], claim_prints: dict[str, str]) -> tuple[list[list[str]], list[str]]:
    """The parts of the search index (each a list of claim pages), and a digest of what the
    claim pages in each show (``claim_prints``, by address): a part is indexed again when its digest changes."""
    return shards, [digest_of(*(claim_prints[url] for url in shard)) for shard in shards]


def _result(out_dir: Path, update: Update, clock: Stopwatch) -> BuildResult:
    results = update.results
    files_written = sum(len(results[job].files) for job in update.rendered)
    files_reused = sum(len(result.files) for result in results.values()) - files_written
    return BuildResult(out_dir, files_written, update.problems.warnings, clock.total(), files_reused=files_reused,
                       timings=clock.phases)


def refresh_changed_shards(out_dir: Path, shards: list[list[str]], old: list[str] | None, new: list[str]) -> None:
    """Index again the parts of the search index whose pages changed (all, if the parts did)."""
    if old is None or len(old) != len(new):
        refresh_search_index(out_dir, shards)
        return
    changed = {number for number, (before, now) in enumerate(zip(old, new), start=1) if before != now}
    if changed:
        refresh_search_index(out_dir, shards, changed)
