"""The cache store: the folder `.factsite-cache/` beside the output folder, and all it keeps.

It remembers, for the last build into the output folder, each job's fingerprint and what
the job wrote, so the next build renders only the jobs whose fingerprint changed; what
reading each content file gave, so the next build reads only the files that changed; the
share cards, by the digest of what they show, so a card is drawn once, whichever build needs
it (the Pages workflow keeps this folder between runs); and the compiled templates. Deleting
the folder only costs time. Its layout, with VERSION 10 and factsite 0.1.0:

    .factsite-cache/
      site.state.marshal          the build state of the site in site/ (build_state.py), by field name
      site.inputs.marshal         a digest of everything that build was made from, and its warnings
      documents.marshal           the file cache (read/filecache.py)
      documents.recent.marshal    the file cache's entries put since documents.marshal was written whole
      cards-10/<digest>.png        share cards
      templates-10-0.1.0/<key>.signed   compiled templates, signed with a key of the user's (compiled.py)

Everything here is read back as untrusted input (readback.py): never through a link, nor when
the folder is a link or a file; the state and the file cache only if they carry this VERSION
and factsite's version (STAMP) and every value has the shape a build writes; a card only as a
plain PNG file; a compiled template only with this user's signature. Anything else is ignored,
and the build does the work afresh.
"""

from __future__ import annotations

import marshal
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from .. import __version__
from .build_state import BuildState
from ..read.filecache import DocumentCache
from ..readback import read_own_file
from .write import write_atomically
from .write_errors import WriteError

__all__ = ["BuildCache", "BuildState", "CardCache", "CACHE_FOLDER", "STAMP", "VERSION"]

CACHE_FOLDER = ".factsite-cache"

# The version of everything in the store. Raise it by one whenever what any part keeps changes
# shape: a field of BuildState, what a kind of content file keeps in the file cache (its
# to_plain), how cards or compiled templates are named or signed, or the layout above. Every
# part written under another version is then ignored, never misread, and the next build is a
# full one. (10: one engine; the state keeps no shortcut's fields.)
VERSION = 10
# What the state and the file cache carry: factsite's own version too, so that a new release,
# which may compute any of it differently, starts afresh.
STAMP = ("factsite cache", VERSION, __version__)


class BuildCache:
    """The store beside ``out_dir``: where each part is, and whether the folder may be used."""

    def __init__(self, out_dir: Path):
        self.folder = out_dir.parent / CACHE_FOLDER
        self.state_file = self.folder / f"{out_dir.name}.state.marshal"

    def usable(self) -> bool:
        """Not when the folder is a link (the build would read and write wherever it leads), nor
        when something else has its name."""
        return not os.path.islink(self.folder) and (self.folder.is_dir() or not os.path.lexists(self.folder))

    def _load(self):
        """The state file's values, whatever they are (untrusted), or None."""
        data = read_own_file(self.state_file)
        try:
            return marshal.loads(data) if data is not None else None
        except (EOFError, ValueError, TypeError, MemoryError):
            return None

    def load_state(self) -> BuildState | None:
        """The last build's state, or None when there is none that can be trusted."""
        loaded = self._load()
        if type(loaded) is not dict or loaded.pop("stamp", None) != STAMP:
            return None
        return BuildState.from_plain(loaded)

    def names(self, out_dir: Path) -> bool:
        """Whether the last build's state, of any version, says it built into ``out_dir``: a site
        an earlier factsite made, before it marked its folders (ownership.refuse_foreign_folder)."""
        loaded = self._load() if self.usable() else None
        if type(loaded) is dict:
            return loaded.get("out_dir") == str(out_dir)
        # Before VERSION 9, the state was a tuple, the folder its second value.
        return type(loaded) is tuple and len(loaded) > 1 and loaded[1] == str(out_dir)

    def forget_state(self) -> None:
        """Called before the site changes: a build stopped before it saves the new state
        then leaves no state at all (so the next build writes everything), never one
        that no longer describes the site."""
        self.inputs_file.unlink(missing_ok=True)
        self.state_file.unlink(missing_ok=True)

    @property
    def inputs_file(self) -> Path:
        return self.state_file.with_name(self.state_file.name.replace(".state.", ".inputs."))

    def save_inputs(self, inputs: str | None, files: int, warnings: list[tuple]) -> None:
        """What the build just saved was made from (a digest of every input, commands/build.py),
        with how many files it wrote and its warnings: a build of the same inputs has nothing
        to do but say so. None: inputs the next build cannot be sure of."""
        state = self._state_signature()
        if inputs is None or state is None:
            self.inputs_file.unlink(missing_ok=True)
        else:
            write_atomically(self.inputs_file, marshal.dumps((STAMP, inputs, files, warnings, state)))

    def _state_signature(self) -> tuple | None:
        """The state file's inode, size and times: the record of the inputs is of this very
        state file, which a build of another version (which knows no such record) may replace."""
        try:
            entry = os.lstat(self.state_file)
        except OSError:
            return None
        return entry.st_ino, entry.st_size, entry.st_mtime_ns, entry.st_ctime_ns

    def load_inputs(self) -> tuple[str, int, list[tuple]] | None:
        """What save_inputs saved, read back as untrusted: (inputs, files, warnings), each warning
        (path, line, message, hint) as text and a line number or None; None unless it is of the
        state file now beside it."""
        data = read_own_file(self.inputs_file)
        try:
            loaded = marshal.loads(data) if data is not None else None
        except (EOFError, ValueError, TypeError, MemoryError):
            return None
        state = self._state_signature()
        if state is None or not (type(loaded) is tuple and len(loaded) == 5 and loaded[0] == STAMP
                                 and type(loaded[1]) is str and type(loaded[2]) is int and type(loaded[3]) is list
                                 and all(map(_is_warning, loaded[3])) and loaded[4] == state):
            return None
        return loaded[1], loaded[2], loaded[3]

    def save_state(self, state: BuildState) -> None:
        # marshal, not pickle: plain values load several times faster, and a big site has many.
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomically(self.state_file, marshal.dumps({"stamp": STAMP, **state.to_plain()}))
        self._drop_other_versions()

    def _drop_other_versions(self) -> None:
        """Delete the cards of other versions, and the compiled templates earlier versions kept
        here (compiled.py keeps them elsewhere now), which no build reads: kept between CI runs,
        they would pile up. A link among them is removed, never followed."""
        current = {self.cards().folder.name}
        with os.scandir(self.folder) as entries:
            old = [entry for entry in entries
                   if entry.name.startswith(("cards", "templates-")) and entry.name not in current]
        for entry in old:
            try:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)  # which refuses links, and never follows one inside
                else:
                    os.unlink(entry.path)
            except OSError:
                pass  # left for the next build; it costs only room

    def documents(self) -> DocumentCache:
        return DocumentCache(self.folder / "documents.marshal", write_atomically, STAMP)

    def cards(self) -> CardCache:
        return CardCache(self.folder / f"cards-{VERSION}")


def _is_warning(value) -> bool:
    return (type(value) is tuple and len(value) == 4 and type(value[0]) is str and type(value[2]) is str
            and type(value[3]) is str and (value[1] is None or type(value[1]) is int))


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
