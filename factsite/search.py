"""The search index: Pagefind reads the written pages and writes `pagefind/` beside them.

Only claim pages are indexed (they carry `data-pagefind-body`), with their
verdict and topics as filters.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

INDEX_FOLDER = "pagefind"


class SearchIndexError(Exception):
    """Pagefind failed; the message has what it printed."""


def build_search_index(site_dir: Path) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", INDEX_FOLDER, "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(f"could not run Pagefind: {error}") from error
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()
        raise SearchIndexError(f"Pagefind could not build the search index: {output or 'no message'}")
