"""An update of a site in place: only the jobs whose fingerprint changed since the last build
are rendered, and their files written into the site through a journal (output/write.update_site),
or held for the caller to write (output/held.py, the preview's); the files no job writes any
more are removed."""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable
from pathlib import Path

from ..output.build_state import BuildState
from ..output.held import HeldUpdate
from ..output.write import update_site
from ..places import keys_gone
from ..render.jobs import Job, JobResult, Writer
from ..render.renderer import Renderer


# Jobs rendered: up to this many, a file that holds the bytes the site has already is neither
# written nor moved in (a title edit writes half its files as they were: the claim's badge,
# the other edition's pages), and the preview holds the files in memory; beyond (a template
# edited), reading every old file would cost more than it spares, and the files are written as they come.
COMPARED_AT_MOST = 300


def write_changed(renderer: Renderer, out_dir: Path, state: BuildState, prints: dict,
                  cores: int, progress=None, before_change=None, held: HeldUpdate | None = None
                  ) -> tuple[dict, set, list]:
    """Render only the jobs whose fingerprint differs from ``state``'s, into the site in place,
    or, if they are few, into ``held``, for the caller to write (on one process then).

    Returns every job's result (the unchanged ones from ``state``), the jobs rendered, and the
    jobs of ``state`` there are no more.
    """
    old = state.jobs
    # (At C speed: a preview of 10,000 claims in two languages compares 40,000 jobs on every save.)
    last = list(map(old.get, prints, itertools.repeat(NEW_JOB)))
    changed = list(itertools.compress(prints, map(operator.ne, map(_fingerprint_of, last), prints.values())))
    results = dict(zip(prints, map(_result_of, last)))
    for job in changed:
        del results[job]
    # The files that may be gone: a changed job's (it may no longer write one) and those of a job
    # there is no more (a deleted claim's). Most are written again; only what is left is looked
    # for among every other job's files, which a rebuild after a title edit never needs.
    gone = keys_gone(old, prints, changed)
    candidates = [path for job in changed + gone if job in old for path in old[job][1].files]

    def stale(written: set[str]) -> list[str]:
        """Files of the last build that no job writes any more (a deleted claim's, say)."""
        left = [path for path in candidates if path not in written]
        if not left:
            return []
        kept = {path for result in results.values() for path in result.files}
        return [path for path in dict.fromkeys(left) if path not in kept]

    def written_and_stale(new: dict) -> tuple[set[str], list[str]]:
        written = {path for result in new.values() for path in result.files}
        return written, stale(written)

    compare = len(changed) <= COMPARED_AT_MOST
    if held is not None and compare:  # (a new template's every page is written as it comes, not held)
        new = renderer.render_jobs(held.write, changed, 1, progress)
        held.removed = written_and_stale(new)[1]
        results.update(new)
    elif changed or stale(set()):
        results.update(update_site(out_dir, rendering_into(renderer, changed, cores, progress),
                                   written_and_stale, before_change, compare=compare))
    return results, set(changed), gone


NEW_JOB = (None, None)  # the fingerprint and result of a job the last build did not have
_fingerprint_of, _result_of = operator.itemgetter(0), operator.itemgetter(1)  # a job's, in a BuildState


def rendering_into(renderer: Renderer, work: list[Job] | None, cores: int,
                   progress: Callable[[int, int], None]) -> Callable[[Writer], dict[Job, JobResult]]:
    """What renders ``work`` (None: every job) through the writer it is given: into the whole
    site's staging folder, or an update's (output/write.py)."""
    return lambda write: renderer.render_jobs(write, work, cores, progress)
