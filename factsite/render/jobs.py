"""Running render jobs, on every core once there are enough of them.

The site is rendered as jobs: each claim, each page of a list (of claims, of a source's
claims, of the corrections), each file made from every claim (the feeds, the sitemap), and
one for everything else. A job is named by a stable key, its kind and slug or address, so
the next build can tell which jobs changed (pages.py says what each kind shows). This module
only runs them: it asks the renderer for a job's files and hands them to a writer, which
the output stage gives (so rendering never depends on where the files go).
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from ..checks.links import WrittenLinks

if TYPE_CHECKING:
    from .renderer import Renderer

Output = tuple[str, bytes]
Writer = Callable[[Iterable[Output]], object]  # picklable: the forked workers write too
Job = tuple[str, str]  # ("claim", slug), ("listing"|"source"|"corrections"|"shared", address) or ("file", path)


class JobResult(NamedTuple):
    """What a job wrote: each file with the ids on it (None: not searched for; the link check
    reads the page if a link names an anchor on it), and the links its Markdown holds.

    Plain tuples, lists and dicts underneath, so the build cache stores them quickly."""

    files: dict[str, list[str] | None]
    links: list[WrittenLinks]


# Jobs run on several processes once there are enough of them to pay for starting
# the processes. The workers are forked: they inherit the site model and the
# compiled templates, and write their files themselves.
PARALLEL_FROM = 300
CHUNK = 40
WHOLE_SITE = ("shared", "file")  # the kinds of job that read every claim or much of the site: the indexes, the feeds
# Jobs whose rendering keeps what it works out for the next update (each review's JSON: site_files.claims_json),
# which only the process that renders them keeps: rendered in the caller's, beside the workers (one process
# more than asked, for that while), so that the preview's first edit after its first build does not make
# 20,000 reviews again.
IN_CALLER = (("file", "claims.json"),)
MOST_USED_TEMPLATES = ("claim.html", "index.html", "verdict.html", "topic.html", "claimant.html", "source.html")
_WORKER_RENDERER: Renderer | None = None


def render_jobs(renderer: Renderer, write: Writer | None, work: list[Job], jobs: int = 1,
                progress: Callable[[int, int], None] | None = None) -> dict[Job, JobResult]:
    """Render ``work`` on ``jobs`` processes, handing each job's files to ``write`` (None:
    render only, as `factsite check` and the preview do).

    Returns, for each job, its files (with the ids on each when rendering only), and the
    links it wrote. ``progress(done, total)`` is told how many jobs are done as they finish.
    """
    progress = progress or (lambda done, total: None)
    results: dict[Job, JobResult] = {}
    if jobs <= 1 or len(work) < PARALLEL_FROM or "fork" not in mp.get_all_start_methods():
        for job, result in run_jobs(renderer, write, work):
            results[job] = result
            progress(len(results), len(work))
        return results
    global _WORKER_RENDERER
    renderer.compile_most_used()  # once here, inherited by every worker
    _WORKER_RENDERER = renderer
    own = [job for job in work if job in IN_CALLER]
    try:
        with mp.get_context("fork").Pool(jobs) as pool:
            chunks = pool.imap_unordered(_run_jobs, chunks_of(write, [job for job in work if job not in IN_CALLER]))
            results.update(run_jobs(renderer, write, own))  # (the workers start on theirs meanwhile)
            progress(len(results), len(work))
            for chunk in chunks:
                results.update(chunk)
                progress(len(results), len(work))
    finally:
        _WORKER_RENDERER = None
    return results


def chunks_of(write: Writer | None, work: list[Job]) -> list[tuple[Writer | None, list[Job]]]:
    """The workers' tasks: each whole-site job first, on its own (some take a second or more at
    10,000 claims), so that they run beside the rest rather than last; the rest in chunks."""
    first = [job for job in work if _kind(job) in WHOLE_SITE]
    rest = [job for job in work if _kind(job) not in WHOLE_SITE]
    return [(write, [job]) for job in first] + [(write, rest[i:i + CHUNK]) for i in range(0, len(rest), CHUNK)]


def _kind(job: Job) -> str:
    return job[0].rpartition(":")[2]  # an edition's own jobs are named "uk:shared", say (Renderer.job_name)


def run_jobs(renderer: Renderer, write: Writer | None, work: list[Job]) -> Iterator[tuple[Job, JobResult]]:
    for job in work:
        # Pages written to disk are read again for their ids only if a link names one of
        # them, which is rare: finding every page's ids took a tenth of the time of a claim's.
        files, result = renderer.render_job(job, with_ids=write is None)
        if write is not None:
            write(files.items())
        yield job, result


def _run_jobs(task: tuple[Writer | None, list[Job]]) -> dict[Job, JobResult]:
    write, jobs = task
    return dict(run_jobs(_WORKER_RENDERER, write, jobs))
