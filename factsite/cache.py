"""The build cache, a folder `.factsite-cache/` beside the output folder.

It remembers, for the last build into the output folder, each job's
fingerprint and what the job wrote, so the next build renders only the jobs
whose fingerprint changed. Share cards are kept by the digest of what they
show, so a card is drawn once, whichever build needs it (the Pages workflow
keeps this folder between runs). Deleting the folder only costs time.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .documents import DocumentCache
from .render import JobResult
from .write import WriteError, write_atomically

CACHE_FOLDER = ".factsite-cache"
FORMAT = 7  # raise when what the cache holds changes shape; older caches are then ignored


@dataclass
class BuildState:
    """What the last build wrote into ``out_dir``, and with which settings."""

    out_dir: str
    settings: tuple
    jobs: dict = field(default_factory=dict)  # job -> (fingerprint, JobResult)
    search_digests: list[str] | None = None  # one for each part of the search index
    # For the rebuild after analyses alone were edited (analysis_edits.py):
    inputs: dict = field(default_factory=dict)  # content file (relative path) -> its signature
    shown: dict = field(default_factory=dict)  # claim slug -> what pages show of it, in the site's order
    layout: str = ""  # the digest of the templates, static files, settings and build date
    warnings: list = field(default_factory=list)  # the content's: (path in the content folder, line, message, hint)
    version: tuple = (__version__, FORMAT)


class BuildCache:
    def __init__(self, out_dir: Path):
        self.folder = out_dir.parent / CACHE_FOLDER
        self.state_file = self.folder / f"{out_dir.name}.state.marshal"

    def load_state(self) -> BuildState | None:
        """The last build's state, or None when there is none that can be trusted."""
        try:
            (version, out_dir, settings, jobs, search_digests, inputs, shown, layout,
             warnings) = marshal.loads(self.state_file.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if version != (__version__, FORMAT):
            return None
        # The ids on each page are not kept: the link check reads them from the page if it needs them.
        return BuildState(out_dir, settings, {job: (fingerprint, JobResult(dict.fromkeys(files), links))
                                               for job, (fingerprint, (files, links)) in jobs.items()},
                          search_digests, inputs, shown, layout, warnings)

    def forget_state(self) -> None:
        """Called before the site changes: a build stopped before it saves the new state
        then leaves no state at all (so the next build writes everything), never one
        that no longer describes the site."""
        self.state_file.unlink(missing_ok=True)

    def save_state(self, state: BuildState) -> None:
        # marshal, not pickle: plain values load several times faster, and a big site has many.
        jobs = {job: (fingerprint, (list(result.files), [tuple(item) for item in result.links]))
                for job, (fingerprint, result) in state.jobs.items()}
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomically(self.state_file, marshal.dumps(
            ((__version__, FORMAT), state.out_dir, state.settings, jobs, state.search_digests, state.inputs,
             state.shown, state.layout, state.warnings)))

    def documents(self) -> DocumentCache:
        return DocumentCache(self.folder / "documents.marshal")

    def cards(self) -> CardCache:
        return CardCache(self.folder / "cards")

    def compiled_templates(self) -> Path:
        """Where Jinja keeps compiled templates: by their source's checksum, and here by
        factsite's version too, which sets how they are compiled."""
        return self.folder / f"templates-{__version__}"


class CardCache:
    """Share cards by the digest of what they show."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get_or_make(self, key: str, make: Callable[[], bytes]) -> bytes:
        path = self.folder / f"{key}.png"
        try:
            return path.read_bytes()
        except OSError:  # not drawn yet, or the folder cannot be used: draw it
            data = make()
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                write_atomically(path, data)
            except (OSError, WriteError):
                pass  # a card not kept is drawn again next time; saving the build's state reports the folder
            return data
