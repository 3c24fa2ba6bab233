"""The journal of an update in place: which files move from the staging folder into the
site, and which files of the site are deleted.

An incremental build writes its files into a staging folder beside the site, writes the
journal (`.site-journal.json`, beside the site), then moves each file into place; a build
killed during the moves leaves the journal, and the next build finishes them from it. The
staging folder is flat, each file named by a digest of its path in the site (staged_name):
making a folder for each page there, and removing them all after, cost more than writing the
pages themselves.

The journal is read back, so it is untrusted (readback.py): its staging folder must be one
the build names itself, beside the site; every path must stay inside its folder; a file is
moved only if it is a plain file, and deleted only if it is one; no folder on the way may
be a link. A journal that is off in any way is deleted without acting on it (the build
that follows writes the whole site).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..readback import LeadsOutside, is_plain_file, is_safe_relative, read_own_file, real_folders

MAX_JOURNAL_BYTES = 256 * 1024 * 1024  # far more than any site's list of files
VERSION = 2  # of the staging folder's layout: a journal of another is not acted on


@dataclass
class Journal:
    staging: Path
    files: list[str]  # moved from the staging folder into the site, by path relative to both
    removed: list[str]  # deleted from the site

    def to_json(self) -> bytes:
        return json.dumps({"version": VERSION, "staging": str(self.staging), "files": self.files,
                           "removed": self.removed}).encode()


def staged_name(relative: str) -> str:
    """The name in the (flat) staging folder of the file the site has at ``relative``."""
    return hashlib.sha256(relative.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def journal_path(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}-journal.json")


def staging_prefix(out_dir: Path) -> str:
    """The start of the name of every staging folder of ``out_dir`` (a random suffix follows)."""
    return f".{out_dir.name}-new-"


def read_journal(out_dir: Path) -> Journal | None:
    """The journal a killed build left beside ``out_dir``, if it is whole and sound."""
    data = read_own_file(journal_path(out_dir), MAX_JOURNAL_BYTES)
    try:
        values = json.loads(data) if data is not None else None
    except ValueError:  # cut short: the build was killed while writing it, so it was never acted on
        return None
    if type(values) is not dict or set(values) != {"version", "staging", "files", "removed"} \
            or type(values["version"]) is not int or values["version"] != VERSION:
        return None
    staging, files, removed = values["staging"], values["files"], values["removed"]
    if type(staging) is not str or type(files) is not list or type(removed) is not list:
        return None
    staging = Path(staging)
    suffix = staging.name.removeprefix(staging_prefix(out_dir))
    if (staging.parent != out_dir.parent or suffix == staging.name or not re.fullmatch(r"[0-9a-f]{8}", suffix)
            or os.path.islink(staging)):
        return None
    if not all(is_safe_relative(relative) for relative in files + removed):
        return None
    return Journal(staging, files, removed)


def apply_journal(out_dir: Path, journal: Journal) -> None:
    """Move the journal's files into ``out_dir`` and delete its removed ones, then the journal
    and the staging folder. Raises LeadsOutside, before changing anything, if a folder on the
    way is a link; moves only plain files, deletes only plain files."""
    staging = journal.staging
    moves = []
    for relative in journal.files:
        source, target = staging / staged_name(relative), out_dir / relative
        if is_plain_file(source):  # when completing an interrupted update, some moved already
            moves.append((source, target))
    removals = [out_dir / relative for relative in journal.removed]
    targets = {target.parent for _, target in moves}
    real_folders(out_dir, targets | {target.parent for target in removals})  # before anything changes
    real_folders(out_dir, targets, made=[])
    for source, target in moves:
        os.replace(source, target)
    for target in removals:
        if is_plain_file(target):  # never a folder, nor a link
            target.unlink()
            _remove_empty_parents(target.parent, out_dir)
    journal_path(out_dir).unlink()
    shutil.rmtree(staging, ignore_errors=True)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:  # not empty, or gone
            return
        folder = folder.parent


def recover_journal(out_dir: Path) -> None:
    """Finish the moves a killed build left, or drop its journal if it cannot be trusted."""
    path = journal_path(out_dir)
    if not os.path.lexists(path):
        return
    journal = read_journal(out_dir)
    if journal is not None:
        try:
            apply_journal(out_dir, journal)
            return
        except LeadsOutside:
            pass
    path.unlink()  # the journal itself, even if it is a link; the build that follows writes everything
