"""`factsite serve`: a preview server that rebuilds on save and reloads the browser.

The preview is built in memory (drafts included) and served on 127.0.0.1 under
the site's base path, so a link that would break under a GitHub Pages project
path breaks here too. watchfiles reports saved files; each change rebuilds the
site and tells open pages, over a server-sent event stream, to reload. A build
with mistakes keeps the server running and shows the mistakes in the browser; so
does a build that crashes, whatever the exception. Which requests it answers, and
how: preview_http.py.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from pathlib import Path
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer

import jinja2
import watchfiles

from .build import Project, read_site
from .runtime import collector_paused, model_frozen, source_date
from .config import load_config
from .errors import BuildFailed, ContentError, Problems
from .links import check_rendered_links
from .read.filecache import DocumentCache
from .read.listing import hidden_below
from .assemble import replace_claim
from .checks import check_editorial
from .read.claim_file import ClaimFile
from .model import Claim
from .preview_claims import LastBuild, Reread, new_claims, reread_claims
from .preview_http import handler_for
from .render import Renderer, template_environment

@dataclass
class Preview:
    """The latest build: its files, or the mistakes that stopped it."""

    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[ContentError] = field(default_factory=list)
    failed: bool = False
    generation: int = 0
    seconds: float = 0.0


class PreviewServer:
    def __init__(self, project: Project, port: int = 8000, drafts: bool = True, log=print):
        self.project = project
        self.drafts = drafts
        self.log = log
        self.preview = Preview()
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler_for(self))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base_path = configured_base_path(project)
        # Kept between rebuilds: Jinja recompiles only templates that changed on disk, files
        # unchanged on disk are not parsed again, and a job whose fingerprint is unchanged
        # keeps its rendered files.
        self.templates = template_environment(project.templates_dir, reload=True)
        self.documents = DocumentCache()
        self.jobs: dict = {}  # job -> (fingerprint, {path: bytes}, JobResult)
        self.last: LastBuild | None = None  # the last build that worked, for quick rebuilds
        self.building = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.base_path}"

    # Building -------------------------------------------------------------

    def rebuild(self, changed: set[Path] | None = None) -> None:
        """Build again; ``changed``, the files saved since the last build, if known."""
        # The watcher may ask while the first build runs: one at a time, as they share the
        # caches (and the cycle collector's state, which each build turns off and on again).
        with self.building:
            self._rebuild(changed)

    def _rebuild(self, changed: set[Path] | None) -> None:
        started = time.perf_counter()
        preview = Preview(generation=self.preview.generation + 1)
        try:
            outcome = self.rebuild_claims(changed) if changed else None
            preview.files, preview.problems = outcome or self.build_in_memory()
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
        if preview.failed:
            self.last = None
        preview.seconds = time.perf_counter() - started
        with self.changed:
            self.preview = preview
            self.changed.notify_all()
        self.report(preview)

    @collector_paused()
    def build_in_memory(self) -> tuple[dict[str, bytes], list[ContentError]]:
        self.last = None
        # Keep the configured base path, so subpath mistakes show up locally.
        self.base_path = configured_base_path(self.project)
        local_base = f"http://127.0.0.1:{self.port}{self.base_path}"
        site, problems = read_site(self.project, base_url=local_base, drafts=self.drafts, cache=self.documents,
                                   editorial=False)
        editorial = Problems()
        check_editorial(site, editorial)
        # Share cards and the search index are left out: the preview must be instant.
        renderer = Renderer(site, self.project.templates_dir, self.project.static_dir, source_date(),
                            cards=False, search=False, env=self.templates)
        self.render_changed(renderer, renderer.fingerprints())
        self.last = LastBuild(renderer, problems.items, editorial.items)
        return self.files_and_problems(Problems(problems.items + editorial.items))

    def render_changed(self, renderer: Renderer, prints: dict) -> None:
        """Render the jobs whose fingerprint (in ``prints``) changed; the others keep their files."""
        jobs: dict = {}
        with model_frozen():
            for job in renderer.jobs():
                previous = self.jobs.get(job)
                if previous and previous[0] == prints[job]:
                    jobs[job] = previous  # nothing it shows changed
                else:
                    jobs[job] = (prints[job], *renderer.render_job(job, with_ids=False))
        self.jobs = jobs

    @collector_paused()
    def rebuild_claims(self, changed: set[Path]) -> tuple[dict[str, bytes], list[ContentError]] | None:
        """The quick way, when only claims changed, and not where they are listed: each claim
        is read again alone and takes the old one's place in the last site (preview_claims.py).

        An analysis alone shows only on its claim's page, which is rendered again; after
        other fields, every job whose fingerprint changed. None when anything else changed
        (a verdict or topic, a new file, a template) or a claim has a mistake: the whole
        site is then read again, which reports the mistakes.
        """
        last = self.last
        reread = reread_claims(last, changed) if last else None
        replacements = new_claims(last.renderer, reread.fields, reread.problems) if reread else None
        if replacements is None:
            return None
        for claim, file in reread.analyses:
            claim.analysis, claim.body_digest = file.body, file.body_digest
        for claim, new in replacements:
            replace_claim(last.renderer.site, claim, new)
            last.renderer.forget(claim)
        if replacements:
            self.render_after_fields(last, replacements, reread)
        else:
            self.render_analyses(last.renderer, reread.analyses)
        return self.files_and_problems(Problems(last.read + last.editorial))

    def render_after_fields(self, last: LastBuild, replacements: list[tuple[Claim, Claim]], reread: Reread) -> None:
        """After claims' fields changed: their problems and the editorial warnings found again,
        and every job whose fingerprint changed rendered."""
        # The problems read from the claims' fields are read again; those of an analysis cannot change.
        edited = {claim.path for claim, _ in replacements}
        last.read = [p for p in last.read if p.path not in edited] + reread.problems.items
        editorial = Problems()
        check_editorial(last.renderer.site, editorial)
        last.editorial = editorial.items
        prints = {job: fingerprint for job, (fingerprint, _, _) in self.jobs.items()}
        changed = [claim for claim, _ in replacements + reread.analyses]  # each the object the site holds
        self.render_changed(last.renderer, last.renderer.fingerprints_after(prints, changed))

    def render_analyses(self, renderer: Renderer, analyses: list[tuple[Claim, ClaimFile]]) -> None:
        """After analyses alone changed: only their claims' own pages show them."""
        for claim, _ in analyses:
            job = ("claim", claim.slug)
            self.jobs[job] = (renderer.claim_print(claim), *renderer.render_job(job, with_ids=False))

    def files_and_problems(self, problems: Problems) -> tuple[dict[str, bytes], list[ContentError]]:
        """Every file of the preview, and every problem, with the links checked."""
        jobs = self.jobs.values()
        files = {path: data for _, outputs, _ in jobs for path, data in outputs.items()}
        check_rendered_links((result for _, _, result in jobs), self.last.renderer.site.config.base_url, problems,
                             read=files.__getitem__)
        return files, problems.errors + problems.warnings

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
        for changes in watchfiles.watch(*folders, stop_event=self.stopping, debounce=50, step=20,
                                        rust_timeout=500, yield_on_timeout=False,
                                        watch_filter=VisibleChanges(folders)):
            if changes:
                try:
                    self.rebuild({Path(path) for _, path in changes})
                except Exception:  # noqa: BLE001 - never stop watching (rebuild reports its own crashes)
                    self.log(traceback.format_exc())

    # Running --------------------------------------------------------------

    def start(self) -> None:
        """Watch, build, then serve, in background threads.

        The watcher starts first, so a file saved while the first build runs is not missed.
        """
        threading.Thread(target=self.watch, daemon=True).start()
        self.rebuild()
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.stopping.set()
        with self.changed:
            self.changed.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()


class VisibleChanges(watchfiles.DefaultFilter):
    """The changes the build can see: none to a hidden file or inside a hidden folder
    (read/listing.py), which the build leaves out, as well as what watchfiles leaves out."""

    def __init__(self, folders: list[Path]):
        super().__init__()
        self.folders = [os.path.abspath(folder) for folder in folders]

    def __call__(self, change, path: str) -> bool:
        if not super().__call__(change, path):
            return False
        path = os.path.abspath(path)
        for folder in self.folders:
            if path.startswith(folder + os.sep):
                return not hidden_below(path[len(folder) + 1:].replace(os.sep, "/"))
        return True


def configured_base_path(project: Project) -> str:
    """The base path of the base URL in site.yml ("/" if it has mistakes, which the build then shows)."""
    problems = Problems()
    config = load_config(project.content_dir, problems)
    return "/" if config is None or problems.errors else config.base_path
