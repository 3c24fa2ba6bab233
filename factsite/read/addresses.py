"""Addresses readers may have kept: a claim's old addresses, and withdrawn fact-checks.

A published fact-check's address must keep working. A claim file that is renamed
lists its old names under `aliases:`, and each becomes a small page that sends
the reader on to the new address. A fact-check taken off the site is recorded in
`content/withdrawn.yml` (with its own old addresses, if it had any); its address
then says when and why it was withdrawn.
The verdict guard (guard.py) holds editors to both.
"""

from __future__ import annotations

from pathlib import Path

from .parse import read_yaml_file
from .schema import PLACEHOLDER
from ..errors import Problems, did_you_mean
from .fields import SLUG_PATTERN, Field, check_fields, slug_problem
from ..model.site import Claim, SiteConfig, Withdrawal

WITHDRAWN_FILE = "withdrawn.yml"

WITHDRAWAL_FIELDS = {
    "claim": Field("slug", "budget-doubled", required=True),
    "title": Field("text", "Budget doubled", required=True),
    "date": Field("date", "2025-09-12", required=True),
    "verdict": Field("text", '"false"', required=True),
    "note": Field("text", "The figures we relied on were withdrawn by the council.", required=True),
    "aliases": Field("list", "[spending-doubled]"),
}
WITHDRAWN_FIELDS = {
    "withdrawn": Field("records", '[{claim: budget-doubled, title: Budget doubled, date: 2025-09-12, '
                                  'verdict: "false", note: Why it was withdrawn.}]', fields=WITHDRAWAL_FIELDS,
                       max_items=10_000),  # a record per fact-check ever withdrawn, kept for good
}


def check_aliases(files: list, slugs: dict[str, Path], problems: Problems) -> None:
    """Each alias must be a usable address that leads to one claim only.

    ``files``: (slug, ClaimFile) of every claim file, drafts too, in a stable order;
    ``slugs``: every claim file by its slug (its address).
    """
    owners: dict[str, Path] = {}
    for slug, file in files:
        for index, alias in enumerate(file.values["aliases"]):
            problem = alias_problem(alias, slug, slugs, owners, file.path)
            if problem is None:
                owners[alias] = file.path
            else:  # its line only now: a file from the cache is parsed again to find it
                problems.error(file.path, file.line("aliases", index), *problem)


def alias_problem(alias: str, slug: str, slugs: dict[str, Path], owners: dict[str, Path],
                  path: Path) -> tuple[str, str] | None:
    """What is wrong with one of a claim's aliases (a message and a hint), or None."""
    if (unusable := address_problem(alias)) is not None:
        return unusable
    if alias == slug:
        return f'"{alias}" is this claim\'s own address, not an old one', f'remove "{alias}" from aliases'
    if alias in slugs:
        return (f'the alias "{alias}" is the address of another claim, {slugs[alias]}',
                "an address leads to one fact-check: remove it from aliases, or rename that other file")
    if alias in owners:
        where = "earlier in this list" if owners[alias] == path else f"in {owners[alias]}"
        return (f'the alias "{alias}" is listed {where} already',
                "an old address leads to one fact-check: keep it in one claim's aliases only")
    return None


def address_problem(alias: str) -> tuple[str, str] | None:
    """Why ``alias`` cannot be a folder of the site (a message and a hint), or None."""
    problem = (("only lower-case letters, digits and hyphens can be used", "budget-doubled")
               if not SLUG_PATTERN.match(alias) else slug_problem(alias))
    if problem is None:
        return None
    reason, better = problem
    return (f'the alias "{alias}" cannot be an address: {reason}',
            f"write the old file name without .md, e.g. aliases: [{better}]")


def check_record_aliases(withdrawn: list[Withdrawal], claims: list[Claim], problems: Problems) -> None:
    """The old addresses of withdrawn fact-checks must lead to them alone (the aliases of a record
    may be taken by no claim; the record's own address may, by the fact-check published again)."""
    if not any(withdrawal.aliases for withdrawal in withdrawn):
        return  # (the claims' addresses are gathered only to check those: a preview reads on every save)
    taken = {claim.slug: claim.path for claim in claims}
    taken.update((alias, claim.path) for claim in claims for alias in claim.aliases)
    records = {withdrawal.claim for withdrawal in withdrawn}
    owners: set[str] = set()
    for withdrawal in sorted(withdrawn, key=lambda w: w.lines["claim"]):
        for index, alias in enumerate(withdrawal.aliases):
            line = withdrawal.lines[("aliases", index)]
            if (unusable := address_problem(alias)) is not None:
                problems.error(withdrawal.path, line, *unusable)
                continue
            if alias in records:
                problems.error(withdrawal.path, line, f'the alias "{alias}" is the address of a withdrawn fact-check',
                               f'remove it from aliases: its record is the one for "{alias}"')
            elif alias in owners:
                problems.error(withdrawal.path, line, f'the alias "{alias}" is listed in this file already',
                               "an old address leads to one fact-check: keep it in one record's aliases only")
            elif alias in taken:
                problems.error(withdrawal.path, line, f'the alias "{alias}" is the address of a claim, {taken[alias]}',
                               "an address leads to one fact-check: remove it from aliases here")
            owners.add(alias)


def load_withdrawn(content_dir: Path, config: SiteConfig, problems: Problems) -> list[Withdrawal]:
    """The withdrawn fact-checks recorded in content/withdrawn.yml (none if there is no such file), newest first."""
    path = content_dir / WITHDRAWN_FILE
    if not path.exists() and not path.is_symlink():
        return []
    doc = read_yaml_file(path, problems)  # which refuses a link
    if doc is None:
        return []
    values = check_fields(doc, WITHDRAWN_FIELDS, problems)
    verdicts = {verdict.slug: verdict for verdict in config.verdicts}
    withdrawn: dict[str, Withdrawal] = {}
    for index, entry in values["withdrawn"]:
        lines: dict = {name: doc.line("withdrawn", index, name) for name in WITHDRAWAL_FIELDS}
        lines.update({("aliases", number): doc.line("withdrawn", index, "aliases", number)
                      for number in range(len(entry["aliases"]))})
        verdict = verdicts.get(entry["verdict"])
        if entry["verdict"] and verdict is None:
            problems.error(path, lines["verdict"], f'unknown verdict "{entry["verdict"]}"',
                           did_you_mean(entry["verdict"], verdicts) + " (the verdict the fact-check had)")
        if entry["claim"] in withdrawn:
            problems.error(path, lines["claim"], f'"{entry["claim"]}" is recorded as withdrawn twice',
                           f'keep one entry for it (the other is on line {withdrawn[entry["claim"]].lines["claim"]})')
            continue
        for name in ("title", "note"):
            if entry[name] and PLACEHOLDER in entry[name]:
                problems.error(path, lines[name], f'"{name}" still has the placeholder {PLACEHOLDER}',
                               f"replace it with the {name} readers should see"
                               + (": why the fact-check was withdrawn" if name == "note" else ""))
        if verdict is None or None in entry.values():
            continue  # reported above, or by check_fields
        withdrawn[entry["claim"]] = Withdrawal(entry["claim"], entry["title"], entry["date"], verdict,
                                               entry["note"], path, lines, entry["aliases"])
    return sorted(withdrawn.values(), key=lambda w: (w.date, w.claim), reverse=True)
