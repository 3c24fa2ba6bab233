"""Claimants: one address, one name.

The claims of one claimant share a page, claimants/<address>/, whose address is made
from the name the claims give (slugs.claimant_slug) or set by their `claimant_id`. The
address keeps letters and digits only, so names that differ otherwise ("Emmanuel Macron"
and "Emmanuel Macron (liar)") make the same one; were both accepted, whichever file was
read first would name the claimant on every page, in claims.json and on the share cards.
So every claim must spell an address's claimant the same way (:func:`check_one_name_each`),
or give a claimant who is someone else an address of their own with `claimant_id`.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problems
from ..model.site import Claim, Claimant

if TYPE_CHECKING:
    from .claim_file import ClaimFile


def plain_name(name: str) -> str:
    """The name with what a reader cannot see ironed out: Unicode's composed form, and each
    run of spaces (of any kind, line breaks too) as one space."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def claimant_for(file: ClaimFile, claimants: dict[str, Claimant], type_given_in: dict[str, Path],
                 problems: Problems) -> Claimant:
    """The one Claimant at the claim's claimant address, shared by all their claims; a claim
    that leaves claimant_type out takes it from another claim that gives it. ``type_given_in``:
    by address, the file that gave the claimant's type (for the message should another differ).
    It is the reader's, not the model's: a claimant is the same whichever file names its type."""
    (name, slug), kind = file.claimant_named, file.values["claimant_type"]
    claimant = claimants.get(slug)
    if claimant is None:
        claimant = claimants[slug] = Claimant(slug, name, kind or "person")
    if kind:
        given_in = type_given_in.get(slug)
        if given_in is None:
            claimant.type, type_given_in[slug] = kind, file.path
        elif claimant.type != kind:
            problems.error(file.path, file.line("claimant_type"),
                           f'{name} is "{kind}" here but "{claimant.type}" in {given_in.name}',
                           f"use the same claimant_type for {name} in every claim")
    return claimant


def check_one_name_each(claims: list[tuple[Claim, ClaimFile]], problems: Problems) -> None:
    """Every claim at one claimant address spells the name the same way. A claim that spells
    it otherwise than the rest is an error naming a claim that spells it as the rest do: the
    spelling most claims give, then the one published first. The same claims are reported
    whatever order the files were read in."""
    # Most claims spell the name as their claimant has it, which is quick to see; only the
    # addresses of the others are gone through.
    mixed = {claim.claimant.slug for claim, file in claims if spelling(claim, file) != claim.claimant.name}
    spellings: dict[str, dict[str, list[tuple[Claim, ClaimFile]]]] = {}
    for claim, file in claims:
        if claim.claimant.slug in mixed:
            spellings.setdefault(claim.claimant.slug, {}).setdefault(spelling(claim, file), []).append((claim, file))
    taken = {claim.claimant.slug for claim, _ in claims} if spellings else set()
    for slug, names in spellings.items():
        usual = min(names, key=lambda name: (-len(names[name]), min(c.published for c, _ in names[name]), name))
        example, example_file = min(names[usual], key=lambda pair: str(pair[0].path))
        for name, spelled in names.items():
            if name == usual:
                continue
            for claim, file in spelled:
                problems.error(
                    claim.path, file.line("claimant"),
                    f'the claimant "{name}" would share the page claimants/{slug}/ with "{usual}" '
                    f"({example.path}:{example_file.line('claimant')}), and rename them on every page",
                    f"write claimant: {usual}, as the other file does; or, if this is someone else, give "
                    f"them an address of their own, e.g. claimant_id: {free_address(slug, taken)}")


def spelling(claim: Claim, file: ClaimFile) -> str:
    """The claimant's name as the claim's file spells it, spaces ironed out."""
    return file.claimant_named[0]


def free_address(slug: str, taken: set[str]) -> str:
    """An address like ``slug`` that no claimant has."""
    stem = slug[:60].rstrip("-")
    return next(f"{stem}-{number}" for number in range(2, len(taken) + 3) if f"{stem}-{number}" not in taken)
