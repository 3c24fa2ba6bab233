"""Whose folder the site is: factsite replaces only a folder it made, which it marks.

Every full build writes a mark into the site (MARK); a folder without it, or one that holds
the project itself, is never replaced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..readback import read_own_file
from .write_errors import WriteError

# Every full build writes this file into the site: the mark that factsite made the folder, and
# may replace it. (Not hidden: upload-pages-artifact leaves out hidden files.)
MARK = "made-by-factsite.txt"
MARK_SIGNATURE = b"factsite site folder\n"
MARK_TEXT = MARK_SIGNATURE + (b"\nfactsite made this folder and replaces it whole on every build: anything put here "
                              b"by hand is deleted.\nBuild into a folder of its own, named with --out.\n")
OLD_SIGNATURE = "claims.json"  # all that marked a site before the mark: every build writes it


def owned(folder: Path) -> bool:
    """Whether ``folder`` holds factsite's mark, which every full build writes into it."""
    data = read_own_file(folder / MARK, len(MARK_TEXT) * 4)
    return data is not None and data.startswith(MARK_SIGNATURE)


def refuse_foreign_folder(out_dir: Path, adopt: Callable[[], bool] | None = None) -> None:
    """Never replace a folder that a build did not make (say, `--out .` by mistake).

    A folder is factsite's if it holds the mark. One that holds only a claims.json (all that
    marked a site before the mark) is taken as factsite's if ``adopt()`` says an earlier build
    made it (its build state names the folder); otherwise the editor is asked to choose.
    """
    if not out_dir.is_dir() or not any(out_dir.iterdir()) or owned(out_dir):
        return
    if (out_dir / OLD_SIGNATURE).is_file():
        if adopt is not None and adopt():
            return
        raise WriteError(f"{out_dir} holds a {OLD_SIGNATURE} but not factsite's mark ({MARK}), so it will not be "
                         "replaced", "if an older factsite built it, delete the folder and build again; "
                         "otherwise choose an empty or new folder with --out", site=None)
    raise WriteError(f"{out_dir} is not empty and was not made by factsite, so it will not be replaced",
                     "choose an empty or new folder with --out", site=None)


def refuse_project_folder(out_dir: Path, folders: Iterable[Path]) -> None:
    """Never build into a folder that is, or holds, one of the project's ``folders``: the mark
    alone cannot tell, since anyone who can add a file to the project can add it there too
    (a checkout holding `site` as a link to the project folder, and the mark beside content/)."""
    for folder in folders:
        if folder.resolve().is_relative_to(out_dir):
            raise WriteError(f"{out_dir} was not made by factsite, so it will not be replaced: it holds {folder}, "
                             "which a build there would delete", "build into a folder of its own with --out (if "
                             "site is a link (symlink), make it a folder)", site=None)
