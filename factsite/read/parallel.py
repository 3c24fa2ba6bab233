"""Reading many content files: from the file cache when they have not changed, else on a pool
of processes when there are enough of them to be worth starting one."""

from __future__ import annotations

import itertools
import multiprocessing as mp
import operator
from pathlib import Path

from ..errors import Problems
from .filecache import DocumentCache


def read_many(paths: list[Path], kind, problems: Problems, jobs: int = 1,
              cache: DocumentCache | None = None) -> list:
    """``kind.read(path, problems)`` for every path, on ``jobs`` processes when there are many.

    Files unchanged since ``cache`` saw them are not read again. A file with an
    error is not cached, so it is read again (and its errors reported) every time.
    """
    cache = cache or DocumentCache()
    found = cache.get_many(kind, paths, problems)  # by position: hashing paths is slow
    missing_at = list(itertools.compress(range(len(found)), map(operator.is_, found, itertools.repeat(None))))
    missing = [paths[index] for index in missing_at]
    signatures = [DocumentCache.settled_signature(path) for path in missing]
    tasks = [(kind, path) for path in missing]
    if jobs <= 1 or len(missing) < PARALLEL_FROM or "fork" not in mp.get_all_start_methods():
        results = [_read_one(task) for task in tasks]
        plains = [None] * len(tasks)
    else:
        # Workers send back the plain values the cache keeps (a claim's analysis among
        # them), which cross between processes faster than objects.
        with mp.get_context("fork").Pool(jobs) as pool:
            sent = pool.map(_read_one_plain, tasks, chunksize=100)
        results = [(None if value is None else kind.from_plain(path, value), items)
                   for path, (value, items) in zip(missing, sent, strict=True)]
        plains = [value for value, _ in sent]
    for index, path, signature, (result, items), plain in zip(missing_at, missing, signatures, results, plains,
                                                               strict=True):
        problems.items.extend(items)
        found[index] = result
        if result is not None and not any(item.severity == "error" for item in items):
            cache.put(kind, path, signature, result, items, plain)
    cache.remember_many(kind, found)
    return found


PARALLEL_FROM = 300  # files; fewer are read faster than processes start


def _read_one(task) -> tuple:
    kind, path = task
    problems = Problems()
    return kind.read(path, problems), problems.items


def _read_one_plain(task) -> tuple:
    result, items = _read_one(task)
    return (None if result is None else result.to_plain()), items
