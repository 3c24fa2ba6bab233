"""An update in place whose files are held in memory until written (the preview's).

The preview shows an update as soon as its pages are rendered: it serves the files from here
and tells the browser, then writes them into its folder (update_site, the journal and all).
On some disks creating and moving a hundred files costs as much as rendering them, which the
editor need not wait for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..readback import read_own_file
from .write import update_site


@dataclass
class HeldUpdate:
    """The files an update wrote, by path, and the files it removed. Only an update of a few jobs
    is held (commands/in_place.COMPARED_AT_MOST), so its files are written as such an update's
    are: one holding the bytes the site has already is neither written nor moved."""

    files: dict[str, bytes] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)

    def write(self, files: Iterable[tuple[str, bytes]]) -> None:
        """The writer the jobs are rendered through (one process: the files come back here)."""
        self.files.update(files)

    def read(self, path: str) -> bytes | None:
        return self.files.get(path)

    def write_into(self, out_dir: Path) -> None:
        """Into the site in ``out_dir``, as an update in place writes (output/write.py)."""
        update_site(out_dir, lambda write: write(self.files.items()), lambda _: (self.files, self.removed),
                    compare=True)


class PreviewFiles(Mapping):
    """The files of one preview build, by path, read from the preview's folder when asked: at
    10,000 claims they are over 800 MB, which the server would otherwise hold in memory. Those
    of an update not yet written there (``held``) are given from memory."""

    def __init__(self, folder: Path | None = None, paths: frozenset[str] = frozenset(),
                 held: HeldUpdate | None = None):
        self.folder, self.paths, self.held = folder, paths, held

    def __contains__(self, path: object) -> bool:
        return path in self.paths

    def __getitem__(self, path: str) -> bytes:
        data, held = None, self.held  # (read once: the server sets it to None once the files are in the folder)
        if path in self.paths:
            data = held.read(path) if held is not None else None
            if data is None and self.folder is not None:
                data = read_own_file(self.folder / path)
        if data is None:  # or removed by the build after this one, since the page was asked for
            raise KeyError(path)
        return data

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.paths))

    def __len__(self) -> int:
        return len(self.paths)
