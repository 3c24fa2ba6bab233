"""`factsite new`: a new claim file with every field present and explained."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from ..runtime import source_date
from ..read.claim_file import ClaimFile
from ..read.config import load_config
from ..errors import Problems, did_you_mean
from ..read.fields import slug_problem
from ..read.listing import content_files
from ..read.schema import CLAIM_FIELDS, PLACEHOLDER
from ..model.site import SiteConfig
from ..read.slugs import claimant_slug, slugify

TEMPLATE = """\
---
# The fact-check's headline, a few words. Shown on its page and in lists.
title: {title}
# The claim as it was made, in one sentence (under 75 characters if you can).
claim: "{todo}: the claim, as it was made"
# "verbatim" if the claim is the claimant's exact words: it is then shown in quotation marks
# and checked against the text copy of the source it appeared in. "paraphrase" if it is put
# in your words: it is shown without quotation marks and labelled as a paraphrase.
claim_wording: paraphrase
# Who made the claim, and whether that is a person or an organization. Spell the name as
# other claims do: one claimant, one spelling.
claimant: {claimant}
claimant_type: {claimant_type}
# The address of the claimant's page, made from the name unless given here: only for
# someone else of the same name, e.g. claimant_id: john-smith-2
claimant_id:
# When the claim was made (YYYY-MM-DD). Leave empty if the source does not say.
claim_date:
# Where the claim appeared: a source id (a file name in content/sources/ without .yml).
appeared_in: {source}
# The verdict, one of: {verdicts}.
verdict: "{verdict}"
# The short answer: one or two sentences a reader can trust on their own.
summary: "{todo}: the short answer"
# Topics, from content/site.yml: {topics}.
topics: []
# The evidence. For each source: its id; the exact words quoted from it (quote:), or what
# it shows in your own words (note:), or both; and whether it supports the claim,
# contradicts it, or gives context (supports / contradicts / context). A source with no
# text copy, such as an official web page or a data table, is cited with a note.
sources:{sources}
# Who wrote and who edited this fact-check: people's file names in content/people/
# without .yml, e.g. author: [jane-doe]. Shown as the byline.
author: []
editor: []
# Whom you asked about the claim before publishing, when, and what they answered (leave
# response out if they had not answered by publication), for example:
#   - who: The mayor's office
#     date: {today}
#     response: They said the figure included grants.
contacted: []
# When this fact-check was first published, and last changed in substance (YYYY-MM-DD).
published: {today}
updated:
# Corrections made after publication, oldest first, for example:
#   - date: {today}
#     note: An earlier version gave the wrong number of missiles.
corrections: []
# Other fact-checks to show as related: their file names without .md.
related: []
# If this file is ever renamed, its old names (without .md), so that the old addresses
# lead here, e.g. aliases: [eram-missiles]. A published fact-check's address must keep working.
aliases: []
# true keeps this claim off the published site. Change it to false to publish.
draft: true
---
{todo}: the analysis. Say what was claimed, what each source says, and how the verdict
follows from it. End with what evidence would settle the claim if it is unproven.
"""

SOURCE_ENTRY = """
  - source: {source}
    quote:
    note:
    stance: supports"""


class ScaffoldError(Exception):
    """The new claim cannot be created; the message says why and what to do."""


def new_claim(content_dir: Path, title: str, claimant: str | None = None, verdict: str | None = None,
              source: str | None = None, claimant_type: str | None = None,
              note: Callable[[str], None] = lambda text: None) -> Path:
    """Create content/claims/<slug>.md for ``title``; returns its path. ``note`` is told what
    the editor should know of a value chosen for them (a claimant's type guessed from the name)."""
    _check_lengths(title, claimant)
    claims_dir = content_dir / "claims"
    slug = _new_slug(title, claims_dir)
    config = _site_settings(content_dir)
    verdict_slugs = [v.slug for v in config.verdicts]
    verdict = _chosen_verdict(config, verdict)
    _check_source(content_dir, source)
    text = TEMPLATE.format(
        title=yaml_text(title), claimant=yaml_text(claimant or f"{PLACEHOLDER}: who made the claim"),
        source=source or "", verdict=verdict, verdicts=", ".join(f'"{slug}"' for slug in verdict_slugs),
        topics=", ".join(sorted(t.slug for t in config.topics)) or "none defined yet",
        sources=SOURCE_ENTRY.format(source=source) if source else " []",
        today=(source_date() or dt.date.today()).isoformat(), todo=PLACEHOLDER,
        claimant_type=_claimant_type(claims_dir, claimant, claimant_type, note),
    )
    claims_dir.mkdir(parents=True, exist_ok=True)
    path = claims_dir / f"{slug}.md"
    with path.open("x", encoding="utf-8") as file:  # "x": never overwrite
        file.write(text)
    return path


def _claimant_type(claims_dir: Path, claimant: str | None, given: str | None, note: Callable[[str], None]) -> str:
    """The type given, or the one other claims give this claimant (the check refuses a claimant
    with two), else a guess from the name: "organization" for a ministry, a party, a newspaper."""
    known = _type_in_other_claims(claims_dir, claimant) if claimant else None
    if known and given and known[0] != given:
        raise ScaffoldError(f'"{claimant}" is "{known[0]}" in {known[1].name}, and a claimant has one type: '
                            f"leave out --claimant-type, or change claimant_type in {known[1].name} too")
    if given or known:
        return given or known[0]
    if claimant and looks_like_an_organization(claimant):
        note(f'claimant_type: organization, as "{claimant}" looks like the name of one; if not, '
             "write claimant_type: person in the file (or use --claimant-type person)")
        return "organization"
    return "person"


def _type_in_other_claims(claims_dir: Path, claimant: str) -> tuple[str, Path] | None:
    """The type another claim gives this claimant, and that claim's file."""
    address = claimant_slug(claimant)
    for path in content_files(claims_dir, "*.md", Problems(), recursive=True):
        if claimant not in path.read_text("utf-8", errors="replace"):
            continue  # most files, without reading them as a claim
        file = ClaimFile.read(path, Problems())
        values = file.values if file is not None else {}
        if values.get("claimant") and claimant_slug(values["claimant"]) == address and values["claimant_type"]:
            return values["claimant_type"], path
    return None


# Words that make a claimant's name an organization's: institutions, parties, the press, and
# "report" (a report with no author named is cited as its publisher's).
ORGANIZATION_WORDS = frozenset("""
    ministry government office council party agency committee commission department parliament
    embassy press news times post reuters journal herald tribune gazette daily institute university
    bank fund union alliance association foundation federation company group army police report
    organization organisation authority corporation court service centre center treasury
    міністерство уряд офіс рада партія агентство комітет служба
""".split())


def looks_like_an_organization(name: str) -> bool:
    """A word of ``name`` is one of ORGANIZATION_WORDS, or the name is short and has an acronym:
    NATO, the EU. A longer one is most often a person with a title (US President
    Donald Trump), and a name all in capitals (JOHN SMITH) is not an acronym."""
    words = re.findall(r"\w+", name)
    if any(word.casefold() in ORGANIZATION_WORDS for word in words):
        return True
    # Two capitals before a name are most often initials (JD Vance), not an acronym.
    acronyms = [word for at, word in enumerate(words) if len(word) > 1 and word.isupper()
                and not (len(word) == 2 and at + 1 < len(words))]
    shouted = len(words) > 1 and all(word.isupper() for word in words)
    return bool(acronyms) and len(words) <= 2 and not shouted


def _check_lengths(title: str, claimant: str | None) -> None:
    """The title and claimant no longer than the check allows (it would refuse the file)."""
    for name, value in (("title", title), ("claimant", claimant or "")):
        limit = CLAIM_FIELDS[name].max_length
        if len(value) > limit:
            raise ScaffoldError(f"the {name} is {len(value):,} characters long; it may have at most {limit:,}")


def _new_slug(title: str, claims_dir: Path) -> str:
    """The file name for ``title``, which no claim file has yet."""
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(f'"{title}" has no letters or digits to make a file name from')
    problem = slug_problem(slug)
    if problem:  # a Windows device name, or too long: the name the check would suggest
        slug = problem[1]
    # The claim files as the build lists them (none hidden, none too deep), whatever is in the folder.
    existing = [path for path in content_files(claims_dir, "*.md", Problems(), recursive=True) if path.stem == slug]
    if existing:
        raise ScaffoldError(f"{existing[0]} already exists; choose another title or edit that file")
    return slug


def _site_settings(content_dir: Path) -> SiteConfig:
    problems = Problems()
    config = load_config(content_dir, problems)
    if config is None or problems.errors:
        raise ScaffoldError("content/site.yml has mistakes; run `factsite check` to see them")
    return config


def _chosen_verdict(config: SiteConfig, verdict: str | None) -> str:
    """``verdict`` if the site has it; when none is given, the off-scale one (e.g. unproven), else the last."""
    verdict_slugs = [v.slug for v in config.verdicts]
    off_scale = [v.slug for v in config.verdicts if v.rating is None]
    verdict = verdict or (off_scale[0] if off_scale else verdict_slugs[-1])
    if verdict not in verdict_slugs:
        raise ScaffoldError(f'unknown verdict "{verdict}": {did_you_mean(verdict, verdict_slugs)}')
    return verdict


def _check_source(content_dir: Path, source: str | None) -> None:
    source_ids = sorted(p.stem for p in (content_dir / "sources").glob("*.yml"))
    if source and source not in source_ids:
        raise ScaffoldError(f'unknown source "{source}": {did_you_mean(source, source_ids)}')


def yaml_text(text: str) -> str:
    """``text`` as a double-quoted YAML string, safe whatever it contains."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
