"""The claims as they were at an earlier git revision: what `check --since REV` compares with.

The last build's claims.json (`checks.check_verdict_changes`) exists only where
the site was built; a fresh checkout, such as the Pages workflow's, has git
history instead. Reading it takes three git processes whatever the number of
claims: one to find the repository, `ls-tree` to list the claim files at the
revision and a single `cat-file --batch` to read them all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .documents import MAX_FILE_BYTES, MAX_FOLDER_DEPTH, hidden_below, parse_markdown_text
from .errors import ContentError, Problems

LEAVE_OUT = "or leave out --since"


@dataclass(frozen=True)
class PastClaim:
    """A published claim as it was at the revision."""

    verdict: str  # the verdict's slug
    corrections: frozenset[tuple[str, str]]  # (date as written, note with its spacing evened out)


@dataclass(frozen=True)
class History:
    revision: str  # as the editor wrote it, e.g. HEAD~1 or origin/main
    commit: str  # the full sha it names
    claims: dict[str, PastClaim]  # by slug

    @property
    def short(self) -> str:
        return self.commit[:7]


def correction_key(date, note) -> tuple[str, str] | None:
    """A correction entry as compared across revisions; None if it lacks a date or a note."""
    if date is None or note is None or isinstance(date, bool) or isinstance(note, bool):
        return None
    if not isinstance(date, str):
        date = date.isoformat() if hasattr(date, "isoformat") else str(date)
    date, note = date.strip(), " ".join(str(note).split())
    return (date, note) if date and note else None


def claims_at(content_dir: Path, revision: str) -> History:
    """The published claims under ``content_dir``/claims as they were at git ``revision``.

    Raises ContentError (naming ``content_dir``, with a hint) when that cannot be
    read: git is missing, the folder is not in a git repository, the revision is
    unknown or not in a shallow clone. A claim file that does not parse at the
    revision is left out: it is history, not the editor's mistake to fix now.
    """
    def fail(message: str, hint: str) -> ContentError:
        return ContentError(content_dir, None, f'cannot compare the verdicts with "{revision}": {message}', hint)

    git = shutil.which("git")
    if git is None:
        raise fail("git is not installed", f"install git (https://git-scm.com/downloads), {LEAVE_OUT}")
    if not revision.strip() or revision.startswith("-"):
        raise fail("that is not a git revision", "give a commit, branch or tag, e.g. --since HEAD~1")
    environment = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}

    def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
        return subprocess.run([git, *args], cwd=cwd, env=environment, capture_output=True, check=False)

    if not content_dir.is_dir():
        raise fail("the content folder does not exist", "run factsite from the repository folder")
    where = run("rev-parse", "--show-toplevel", "--show-prefix", cwd=content_dir)
    if where.returncode != 0:
        said = first_line(where.stderr)
        if "not a git repository" in said:
            raise fail(f"the folder {content_dir} is not in a git repository",
                       f"run factsite in a clone of the repository (git clone ...), {LEAVE_OUT}")
        raise fail(f"git says: {said}", LEAVE_OUT.removeprefix("or "))
    top, prefix = (where.stdout.decode("utf-8", "surrogateescape").split("\n") + [""])[:2]
    root = Path(top)

    found = run("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", cwd=root)
    if found.returncode != 0:
        shallow = run("rev-parse", "--is-shallow-repository", cwd=root).stdout.strip() == b"true"
        if shallow:
            raise fail("there is no such commit in this clone, which has only part of the history",
                       "fetch the full history: git fetch --unshallow (in a GitHub workflow: "
                       "actions/checkout with fetch-depth: 0)")
        raise fail("there is no commit by that name in this repository",
                   "give a commit, branch or tag that exists, e.g. HEAD~1 or origin/main "
                   "(git log --oneline lists the commits)")
    commit = found.stdout.decode("ascii").strip()

    folder = str(PurePosixPath(prefix) / "claims") if prefix else "claims"
    listing = run("ls-tree", "-r", "-z", "--full-tree", commit, "--", folder, cwd=root)
    if listing.returncode != 0:
        raise fail(f"git ls-tree failed: {first_line(listing.stderr)}", LEAVE_OUT.removeprefix("or "))
    blobs: list[tuple[str, str]] = []  # (object id, path) of every claim file
    for entry in listing.stdout.split(b"\0"):
        if not entry:
            continue
        info, _, name = entry.partition(b"\t")
        mode, kind, oid = info.decode("ascii").split()
        path = name.decode("utf-8", "surrogateescape")
        # Regular files only: a symbolic link's blob is where it points, not a claim. Only the
        # files the build reads: none hidden or in a hidden folder, none too deep (load._entries).
        inside = path[len(folder) + 1:]
        if (kind == "blob" and mode in ("100644", "100755") and inside.endswith(".md") and not hidden_below(inside)
                and inside.count("/") <= MAX_FOLDER_DEPTH):
            blobs.append((oid, path))

    claims: dict[str, PastClaim] = {}
    for (_, path), text in zip(blobs, read_blobs(git, root, environment, [oid for oid, _ in blobs]), strict=True):
        if text is None:
            continue
        past = past_claim(text, root / path)
        if past is not None:
            claims[PurePosixPath(path).stem] = past
    return History(revision, commit, claims)


def read_blobs(git: str, root: Path, environment: dict, oids: list[str]):
    """Each object's text, in order, from one `git cat-file --batch`; None for what cannot be read as a claim."""
    if not oids:
        return
    process = subprocess.Popen([git, "cat-file", "--batch"], cwd=root, env=environment,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def ask() -> None:  # in its own thread, so that neither side's pipe can fill up and block
        try:
            process.stdin.write("".join(f"{oid}\n" for oid in oids).encode("ascii"))
            process.stdin.close()
        except OSError:  # git exited early: the reading side reports it
            pass

    writer = threading.Thread(target=ask, daemon=True)
    writer.start()
    try:
        for _ in oids:
            header = process.stdout.readline().split()
            if len(header) != 3:  # "<oid> missing", or git stopped
                yield None
                continue
            size = int(header[2])
            data = process.stdout.read(size + 1)[:size]  # each object is followed by a newline
            if header[1] != b"blob" or size > MAX_FILE_BYTES:
                yield None
                continue
            try:
                yield data.decode("utf-8-sig")
            except UnicodeDecodeError:
                yield None
    finally:
        process.stdout.close()  # if the reading stopped early, git's next write ends it
        writer.join()
        process.wait()


def past_claim(text: str, path: Path) -> PastClaim | None:
    """The verdict and corrections of a published claim; None for a draft or a file that does not parse."""
    document = parse_markdown_text(text, path, Problems())
    if document is None:
        return None
    data = document.data
    verdict = data.get("verdict")
    if data.get("draft") is True or isinstance(verdict, bool) or not isinstance(verdict, (str, int, float)):
        return None
    entries = data.get("corrections") or []
    if not isinstance(entries, list):
        entries = []
    corrections = {key for entry in entries if isinstance(entry, dict)
                   and (key := correction_key(entry.get("date"), entry.get("note")))}
    return PastClaim(str(verdict).strip(), frozenset(corrections))


def first_line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[0].removeprefix("fatal: ").removeprefix("error: ") if lines else "unknown error"
