"""The build cache, a folder `.factsite-cache/` beside the output folder.

It remembers, for the last build into the output folder, each job's
fingerprint and what the job wrote, so the next build renders only the jobs
whose fingerprint changed. Share cards are kept by the digest of what they
show, so a card is drawn once, whichever build needs it (the Pages workflow
keeps this folder between runs). Deleting the folder only costs time.

What is read back from here is untrusted (readback.py): the build state is taken only
if every value in it has the type and shape a build writes, and every path in it stays
inside the output folder; otherwise, and when the folder is a link, the build writes
everything afresh. A card is read only as a plain PNG file.
"""

from __future__ import annotations

import marshal
import os
from itertools import chain
from operator import itemgetter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .read.filecache import DocumentCache
from .readback import all_safe_relative, read_own_file
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

    def usable(self) -> bool:
        """Not when the folder is a link (the build would read and write wherever it leads), nor
        when something else has its name."""
        return not os.path.islink(self.folder) and (self.folder.is_dir() or not os.path.lexists(self.folder))

    def _load(self):
        data = read_own_file(self.state_file)
        try:
            return marshal.loads(data) if data is not None else None
        except (EOFError, ValueError, TypeError, MemoryError):
            return None

    def load_state(self) -> BuildState | None:
        """The last build's state, or None when there is none that can be trusted."""
        loaded = self._load()
        if not (type(loaded) is tuple and len(loaded) == 9 and loaded[0] == (__version__, FORMAT)):
            return None
        _, out_dir, settings, jobs, search_digests, inputs, shown, layout, warnings = loaded
        if not (type(out_dir) is str and type(settings) is tuple and type(layout) is str
                and _is_text_list(search_digests, none=True) and _is_text_dict(shown)
                and _are_signatures(inputs) and _are_warnings(warnings) and _are_jobs(jobs)):
            return None
        # The ids on each page are not kept: the link check reads them from the page if it needs them.
        return BuildState(out_dir, settings, {job: (fingerprint, JobResult(dict.fromkeys(files), links))
                                               for job, (fingerprint, (files, links)) in jobs.items()},
                          search_digests, inputs, shown, layout, warnings)

    def names(self, out_dir: Path) -> bool:
        """Whether the last build's state, of any format, says it built into ``out_dir``: a site
        an earlier factsite made, before it marked its folders (write.refuse_foreign_folder)."""
        loaded = self._load() if self.usable() else None
        return type(loaded) is tuple and len(loaded) > 1 and loaded[1] == str(out_dir)

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
        return DocumentCache(self.folder / "documents.marshal", write_atomically)

    def cards(self) -> CardCache:
        return CardCache(self.folder / "cards")


class CardCache:
    """Share cards by the digest of what they show."""

    PNG = b"\x89PNG\r\n\x1a\n"
    MAX_BYTES = 8 * 1024 * 1024  # a card is some 50 KB

    def __init__(self, folder: Path):
        self.folder = folder

    def get_or_make(self, key: str, make: Callable[[], bytes]) -> bytes:
        path = self.folder / f"{key}.png"
        usable = not os.path.islink(self.folder)  # else cards would be read from, and written to, where it leads
        data = read_own_file(path, self.MAX_BYTES) if usable else None
        if data is not None and data.startswith(self.PNG):
            return data
        data = make()  # not drawn yet, or not a card: draw it
        try:
            if usable:
                self.folder.mkdir(parents=True, exist_ok=True)
                write_atomically(path, data)
        except (OSError, WriteError):
            pass  # a card not kept is drawn again next time; saving the build's state reports the folder
        return data


# The shapes of the build state's values, as save_state writes them. Each is checked whole
# when the state is loaded, so that nothing planted in the file can reach the build as
# anything but the plain values it expects. Checked a column at a time (map and set run in
# C): some 15 ms at 10,000 claims, against 40 ms one value at a time.

def _only(values, *types) -> bool:
    """Whether every one of ``values`` is of exactly one of ``types`` (bool is not int here)."""
    return set(map(type, values)) <= set(types)


def _rows(rows: list, width: int) -> bool:
    """Whether ``rows`` are all tuples of ``width`` values."""
    return _only(rows, tuple) and set(map(len, rows)) <= {width}


def _column(rows: list, index: int) -> list:
    return list(map(itemgetter(index), rows))


def _is_text_list(value, none: bool = False) -> bool:
    return (none and value is None) or (type(value) is list and _only(value, str))


def _is_text_dict(value) -> bool:
    return type(value) is dict and _only(value, str) and _only(value.values(), str)


def _are_signatures(value) -> bool:
    """content file -> (size, modified, changed) or None."""
    if type(value) is not dict or not _only(value, str):
        return False
    signatures = [signature for signature in value.values() if signature is not None]
    return _rows(signatures, 3) and _only(chain.from_iterable(signatures), int)


def _are_warnings(value) -> bool:
    """(path in the content folder, line or None, message, hint)."""
    return (type(value) is list and _rows(value, 4) and _only(_column(value, 0), str)
            and _only(_column(value, 1), int, type(None)) and _only(_column(value, 2), str)
            and _only(_column(value, 3), str))


def _are_jobs(jobs) -> bool:
    """job -> (fingerprint, (files, links)), every file a safe path inside the output folder,
    every link a WrittenLinks: (content file, page URL, [(link, line)])."""
    if type(jobs) is not dict or not (_rows(list(jobs), 2) and _only(chain.from_iterable(jobs), str)):
        return False
    values = list(jobs.values())
    if not (_rows(values, 2) and _only(_column(values, 0), str)):
        return False
    outputs = _column(values, 1)
    if not _rows(outputs, 2):
        return False
    files, links = _column(outputs, 0), _column(outputs, 1)
    if not (_only(files, list) and _only(links, list) and all_safe_relative(list(chain.from_iterable(files)))):
        return False
    links = list(chain.from_iterable(links))
    if not (_rows(links, 3) and _only(_column(links, 0), str) and _only(_column(links, 1), str)):
        return False
    lists = _column(links, 2)
    if not _only(lists, list):
        return False
    pairs = list(chain.from_iterable(lists))
    return _rows(pairs, 2) and _only(_column(pairs, 0), str) and _only(_column(pairs, 1), int)
