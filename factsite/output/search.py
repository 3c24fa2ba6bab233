"""The search index: Pagefind reads the written claim pages and writes `pagefind/` beside them.

Pagefind holds everything it indexes in memory, about 180 KB a page, so a big
site is indexed in parts (model/search_parts.py says which), one Pagefind run after
another: `pagefind/1/`, `pagefind/2/`, ... The search page loads the first and
merges the others into it (Pagefind's `mergeIndex`), so readers search them
all at once. A claim stays in the same part while the number of parts does not
change, so an edit re-indexes one part only.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..model.search_parts import INDEX_FOLDER


class SearchIndexError(Exception):
    """Pagefind failed; the message has what it printed. ``pages_updated``: it failed after
    the pages were updated in place, so they are new and the index is the last build's."""

    pages_updated = False


def build_search_index(site_dir: Path, shards: list[list[str]], output: Path | None = None) -> None:
    """Index the claim pages of ``site_dir`` into its `pagefind/` folder, or into ``output``."""
    output = output or site_dir / INDEX_FOLDER
    output.mkdir(parents=True, exist_ok=True)  # empty while there is no claim to index
    for number, urls in enumerate(shards, start=1):
        index_shard(site_dir, urls, output / str(number))


def index_shard(site_dir: Path, urls: list[str], output: Path) -> None:
    """One part of the index: Pagefind run over the pages at ``urls`` only."""
    # The pages are named in a config file: a list of thousands of them can be too
    # long for a command line. Claim addresses hold only a-z, 0-9, "-" and "/".
    glob = "{" + ",".join(url + "index.html" for url in urls) + "}"
    with tempfile.TemporaryDirectory(prefix="factsite-pagefind-") as folder:
        config = {"site": str(site_dir.resolve()), "glob": glob, "output_path": str(output.resolve())}
        Path(folder, "pagefind.json").write_text(json.dumps(config), "utf-8")
        command = [sys.executable, "-m", "pagefind", "--silent"]
        try:
            result = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise SearchIndexError(f"could not run Pagefind: {error}") from error
    if result.returncode != 0:
        printed = (result.stderr or result.stdout).strip()
        raise SearchIndexError(f"Pagefind could not build the search index: {printed or 'no message'}")


def refresh_search_index(site_dir: Path, shards: list[list[str]], changed: set[int] | None = None) -> None:
    """Index a site updated in place: each part numbered in ``changed`` (every part when
    None) is built beside the site, then swapped in."""
    current = site_dir / INDEX_FOLDER
    fresh = site_dir.with_name(f".{site_dir.name}-{INDEX_FOLDER}-new")
    stale = site_dir.with_name(f".{site_dir.name}-{INDEX_FOLDER}-old")
    for leftover in (fresh, stale):
        _remove(leftover)
    try:
        if changed is None or not current.is_dir() or current.is_symlink():  # a link: never write through it
            build_search_index(site_dir, shards, fresh)
            _swap(fresh, current, stale)
            return
        for number in sorted(changed):
            index_shard(site_dir, shards[number - 1], fresh)
            _swap(fresh, current / str(number), stale)
    except SearchIndexError as error:
        error.pages_updated = True
        raise


def _swap(fresh: Path, current: Path, stale: Path) -> None:
    if os.path.lexists(current):
        os.rename(current, stale)
    os.rename(fresh, current)
    _remove(stale)


def _remove(path: Path) -> None:
    """Delete a folder the build made, or a link or file found in its place (never what a link leads to)."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)
