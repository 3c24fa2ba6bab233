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

from .addresses import WITHDRAWN_FILE
from .fields import SLUG_PATTERN
from .read.listing import MAX_FOLDER_DEPTH, hidden_below
from .read.parse import parse_markdown_text
from .read.text import MAX_FILE_BYTES
from .read.yaml_lines import parse_yaml
from .errors import ContentError, Problems
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
    settings, withdrawn = (str(PurePosixPath(prefix) / name) if prefix else name for name in ("site.yml", WITHDRAWN_FILE))
    listing = run("ls-tree", "-r", "-z", "--full-tree", commit, "--", folder, settings, withdrawn, cwd=root)
    if listing.returncode != 0:
        raise fail(f"git ls-tree failed: {first_line(listing.stderr)}", LEAVE_OUT.removeprefix("or "))
    blobs = listed_files(listing.stdout, folder, (settings, withdrawn))
    texts = dict(zip([path for _, path in blobs], read_blobs(git, root, environment, [oid for oid, _ in blobs]),
                     strict=True))
    verdicts = past_verdicts(texts.pop(settings, None), root / settings) or verdicts_now
    records = past_withdrawn(texts.pop(withdrawn, None), root / withdrawn, verdicts)
    claims: dict[str, Seen] = {}
    for path, text in texts.items():
        slug = PurePosixPath(path).stem
        past = None if text is None else past_claim(text, root / path, slug, verdicts)
        if past is not None:
            claims[slug] = past
    return History(revision, commit, PublishedState(claims, records))


def listed_files(listing: bytes, folder: str, settings: tuple[str, ...]) -> list[tuple[str, str]]:
    """(object id, path) of each file to read, from `git ls-tree -r -z`: the ``settings`` files
    first, then every claim file below ``folder`` that the build reads: none hidden or in a hidden
    folder, none too deep (read/listing.py)."""
    blobs: list[tuple[str, str]] = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        info, _, name = entry.partition(b"\t")
        mode, kind, oid = info.decode("ascii").split()
        path = name.decode("utf-8", "surrogateescape")
        # Regular files only: a symbolic link's blob is where it points, not a claim.
        if kind != "blob" or mode not in ("100644", "100755"):
            continue
        inside = path[len(folder) + 1:]
        if path in settings:
            blobs.insert(0, (oid, path))
        elif inside.endswith(".md") and not hidden_below(inside) and inside.count("/") <= MAX_FOLDER_DEPTH:
            blobs.append((oid, path))
    return blobs


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
