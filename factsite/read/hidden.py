"""Hidden files: what every listing of the content leaves out."""

from __future__ import annotations


def is_hidden(name: str) -> bool:
    """A hidden file or folder (".archive", an editor's ".x.md.swp"): the build leaves it, and all
    that is in it, out; so does every listing of the content (the file cache's, the preview's,
    `check --since`'s), so that they all agree on what the site is made of."""
    return name.startswith(".")


def hidden_below(relative: str) -> bool:
    """Whether the path ``relative`` (with "/" between its parts) is hidden or inside a hidden folder."""
    return any(is_hidden(part) for part in relative.split("/"))
