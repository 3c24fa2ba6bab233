"""The theme: `templates/` and `static/`, read without ever following a link.

Both folders are trusted (they are the site's code and look, changed by whoever runs the
site, not by contributors of claims), but a link (symlink) in them would publish whatever
it points to: `static/env.txt` linked to /proc/self/environ, a template that includes a
link to /etc/passwd. So every link in them is refused, as in content/, with an error
naming it, by `check` and `build` alike; the files are listed without going into a link
and read without following one, so a link made after the check is not followed either.

Names starting with a dot are hidden, as in content/: a hidden link (an editor's lock
file, `.#claim.html`) is left alone, never followed nor read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from .filecache import settled
from .text import report_link
from ..errors import Problems
from ..readback import NO_FOLLOW



def check_theme_folder(folder: Path, problems: Problems) -> None:
    """Report the folder itself, or any link in it or below it, as a mistake to fix."""
    where = f"{folder.name}/"
    if folder.is_symlink():
        report_link(folder, problems, where)
        return
    for path, entry in _walk(folder):
        if entry.is_symlink() and not entry.name.startswith("."):
            report_link(path, problems, where)


def theme_files(folder: Path) -> list[tuple[str, Path]]:
    """Every plain file below ``folder`` (hidden ones too), by its path relative to it, sorted;
    never a link, nor anything in a folder that is one."""
    if folder.is_symlink():
        return []
    prefix = len(str(folder)) + 1
    return sorted((str(path)[prefix:].replace(os.sep, "/"), path) for path, entry in _walk(folder)
                  if entry.is_file(follow_symlinks=False))


def theme_signatures(folder: Path) -> dict[str, tuple[int, int, int] | None]:
    """Everything below ``folder`` that a build reads or refuses (hidden files, which it
    publishes, and links, which it reports, too), by its path relative to it, with the size and
    times of the entry itself (None: changed too recently to tell, filecache.settled); the
    folder itself, as the empty path, so that one that is a link or missing counts too."""
    def signature(path: Path) -> tuple[int, int, int] | None:
        try:
            entry = os.lstat(path)
        except OSError:
            return None
        return settled((entry.st_size, entry.st_mtime_ns, entry.st_ctime_ns))

    prefix = len(str(folder)) + 1
    found = {"": signature(folder) if folder.is_dir() and not folder.is_symlink() else None}
    if found[""] is not None:
        found.update((str(path)[prefix:], signature(path)) for path, _ in _walk(folder))
    return found


def _walk(folder: Path) -> Iterator[tuple[Path, os.DirEntry]]:
    """Everything below ``folder``, without going into a link (so a link that loops cannot loop)."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError:
        return  # a missing folder is reported by Project.check_theme
    for entry in entries:
        path = folder / entry.name
        yield path, entry
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path)


def read_theme_file(path: Path, root: Path) -> bytes:
    """The bytes of the plain file ``path`` below ``root``; OSError if it, or any folder between
    the two, is a link (or it is not a plain file)."""
    if ".." in path.relative_to(root).parts:  # ValueError if not below it at all
        raise OSError(f"{path} is not below {root}")
    folder = path.parent
    while folder != root:  # the folders between: opening with O_NOFOLLOW checks only the last name
        if folder == folder.parent or not stat.S_ISDIR(os.lstat(folder).st_mode):
            raise OSError(f"{folder} is a link (symlink) or not a folder below {root}")
        folder = folder.parent
    if os.path.islink(root):
        raise OSError(f"{root} is a link (symlink)")
    with open(os.open(path, NO_FOLLOW), "rb") as file:  # ELOOP if the file is a link
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise OSError(f"{path} is not a plain file")
        return file.read()


class ThemeLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, but a template that is a link, or is in a folder that is one,
    is not found (Project.check_theme has said why, unless the link was made since)."""

    def __init__(self, folder: Path):
        super().__init__(folder)
        self.folder = folder

    def get_source(self, environment, template: str):
        path = self.folder.joinpath(*split_template_path(template))  # refuses ".." and the like
        try:
            source = read_theme_file(path, self.folder).decode(self.encoding)
            mtime = os.stat(path, follow_symlinks=False).st_mtime
        except OSError as error:
            raise jinja2.TemplateNotFound(template, f"{template!r} cannot be read from {self.folder} "
                                                    f"(factsite follows no link there): {error}") from error

        def uptodate() -> bool:
            try:
                return os.stat(path, follow_symlinks=False).st_mtime == mtime
            except OSError:
                return False

        return source, os.path.normpath(path), uptodate
