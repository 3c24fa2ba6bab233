"""Listing the content files: which files in a folder are sources, claims or pages.

Every listing of the content (this one, the file cache's, the preview's, `check --since`'s)
leaves out the same files, hidden ones, so that they all agree on what the site is made of.
"""

from __future__ import annotations

import functools
import operator
import os
import re
from collections.abc import Callable
from pathlib import Path

from ..errors import Problems
from .fields import SLUG_PATTERN, slug_problem
from .slugs import slugify
from .filecache import settled_or_new
from .hidden import is_hidden
from .languages import LANGUAGE_CODE
from .listing_named import UNSURE, path_of, with_named
from .reuse import Reuse
from .text import report_link

MAX_FOLDER_DEPTH = 10  # folders inside content/claims/; claims/2025/09/ is two; deeper is a mistake or an attack


def content_files(folder: Path, pattern: str, problems: Problems, recursive: bool = False,
                  reuse: Reuse | None = None, named: frozenset[str] | None = None) -> list[Path]:
    """The folder's files matching ``pattern`` (``*.md``, ``*.yml``), sorted, each with a name
    that is safe as a web address on any system the site is copied to (see :func:`listed`).

    ``reuse``: the listing the last update made, given again while no folder it went through
    has changed since: the system moves a folder's change time whenever a name in it is added,
    removed or renamed, and the listing depends on nothing but names (reuse.py). ``named``: the
    paths a watcher named since then, if it named every change (filecache.DocumentCache.named):
    a folder that changed then has the last listing with those put in or taken out.
    """
    suffix, reserved = pattern.removeprefix("*"), RESERVED_NAMES.get(folder.name, {})

    def item_of(path: Path):  # (listing_named.py's)
        reported = Problems()
        return path if _taken(path, suffix, reserved, reported, dict) else UNSURE if reported.items else None

    return _kept_listing(("listing", str(folder), pattern, recursive), folder, reuse, problems,
                         lambda found, known: listed(folder, pattern, found, recursive, known),
                         None if named is None else lambda kept: with_named(kept, named, suffix, item_of, str))


def _kept_listing(key: tuple, folder: Path, reuse: Reuse | None, problems: Problems, list_them, patch=None):
    """``list_them(problems, known)``'s files (it gives them with the folders it went through),
    or, with ``reuse``, the last update's while none of those folders changed (see content_files),
    or ``patch(last)``'s where that gives them and the last listing reported nothing.
    ``known``: the last listing's paths by name, given again rather than made anew (thousands)."""
    if reuse is None:
        return list_them(problems, {})[0]
    kept = reuse.kept(key)
    folders = kept[1] if kept is not None else [folder]
    inputs = tuple((str(path), settled_or_new(folder_signature(path))) for path in folders)

    def make(found: Problems):
        # (Not after an update stopped part-way: the names are those since it, not since the listing.)
        patched = patch(kept) if patch and kept is not None and reuse.reported(key) == [] and not reuse.interrupted \
            else None
        return patched if patched is not None else list_them(found, _paths_by_name(kept))

    return reuse.made(key, inputs, make, problems)[0]


def _paths_by_name(kept: tuple | None) -> dict[str, Path]:
    """The paths of a listing (content_files' or translation_files'), by name."""
    if kept is None:
        return {}
    return {str(path): path for path in map(path_of, kept[0])}


def folder_signature(folder: Path) -> tuple[int, int, int] | None:
    """The folder's inode and modification and change times (of the folder, not of a link's target)."""
    try:
        stat = os.lstat(folder)
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns


def listed(folder: Path, pattern: str, problems: Problems, recursive: bool = False,
           known: dict[str, Path] | None = None) -> tuple[list[Path], list[Path]]:
    """content_files' files, and the folders it went through; ``known``: paths to give again, by name.

    Links (symlinks) are refused and never followed, files and folders alike, so no
    file from outside the content folder is read and no folder is gone round twice.
    Names must be lower case (macOS and Windows do not tell `ERAM.md` from `eram.md`)
    and not one Windows keeps for a device; a page cannot take the name of a folder
    the build writes itself.
    """
    if folder.is_symlink():
        report_link(folder, problems)
        return [], [folder]
    if not folder.is_dir():
        return [], [folder]
    suffix = pattern.removeprefix("*")
    folders = [folder]
    known = known or {}
    found = sorted(_entries(folder, recursive, problems, folders), key=lambda item: item[0].path)
    reserved = RESERVED_NAMES.get(folder.name, {})
    names = functools.cache(lambda: _lower_names(found))  # needed only to report a name
    files = []
    for entry, parent in found:
        name = entry.name
        if not name.lower().endswith(suffix):
            if recursive and entry.is_symlink() and entry.is_dir():
                report_link(parent / name, problems)  # a folder of claims that would be left out
            continue
        if entry.is_symlink():
            report_link(parent / name, problems)
            continue
        if entry.is_dir(follow_symlinks=False):
            continue
        path = known.get(entry.path)
        if path is not None:  # listed last time: whether a name is usable depends on it alone
            files.append(path)
        elif _taken(parent / name, suffix, reserved, problems, names):
            files.append(parent / name)
    return files, folders


def _taken(path: Path, suffix: str, reserved: dict[str, str], problems: Problems, names: Callable[[], dict]) -> bool:
    """Whether the listing of files of its own takes the file ``path`` (a plain file with the
    suffix): not a translation (translation_files lists those), and with a usable name, after
    reporting why not (_usable_name, whose ``names`` this is)."""
    return translated_name(path.name[:-len(suffix)]) is None and \
        _usable_name(path, path.name, suffix, reserved, problems, names, path.parent)


TRANSLATED = re.compile(rf"([a-z0-9]+(?:-[a-z0-9]+)*)\.({LANGUAGE_CODE.pattern})")  # about.uk: about, in Ukrainian


def translated_name(stem: str) -> tuple[str, str] | None:
    """The name of the file a file named ``stem`` translates, and the language: ("about", "uk")
    for "about.uk"; None for a file of its own."""
    found = TRANSLATED.fullmatch(stem) if "." in stem else None  # (asked of every file of a folder)
    return (found[1], found[2]) if found else None


def translation_files(folder: Path, suffix: str, recursive: bool = False, reuse: Reuse | None = None,
                      named: frozenset[str] | None = None) -> list[tuple[Path, str, str]]:
    """The translations in ``folder`` (``<name>.<language><suffix>``), sorted, each with the name
    of the file it translates and its language; ``reuse`` and ``named`` as content_files'. Links
    are left out, as the listing of the originals reports them."""

    def translation(path: Path):
        names = translated_name(path.name[:-len(suffix)])
        return None if names is None else (path, *names)

    return _kept_listing(("translations", str(folder), suffix, recursive), folder, reuse, Problems(),
                         lambda found, known: _translations_listed(folder, suffix, recursive, known),
                         None if named is None else
                         lambda kept: with_named(kept, named, suffix, translation, _sorted_as_listed))


def _sorted_as_listed(path: Path) -> list[str]:
    return os.path.normcase(str(path)).split(os.sep)  # as the paths sort (part by part)


def _translations_listed(folder: Path, suffix: str, recursive: bool,
                         known: dict[str, Path]) -> tuple[list[tuple[Path, str, str]], list[Path]]:
    if folder.is_symlink() or not folder.is_dir():
        return [], [folder]
    found, folders = [], [folder]
    for entry, parent in _entries(folder, recursive, Problems(), folders):  # the listing reports what it cannot read
        if entry.name.endswith(suffix) and not entry.is_symlink() and entry.is_file(follow_symlinks=False):
            names = translated_name(entry.name[:-len(suffix)])
            if names is not None:
                path = known.get(entry.path) or parent / entry.name
                found.append((_sorted_as_listed(path), path, *names))
    found.sort(key=operator.itemgetter(0))  # as the paths sort (part by part), without making them compare
    return [item[1:] for item in found], folders


def _usable_name(path: Path, name: str, suffix: str, reserved: dict[str, str], problems: Problems,
                 names: Callable[[], dict], parent: Path) -> bool:
    """Whether the file name ``name`` makes a usable address, after reporting why not.
    ``names()``: the names in each folder (_lower_names); ``parent`` is the file's folder."""
    stem = name[: -len(suffix)]  # not a translation's (listed() leaves those to translation_files())
    if not name.endswith(suffix) or not SLUG_PATTERN.match(stem):
        _report_unusable_name(path, name, stem, suffix, problems, names(), parent)
        return False
    problem = slug_problem(stem)
    if problem is None and stem in reserved:
        problem = reserved[stem], f"{stem}-page"
    if problem is not None:
        reason, better = problem
        problems.error(path, None, f'the file name "{name}" cannot be used: {reason}',
                       f'rename it, e.g. to "{better}{suffix}"')
        return False
    return True


def _report_unusable_name(path: Path, name: str, stem: str, suffix: str, problems: Problems,
                          names: dict[tuple[Path, str], set[str]], parent: Path) -> None:
    """Say why ``name`` cannot be an address (upper case, another ending, other characters), and
    what to rename it to; ``names`` as _lower_names gives them."""
    fixed = slugify(stem) or "name"
    fixed = (slug_problem(fixed) or (None, fixed))[1] + suffix  # never suggest "con.md"
    taken = bool(names.get((parent, fixed), set()) - {name})
    if taken and fixed == name.lower():
        message = f'the file name "{name}" differs from "{fixed}" only in upper and lower case'
    elif SLUG_PATTERN.match(stem):
        message = f'the file name "{name}" must end in "{suffix}", in lower case'
    else:
        message = f'the file name "{name}" cannot be used as a web address'
    problems.error(
        path, None, message,
        f'"{fixed}" is already in this folder, and macOS and Windows see the two names as one file: '
        "merge the two, or give this one another name in lower-case letters, digits and hyphens" if taken
        else f'rename it to "{fixed}": lower-case letters, digits and hyphens only',
    )


def _lower_names(found: list) -> dict[tuple[Path, str], set[str]]:
    """The names of listed()'s entries by folder and the name in lower case."""
    names: dict[tuple[Path, str], set[str]] = {}
    for entry, parent in found:
        names.setdefault((parent, entry.name.lower()), set()).add(entry.name)
    return names


# Pages become top-level folders of the site, beside the folders the build writes itself.
RESERVED_NAMES = {"pages": {name: f'the site\'s own "{name}/" pages would be replaced by this one'
                            for name in ("claimants", "claims", "page", "pagefind", "people", "search", "sources",
                                         "suggest", "topics", "verdicts")}}


def _entries(folder: Path, recursive: bool, problems: Problems, folders: list[Path]):
    """``(os.DirEntry, folder)`` for everything in ``folder`` (and below it, if ``recursive``)
    but what is hidden: a hidden file, or anything in a hidden folder (content/claims/.archive/),
    is left out, as every other listing of the content leaves it out (is_hidden).
    Never goes into a link, so a link that loops cannot make it loop, nor deeper than
    MAX_FOLDER_DEPTH folders, which it reports; a stack, not recursion, so no depth can crash it.
    Each folder it goes into is added to ``folders``."""
    pending = [(folder, 0)]
    while pending:
        here, depth = pending.pop()
        try:
            with os.scandir(here) as scan:
                entries = [entry for entry in scan if not is_hidden(entry.name)]
        except OSError as error:
            problems.error(here, None, f"cannot read the folder: {error.strerror or error}",
                           "check that you may read it")
            continue
        for entry in entries:
            yield entry, here
            if recursive and entry.is_dir(follow_symlinks=False):
                path = here / entry.name
                if depth + 1 > MAX_FOLDER_DEPTH:
                    problems.error(path, None, f"this folder is more than {MAX_FOLDER_DEPTH} folders deep "
                                   f"inside {folder.name}/, and factsite looks no deeper",
                                   f"move the files in it up: a few levels such as {folder.name}/2025/09/ are plenty")
                else:
                    pending.append((path, depth + 1))
                    folders.append(path)

