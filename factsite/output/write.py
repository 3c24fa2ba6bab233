"""Stage 5 of the build: write the files, replacing the old site only on success.

Everything is written into a fresh folder beside the output folder. Only when
every file is written does that folder take the output folder's place, so a
failed or interrupted build leaves the previous site as it was. (An update of
some files in place goes through a journal: journal.py.)

Every full build marks the folder it writes (MARK), and a build replaces only a
folder that holds the mark: never one factsite did not make.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar
from pathlib import Path

from .write_errors import WriteError, write_error
from .journal import Journal, apply_journal, journal_path, recover_journal, staged_name, staging_prefix
from ..readback import read_own_file, real_folders, safe_relative_path
from .ownership import MARK, MARK_TEXT, owned, refuse_foreign_folder

if TYPE_CHECKING:
    from ..render.jobs import Writer

T = TypeVar("T")


def write_site(out_dir: Path, fill: Callable[[Writer], T],
               before_swap: Callable[[Path], None] | None = None,
               before_change: Callable[[], None] | None = None,
               adopt: Callable[[], bool] | None = None) -> T:
    """Make ``fill`` write the new site into a fresh folder, through the writer it is given,
    then put it in place of ``out_dir``.

    Returns what ``fill`` returns. ``before_swap`` may add to the new folder (the
    search index is built there) before it replaces the old one; if either
    raises, the old site stays. ``before_change()`` is called just before the old
    site starts to change (the build forgets its cached state then). ``adopt()``:
    whether a folder without the mark is a site an earlier factsite built (see
    refuse_foreign_folder).
    """
    out_dir = out_dir.resolve()
    try:
        refuse_foreign_folder(out_dir, adopt)
        if out_dir.is_dir():
            _require_writable([out_dir])  # else the swap succeeds, and the old site can never be removed
    except OSError as error:
        raise write_error(error, f"cannot write the site into {out_dir}", out_dir) from error
    with staging_folder(out_dir) as staging:
        result = fill(functools.partial(write_files, staging))
        write_files(staging, [(MARK, MARK_TEXT)])
        if before_swap is not None:
            before_swap(staging)
        if before_change is not None:
            before_change()
        swap_into_place(staging, out_dir)
    return result


def update_site(out_dir: Path, fill: Callable[[Writer], T], changes: Callable[[T], tuple[Iterable[str], Iterable[str]]],
                before_change: Callable[[], None] | None = None, compare: bool = False) -> T:
    """Replace only some files of ``out_dir``: those ``fill`` writes through the writer it is
    given, and delete others; ``changes(what fill returned)`` names the files written and those
    to delete.

    The new files are written beside the site first, so a failure while
    rendering or writing changes nothing. Then a journal lists the moves and
    each file is moved into place (one rename each); a build killed during the
    moves is completed by the next one, from the journal (journal.py). ``before_change()``
    is called just before the journal is written. Raises LeadsOutside, having changed
    nothing, if a folder of the site on the way is a link (the build then writes it whole).
    ``compare``: a file that holds the very bytes the site has at its path is not written
    again, nor moved (worth reading the site's file for a few files, not for every page of a
    site: see commands/in_place.py).
    """
    out_dir = out_dir.resolve()
    with staging_folder(out_dir) as staging:
        result = fill(functools.partial(write_staged, staging, out_dir if compare else None))
        written, removed = changes(result)
        journal = Journal(staging, sorted(set(written)), sorted(set(removed)))
        made = _make_folders(out_dir, journal.files, journal.removed)  # a full disk stops the update here, before any move
        try:
            if before_change is not None:
                before_change()
            write_atomically(journal_path(out_dir), journal.to_json())
        except BaseException as error:
            _remove_folders(made)
            if isinstance(error, WriteError) and isinstance(error.__cause__, OSError):  # not the journal's name
                raise write_error(error.__cause__, f"cannot write the site into {out_dir}", out_dir.parent) from error
            raise
        apply_journal(out_dir, journal)
    return result


def _make_folders(out_dir: Path, files: list[str], removed: list[str]) -> list[Path]:
    """Make the folders that moving ``files`` into ``out_dir`` needs, and check that each may be
    written; returns those it made. Raises LeadsOutside first if a folder of ``out_dir`` on the
    way to them, or to the ``removed`` files, is a link."""
    made: list[Path] = []
    folders = {out_dir / safe_relative_path(relative).parent for relative in files}
    real_folders(out_dir, folders | {(out_dir / safe_relative_path(relative)).parent for relative in removed})
    try:
        real_folders(out_dir, folders, made)
        _require_writable({out_dir} | folders)
    except BaseException:
        _remove_folders(made)
        raise
    return made


def _require_writable(folders) -> None:
    """Fail now, before the site is touched, rather than half-way through moving files into it."""
    for folder in sorted(folders):
        if not os.access(folder, os.W_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(folder))


def _remove_folders(folders: list[Path]) -> None:
    for folder in reversed(folders):
        with contextlib.suppress(OSError):
            folder.rmdir()


@contextlib.contextmanager
def staging_folder(out_dir: Path) -> Iterator[Path]:
    """A new folder beside ``out_dir``, removed if the work in it fails before it is used.

    Once a journal names it, it is the next build's to finish, and stays.
    """
    try:
        recover(out_dir)
    except OSError as error:
        raise write_error(error, f"cannot finish the last build's update of {out_dir}", out_dir,
                          WriteError.PARTLY_UPDATED) from error
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = new_folder(out_dir.parent, staging_prefix(out_dir))
    except OSError as error:
        raise write_error(error, f"cannot create a folder beside {out_dir}", out_dir.parent) from error
    try:
        yield staging
    except BaseException as error:
        moving = journal_path(out_dir).exists()  # the moves had begun: the next build finishes them
        if not moving:
            shutil.rmtree(staging, ignore_errors=True)
        with contextlib.suppress(OSError):  # the next build tries again
            restore_interrupted_swap(out_dir)  # if the swap itself failed half-way
        site = WriteError.PARTLY_UPDATED if moving else WriteError.UNCHANGED
        if not out_dir.exists() and _old_path(out_dir).exists():
            site = f"The previous site is in {_old_path(out_dir)}; the next build puts it back."
        if isinstance(error, WriteError):  # a file of the build cache could not be saved
            error.site = site
            raise
        if isinstance(error, OSError):
            raise write_error(error, f"cannot write the site into {out_dir}", out_dir.parent, site) from error
        raise


def recover(out_dir: Path) -> None:
    """Finish what a killed build left: an update half-applied, or a swap half-done."""
    recover_journal(out_dir)
    restore_interrupted_swap(out_dir)


def journal_pending(out_dir: Path) -> bool:
    """Whether a killed update left a journal: the site is then neither the old nor the new one."""
    return os.path.lexists(journal_path(out_dir))


def write_files(folder: Path, files: Iterable[tuple[str, bytes]]) -> int:
    """Write each ``(relative path, bytes)`` under ``folder``; returns how many."""
    count = 0
    made: set[Path] = set()
    for relative, data in files:
        target = folder / safe_relative_path(relative)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        with open(target, "wb") as file:
            _write(file, data)
        count += 1
    return count


def write_staged(staging: Path, site: Path | None, files: Iterable[tuple[str, bytes]]) -> None:
    """Write each ``(relative path, bytes)`` into the flat staging folder of an update (journal.py).
    With ``site``, skip each file that ``site`` holds already, byte for byte: the journal lists
    it all the same, so that its folders are checked as every other's (_make_folders), and
    moves only the files staged. (A path written twice must then hold the same bytes both
    times, as every job writes its own files.)"""
    for relative, data in files:
        safe_relative_path(relative)  # (refuses a path that would leave the site)
        if site is not None and holds_already(site / relative, data):
            continue
        with open(staging / staged_name(relative), "wb") as file:
            _write(file, data)


COMPARED_BYTES_AT_MOST = 1 << 20  # a larger file (claims.json: 28 MB at 10,000 claims) is written again unread


def holds_already(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a plain file (not a link) holding ``data``, which is not too large to compare."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size == len(data) <= COMPARED_BYTES_AT_MOST and \
        read_own_file(path, len(data)) == data


def _write(file, data: bytes) -> None:
    """Every byte factsite writes goes through here (where the tests make the disk full)."""
    file.write(data)


def new_folder(parent: Path, prefix: str) -> Path:
    """A new folder in ``parent``, named ``prefix`` and a random suffix.

    Unlike mkdtemp's 0700, it gets the permissions of any new folder (those the
    umask leaves, usually 0755), as do the files and folders the build makes in
    it, so a web server running as another user can read the site.
    """
    while True:
        folder = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            os.mkdir(folder)
            return folder
        except FileExistsError:
            continue


def _old_path(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}-old")


def swap_into_place(staging: Path, out_dir: Path) -> None:
    old = _old_path(out_dir)
    if old.is_symlink() or old.is_file():  # not what a build leaves: never follow it
        old.unlink()
    elif old.exists():
        shutil.rmtree(old)  # which deletes the links inside, never what they point to
    if out_dir.exists():
        os.rename(out_dir, old)
    os.rename(staging, out_dir)
    shutil.rmtree(old, ignore_errors=True)


def restore_interrupted_swap(out_dir: Path) -> None:
    """If a build was killed between the two renames, put the previous site back (if it is one:
    a real folder with the mark, never a link)."""
    old = _old_path(out_dir)
    if not os.path.lexists(out_dir) and _is_real_folder(old) and owned(old):
        os.rename(old, out_dir)


def _is_real_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that no reader ever sees half of it.

    Raises WriteError, saying why in an editor's words, if it cannot.
    """
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    except OSError as error:
        raise write_error(error, f"cannot save {path}", path.parent, site=None) from error
    try:
        with os.fdopen(handle, "wb") as file:
            _write(file, data)
        os.replace(temporary, path)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        if isinstance(error, OSError):
            raise write_error(error, f"cannot save {path}", path.parent, site=None) from error
        raise
