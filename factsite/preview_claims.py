"""The preview's quick rebuild, when only claims were edited, and not where they are listed.

Each edited claim is read again alone and takes the old one's place in the last site model
(assemble.replace_claim); serve.py then renders the jobs whose fingerprint changed. When
anything else changed (a verdict or topics, a new file, a template) or a claim has a mistake,
these functions say so (None) and the preview reads the whole site again, which reports the
mistakes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .assemble import placement
from .claimants import plain_name
from .errors import ContentError, Problems
from .read.claim_file import ClaimFile
from .read.claims import ClaimContext, claim_from
from .model import Claim
from .render import Renderer


@dataclass
class LastBuild:
    renderer: Renderer  # with the site model it rendered
    read: list[ContentError]  # the problems found reading the content
    editorial: list[ContentError]  # and the editorial warnings (checks.check_editorial)
    by_path: dict | None = None

    def claims_by_path(self) -> dict[str, Claim]:
        if self.by_path is None:
            self.by_path = {os.path.abspath(claim.path): claim for claim in self.renderer.site.claims}
        return self.by_path


@dataclass
class Reread:
    """The edited claim files, read again, each beside the claim the last site made of it."""

    analyses: list[tuple[Claim, ClaimFile]] = field(default_factory=list)  # the same front matter as before
    fields: list[tuple[Claim, ClaimFile]] = field(default_factory=list)  # front matter that changed
    problems: Problems = field(default_factory=Problems)  # found reading the latter


def reread_claims(last: LastBuild, changed: set[Path]) -> Reread | None:
    """Each changed file read again; None unless every one is a claim of the last build that
    reads without a mistake."""
    reread = Reread()
    for path in sorted(changed):
        claim = last.claims_by_path().get(os.path.abspath(path))
        if claim is None:
            return None
        file = ClaimFile.read(claim.path, read := Problems())
        if file is None or read.errors:
            return None
        if file.digest == claim.digest:
            reread.analyses.append((claim, file))  # which gives the same problems as before
        else:
            reread.fields.append((claim, file))
            reread.problems.items += read.items
    return reread


def new_claims(renderer: Renderer, fields: list[tuple[Claim, ClaimFile]],
               problems: Problems) -> list[tuple[Claim, Claim]] | None:
    """The claim made from each file in ``fields``, beside the claim it replaces; None when one
    has a mistake (in ``problems``) or would be listed elsewhere than before (assemble.placement)."""
    if not fields:
        return []
    site = renderer.site
    context = ClaimContext(site.config, {source.id: source for source in site.sources},
                           set(renderer.claims_by_slug), {claimant.slug: claimant for claimant in site.claimants})
    replacements = []
    for claim, file in fields:
        new = claim_from(file, claim.slug, context, problems) if same_claimant(claim, file) else None
        if new is None or problems.errors or placement(new) != placement(claim):
            return None
        replacements.append((claim, new))
    return replacements


def same_claimant(claim: Claim, file: ClaimFile) -> bool:
    """Whether ``file`` names its claim's claimant as the site does: the name and type the
    claimant's page shows may come from this very file (claimants.claimant_for)."""
    claimant, kind = claim.claimant, file.values["claimant_type"]
    return (plain_name(file.values["claimant"]) == claimant.name and kind in (None, claimant.type)
            and not (kind is None and claimant.type_given_in == claim.path))
