"""Hidden files: what every listing of the content leaves out, and the preview's watcher too."""

from __future__ import annotations

import os
from pathlib import Path


def is_hidden(name: str) -> bool:
    """A hidden file or folder (".archive", an editor's ".x.md.swp"): the build leaves it, and all
    that is in it, out; so does every listing of the content (the file cache's, the preview's,
    `check --since`'s), so that they all agree on what the site is made of."""
    return name.startswith(".")


def hidden_below(relative: str) -> bool:
    """Whether the path ``relative`` (with "/" between its parts) is hidden or inside a hidden folder."""
    return any(is_hidden(part) for part in relative.split("/"))


class VisibleChanges:
    """The changes the build can see: every one but to a hidden file or inside a hidden folder
    (read/listing.py), which the build leaves out. Not watchfiles' own filter, which leaves out
    names the build reads (flycheck_*, node_modules/): the listings take what the watcher
    names as every change to the folders (read/listing.py)."""

    def __init__(self, folders: list[Path]):
        self.folders = [os.path.abspath(folder) for folder in folders]

    def __call__(self, change, path: str) -> bool:
        path = os.path.abspath(path)
        for folder in self.folders:
            if path.startswith(folder + os.sep):
                return not hidden_below(path[len(folder) + 1:].replace(os.sep, "/"))
        return True
