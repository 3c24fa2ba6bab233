"""What readers saw at an earlier git revision: what `check --since REV` compares with.

The last build's verdicts.json (published.py) exists only where the site was
built; a fresh checkout, such as the Pages workflow's, has git history instead.
From the revision's claim files, its site.yml (what each verdict slug meant
then) and its withdrawn.yml, this makes the same published state a build
writes. Reading it takes three git processes whatever the number of claims:
one to find the repository, `ls-tree` to list the files at the revision and a
single `cat-file --batch` to read them all.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..read.addresses import WITHDRAWN_FILE
from ..read.fields import SLUG_PATTERN
from ..read.hidden import hidden_below
from ..read.listing import MAX_FOLDER_DEPTH
from ..read.parse import parse_markdown_text
from ..read.text import MAX_FILE_BYTES
from ..read.yaml_lines import parse_yaml
from ..errors import ContentError, Problems
from .published import PublishedState, Seen, correction_key

LEAVE_OUT = "or leave out --since"
Verdicts = dict[str, tuple[str, int | None]]  # slug -> (label, rating)


@dataclass(frozen=True)
class History:
    revision: str  # as the editor wrote it, e.g. HEAD~1 or origin/main
    commit: str  # the full sha it names
    state: PublishedState  # what readers saw there

    @property
    def short(self) -> str:
        return self.commit[:7]


def state_at(content_dir: Path, revision: str, verdicts_now: Verdicts) -> History:
    """What readers saw of the content in ``content_dir`` as it was at git ``revision``.

    Raises ContentError (naming ``content_dir``, with a hint) when that cannot be
    read: git is missing, the folder is not in a git repository, the revision is
    unknown or not in a shallow clone. A claim file that does not parse at the
    revision is left out: it is history, not the editor's mistake to fix now. If
    site.yml does not parse there, the verdicts are read with ``verdicts_now``.
    """
    git = _Git.at(content_dir, revision)
    if not revision.strip() or revision.startswith("-"):
        raise git.fail("that is not a git revision", "give a commit, branch or tag, e.g. --since HEAD~1")
    if not content_dir.is_dir():
        raise git.fail("the content folder does not exist", "run factsite from the repository folder")
    root, prefix = _repository(git, content_dir)
    commit = _commit(git, root, revision)
    files = _Files(prefix)
    blobs = _listed_blobs(git, root, commit, files)
    texts = dict(zip([path for _, path in blobs], read_blobs(git.executable, root, git.environment,
                                                             [oid for oid, _ in blobs]), strict=True))
    verdicts = past_verdicts(texts.pop(files.settings, None), root / files.settings) or verdicts_now
    records = past_withdrawn(texts.pop(files.withdrawn, None), root / files.withdrawn, verdicts)
    return History(revision, commit, PublishedState(_past_claims(texts, root, verdicts), records))


@dataclass(frozen=True)
class _Git:
    """git, run in the C locale (its messages are read) and never asking for a password."""

    executable: str
    environment: dict
    content_dir: Path
    revision: str

    @classmethod
    def at(cls, content_dir: Path, revision: str) -> "_Git":
        executable = shutil.which("git")
        git = cls(executable or "git", {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"},
                  content_dir, revision)
        if executable is None:
            raise git.fail("git is not installed", f"install git (https://git-scm.com/downloads), {LEAVE_OUT}")
        return git

    def run(self, *args: str, cwd: Path) -> subprocess.CompletedProcess:
        return subprocess.run([self.executable, *args], cwd=cwd, env=self.environment, capture_output=True,
                              check=False)

    def fail(self, message: str, hint: str) -> ContentError:
        """The error saying why the content cannot be compared with the revision."""
        return ContentError(self.content_dir, None, f'cannot compare the verdicts with "{self.revision}": {message}',
                            hint)


def _repository(git: _Git, content_dir: Path) -> tuple[Path, str]:
    """The repository's top folder, and the content folder's path in it ("" or ending in "/")."""
    where = git.run("rev-parse", "--show-toplevel", "--show-prefix", cwd=content_dir)
    if where.returncode != 0:
        said = first_line(where.stderr)
        if "not a git repository" in said:
            raise git.fail(f"the folder {content_dir} is not in a git repository",
                           f"run factsite in a clone of the repository (git clone ...), {LEAVE_OUT}")
        raise git.fail(f"git says: {said}", LEAVE_OUT.removeprefix("or "))
    top, prefix = (where.stdout.decode("utf-8", "surrogateescape").split("\n") + [""])[:2]
    return Path(top), prefix


def _commit(git: _Git, root: Path, revision: str) -> str:
    """The full sha of the commit ``revision`` names."""
    found = git.run("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", cwd=root)
    if found.returncode == 0:
        return found.stdout.decode("ascii").strip()
    if git.run("rev-parse", "--is-shallow-repository", cwd=root).stdout.strip() == b"true":
        raise git.fail("there is no such commit in this clone, which has only part of the history",
                       "fetch the full history: git fetch --unshallow (in a GitHub workflow: "
                       "actions/checkout with fetch-depth: 0)")
    raise git.fail("there is no commit by that name in this repository",
                   "give a commit, branch or tag that exists, e.g. HEAD~1 or origin/main "
                   "(git log --oneline lists the commits)")


class _Files:
    """The paths, in the repository, of the files read at the revision."""

    def __init__(self, prefix: str):
        def inside(name: str) -> str:
            return str(PurePosixPath(prefix) / name) if prefix else name

        self.claims = inside("claims")  # the folder
        self.settings = inside("site.yml")
        self.withdrawn = inside(WITHDRAWN_FILE)

    def is_claim(self, path: str) -> bool:
        """Only the claim files the build reads: none hidden or in a hidden folder, none too deep (read/listing.py)."""
        inside = path[len(self.claims) + 1:]
        return inside.endswith(".md") and not hidden_below(inside) and inside.count("/") <= MAX_FOLDER_DEPTH


def _listed_blobs(git: _Git, root: Path, commit: str, files: _Files) -> list[tuple[str, str]]:
    """(object id, path) of every file to read at ``commit``: site.yml and withdrawn.yml first, then the claims."""
    listing = git.run("ls-tree", "-r", "-z", "--full-tree", commit, "--", files.claims, files.settings,
                      files.withdrawn, cwd=root)
    if listing.returncode != 0:
        raise git.fail(f"git ls-tree failed: {first_line(listing.stderr)}", LEAVE_OUT.removeprefix("or "))
    blobs: list[tuple[str, str]] = []
    for entry in listing.stdout.split(b"\0"):
        if not entry:
            continue
        info, _, name = entry.partition(b"\t")
        mode, kind, oid = info.decode("ascii").split()
        path = name.decode("utf-8", "surrogateescape")
        # Regular files only: a symbolic link's blob is where it points, not a claim.
        if kind != "blob" or mode not in ("100644", "100755"):
            continue
        if path in (files.settings, files.withdrawn):
            blobs.insert(0, (oid, path))
        elif files.is_claim(path):
            blobs.append((oid, path))
    return blobs


def _past_claims(texts: dict[str, str | None], root: Path, verdicts: Verdicts) -> dict[str, Seen]:
    """What readers saw of each claim file read, by slug: the drafts and the files that do not parse left out."""
    claims: dict[str, Seen] = {}
    for path, text in texts.items():
        slug = PurePosixPath(path).stem
        past = None if text is None else past_claim(text, root / path, slug, verdicts)
        if past is not None:
            claims[slug] = past
    return claims


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


# The files as they were: read as leniently as they can be, since what cannot be read
# is left out rather than reported (it is history, not the editor's mistake to fix now).

def past_verdicts(text: str | None, path: Path) -> Verdicts:
    """Each verdict slug of site.yml at the revision, with its label and rating; {} if it does not parse."""
    parsed = parse_yaml(text, path, Problems()) if text is not None else None
    entries = parsed[0].get("verdicts") if parsed and isinstance(parsed[0], dict) else None
    verdicts: Verdicts = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and (slug := _word(entry.get("slug"))) and (label := _word(entry.get("label"))):
            rating = entry.get("rating")
            verdicts.setdefault(slug, (label, rating if isinstance(rating, int) and not isinstance(rating, bool)
                                       else None))
    return verdicts


def past_claim(text: str, path: Path, slug: str, verdicts: Verdicts) -> Seen | None:
    """What readers saw of a published claim; None for a draft or a file that does not parse."""
    document = parse_markdown_text(text, path, Problems())
    if document is None:
        return None
    data = document.data
    verdict = verdicts.get(_word(data.get("verdict")) or "")
    if data.get("draft") is True or verdict is None:
        return None
    entries = data.get("corrections")
    corrections = {key for entry in (entries if isinstance(entries, list) else []) if isinstance(entry, dict)
                   and (key := correction_key(entry.get("date"), entry.get("note")))}
    dates = [data.get("published"), data.get("updated"), *(date for date, _ in corrections)]
    return Seen(slug, _word(data.get("title")) or slug, *verdict,
                modified=max((date for date in dates if isinstance(date, str) and _is_date(date)), default=""),
                corrections=frozenset(corrections), aliases=_aliases(data.get("aliases")))


def past_withdrawn(text: str | None, path: Path, verdicts: Verdicts) -> dict[str, Seen]:
    """The withdrawn fact-checks recorded at the revision, by the slug each was published under."""
    parsed = parse_yaml(text, path, Problems()) if text is not None else None
    entries = parsed[0].get("withdrawn") if parsed and isinstance(parsed[0], dict) else None
    records: dict[str, Seen] = {}
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        slug, date, verdict = _word(entry.get("claim")), _word(entry.get("date")), _word(entry.get("verdict"))
        if slug and SLUG_PATTERN.match(slug) and _is_date(date) and verdict in verdicts:
            records.setdefault(slug, Seen(slug, _word(entry.get("title")) or slug, *verdicts[verdict],
                                          modified=date, aliases=_aliases(entry.get("aliases")), withdrawn=True))
    return records


def _aliases(value) -> tuple[str, ...]:
    return tuple(alias for alias in (value if isinstance(value, list) else [])
                 if isinstance(alias, str) and SLUG_PATTERN.match(alias))


def _word(value) -> str | None:
    """A YAML scalar as the text an editor wrote (a bare number is text too); None for anything else."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    return str(value).strip() or None


def _is_date(text: str | None) -> bool:
    """Whether ``text`` is a real date written YYYY-MM-DD, as the build requires."""
    if not text or re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is None:
        return False
    try:
        return bool(dt.date.fromisoformat(text))
    except ValueError:
        return False


def first_line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[0].removeprefix("fatal: ").removeprefix("error: ") if lines else "unknown error"
