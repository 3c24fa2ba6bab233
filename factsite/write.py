"""Stage 5 of the build: write the files, replacing the old site only on success.

Everything is written into a fresh folder beside the output folder. Only when
every file is written does that folder take the output folder's place, so a
failed or interrupted build leaves the previous site as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar
from pathlib import Path, PurePosixPath


MARKER = "claims.json"  # every build writes it
T = TypeVar("T")


class WriteError(Exception):
    """The output folder could not be written; the previous site is untouched."""


def write_site(out_dir: Path, fill: Callable[[Path], T],
               before_swap: Callable[[Path], None] | None = None) -> T:
    """Make ``fill`` write the new site into a fresh folder, then put it in place of ``out_dir``.

    Returns what ``fill`` returns. ``before_swap`` may add to the new folder (the
    search index is built there) before it replaces the old one; if either
    raises, the old site stays.
    """
    out_dir = out_dir.resolve()
    refuse_foreign_folder(out_dir)
    with staging_folder(out_dir) as staging:
        result = fill(staging)
        if before_swap is not None:
            before_swap(staging)
        make_world_readable(staging)
        swap_into_place(staging, out_dir)
    return result


def update_site(out_dir: Path, fill: Callable[[Path], T], removed: Callable[[T], list[str]]) -> T:
    """Replace only some files of ``out_dir``: those ``fill`` writes, and delete ``removed(...)``.

    The new files are written beside the site first, so a failure while
    rendering or writing changes nothing. Then a journal lists the moves and
    each file is moved into place (one rename each); a build killed during the
    moves is completed by the next one, from the journal.
    """
    out_dir = out_dir.resolve()
    with staging_folder(out_dir) as staging:
        result = fill(staging)
        make_world_readable(staging)
        files = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
        journal = {"staging": str(staging), "files": files, "removed": sorted(removed(result))}
        _journal_path(out_dir).write_text(json.dumps(journal), encoding="utf-8")
        _apply(out_dir, journal)
    return result


@contextlib.contextmanager
def staging_folder(out_dir: Path) -> Iterator[Path]:
    """A new folder beside ``out_dir``, removed if the work in it fails before it is used.

    Once a journal names it, it is the next build's to finish, and stays.
    """
    recover(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-new-", dir=out_dir.parent))
    except OSError as error:
        raise WriteError(f"cannot create a folder beside {out_dir}: {error.strerror}") from error
    try:
        yield staging
    except BaseException as error:
        if not _journal_path(out_dir).exists():
            shutil.rmtree(staging, ignore_errors=True)
        restore_interrupted_swap(out_dir)  # if the swap itself failed half-way
        if isinstance(error, OSError):
            raise WriteError(f"cannot write the site into {out_dir}: {error.strerror or error}") from error
        raise


def _journal_path(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}-journal.json")


def _apply(out_dir: Path, journal: dict) -> None:
    staging = Path(journal["staging"])
    for relative in journal["files"]:
        source, target = staging / relative, out_dir / safe_relative_path(relative)
        if source.exists():  # when completing an interrupted update, some moved already
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    for relative in journal["removed"]:
        target = out_dir / safe_relative_path(relative)
        try:
            target.unlink()
        except FileNotFoundError:
            pass
        _remove_empty_parents(target.parent, out_dir)
    _journal_path(out_dir).unlink()
    shutil.rmtree(staging, ignore_errors=True)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:  # not empty, or gone
            return
        folder = folder.parent


def recover(out_dir: Path) -> None:
    """Finish what a killed build left: an update half-applied, or a swap half-done."""
    journal = _journal_path(out_dir)
    if journal.exists():
        try:
            _apply(out_dir, json.loads(journal.read_text("utf-8")))
        except (ValueError, KeyError):  # a journal cut short was never acted on
            journal.unlink()
    restore_interrupted_swap(out_dir)

def write_files(folder: Path, files: Iterable[tuple[str, bytes]]) -> int:
    """Write each ``(relative path, bytes)`` under ``folder``; returns how many."""
    count = 0
    made: set[Path] = set()
    for relative, data in files:
        target = folder / safe_relative_path(relative)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(data)
        count += 1
    return count


def refuse_foreign_folder(out_dir: Path) -> None:
    """Never replace a folder that a build did not make (say, `--out .` by mistake)."""
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).is_file():
        raise WriteError(
            f"{out_dir} is not empty and was not made by factsite, so it will not be replaced; "
            "choose an empty or new folder with --out"
        )


def safe_relative_path(relative: str) -> PurePosixPath:
    """``relative`` if it stays inside the output folder; refusing is a bug, not an editor mistake."""
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or "\\" in relative or "\0" in relative:
        raise ValueError(f"refusing to write outside the output folder: {relative!r}")
    return path


def make_world_readable(folder: Path) -> None:
    # mkdtemp creates the folder as 0700; a web server running as another user must read it.
    for root, _, files in os.walk(folder):
        os.chmod(root, 0o755)
        for name in files:
            os.chmod(os.path.join(root, name), 0o644)


def _old_path(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}-old")


def swap_into_place(staging: Path, out_dir: Path) -> None:
    old = _old_path(out_dir)
    if old.exists():
        shutil.rmtree(old)
    if out_dir.exists():
        os.rename(out_dir, old)
    os.rename(staging, out_dir)
    shutil.rmtree(old, ignore_errors=True)


def restore_interrupted_swap(out_dir: Path) -> None:
    """If a build was killed between the two renames, put the previous site back."""
    old = _old_path(out_dir)
    if old.exists() and not out_dir.exists():
        os.rename(old, out_dir)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that no reader ever sees half of it."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
