"""The edits the bench makes to one claim, the same for a rebuild and for `factsite serve`.

Each kind of edit is what an editor does to a claim file, written so that it fits either
corpus (bench/corpus.py's shapes): the front matter is parsed, changed and written back,
so fields the bench does not know survive. An edit knows its page (a path under the site
root, "claims/<slug>/") and what that page shows once the edit is built, and again once
the file is put back; the bench judges both from the page alone, whether it was written
to site/ or served by the preview.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from bench.corpus import join_front_matter, split_front_matter

# The edits the CLI rebuilds are timed on (the "any one claim"), and the preview's,
# which adds a claim file saved and one deleted.
CLAIM_EDITS = ("analysis", "title", "topics", "claimant", "verdict")
PREVIEW_EDITS = ("analysis", "title", "verdict", "topics", "claimant", "new claim", "deleted claim")
NEW_CLAIM = "bench-new-claim"  # the file name of the claim the bench adds


@dataclass
class Edit:
    """One edit of one file: ``after`` replaces ``before`` (None: no file)."""

    kind: str
    path: Path
    url: str  # the page that shows it, under the site root: "claims/<slug>/"
    before: bytes | None
    after: bytes | None
    shown: Callable[[int, str], bool]  # (HTTP status, page) -> whether the page shows the edit
    undone: Callable[[int, str], bool]  # the same, once the file is put back
    # The claim's translations (<slug>.<lang>.md), deleted with it and put back with it.
    translations: dict[Path, bytes] = field(default_factory=dict)

    def save(self) -> None:
        write(self.path, self.after)
        if self.after is None:
            for path in self.translations:
                path.unlink(missing_ok=True)

    def undo(self) -> None:
        for path, data in self.translations.items():
            write(path, data)
        write(self.path, self.before)


def write(path: Path, data: bytes | None) -> None:
    if data is None:
        path.unlink(missing_ok=True)
    else:
        path.write_bytes(data)


# Which claim ----------------------------------------------------------------


def claim_files(root: Path) -> list[Path]:
    """The claims' own files, not their translations (<slug>.<lang>.md)."""
    return sorted(path for path in (root / "content" / "claims").rglob("*.md") if "." not in path.stem)


def middle_claim(root: Path) -> Path:
    """The claim every edit is made to: the middle one by file name (claim-{N//2} of the
    synthetic corpus), so that it sits among the others on every list."""
    claims = [path for path in claim_files(root) if path.stem != NEW_CLAIM]
    return claims[len(claims) // 2]


SLUG_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def unreferenced_claim(root: Path) -> Path:
    """The claim nearest the middle that no other claim names (as related, or in a link), so
    that the site without it is still valid."""
    claims = [path for path in claim_files(root) if path.stem != NEW_CLAIM]
    words = {path: set(SLUG_WORD.findall(path.read_text("utf-8"))) for path in claims}
    named = Counter(word for found in words.values() for word in found)
    middle = len(claims) // 2
    for number in sorted(range(len(claims)), key=lambda number: (abs(number - middle), number)):
        path = claims[number]
        if named[path.stem] == (path.stem in words[path]):
            return path
    raise ValueError(f"every claim in {root} is named by another: none can be deleted")


# The edits ------------------------------------------------------------------


def claim_edit(kind: str, root: Path, run: int = 1) -> Edit:
    """Edit ``kind`` (one of PREVIEW_EDITS) of the corpus in ``root``, made from the files as
    they are now; ``run`` makes its words differ from the last run's."""
    if kind == "deleted claim":
        path = unreferenced_claim(root)
        translations = {other: other.read_bytes() for other in sorted(path.parent.glob(f"{path.stem}.*.md"))}
        return Edit(kind, path, f"claims/{path.stem}/", path.read_bytes(), None,
                    shown=lambda status, page: status == 404, undone=lambda status, page: status == 200,
                    translations=translations)
    path = middle_claim(root)
    text = path.read_text("utf-8")
    mark = f"benchmark edit {run} of the {kind}"
    if kind == "analysis":
        edited = text + f"\nThe bench appended this sentence to the analysis, {mark}.\n"
    elif kind == "new claim":
        front, body = split_front_matter(text)
        front.pop("aliases", None)  # an address is one claim's
        front["title"] = f"{front['title']}, {mark}"
        path = path.parent / f"{NEW_CLAIM}.md"
        return Edit(kind, path, f"claims/{NEW_CLAIM}/", None, join_front_matter(front, body).encode(),
                    shown=lambda status, page: status == 200 and mark in page,
                    undone=lambda status, page: status == 404)
    else:
        front, body = split_front_matter(text)
        mark = FIELD_EDITS[kind](front, root, mark)
        edited = join_front_matter(front, body)
    return Edit(kind, path, f"claims/{path.stem}/", text.encode(), edited.encode(),
                shown=lambda status, page: status == 200 and mark in page,
                undone=lambda status, page: status == 200 and mark not in page)


def site_slugs(root: Path, key: str) -> list[str]:
    """The slugs of site.yml's ``key`` (verdicts or topics), in its order."""
    config = yaml.safe_load((root / "content" / "site.yml").read_text("utf-8"))
    return [str(entry["slug"]) for entry in config.get(key) or []]


def next_slug(slugs: list[str], current: list[str]) -> str:
    """The first of ``slugs`` after the last of ``current`` that is not one of them."""
    start = max((slugs.index(slug) + 1 for slug in current if slug in slugs), default=0)
    return next(slug for slug in slugs[start:] + slugs[:start] if slug not in current)


def new_title(front: dict, root: Path, mark: str) -> str:
    front["title"] = f"{front['title']}, {mark}"
    return mark


def new_verdict(front: dict, root: Path, mark: str) -> str:
    """Another verdict, with the correction saying so that a newsroom must add (dated today,
    which is after every date of the corpus's)."""
    front["verdict"] = next_slug(site_slugs(root, "verdicts"), [str(front["verdict"])])
    front["corrections"] = [*(front.get("corrections") or []),
                            {"date": dt.date.today(), "note": f"The verdict changed: {mark}."}]
    return mark


def new_topics(front: dict, root: Path, mark: str) -> str:
    topic = next_slug(site_slugs(root, "topics"), [str(slug) for slug in front.get("topics") or []])
    front["topics"] = [topic]
    return f"topics/{topic}/"  # the link the claim's page gains


def new_claimant(front: dict, root: Path, mark: str) -> str:
    front.pop("claimant_id", None)  # the new name makes its own address
    front["claimant"] = f"Benchmark Claimant {mark.split()[2]}"
    return front["claimant"]


FIELD_EDITS = {"title": new_title, "verdict": new_verdict, "topics": new_topics, "claimant": new_claimant}
