"""`factsite serve`: a preview server that rebuilds on save and reloads the browser.

The preview is built (drafts included) into a folder of its own, outside the project,
updated in place as the CLI updates site/, and served on 127.0.0.1 under the site's base
path, so a link that would break under a GitHub Pages project
path breaks here too. watchfiles reports saved files; each change rebuilds the
site and tells open pages, over a server-sent event stream, to reload. A build
with mistakes keeps the server running and shows the mistakes in the browser; so
does a build that crashes, whatever the exception. Which requests it answers, and
how: preview_http.py.
"""

from __future__ import annotations

import gc
import threading
import time
import traceback
from dataclasses import dataclass, field, replace
from http.server import ThreadingHTTPServer
from pathlib import Path
from tempfile import TemporaryDirectory

import jinja2
import watchfiles

from ..read.config import load_config
from ..engine import Engine, Project, Settings, Update
from ..output.build_state import BuildState
from ..output.cache import CardCache
from ..output.held import PreviewFiles
from ..output.write_errors import WriteError
from .build import FolderSink, describes
from ..errors import BuildFailed, ContentError, Problems
from ..read.filecache import DocumentCache, content_signatures
from ..readback import LeadsOutside
from ..read.hidden import VisibleChanges
from .preview_http import handler_for
from ..render.renderer import template_environment

WATCHER_WAKES_MS = 100  # how often the watcher checks whether to stop, when nothing changes
# A site model's objects point at each other (a claim at its verdict, the verdict at its
# claims), so a model left behind is freed only by Python's cycle collector, which looks at
# long-lived objects so rarely that the preview grew by about 8 MB a save at 2,000 claims, and
# which walks every live object to find it (0.3 s at 10,000 claims). A rebuild that succeeds
# unlinks its model once done (Update.discard), which is then freed at once; one that fails
# may leave what it made behind, so the watcher collects once the editor pauses, or sooner
# after a burst of failed saves, but always after the browser has had the page.
COLLECT_WHEN_IDLE_S = 1.0
COLLECT_AFTER_MODELS = 2  # failed rebuilds since the last collection, collected after a short pause instead
SHORT_PAUSE_S = 0.25


@dataclass
class Preview:
    """The latest build: its files, or the mistakes that stopped it."""

    files: PreviewFiles = field(default_factory=PreviewFiles)
    problems: list[ContentError] = field(default_factory=list)
    failed: bool = False
    generation: int = 0
    seconds: float = 0.0


class PreviewServer:
    def __init__(self, project: Project, port: int = 8000, drafts: bool = True, log=print,
                 published: Path | None = None):
        """``published``: the site as last built (site/), which each update is compared with as
        `factsite check` does: a verdict readers saw may not change without a correction."""
        self.project = project
        self.published = published
        self.log = log
        self.preview = Preview()
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        self.watching = threading.Event()  # set once the watcher watches the folders
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler_for(self))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base_path = configured_base_path(project)
        # Kept between rebuilds: the engine, with what reading each file gave (only the files
        # saved since are parsed again) and the templates (Jinja compiles again only those
        # changed on disk), and each page's files, rendered again only when its fingerprint
        # changes. On one process, but for the first build (see start()): forking a process
        # that runs other threads (the watcher, the server) can leave the child waiting on a
        # lock one of them held.
        # Removed on stop, or at exit. (Where the system's temporary folder is in memory, as
        # tmpfs, the pages are too, but outside this process.)
        self.scratch = TemporaryDirectory(prefix="factsite-preview-", ignore_cleanup_errors=True)
        # The site's own share card (the claims' are not drawn) is drawn again only when what it shows changes.
        self.engine = Engine(project, Settings(self.url, drafts, cards=False, search=False), DocumentCache(),
                             template_environment(project.templates_dir, compiled=True, reload=True), cores=1,
                             card_cache=CardCache(Path(self.scratch.name) / "cards"), compiled_templates=True)
        self.out_dir = Path(self.scratch.name) / "site"
        self.state: BuildState | None = None  # what the folder holds: each job's fingerprint and files
        self.building = threading.Lock()
        self.serving = False  # whether serve_in_background() has started answering requests
        self.models_left = 0  # failed rebuilds since the last collection, which may have left a model behind
        self.last_rebuild = time.monotonic()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.base_path}"

    # Building -------------------------------------------------------------

    def rebuild(self, changed: list[str] | None = None) -> None:
        """Build again: the engine finds what changed since the last build itself, asking the
        system about each file unless ``changed`` names the files that did (the watcher's)."""
        # The watcher may ask while the first build runs: one at a time, as they share the
        # caches (and the cycle collector's state, which each build turns off and on again).
        with self.building:
            self._rebuild(changed)

    def _rebuild(self, changed: list[str] | None) -> None:
        started = time.perf_counter()
        preview = Preview(generation=self.preview.generation + 1)
        done = None
        try:
            preview.files, preview.problems, done = self.build_into_folder(changed)
        except BuildFailed as failure:
            preview.failed, preview.problems = True, failure.problems.errors + failure.problems.warnings
        except jinja2.TemplateError as error:
            where = f"{getattr(error, 'filename', None) or 'template'}"
            line = getattr(error, "lineno", None)
            preview.failed = True
            preview.problems = [ContentError(where, line, f"template error: {error.message}")]  # type: ignore[arg-type]
        except Exception as error:  # noqa: BLE001 - whatever it is, the preview shows it and keeps watching
            self.log(traceback.format_exc())
            preview.failed = True
            preview.problems = [ContentError(
                Path("factsite"), None, f"the preview crashed while rebuilding: {type(error).__name__}: {error}",
                "this is a bug in factsite or in the templates (the terminal shows where): undo the last change "
                "and save, and report it; the preview rebuilds on the next save")]
        preview.seconds = time.perf_counter() - started
        self.last_rebuild = time.monotonic()
        if preview.failed:  # a rebuild that succeeds unlinks its model (below)
            self.models_left += 1
        with self.changed:
            self.preview = preview
            self.changed.notify_all()
        self.report(preview)
        if done is not None:  # (a rebuild that failed left nothing to write, nor a state)
            update, sink = done
            try:
                self.start_next_from(update, sink)
                if preview.files.held is not None:
                    self.write_held(preview.files)
            finally:
                update.discard()  # the model is freed here, once the browser is told, not before

    def start_next_from(self, update: Update, sink: FolderSink) -> None:
        """Work out what the next update starts from, once the browser is told: the folder's
        state, and the file cache's count of the files read. A bug here is shown in the
        terminal, and the next update writes the whole folder again."""
        try:
            self.state = sink.state_after(update)
            self.engine.documents.forget_unread()
        except Exception:  # noqa: BLE001 - the page is shown already; the preview goes on
            self.state = None
            self.log(traceback.format_exc())

    def write_held(self, files: PreviewFiles) -> None:
        """Write the files of the update the browser was given from memory into the preview's
        folder, then give them from there. Should that fail (a full disk, say), they are given
        from memory until the next update, which writes the whole folder again."""
        try:
            files.held.write_into(self.out_dir)
        except (OSError, WriteError, LeadsOutside) as error:
            self.state = None
            self.log(f"factsite: could not write the preview's files into {self.out_dir} ({error}); "
                     "they are kept in memory until the next save")
            return
        except Exception:  # noqa: BLE001 - a bug: shown in the terminal, and the preview goes on
            self.state = None
            self.log(traceback.format_exc())
            return
        files.held = None

    def build_into_folder(self, changed: list[str] | None = None
                          ) -> tuple[PreviewFiles, list[ContentError], tuple[Update, FolderSink]]:
        """The site with drafts, for the server's own address under the configured base path
        (so subpath mistakes show up locally), without share cards or the search index (the
        preview must be instant): only the pages whose fingerprint changed, held in memory for
        write_held to write into the preview's folder (the first build, and an update of many pages,
        write it as the CLI writes site/). Returns the files, the problems, and the update with the
        sink it went to, from which the caller takes the folder's new state (FolderSink.state_after)."""
        self.base_path = configured_base_path(self.project)  # site.yml may have changed
        self.engine.settings = replace(self.engine.settings, base_url=self.url)
        sink = FolderSink(self.out_dir, None, self.state, self.engine.settings, None, hold=True)
        self.engine.documents.only_changed(self.project.content_dir, changed)
        try:
            update = self.engine.update(sink, published=self.published)
        except BaseException:
            # The pages are rendered beside the folder and moved in only once all are: after a
            # mistake or a crash the folder is as it was, unless the moves themselves stopped.
            if self.state is not None and not describes(self.state, self.out_dir):
                self.state = None  # the next build writes it whole
            raise
        held = sink.held if sink.held.files or sink.held.removed else None  # (else nothing is left to write)
        files = PreviewFiles(self.out_dir, self.engine.links.files, held)  # what the link check found written
        return files, update.problems.errors + update.problems.warnings, (update, sink)

    def report(self, preview: Preview) -> None:
        for problem in preview.problems:
            self.log(str(problem))
        if preview.failed:
            self.log(f"Build failed: {sum(p.severity == 'error' for p in preview.problems)} error(s). "
                     "The browser shows them; fix the file and save.")
        else:
            self.log(f"Rebuilt {len(preview.files)} files in {preview.seconds * 1000:.0f} ms. Serving {self.url}")

    # Watching -------------------------------------------------------------

    def watch(self) -> None:
        folders = [p for p in (self.project.content_dir, self.project.templates_dir, self.project.static_dir)
                   if p.is_dir()]
        # Asked to yield when nothing changed too: the first time it does, the folders are
        # watched, and start() may serve.
        for changes in watchfiles.watch(*folders, stop_event=self.stopping, debounce=50, step=20,
                                        rust_timeout=WATCHER_WAKES_MS, yield_on_timeout=True,
                                        watch_filter=VisibleChanges(folders)):
            self.watching.set()
            if changes:
                try:
                    self.rebuild(sorted(path for _, path in changes))
                except Exception:  # noqa: BLE001 - never stop watching (rebuild reports its own crashes)
                    self.log(traceback.format_exc())
            elif self.models_left and self.time_to_collect(time.monotonic() - self.last_rebuild):
                self.collect_garbage()

    def time_to_collect(self, idle: float) -> bool:
        return idle >= COLLECT_WHEN_IDLE_S or (idle >= SHORT_PAUSE_S and self.models_left >= COLLECT_AFTER_MODELS)

    def collect_garbage(self) -> None:
        """Free the site models earlier rebuilds left behind (see COLLECT_WHEN_IDLE_S)."""
        with self.building:
            gc.collect()
            self.models_left = 0

    # Running --------------------------------------------------------------

    def start(self) -> None:
        """Build, watch, then serve, in background threads.

        The first build renders on every core, before any other thread runs: its workers are
        forked, and a thread running at the fork could hold a lock the workers then wait on
        for ever. Once the watcher watches, the site is built again, on this process as every
        rebuild is: a file saved during the first build is read then (the engine finds what
        changed itself; nothing else is read again). The pages are served once the watcher
        watches, so a file saved after that is not missed either.
        """
        before = self.signatures()
        self.engine.cores = None  # every usable core
        try:
            self.rebuild()
        finally:
            self.engine.cores = 1
        threading.Thread(target=self.watch, daemon=True).start()
        self.watching.wait(timeout=10)  # should the watcher fail, serve anyway: its thread logged why
        if self.signatures() != before:
            self.rebuild()
        self.serve_in_background()

    def serve_in_background(self) -> None:
        self.serving = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def signatures(self) -> list[dict]:
        """Each watched file's size and times: what the first build may have missed a change of."""
        return [content_signatures(folder, settle=False) for folder in
                (self.project.content_dir, self.project.templates_dir, self.project.static_dir)]

    def stop(self) -> None:
        self.stopping.set()
        with self.changed:
            self.changed.notify_all()
        if self.serving:  # else shutdown() would wait for ever for a loop that never ran
            self.httpd.shutdown()
        self.httpd.server_close()
        if self.building.acquire(timeout=10):  # not while a rebuild writes into the folder
            try:
                self.scratch.cleanup()
            finally:
                self.building.release()


def configured_base_path(project: Project) -> str:
    """The base path of the base URL in site.yml ("/" if it has mistakes, which the build then shows)."""
    problems = Problems()
    config = load_config(project.content_dir, problems)
    return "/" if config is None or problems.errors else config.base_path
