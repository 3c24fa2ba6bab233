"""The file cache: what reading each content file gave, kept between builds.

A rebuild reads, parses and checks again only the files that changed since; the others'
checked values come back from the cache. The cache is read back from disk, so it is
untrusted input (readback.py): every entry is checked before it is used.
"""

from __future__ import annotations

import marshal
import operator
import os
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import ContentError, Problems
from .file_lists import FileList, ManyAtOnce
from ..readback import read_own_file
from .hidden import is_hidden


class DocumentCache(ManyAtOnce):
    """What reading each file gave, by path, size and modification time, kept between builds.

    A file unchanged since the last build is not read, parsed or checked again:
    the cache gives back what the reader made of it (``kind.to_plain()``) and
    the warnings it gave. Saved with marshal, which reads plain values several
    times faster than pickle: a big site starts its build from here.

    The file is read back, so it is untrusted (readback.py): it is read only as a
    plain file, and an entry is used only if it has the shape put() gives it and its
    file's size, modification and change times, to the nanosecond, match. The change
    time is set by the system when the file is written on this machine, so an entry
    planted from elsewhere (a checkout, a restored cache) does not match.
    """

    RECENT_SHARE = 50  # the recent entries go in a file of their own while they are under 1/50 of all

    def __init__(self, file: Path | None = None, write: Callable[[Path, bytes], None] | None = None,
                 stamp: tuple = ()):
        self.file = file
        # The cache store (cache.py) gives how to save ``file`` whole or not at all, and the stamp
        # of its version: a file that does not carry it was written by another version, as
        # another shape, and is not read.
        self.write = write
        self.stamp = stamp
        self.entries: dict[tuple[str, str], tuple] = {}
        # Entries put since the file was last written whole. A rebuild after an edit or two
        # saves only these, beside it, rather than every entry again.
        self.recent: dict[tuple[str, str], tuple] = {}
        self.used: set[tuple[str, str]] = set()
        # What this process made of each entry it gave back: kept by a long-running preview, so
        # that an entry is checked and turned back into its reader's result once, not on every
        # rebuild. (Not what put() is given: that still holds every line of its file.)
        self.made: dict[tuple[str, str], tuple[tuple, object]] = {}
        self.changed = False
        self.signatures: dict[str, tuple[int, int, int] | None] = {}  # by path, see listed()
        self.watched = False  # whether ``signatures`` are those of the files no watcher named (only_changed)
        # The files (and folders) the watcher named, when it named every change since the last
        # update (only_changed): the listings take them from there (read/listing.py).
        self.named: frozenset[str] | None = None
        self.seen: dict[str, tuple[int, int, int]] = {}  # each cached file's signature, by path: see only_changed()
        self.lists: dict[str, FileList] = {}  # by kind, the last list of files asked for at once (get_many)
        if file is not None:
            self.entries = self._read(file)
            if self.entries:
                self.recent = self._read(self._recent_file())
                self.entries.update(self.recent)  # each entry checks its own file's size and time

    def _recent_file(self) -> Path:
        return self.file.with_name(self.file.stem + ".recent" + self.file.suffix)

    def _read(self, file: Path) -> dict:
        """The entries saved in ``file``: untrusted (readback.py), so each is checked where it is used."""
        data = read_own_file(file)
        try:
            loaded = marshal.loads(data) if data is not None else None
        except (EOFError, ValueError, TypeError, MemoryError):
            return {}
        if not (type(loaded) is tuple and len(loaded) == 2 and loaded[0] == self.stamp and type(loaded[1]) is dict):
            return {}
        return loaded[1]

    @staticmethod
    def signature(path: Path) -> tuple[int, int, int] | None:
        """Size, modification time and change time: a tool that copies an edited file
        with its old modification time (cp -p, rsync -t) still changes the change time."""
        try:
            stat = path.stat()
        except OSError:
            return None
        return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns

    RACY_NS = 2_000_000_000

    @classmethod
    def settled_signature(cls, path: Path) -> tuple[int, int, int] | None:
        """The signature, if the file was last changed long enough ago to be cached: a
        file saved again within the file system's time step, at the same size, would
        otherwise look unchanged (git calls such entries racy)."""
        return settled(cls.signature(path))

    def listed(self, folder: Path, signatures: dict[str, tuple[int, int, int] | None]) -> None:
        """Take the signatures of the files in ``folder`` from ``signatures``, which
        content_signatures(folder) gave a moment ago, instead of asking the system for
        each file again (12,000 times, at 10,000 claims)."""
        prefix = os.path.join(str(folder), "")
        self.signatures = {prefix + relative.replace("/", os.sep): signature
                           for relative, signature in signatures.items()}
        self.watched, self.named = False, None  # these are the files' signatures now, changed or not

    def only_changed(self, content_dir: Path, changed: list[str] | None) -> None:
        """Take the next update's signatures from the last update's but for the files in
        ``changed``, which a watcher reports (paths, as it gives them), instead of asking the
        system for each of thousands of files again. ``None``, or a change the cache cannot
        place (a folder's, one outside ``content_dir``'s files it knows or new ones): ask for each."""
        self.signatures, self.watched, self.named = {}, False, None
        if changed is None:
            return
        named = set()
        for path in changed:
            name = self._name_in(content_dir, path)
            if name is None:
                return  # a path it cannot place (on another drive, say)
            if name is not _ELSEWHERE:
                if name not in self.seen and not os.path.isfile(path) and os.path.lexists(path):
                    return  # a folder, whose files the watcher does not name
                named.add(name)
        for name in named:  # asked about until read again: an update that stops first leaves them unread
            self.seen.pop(name, None)
        self.signatures, self.watched, self.named = dict(self.seen), True, frozenset(named)

    @staticmethod
    def _name_in(content_dir: Path, path: str):
        """The name the reader gives ``path``'s file (content_dir/...), _ELSEWHERE for a file outside
        the content (a template's), None if that cannot be told. Links to folders resolved on both
        sides: some systems' watchers report the real path of a folder reached through one."""
        folder, name = os.path.split(path)
        try:  # (not the file's own link, which names itself: the listing reports it)
            relative = os.path.relpath(os.path.join(os.path.realpath(folder), name), os.path.realpath(content_dir))
        except ValueError:
            return None
        # (As the reader names it: a path joined to content_dir, "claims/x.md" for a content_dir of ".")
        return _ELSEWHERE if relative.startswith(os.pardir) else str(content_dir / relative)

    def get(self, kind, path: Path, problems: Problems):
        """What ``kind.read`` made of the file last time, if it has not changed since."""
        name = str(path)
        key = (kind.__name__, name)
        entry = self.entries.get(key)
        if type(entry) is not tuple or len(entry) != 3:
            return None
        signature = self.signatures.get(name, _UNKNOWN)
        if signature is _UNKNOWN:
            signature = self.signature(path)
        # The signature holds the time the file last changed, which only the system sets: an
        # entry made anywhere else, or for another file, does not match.
        if signature is None or entry[0] != signature:
            self.seen.pop(name, None)  # read again: known again once put() has its signature
            return None
        made = self.made.get(key)
        if made is None or made[0] is not entry:  # (an entry made into a result was checked then)
            if not _are_warnings(entry[2]):
                self.seen.pop(name, None)
                return None
            try:
                made = self.made[key] = (entry, kind.from_plain(path, entry[1]))
            except (ValueError, TypeError, KeyError, IndexError, AttributeError):
                self.seen.pop(name, None)  # asked about until read again, as get_many() relies on
                return None  # written by another version of factsite, or planted: read the file again
        self.seen[name] = signature
        self.used.add(key)
        for line, message, hint in entry[2]:
            problems.warning(path, line, message, hint)
        return made[1]

    def put(self, kind, path: Path, signature, result, warnings: list[ContentError], plain=None) -> None:
        """Keep ``result`` (whose ``to_plain()`` is ``plain``, if a worker made it already). A cache
        that is never saved (the preview's) keeps the result alone, not a plain copy of it too."""
        self.seen.pop(str(path), None)  # changed too recently to be sure of: asked for again next time
        if signature is not None:
            key = (kind.__name__, str(path))
            self.used.add(key)
            if self.file is None:
                plain = None
            elif plain is None:
                plain = result.to_plain()
            kept_warnings = [(w.line, w.message, w.hint) for w in warnings]
            entry = self.entries[key] = self.recent[key] = (signature, plain, kept_warnings)
            self.seen[key[1]] = signature
            self.made[key] = (entry, result)  # the next get() gives this very object, as reuse.py wants
            self.changed = True

    def forget_unread(self) -> None:
        """Forget the files the last update did not read (deleted, renamed or hidden since),
        and start counting again: a long-running preview calls this after each update, as
        save() prunes the file a build writes."""
        if len(self.used) != len(self.entries):  # every key used is an entry's: equal sizes, nothing to forget
            self._keep_used()
        self.used = set()

    def _keep_used(self) -> None:
        """Drop what no file used, in place: most often a few entries of tens of thousands."""
        for store in (self.entries, self.recent, self.made):
            for key in store.keys() - self.used:
                del store[key]
        for name in self.seen.keys() - set(map(_name_of, self.used)):
            del self.seen[name]

    def save(self) -> None:
        """Write the cache, keeping only the files this build read (deleted files drop out)."""
        whole = len(self.used) != len(self.entries)
        if whole:
            self._keep_used()  # the whole file is written then, without a recent one beside it
        if self.file is None or not (self.changed or whole):
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        if not whole and len(self.recent) * self.RECENT_SHARE <= len(self.entries) and self.file.exists():
            self.write(self._recent_file(), marshal.dumps((self.stamp, self.recent)))
        else:
            self.write(self.file, marshal.dumps((self.stamp, self.entries)))
            self._recent_file().unlink(missing_ok=True)
            self.recent = {}


_ELSEWHERE = object()  # see DocumentCache._name_in
_name_of = operator.itemgetter(1)  # of a key, (kind, name)
_UNKNOWN = object()  # a signature not yet asked for


def _are_warnings(warnings) -> bool:
    """Whether ``warnings`` are (line, message, hint) each, as put() keeps them."""
    return type(warnings) is list and all(
        type(w) is tuple and len(w) == 3 and (w[0] is None or type(w[0]) is int) and type(w[1]) is str
        and type(w[2]) is str for w in warnings)


def settled(signature: tuple[int, int, int] | None) -> tuple[int, int, int] | None:
    """The signature, or None if the file changed too recently for it to be trusted."""
    if signature is None or time.time_ns() - max(signature[1:]) < DocumentCache.RACY_NS:
        return None
    return signature


def settled_or_new(signature: tuple | None) -> object:
    """A signature as one of a result's inputs (reuse.py): None for a file that is not there; a
    new object, equal to nothing kept, for one changed too recently to be sure of."""
    settled_signature = settled(signature)
    return object() if settled_signature is None and signature is not None else settled_signature


def content_signatures(folder: Path, settle: bool = True) -> dict[str, tuple[int, int, int] | None]:
    """Every file under ``folder``, by its path relative to it, with its settled signature
    (or, with ``settle=False``, its signature however recent).

    Links are listed, never followed: the build refuses them, so a new one is a change too.
    Hidden files and folders are left out, as the build leaves them (an editor's swap files come
    and go while a file is open); a folder that cannot be read is listed as a change.
    """
    found: dict[str, tuple[int, int, int] | None] = {}
    pending = [(str(folder), "")]
    while pending:
        path, prefix = pending.pop()
        try:
            with os.scandir(path) as scan:
                entries = list(scan)
        except OSError:
            found[prefix] = None  # the build reports it
            continue
        for entry in entries:
            if is_hidden(entry.name):
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, prefix + entry.name + "/"))
            else:
                try:
                    stat = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                signature = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
                found[prefix + entry.name] = settled(signature) if settle else signature
    return found
