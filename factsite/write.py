"""Stage 5 of the build: write the files, replacing the old site only on success.

Everything is written into a fresh folder beside the output folder. Only when
every file is written does that folder take the output folder's place, so a
failed or interrupted build leaves the previous site as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath


MARKER = "claims.json"  # every build writes it


class WriteError(Exception):
    """The output folder could not be written; the previous site is untouched."""


def write_site(out_dir: Path, fill: Callable[[Path], int],
               before_swap: Callable[[Path], None] | None = None) -> int:
    """Make ``fill`` write the new site into a fresh folder, then put it in place of ``out_dir``.

    ``fill`` returns how many files it wrote. ``before_swap`` may add to the new
    folder (the search index is built there) before it replaces the old one; if
    either raises, the old site stays.
    """
    out_dir = out_dir.resolve()
    restore_interrupted_swap(out_dir)
    refuse_foreign_folder(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-new-", dir=out_dir.parent))
    except OSError as error:
        raise WriteError(f"cannot create a folder beside {out_dir}: {error.strerror}") from error
    try:
        count = fill(staging)
        if before_swap is not None:
            before_swap(staging)
        make_world_readable(staging)
        swap_into_place(staging, out_dir)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise WriteError(f"cannot write the site into {out_dir}: {error.strerror or error}") from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


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
    for root, dirs, files in os.walk(folder):
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
