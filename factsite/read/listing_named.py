"""A folder's last listing with the files a watcher named put in or taken out (listing.py).

A claim saved anew, or deleted, moves the claims folder's change time, and the listing of
10,000 files would be made again for one name. Where the preview's watcher named every change
since the last listing (filecache.DocumentCache.named), the last listing has those files put in
or taken out instead. Anything the listing would go into, report, or leave out otherwise than
by its name lists the folders again: a name in a folder not listed (a new one), a folder, a
link, a file that cannot be looked at, a name to report, or many names at once (a checkout,
where the watcher may have told less than everything).
"""

from __future__ import annotations

import bisect
import os
import stat
from collections.abc import Callable
from pathlib import Path

from .hidden import is_hidden

AT_MOST = 100  # names at once; beyond that, the folders are listed again
UNSURE = object()  # what item_of gives for a file whose name the listing would report


def with_named(kept: tuple, named: frozenset[str], suffix: str, item_of: Callable, key: Callable) -> tuple | None:
    """The ``kept`` listing (its items, sorted by ``key`` of their paths, and the folders it went
    through) with each file of ``named`` in those folders put in, as ``item_of(path)`` gives it
    (None: a file of another listing; UNSURE: one to report), or taken out if it is gone; None
    where the folders are to be listed again (see above)."""
    items, folders = list(kept[0]), kept[1]
    if len(named) > AT_MOST:
        return None
    listed, root = {str(folder) for folder in folders}, str(folders[0]) + os.sep
    for name in sorted(named):
        parent, base = os.path.split(name)
        if name in listed or (parent not in listed and name.startswith(root)):
            return None  # a folder listed, or a name in a folder not listed (a new one)
        if parent not in listed or is_hidden(base):
            continue  # another folder's, or one every listing leaves out
        try:
            mode = os.lstat(name).st_mode
        except FileNotFoundError:
            mode = None  # gone
        except OSError:
            return None  # (which the listing reports)
        if mode is not None and not stat.S_ISREG(mode):
            return None  # a folder or a link, which the listing goes into or reports
        if not base.lower().endswith(suffix):
            continue  # a file none of these listings takes
        if mode is not None and not base.endswith(suffix):
            return None  # "Rain.MD": a name to report
        item = None if mode is None else item_of(Path(name))
        if item is UNSURE:
            return None
        _put(items, Path(name), item, key)
    return items, folders


def _put(items: list, path: Path, item, key: Callable) -> None:
    """Put ``item`` in ``items`` at ``path``'s place, or take out what is there if it is None."""
    at = bisect.bisect_left(items, key(path), key=lambda listed: key(path_of(listed)))
    there = at < len(items) and path_of(items[at]) == path
    if item is None and there:
        del items[at]
    elif item is not None and not there:
        items.insert(at, item)


def path_of(item) -> Path:
    """The path of an item of a listing: content_files' paths, translation_files' (path, name, language)."""
    return item if isinstance(item, Path) else item[0]
