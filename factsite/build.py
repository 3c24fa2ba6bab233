"""The build pipeline: config -> load and validate -> site model -> render -> write.

Reading and checking come first and cover everything, so a build with any
mistake in the content stops before a single file is written.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .assemble import assemble_site
from .checks import check_editorial
from .config import load_config
from .errors import ContentError, Problems
from .links import OutputIndex, check_links
from .load import load_content
from .model import Site
from .render import Renderer
from .search import build_search_index
from .write import write_site


@dataclass
class Project:
    """Where a site's content, templates and static files live."""

    content_dir: Path
    templates_dir: Path
    static_dir: Path

    @classmethod
    def at(cls, root: Path, content_dir: Path | None = None) -> "Project":
        return cls(content_dir or root / "content", root / "templates", root / "static")

    def check_theme(self, problems: Problems) -> None:
        for folder in (self.templates_dir, self.static_dir):
            if not folder.is_dir():
                problems.error(folder, None, f"the {folder.name} folder is missing",
                               "run factsite from the folder that holds content/, templates/ and static/")


@dataclass
class BuildResult:
    out_dir: Path
    files_written: int
    warnings: list[ContentError] = field(default_factory=list)
    seconds: float = 0.0


def read_site(project: Project, base_url: str | None = None, drafts: bool = False,
              jobs: int = 1) -> tuple[Site, Problems]:
    """Stages 1 to 3: the checked site model; raises BuildFailed listing every mistake."""
    problems = Problems()
    project.check_theme(problems)
    config = load_config(project.content_dir, problems, base_url)
    problems.raise_if_errors()
    content = load_content(config, project.content_dir, problems, drafts, jobs)
    problems.raise_if_errors()
    site = assemble_site(config, content)
    check_editorial(site, problems)
    return site, problems


def build(project: Project, out_dir: Path, base_url: str | None = None, drafts: bool = False,
          cards: bool = True, search: bool = True) -> BuildResult:
    """Build the site into ``out_dir``; the previous site stays as it was unless this succeeds.

    ``cards=False`` skips the claims' share images, ``search=False`` the search index.
    """
    started = time.perf_counter()
    jobs = available_cores()
    site, problems = read_site(project, base_url, drafts, jobs)
    renderer = Renderer(site, project.templates_dir, project.static_dir, source_date(), cards=cards, search=search)
    index = OutputIndex()
    count = write_site(out_dir, lambda folder: renderer.write_into(folder, index, jobs),
                       before_swap=build_search_index if search else None)
    check_links(renderer.written_links, index, site.config.base_url, problems)
    return BuildResult(out_dir, count, problems.warnings, time.perf_counter() - started)


def check(project: Project, base_url: str | None = None, drafts: bool = False) -> Problems:
    """Everything a build checks, rendering in memory and writing nothing."""
    site, problems = read_site(project, base_url, drafts)
    renderer = Renderer(site, project.templates_dir, project.static_dir, source_date(), cards=False, search=False)
    index = OutputIndex()
    for _ in index.record(renderer.outputs()):
        pass
    check_links(renderer.written_links, index, site.config.base_url, problems)
    return problems


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def source_date() -> dt.date | None:
    """The date set by SOURCE_DATE_EPOCH (reproducible-builds.org), if any."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return None
