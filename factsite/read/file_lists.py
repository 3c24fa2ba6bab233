"""A folder's files asked of the file cache (filecache.py) at once, as the reader asks for them.

A long-running preview reads every claim file again on each save, and the watcher names the
one or two saved: the cache gives the others' records again by their place in the list,
without looking at each, while the list is the very one it was last given.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from ..errors import Problems
from ..places import shift_between

AGAIN_AT_MOST = 100  # files come or gone; beyond that, a list is asked about whole


class FileList(NamedTuple):
    """A list of files get_many() was given, and what it and reading gave (remember_many)."""

    paths: list[Path]
    keys: list[tuple[str, str]]  # each file's key in the cache, by position
    key_set: frozenset[tuple[str, str]]  # the same, as a set (whose items' hashes it keeps)
    names: frozenset[str]
    index: dict[str, int]  # each file's position, by name
    found: list | None  # what get_many() and reading gave, by position (None: not yet read)
    warned: tuple[int, ...]  # the positions of the files whose entries hold warnings
    asked: Sequence[int]  # the positions get_many() asked get() about, this time

    @classmethod
    def of(cls, kind: str, paths: list[Path]) -> FileList:
        keys = [(kind, str(path)) for path in paths]
        names = [key[1] for key in keys]
        return cls(paths, keys, frozenset(keys), frozenset(names), dict(zip(names, range(len(names)))), None, (), ())


class ManyAtOnce:
    """DocumentCache's get() for a list of files at once (a mixin: the cache's state is its own)."""

    lists: dict[str, FileList]  # by kind, the last list of files asked for at once
    signatures: dict  # see DocumentCache.only_changed
    watched: bool
    used: set
    entries: dict

    def get(self, kind, path: Path, problems: Problems):
        raise NotImplementedError

    def get_many(self, kind, paths: list[Path], problems: Problems) -> list:
        """get() for each of ``paths``. Where ``paths`` is the very list it was last given for
        ``kind`` (a folder's listing, kept while no folder changed: read/claims.py), or that list
        with a few files come or gone (_shifted), and the watcher named the files saved
        (only_changed), only those, the files not cached then and those with warnings to report
        again are looked at: at 10,000 claims, the others are most of a save's reading.
        remember_many() keeps what reading then gave, for the next time."""
        last, came = self.lists.get(kind.__name__), ()
        if last is None or last.paths is not paths:
            last, came = self._shifted(last, FileList.of(kind.__name__, paths))
        asked = range(len(paths)) if last.found is None or not self.watched else sorted(
            {*last.warned, *came, *map(last.index.__getitem__, last.names.difference(self.signatures))})
        found = [None] * len(paths) if last.found is None else list(last.found)
        for index in asked:
            found[index] = self.get(kind, paths[index], problems)
        # Every other file was cached then, and its entry is as get() gave it: used again.
        self.used.update(last.key_set.difference(last.keys[index] for index in asked))
        # Not to be given again until remember_many() has what reading gives (an update may stop between).
        self.lists[kind.__name__] = last._replace(asked=asked, found=None)
        return found

    def _shifted(self, last: FileList | None, now: FileList) -> tuple[FileList, Sequence[int]]:
        """``now``, with what reading gave each of its files kept from ``last`` where only a few
        files came or went since (a claim saved anew, or deleted), in a preview whose watcher named
        the changes (only_changed): the same files, at their new places; and the places of those
        that came, to be asked about."""
        if last is None or last.found is None or not self.watched:
            return now, ()
        shift = shift_between(last.keys, now.keys, AGAIN_AT_MOST)
        if shift is None:
            return now, ()
        keys = shift.carry(last.keys)
        for at in shift.came:
            keys[at] = now.keys[at]
        if keys != now.keys:  # (never, as the readers sort their listings; but then read as a new list)
            return now, ()
        warned = (place for place in map(shift.place, last.warned) if place is not None)
        return now._replace(found=shift.carry(last.found), warned=tuple(warned)), shift.came

    def remember_many(self, kind, found: list) -> None:
        """Keep what get_many() and reading gave for its list of ``kind``'s files, by position."""
        last = self.lists[kind.__name__]
        warned = set(last.warned).difference(last.asked)
        warned.update(index for index in last.asked if self._warns(last.keys[index]))
        self.lists[kind.__name__] = last._replace(found=found, warned=tuple(sorted(warned)))

    def _warns(self, key: tuple[str, str]) -> bool:
        entry = self.entries.get(key)
        return type(entry) is tuple and len(entry) == 3 and bool(entry[2])
