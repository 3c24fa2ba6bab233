"""The search index: Pagefind reads the written pages and writes `pagefind/` beside them.

Only claim pages are indexed (they carry `data-pagefind-body`), with their
verdict and topics as filters.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

INDEX_FOLDER = "pagefind"


class SearchIndexError(Exception):
    """Pagefind failed; the message has what it printed."""


def build_search_index(site_dir: Path, output: Path | None = None) -> None:
    """Index ``site_dir`` into its `pagefind/` folder, or into ``output``."""
    where = ["--output-path", str(output)] if output else ["--output-subdir", INDEX_FOLDER]
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), *where, "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(f"could not run Pagefind: {error}") from error
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()
        raise SearchIndexError(f"Pagefind could not build the search index: {output or 'no message'}")


def refresh_search_index(site_dir: Path) -> None:
    """Index a site updated in place: build the new index beside it, then swap it in."""
    fresh = site_dir.with_name(f".{site_dir.name}-{INDEX_FOLDER}-new")
    stale = site_dir.with_name(f".{site_dir.name}-{INDEX_FOLDER}-old")
    for leftover in (fresh, stale):
        shutil.rmtree(leftover, ignore_errors=True)
    build_search_index(site_dir, fresh)
    current = site_dir / INDEX_FOLDER
    if current.exists():
        os.rename(current, stale)
    os.rename(fresh, current)
    shutil.rmtree(stale, ignore_errors=True)
