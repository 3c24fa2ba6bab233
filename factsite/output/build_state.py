"""The build state: what the last build wrote into the output folder, and with which settings.

The cache store (cache.py) keeps it between builds as plain values (``to_plain``), a dict of
named fields that marshal saves and loads quickly. What is read back is untrusted
(readback.py): ``from_plain`` takes a state only if it holds exactly these fields, each of
the type and shape a build writes, and every path in it stays inside the output folder;
otherwise there is no state, and the build writes everything afresh.

Each field declares, beside its type, the check its saved value must pass, so the fields
and their checks cannot drift apart. The checks run a column at a time (map and set run
in C): some 15 ms at 10,000 claims, against 40 ms one value at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from itertools import chain
from operator import itemgetter

from ..readback import all_safe_relative
from ..render.jobs import JobResult


def _only(values, *types) -> bool:
    """Whether every one of ``values`` is of exactly one of ``types`` (bool is not int here)."""
    return set(map(type, values)) <= set(types)


def _rows(rows: list, width: int) -> bool:
    """Whether ``rows`` are all tuples of ``width`` values."""
    return _only(rows, tuple) and set(map(len, rows)) <= {width}


def _column(rows: list, index: int) -> list:
    return list(map(itemgetter(index), rows))


def _is_text(value) -> bool:
    return type(value) is str


def _are_settings(value) -> bool:
    """(base URL, cards, search, drafts), compared whole with this build's."""
    return type(value) is tuple and _only(value, str, bool, type(None))


def _are_digests(value) -> bool:
    """One digest for each part of the search index, or None when there was no index."""
    return value is None or (type(value) is list and _only(value, str))


def _are_jobs(jobs) -> bool:
    """job -> (fingerprint, (files, links)), every file a safe path inside the output folder,
    every link a WrittenLinks: (content file, page URL, [(link, line)])."""
    if type(jobs) is not dict or not (_rows(list(jobs), 2) and _only(chain.from_iterable(jobs), str)):
        return False
    values = list(jobs.values())
    if not (_rows(values, 2) and _only(_column(values, 0), str)):
        return False
    outputs = _column(values, 1)
    if not _rows(outputs, 2):
        return False
    files, links = _column(outputs, 0), _column(outputs, 1)
    if not (_only(files, list) and _only(links, list) and all_safe_relative(list(chain.from_iterable(files)))):
        return False
    links = list(chain.from_iterable(links))
    if not (_rows(links, 3) and _only(_column(links, 0), str) and _only(_column(links, 1), str)):
        return False
    lists = _column(links, 2)
    if not _only(lists, list):
        return False
    pairs = list(chain.from_iterable(lists))
    return _rows(pairs, 2) and _only(_column(pairs, 0), str) and _only(_column(pairs, 1), int)


def _checked(check, **kwargs):
    """A field whose saved value must pass ``check`` to be loaded."""
    return field(metadata={"check": check}, **kwargs)


@dataclass(frozen=True)
class BuildState:
    """What the last build wrote into ``out_dir``, and with which settings."""

    out_dir: str = _checked(_is_text)
    settings: tuple = _checked(_are_settings)  # (base URL, cards, search, drafts)
    jobs: dict = _checked(_are_jobs)  # job -> (fingerprint, JobResult)
    search_digests: list[str] | None = _checked(_are_digests)  # one for each part of the search index

    def to_plain(self) -> dict:
        """The fields by name, as plain values (a job's result as (files, links))."""
        plain = {name: getattr(self, name) for name in FIELDS}
        plain["jobs"] = {job: (fingerprint, (list(result.files), [tuple(item) for item in result.links]))
                         for job, (fingerprint, result) in self.jobs.items()}
        return plain

    @classmethod
    def from_plain(cls, plain) -> BuildState | None:
        """The state ``to_plain`` gave, read back from anywhere: None unless it has exactly
        these fields and each passes its check."""
        if not (type(plain) is dict and plain.keys() == FIELDS.keys()
                and all(check(plain[name]) for name, check in FIELDS.items())):
            return None
        # The ids on each page are not kept: the link check reads them from the page if it needs them.
        jobs = {job: (fingerprint, JobResult(dict.fromkeys(files), links))
                for job, (fingerprint, (files, links)) in plain["jobs"].items()}
        return cls(**dict(plain, jobs=jobs))


FIELDS = {item.name: item.metadata["check"] for item in fields(BuildState)}  # name -> check
