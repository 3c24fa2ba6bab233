"""A shortcut for the commonest rebuild: analyses edited, and nothing else.

Most rebuilds follow an edit to the analysis of a claim or two. When the only
files changed since the last build are claims, and what lists, feeds and other
pages show of each (its front matter) is as the last build recorded it, only
those claims' own pages can differ. The build then reads just those claims, the
claims they name as related and the sources they cite, instead of every file,
and takes everything else (every other job's fingerprint and files, the
content's warnings) from the last build's state.

The shortcut checks its own premise, and the full build runs whenever it fails:
the same content files, all but the edited claims unchanged; the same templates,
static files, settings and build date; and every claim it read showing exactly
what the last build recorded of it.

It rests on what a claim's page shows, which the fingerprints rest on too
(render.Renderer.fingerprints): the claim's own file, the sources it cites, the
claims it names as related, and the site's settings and pages. A claim template
that showed more, such as the number of all claims, would go stale on either path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .assemble import assemble_site
from .cache import BuildState
from .config import load_config
from .digest import digest_of
from .errors import Problems
from .read.content import load_some_claims
from .model import Site
from .render import Renderer, shown_digests

if TYPE_CHECKING:
    from .build import Project

MOST_EDITED = 20  # more changed claims than this (after a git pull, say): the full build, which reads on every core


@dataclass
class EditedAnalyses:
    site: Site  # the edited claims, the claims they name as related, the sources these cite, the pages
    renderer: Renderer
    prints: dict  # every job's fingerprint: the last build's, and the edited claims' own
    shown: dict  # what pages show of each claim, all unchanged
    warnings: Problems  # the last build's warnings about the content, all still true


def edited_claims(before: dict, now: dict) -> list[str] | None:
    """The claim files changed since the last build (paths relative to the content folder),
    if nothing else changed and no file came or went; None otherwise."""
    if before.keys() != now.keys():
        return None
    changed = [name for name, signature in now.items() if signature is None or signature != before[name]]
    if len(changed) > MOST_EDITED or not all(is_claim_file(name) for name in changed):
        return None
    return changed


def is_claim_file(name: str) -> bool:
    """Is this (a path relative to the content folder, of a file that is not hidden) a claim's file?"""
    return name.startswith("claims/") and name.endswith(".md")


def stem(name: str) -> str:
    return name[name.rfind("/") + 1:-len(".md")]


def read_edited_analyses(project: Project, state: BuildState, inputs: dict, base_url: str | None, cards: bool,
                         search: bool, drafts: bool, build_date, renderer_for) -> EditedAnalyses | None:
    """The part of the site an analyses-only rebuild renders, or None if the premise fails.

    ``inputs`` are the content files' signatures now (read.filecache.content_signatures);
    ``renderer_for(site)`` makes the renderer as the full build would.
    """
    edited = edited_claims(state.inputs, inputs)
    if edited is None:
        return None
    content_dir = project.content_dir
    problems = Problems()  # the last build reported everything but what the edited analyses hold
    project.check_theme(problems)
    config = load_config(content_dir, problems, base_url)
    if problems.errors or (config.base_url, cards, search, drafts) != state.settings:
        return None
    claim_files = {stem(name): name for name in inputs if is_claim_file(name)}
    edited_slugs = {stem(name) for name in edited}
    content = load_some_claims(config, content_dir, edited_slugs, claim_files, problems, drafts)
    if problems.errors:
        return None  # an analysis with a mistake: the full build reports it, in its place among the others
    site = assemble_site(config, content)
    shown = shown_digests(site)
    if any(state.shown.get(slug) != digest for slug, digest in shown.items()) or not edited_slugs <= shown.keys():
        return None  # a field changed (the usual edit after an analysis), before anything is rendered
    renderer = renderer_for(site)
    prints = renderer.fingerprints()
    if digest_of(renderer.layout, str(build_date)) != state.layout:
        return None
    every = {job: fingerprint for job, (fingerprint, _) in state.jobs.items()}
    every.update({("claim", slug): prints[("claim", slug)] for slug in sorted(edited_slugs)})
    # Warnings come from front matter, which did not change; the links of the analyses
    # are checked after rendering, as in every build.
    warnings = Problems()
    for path, line, message, hint in state.warnings:
        warnings.warning(content_dir / path, line, message, hint)  # as the build names them
    return EditedAnalyses(site, renderer, every, state.shown, warnings)
