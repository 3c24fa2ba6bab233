"""Every edition's renderer as one, which is what a sink and the job runner are given: the jobs
of all of them (each edition's named with its language, as renderer.py names them), each run
by its own edition's renderer. A site in one language has one edition, and this changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from . import jobs as job_runner
from .jobs import Job, JobResult, Output, Writer
from .renderer import Renderer


class Editions:
    def __init__(self, renderers: list[Renderer]):
        self.renderers = renderers
        self.site = renderers[0].site  # the default language's, which the sinks' settings come from
        for renderer in renderers:
            renderer.editions = renderers
        self.by_kind = {name: renderer for renderer in renderers for name in renderer.kinds}
        first = 1
        for renderer in renderers:
            renderer.number_search_parts(first)
            first += len(renderer.search_shards)

    def search_shards(self) -> list[list[str]]:
        """Every part of the search index, each edition's in turn (renderer.py)."""
        return [shard for renderer in self.renderers for shard in renderer.search_shards]

    def compile_most_used(self) -> None:
        for renderer in self.renderers:
            renderer.compile_most_used()

    def claim_prints(self, prints: dict[Job, str]) -> dict[str, str]:
        """Each claim page's fingerprint, by its address in the site (the search index's parts digest them)."""
        return {edition.prefix + claim.url: prints[(edition.job_prefix + "claim", claim.slug)]
                for edition in self.renderers for claim in edition.site.claims}

    def jobs(self) -> list[Job]:
        return [job for renderer in self.renderers for job in renderer.jobs()]

    def fingerprints(self) -> dict[Job, str]:
        prints: dict[Job, str] = {}
        for renderer in self.renderers:
            prints.update(renderer.fingerprints())
        return prints

    def run_job(self, job: Job) -> Iterator[Output]:
        return self.by_kind[job[0]].run_job(job)

    def render_job(self, job: Job, with_ids: bool = True) -> tuple[dict[str, bytes], JobResult]:
        return self.by_kind[job[0]].render_job(job, with_ids)

    def render_jobs(self, write: Writer | None = None, work: list[Job] | None = None, jobs: int = 1,
                    progress: Callable[[int, int], None] | None = None) -> dict[Job, JobResult]:
        return job_runner.render_jobs(self, write, self.jobs() if work is None else work, jobs, progress)

    def release(self) -> None:
        for renderer in self.renderers:
            renderer.release()

    def unlink(self) -> None:
        """Undo the renderers' links to each other too, so that they are freed by reference counting (engine.Update.discard)."""
        for renderer in self.renderers:
            renderer.unlink()
            renderer.editions = []
        self.by_kind = {}
