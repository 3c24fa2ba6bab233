"""Editorial warnings over the assembled site: things that are allowed but
usually a mistake. `factsite check --strict` treats them as errors.

(The verdict guard, which compares the site with what readers saw, is guard.py.)"""

from __future__ import annotations

import functools
import operator
import os
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from ..errors import Problems
from ..model.site import Claim, Site
from ..read.schema import PLACEHOLDER


def check_editorial(site: Site, problems: Problems) -> None:
    """The warnings about the whole site; each claim's own are made with it (read/claims.check_claim)."""
    check_repeated_claims(site.claims, problems)
    cited_anywhere = {source.id for source in site.sources if source.claims}
    cited_anywhere |= {claim.appeared_in.id for claim in site.claims if claim.appeared_in}
    for source in site.sources:
        if source.id not in cited_anywhere:
            problems.warning(source.path, None, f'the source "{source.id}" is not cited by any claim',
                             "cite it in a claim's sources, or delete the file")
        # A web page read without an archived copy is dated instead, so readers know which
        # version the fact-check relied on.
        if source.archived_text is None and not source.archive_url and not (source.url and source.accessed):
            problems.warning(
                source.path, None, "there is no archived copy of this source, nor the date it was read",
                f"add archive_url: (e.g. a Wayback Machine address), save the text as {source.id}.txt beside it, "
                "or give its url: and the date you read it, accessed: YYYY-MM-DD",
            )


def check_repeated_claims(claims: list[Claim], problems: Problems) -> None:
    """A second file for a claim already checked: the same words from the same source. Warned
    on the later file by path, so the warning stays put whichever is edited. Only the claims
    of this build are compared (drafts where they are shown, as their other warnings are); a
    translation is an edition's copy of its claim, not a claim of the site, so it is never one."""
    # Worded alike is rare: the words are counted at C speed (claim_words is cached), and only
    # the claims that share theirs are gone through, as this runs on every save of a preview.
    words = list(map(claim_words, map(_claim_text, claims)))
    counts = Counter(words)
    by_words: dict[str, list[Claim]] = defaultdict(list)
    for worded, claim in zip(words, claims):
        if counts[worded] > 1 and PLACEHOLDER not in claim.claim:  # `factsite new` gives every draft the same
            by_words[worded].append(claim)
    for same_words in by_words.values():
        for later, earlier, same in repeats(sorted(same_words, key=lambda c: str(c.path))):
            other = _told_apart(earlier.path, later.path)
            problems.warning(
                later.path, later.lines.get("claim"),
                f"this claim, {same}, is already checked in {other}",
                f"if it is the same claim, keep one fact-check of it: update {other} instead; "
                "if not, write in claim: what makes this one different",
            )


def _told_apart(path: Path, beside: Path) -> str:
    """``path`` as far down as it differs from ``beside``: its name, or its folder and name in another folder."""
    return os.path.relpath(path, os.path.commonpath([path.parent, beside.parent]))


@functools.lru_cache(maxsize=1 << 16)  # asked of every claim on every update of a preview: once per wording
def claim_words(text: str) -> str:
    """A claim's words, with case, spacing and punctuation (quotation marks too) left out."""
    text = _MINUS.sub("minus ", unicodedata.normalize("NFKC", text))  # -2% is not 2%
    # Punctuation read as a space, not left out: 10.5% is not 105%.
    kept = "".join(" " if unicodedata.category(c).startswith("P") else c for c in text)
    return " ".join(kept.casefold().split())


_claim_text = operator.attrgetter("claim")
_MINUS = re.compile(r"(?<!\w)[-\u2212](?=\d)")


def repeats(same_words: list[Claim]):
    """(claim, an earlier one, and how it is the same: "from the same source" or "by the same
    claimant") for each claim of ``same_words`` (in order) that has one. The same words in two
    different sources are two appearances, each worth its own fact-check (a claim repeated later,
    or by someone else); where one of the two does not say where it appeared, the claimant is
    the best sign of the same appearance."""
    first_in: dict[str, Claim] = {}  # the first claim from each source
    first_by: dict[str, Claim] = {}  # from each claimant
    first_by_unplaced: dict[str, Claim] = {}  # from each claimant, of those with no appeared_in
    for claim in same_words:
        who = claim.claimant.slug
        if claim.appeared_in is not None:
            earlier = first_in.get(claim.appeared_in.id)
            same = "from the same source"
            if earlier is None:
                earlier, same = first_by_unplaced.get(who), "by the same claimant"
            first_in.setdefault(claim.appeared_in.id, claim)
        else:
            earlier, same = first_by.get(who), "by the same claimant"
            first_by_unplaced.setdefault(who, claim)
        first_by.setdefault(who, claim)
        if earlier is not None:
            yield claim, earlier, same
