"""Reading back what factsite wrote itself: untrusted input.

The output folder, the journal beside it and the build cache are factsite's own, but
whoever can put files there (a checkout that holds them, a restored CI cache, another
program) could plant anything. So what is read back is read as a plain file (never
through a link, never a device or a pipe), every path in it must be a relative path that
stays inside its folder, and the folders on the way must be real folders, not links
that lead elsewhere. Whatever fails these checks is ignored, and the build falls back to
building everything.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

NO_FOLLOW = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_own_file(path: Path, limit: int | None = None) -> bytes | None:
    """The bytes of ``path`` if it is a plain file (not a link, a device or a pipe) of at most
    ``limit`` bytes; None otherwise, or if it cannot be read."""
    try:
        with open(os.open(path, NO_FOLLOW), "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode) or (limit is not None and info.st_size > limit):
                return None
            data = file.read() if limit is None else file.read(limit + 1)
            return None if limit is not None and len(data) > limit else data  # it grew since
    except OSError:
        return None


# What a path (between two line breaks) that leaves its folder, or names it, holds somewhere: a
# leading or final slash, an empty, "." or ".." part, a backslash or a NUL.
_UNSAFE = ("\n/", "/\n", "//", "/./", "/../", "\n./", "\n../", "/.\n", "/..\n", "\n.\n", "\n..\n", "\n\n",
           "\\", "\0")
# A drive letter at the start of a path, which Windows joins as a path on that drive: "D:/x", "D:x".
_DRIVE = re.compile(r"\n[A-Za-z]:")


def safe_relative_path(relative: str) -> PurePosixPath:
    """``relative`` if it stays inside the output folder; refusing is a bug, not an editor mistake."""
    if not is_safe_relative(relative):
        raise ValueError(f"refusing to write outside the output folder: {relative!r}")
    return PurePosixPath(relative)


def is_safe_relative(relative) -> bool:
    """Is ``relative`` text naming a file below a folder: relative, without a drive letter, "..",
    "." or an empty part, a backslash or a NUL (nor a line break before any of these)?"""
    return type(relative) is str and all_safe_relative([relative])


def all_safe_relative(paths: list) -> bool:
    """:func:`is_safe_relative` for every one of many paths, at once (a few substring searches)."""
    try:
        text = "\n" + "\n".join(paths) + "\n"  # a path holding a line break is checked as the two it looks like
    except TypeError:  # not all text
        return False
    return not paths or not (any(part in text for part in _UNSAFE) or _DRIVE.search(text))


class LeadsOutside(Exception):
    """A folder on the way to a file is a link (or not a folder): writing there could reach
    anything. The build then writes the whole site into a new folder instead."""


def real_folders(root: Path, folders: Iterable[Path], made: list[Path] | None = None) -> None:
    """Check that each of ``folders`` (below ``root``, itself a real folder) and every folder
    between it and ``root`` is a real folder (or missing), not a link or a file; raise
    LeadsOutside if not. With ``made``, make those missing, adding each to it, parents first."""
    known = {root}
    for folder in sorted(set(folders)):
        missing = []
        while folder not in known:
            if folder == folder.parent or not folder.is_relative_to(root):
                raise LeadsOutside(f"{folder} is not below {root}")
            try:
                mode = os.lstat(folder).st_mode
            except FileNotFoundError:
                missing.append(folder)
            else:
                if not stat.S_ISDIR(mode):
                    raise LeadsOutside(f"{folder} is a link (symlink) or a file, where a folder should be")
                known.add(folder)
            folder = folder.parent
        for folder in reversed(missing) if made is not None else ():
            try:
                os.mkdir(folder)
            except FileExistsError:
                raise LeadsOutside(f"{folder} appeared while the build was writing") from None
            made.append(folder)
            known.add(folder)


def is_plain_file(path: Path) -> bool:
    """Whether ``path`` is a plain file itself, not a link to one."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            return False
        raise
