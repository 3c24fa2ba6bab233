"""Checking the links editors write: every link inside the site must reach a page,
and every #anchor an element on that page.

Runs over the rendered files, so it sees exactly what readers will get.
"""

from __future__ import annotations

import difflib
import itertools
import operator
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from ..errors import Problems
from ..places import keys_gone

_ID = re.compile(rb'\sid="([^"]+)"')


def ids_in(html: bytes) -> set[str]:
    return {match.decode() for match in _ID.findall(html)}


class WrittenLinks(NamedTuple):
    """The links one content file's Markdown contains, each with its line, and the page they are on.

    A plain tuple underneath, so the build cache stores and loads it quickly."""

    path: str  # the content file
    page_url: str  # absolute URL of the page
    links: list[tuple[str, int]]

    @classmethod
    def found(cls, path: Path, page_url: str, body: str, body_line: int, links: list[str],
              checked: list[str] | None = None) -> "WrittenLinks":
        """``links`` as written (each found on its line), ``checked`` as they lead (the same, but in
        an edition in another language: markup.MarkdownRenderer's site_path)."""
        return cls(str(path), page_url, [(leads, _line_of(link, body, body_line))
                                         for link, leads in zip(links, checked or links) if _may_be_ours(link)])


def _may_be_ours(link: str) -> bool:
    """Could the link lead to a page of this site? (Only those are checked.)"""
    return not link.startswith(("mailto:", "tel:")) and (not re.match(r"^[a-z][a-z0-9+.-]*:", link, re.I)
                                                         or link.startswith(("http:", "https:")))


@dataclass
class OutputIndex:
    """Which files a build produced, and the ids on each HTML page.

    Ids not known (None: a page written to disk, whose ids were not searched for)
    are read from the page with ``read(path)`` when a link names one of them.
    """

    ids: dict[str, Collection[str] | None] = field(default_factory=dict)
    read: Callable[[str], bytes | None] | None = None
    asked: set[str] = field(default_factory=set)  # the files whose ids were looked at
    unread: set[str] = field(default_factory=set)  # the files whose ids were looked for but could not be read
    reached: set[str] = field(default_factory=set)  # the files the links checked led to

    def record(self, outputs: Iterable[tuple[str, bytes]], with_ids: bool = True) -> Iterator[tuple[str, bytes]]:
        """Notes each file, with the ids on it, or (``with_ids`` false) leaves those to ``read``."""
        for path, data in outputs:
            if not path.endswith(".html"):
                self.ids[path] = set()
            else:
                self.ids[path] = ids_in(data) if with_ids else None
            yield path, data

    def ids_on(self, path: str) -> Collection[str]:
        """The ids on a file that was made (see :meth:`target`)."""
        self.asked.add(path)
        if self.ids[path] is None:
            if self.read is None:  # a caller's mistake: every valid anchor would look broken
                raise ValueError(f"the ids on {path} were not kept, and there is no way to read them")
            data = self.read(path)
            if data is None:  # not readable now: none found, and read again at the next check (LinkCheck)
                self.unread.add(path)
                return set()
            self.ids[path] = ids_in(data)
        return self.ids[path]

    def target(self, url_path: str) -> str | None:
        """The output file a server would send for ``url_path`` (relative to the site root)."""
        for candidate in (url_path, url_path.rstrip("/") + "/index.html" if url_path else "index.html"):
            if candidate in self.ids:
                return candidate
        return None


class LinkCheck:
    """The link check of one update after another (the preview's), keeping from the last what
    it may: the index of the files, with the files of the jobs that changed, came or went put in
    or taken out, and each job's warnings while its result is the same, no page whose anchors it
    looked at was written again (or could not be read), and no page it led to went. Anything
    else is checked as in a first update."""

    def __init__(self):
        self.results: dict = {}  # the last update's, by job
        self.index: OutputIndex | None = None
        self.base_url: str | None = None
        # By job, for the jobs whose links gave warnings or looked at anchors: the warnings, and
        # the pages whose anchors they looked at.
        self.found: dict = {}
        self.reached: dict = {}  # by job, for the jobs with links: the files those led to
        self.writers: Counter = Counter()  # by file, how many jobs write it
        self._files: frozenset[str] | None = None  # the index's files, once asked for

    @property
    def files(self) -> frozenset[str]:
        """Every file the results of the last check wrote (none after a check that failed). The
        preview serves these."""
        if self._files is None:
            self._files = frozenset(self.index.ids) if self.index is not None else frozenset()
        return self._files

    def check(self, results: dict, base_url: str, problems: Problems,
              read: Callable[[str], bytes | None] | None = None) -> None:
        """Check the links of ``results`` (JobResult by job) against every file they wrote; ``read``
        gives a file whose ids were not kept (None if it cannot be read). A job's result that is
        the same object as at the last check is taken to have written the same files, unchanged."""
        try:
            self._check(results, base_url, problems, read)
        except BaseException:
            self.index, self.results, self._files = None, {}, None  # all again next time
            raise
        finally:
            if self.index is not None:
                self.index.read = None  # (which holds the update's output folder)

    def _check(self, results: dict, base_url: str, problems: Problems,
               read: Callable[[str], bytes | None] | None) -> None:
        # (At C speed: a preview of 10,000 claims in two languages has 40,000 jobs.)
        changed = list(itertools.compress(results, map(operator.is_not, results.values(),
                                                       map(self.results.get, results))))
        if self.index is None or base_url != self.base_url:
            self.index, self.found, self.reached, self.results = OutputIndex(), {}, {}, {}
            self.writers, self._files, changed = Counter(), None, list(results)
        gone = keys_gone(self.results, results, changed)
        came, went = self._index_again(results, changed, gone)
        self.index.read = read
        rewritten, self.index.unread = self.index.unread, set()  # a page not read last time is read again
        for job in changed:
            rewritten.update(results[job].files)  # (their ids may have changed)
        # Checked again: the jobs rendered again that have links; those whose links looked at
        # the anchors of a page rendered again (or that could not be read), or led to a page
        # that went; and, when pages came or went, those that warned (of a page not there, with
        # the names of those that are).
        for job in (*changed, *gone):
            self.found.pop(job, None)
            self.reached.pop(job, None)
        again = {job for job in changed if results[job].links}
        again.update(job for job, (warnings, asked) in self.found.items()
                     if not asked.isdisjoint(rewritten) or (warnings and (came or went)))
        if went:
            again.update(job for job, reached in self.reached.items() if not reached.isdisjoint(went))
        for job in again:
            self._check_job(job, results[job], base_url)
        for warnings, _ in self.found.values():
            problems.items.extend(warnings)
        self.results, self.base_url = dict(results), base_url

    def _index_again(self, results: dict, changed: list, gone: list) -> tuple[set[str], set[str]]:
        """Put the files of the jobs changed in the index, and take out those no job writes now
        (a file may have more than one: a page of the theme's at a claim's address, say);
        returns the files that came and those that went."""
        ids, writers, came, went = self.index.ids, self.writers, set(), set()
        for before in [*map(self.results.__getitem__, gone), *filter(None, map(self.results.get, changed))]:
            writers.subtract(before.files.keys())  # (a dict would subtract its values)
            went.update(before.files)
        for job in changed:
            came.update(path for path in results[job].files if path not in ids)
            writers.update(results[job].files.keys())
            ids.update(results[job].files)
        went = {path for path in went if not writers[path]}
        for path in went:
            del ids[path], writers[path]
        if came or went:
            self._files = None
        return came, went

    def _check_job(self, job, result, base_url: str) -> None:
        """Check one job's links, keeping the files they led to and, if they warned or looked at
        anchors, the warnings and the pages whose anchors they looked at."""
        reported, self.index.asked, self.index.reached = Problems(), set(), set()
        check_links(result.links, self.index, base_url, reported)
        self.reached[job] = frozenset(self.index.reached)
        if reported.items or self.index.asked:
            self.found[job] = (reported.items, self.index.asked)
        else:
            self.found.pop(job, None)  # (one checked again for a page that came, went or was rewritten)


def check_links(written: Iterable[WrittenLinks], index: OutputIndex, base_url: str, problems: Problems) -> None:
    base = urlsplit(base_url)
    for path, page_url, links in written:
        for link, line in links:
            if link.startswith("/") and not link.startswith("//"):  # the usual case, without urlsplit's cost
                address, _, fragment = link[1:].partition("#")
                url_path, fragment = base.path + address.partition("?")[0], fragment
            else:
                url = urlsplit(urljoin(page_url, link))
                if url.scheme not in ("http", "https") or url.netloc != base.netloc:
                    continue
                url_path, fragment = url.path, url.fragment
            if not url_path.startswith(base.path):
                problems.warning(Path(path), line, f'the link "{link}" leads outside the site',
                                 "link to a page of this site from its root, e.g. /claims/<slug>/")
                continue
            target = index.target(unquote(url_path[len(base.path):]))
            if target is None:
                problems.warning(Path(path), line, f'the link "{link}" leads to a page that does not exist',
                                 _hint_for(url_path[len(base.path):], index))
                continue
            index.reached.add(target)
            if fragment and fragment not in index.ids_on(target):
                problems.warning(Path(path), line, f'the link "{link}" names an anchor "#{fragment}" '
                                 "that is not on that page",
                                 "check the spelling of the part after #, or remove it")


def _line_of(link: str, body: str, body_line: int) -> int:
    position = body.find(link)
    return body_line + body.count("\n", 0, position) if position >= 0 else body_line


def _hint_for(path: str, index: OutputIndex) -> str:
    pages = ["/" + p[: -len("index.html")] for p in index.ids if p.endswith("index.html")]
    close = difflib.get_close_matches("/" + path, pages, n=1, cutoff=0.8)
    if close:
        return f'did you mean "{close[0]}"?'
    if path.startswith("claims/"):
        return "link to a claim as /claims/<file name without .md>/, e.g. /claims/eram-missile-delivery/"
    return "check the address; pages are linked as /<file name without .md>/"
