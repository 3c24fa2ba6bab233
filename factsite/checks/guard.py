"""The verdict guard: nothing readers saw changes or disappears without a note saying so.

It compares the content with what readers saw (published.py): at the last build
(its verdicts.json) and at a git revision (`check --since REV`, history.py).
Every address readers could open is followed to what it shows now: the claim
of that name, or the claim that lists it under `aliases:` (a renamed file), or
the record of a withdrawn fact-check (content/withdrawn.yml). Then:

- a verdict that means something else now (its label or its rating, whatever
  its slug) needs a new correction;
- an earlier correction may not be changed or removed without a new one;
- an address that leads nowhere now (a file deleted, renamed without an alias,
  or made a draft) needs a record in content/withdrawn.yml, which must give the
  verdict readers saw;
- an address may not lead to another fact-check while the one readers saw there
  is still on the site (an old address given to a new file, or to another
  claim's aliases).

A new correction is an entry that was not there before, dated on or after the
last change readers saw, and not an earlier entry with its date or its note
edited: so an edited correction never counts as the new one, and a backdated
one (which would leave the fact-check out of the top of the feed) does not either.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Collection
from pathlib import Path

from ..read.addresses import WITHDRAWN_FILE
from ..read.filecache import DocumentCache
from ..errors import ContentError, Problems
from .history import state_at
from ..read.schema import PLACEHOLDER
from ..model.site import Claim, Site, Withdrawal
from .published import STATE_FILE, Entry, PublishedState, Seen, correction_key, meaning


def check_verdict_changes(site: Site, published: Path, problems: Problems) -> set[tuple]:
    """Compare with the last build into the folder ``published`` (its verdicts.json).

    Returns what was reported, for :func:`check_verdict_history` not to report it twice.
    """
    state_file = published / STATE_FILE
    before = published_state(str(state_file), DocumentCache.signature(state_file))
    if before is None:
        return set()  # nothing built there yet, or not by this version of factsite
    return compare(before, site, problems)


@functools.lru_cache(maxsize=2)
def published_state(path: str, signature: tuple | None) -> PublishedState | None:
    """The state in the file ``path``, read again only when its size or times change: the preview
    compares every update with it (at 10,000 claims, reading it is 2 MB of JSON). Never changed once read."""
    return None if signature is None else PublishedState.read(Path(path))


def check_verdict_history(site: Site, content_dir: Path, revision: str, problems: Problems,
                          reported: Collection[tuple] = ()) -> None:
    """Compare with the content as it was at git ``revision``: the check for a fresh checkout
    (the Pages workflow's), which has no last build to compare with but has the history."""
    try:
        history = state_at(content_dir, revision, {v.slug: (v.label, v.rating) for v in site.config.verdicts})
    except ContentError as error:
        problems.items.append(error)
        return
    named = history.revision.lower()  # a sha is shown once, shortened; a name with its sha
    is_sha = len(named) >= 7 and history.commit.startswith(named)
    compare(history.state, site, problems, history.short if is_sha else f"{history.revision}, {history.short}",
            reported)


def compare(before: PublishedState, site: Site, problems: Problems, revision: str = "",
            reported: Collection[tuple] = ()) -> set[tuple]:
    """Report each change to what readers saw in ``before`` that no note records.

    ``revision`` names where ``before`` comes from in messages ("" for the last build);
    what is in ``reported`` is not reported again. Returns what was reported.
    """
    guard = Guard(site, problems, revision, set(reported))
    claims = [claim for claim in site.claims if not claim.draft]
    leads_to = published_addresses(claims)
    records = {withdrawal.claim: withdrawal for withdrawal in site.withdrawn}

    def where_now(view: Seen) -> Claim | Withdrawal | None:
        """The fact-check readers saw, now: the claim or the record at its address (or old address)."""
        return leads_to.get(view.slug) or records.get(view.slug)

    for claim in claims:  # each claim, against what readers saw at its address and its old ones
        views = seen_at(before, claim, where_now, guard)
        if views:
            guard.claim(claim, views)
    check_addresses(guard, before, site, leads_to, where_now)
    return guard.reported


def check_addresses(guard: "Guard", before: PublishedState, site: Site, leads_to: dict[str, Claim],
                    where_now) -> None:
    """Every address readers saw that leads to no claim now: to a record in withdrawn.yml, or nowhere."""
    drafts = {address: claim for claim in site.drafts + [c for c in site.claims if c.draft]
              for address in (claim.slug, *claim.aliases)}
    records = {withdrawal.claim: withdrawal for withdrawal in site.withdrawn}
    record_aliases = {alias: withdrawal for withdrawal in site.withdrawn for alias in withdrawal.aliases}
    for address in before.addresses():
        if address in leads_to:
            continue
        view = before.at(address)
        record = records.get(address) or record_aliases.get(address)
        if record is not None:
            guard.record(record, view)
        else:
            guard.gone(address, view, drafts.get(address), where_now(view))


def seen_at(before: PublishedState, claim: Claim, where_now, guard: "Guard") -> list[Seen]:
    """What readers saw at the claim's address and at its old ones (its aliases), each view once.
    An address whose fact-check is still on the site elsewhere is not this claim's to take:
    that is reported instead."""
    seen = {}
    for address in (claim.slug, *claim.aliases):
        view = before.at(address)
        if view is None:
            continue
        now = where_now(view)
        if now is not None and now is not claim:
            guard.taken(address, view, claim, now)
        else:
            seen[(view.slug, view.withdrawn)] = view
    return list(seen.values())


def published_addresses(claims: list[Claim]) -> dict[str, Claim]:
    """The claim each address leads to now: its own slug first, then its aliases (an alias never
    takes a claim's own address, nor an address an earlier claim's alias took)."""
    leads_to = {claim.slug: claim for claim in claims}
    for claim in claims:
        for alias in claim.aliases:
            leads_to.setdefault(alias, claim)
    return leads_to


class Guard:
    """The checks of :func:`compare`, and their messages."""

    def __init__(self, site: Site, problems: Problems, revision: str, reported: set[tuple]):
        self.site, self.problems, self.revision = site, problems, revision
        self.reported = reported
        self.scale = {meaning(v.label, v.rating): v.slug for v in site.config.verdicts}

    def report(self, key: tuple, path: Path, line: int | None, message: str, hint: str) -> None:
        if key not in self.reported:
            self.reported.add(key)
            self.problems.error(path, line, message, hint)

    def at(self, *parts: str) -> str:
        """Where the earlier state comes from, for messages: " (at HEAD~1, 1a2b3c4; ...)"."""
        parts = ((f"at {self.revision}",) if self.revision else ()) + tuple(part for part in parts if part)
        return f" ({'; '.join(parts)})" if parts else ""

    def claim(self, claim: Claim, views: list[Seen]) -> None:
        """A claim now, against what readers saw at its address and its old addresses.

        Each change readers saw needs a new correction of its own: the verdict's meaning, and each
        earlier correction changed or removed. So an earlier entry replaced outright (its date and
        its note both new) cannot also serve as the note of a changed verdict."""
        known = frozenset().union(*(view.corrections for view in views))
        since = max(view.modified for view in views)
        now = {key for c in claim.corrections if (key := correction_key(c.date, c.note))}
        changed = known - now
        added = new_entries(known, now)
        fresh = [entry for entry in added if entry[0] >= since]
        verdict_now = meaning(claim.verdict.label, claim.verdict.rating)
        moved = [view for view in views if view.meaning != verdict_now]
        if len(fresh) >= len(changed) + bool(moved):
            return
        for view in moved:
            self.verdict_changed(claim, view, since, added, fresh)
        if changed:
            self.corrections_changed(claim, changed, fresh=len(fresh), verdict_too=bool(moved))

    def verdict_changed(self, claim: Claim, view: Seen, since: str, added, fresh) -> None:
        old, new = shown(view, claim.verdict.label, claim.verdict.rating)
        where = self.at(f"withdrawn on {view.modified}" if view.withdrawn
                        else f"published at /claims/{view.slug}/" if view.slug != claim.slug else "")
        line = claim.lines.get("verdict")
        if fresh:  # one new correction, for an earlier one changed too
            self.report(("verdict", claim.slug), claim.path, line,
                        f'the verdict changed from "{old}"{where} to "{new}", and an earlier correction was changed '
                        "too: each change needs a new correction of its own",
                        f"add to corrections: a note dated {since} or later saying the verdict changed from {old} "
                        f"to {new}, and why")
        elif added:  # there is one, but dated before the change it should record
            self.report(("verdict", claim.slug), claim.path, line,
                        f'the verdict changed from "{old}"{where} to "{new}", and the new correction is dated '
                        f"before {since}, the last change readers saw", f"date the new correction {since} or later")
        else:
            self.report(("verdict", claim.slug), claim.path, line,
                        f'the verdict changed from "{old}"{where} to "{new}" without a correction',
                        f"add to corrections: a note dated {since or 'today'} or later saying the verdict "
                        f"changed from {old} to {new}, and why")

    def corrections_changed(self, claim: Claim, changed: set, fresh: int, verdict_too: bool) -> None:
        """Earlier corrections changed or removed, with ``fresh`` new corrections: too few."""
        first = min(changed)
        dates = ", ".join(date for date, _ in sorted(changed))
        if not fresh:
            said = "changed or removed without a new correction saying so"
        elif verdict_too:
            said = "changed or removed, and the verdict changed too: each change needs a new correction of its own"
        else:
            said = (f"changed or removed, {len(changed)} of them, and there is {fresh} new correction: "
                    "each change needs a new correction of its own")
        self.report(("corrections", claim.slug), claim.path,
                    claim.lines.get("corrections") or claim.lines.get("verdict"),
                    f"an earlier correction ({dates}){self.at()} was {said}",
                    "add to corrections: a new dated entry saying what was changed in the earlier one, and why; "
                    f'or put it back as it was: "{first[0]}: {shorten(first[1])}"')

    def taken(self, address: str, view: Seen, claim: Claim, now: Claim | Withdrawal) -> None:
        """An address that led to one fact-check, which is still there (``now``), leading to another."""
        owner = now.path.name if isinstance(now, Claim) else f"its record in content/{WITHDRAWN_FILE}"
        self.report(("address", address), claim.path, claim.lines.get("aliases") if address in claim.aliases else None,
                    f"the old address /claims/{address}/{self.at()} led to the fact-check \"{shorten(view.title)}\", "
                    f"which is at /{now.url}: it cannot lead to this one",
                    f"keep {address} in the aliases of {owner}, and give this fact-check an address of its own")

    def record(self, withdrawal: Withdrawal, view: Seen) -> None:
        """A withdrawn record, where readers saw a fact-check or an earlier record of it."""
        if view.meaning != meaning(withdrawal.verdict.label, withdrawal.verdict.rating):
            slug = self.scale.get(view.meaning)
            self.report(("record", withdrawal.claim), withdrawal.path, withdrawal.lines["verdict"],
                        f'readers saw the verdict "{shorten(view.label)}" at /claims/{withdrawal.claim}/{self.at()}, '
                        f'not "{withdrawal.verdict.label}"',
                        f'write verdict: "{slug}"' if slug else "give the verdict the fact-check had when it "
                        "was published")
        elif view.withdrawn and view.modified != withdrawal.date.isoformat():
            self.report(("record", withdrawal.claim), withdrawal.path, withdrawal.lines["date"],
                        f"the fact-check was withdrawn on {view.modified}{self.at()}, not {withdrawal.date}",
                        f"write date: {view.modified}: the record of a withdrawal stays as it was")

    def gone(self, address: str, view: Seen, draft: Claim | None, now: Claim | Withdrawal | None) -> None:
        """An address that leads nowhere now. ``draft``: a draft that holds it; ``now``: the claim,
        or the record of the withdrawn one, that it showed, if that is still there under its own address."""
        if address != view.slug and now is not None:  # an old address of a fact-check that is still there
            self.report(("address", address), now.path, now.lines.get("aliases") or now.lines.get("title"),
                        f"the old address /claims/{address}/{self.at()} no longer leads to this fact-check",
                        f"keep it in aliases: [{', '.join([*now.aliases, address])}]")
            return
        verdict, title = self.scale.get(view.meaning, shorten(view.label)), shorten(view.title)
        aliases = f", aliases: [{', '.join(view.aliases)}]" if view.aliases else ""
        entry = (f"- {{claim: {view.slug}, title: {json.dumps(title, ensure_ascii=False)}, date: "
                 f"{view.modified if view.withdrawn else 'YYYY-MM-DD'}, verdict: \"{verdict}\"{aliases}, "
                 f"note: \"{PLACEHOLDER}: why it was withdrawn\"}}")
        record = f"content/{WITHDRAWN_FILE}"
        if not self.site.config.path.with_name(WITHDRAWN_FILE).exists():
            entry = f"withdrawn: [{entry[2:]}]"  # the whole file, on one line
        if view.withdrawn:
            self.report(("address", address), self.site.config.path.with_name(WITHDRAWN_FILE), None,
                        f'the record of the withdrawn fact-check "{title}" (/claims/{address}/){self.at()} '
                        "was removed", f"put it back in {record}: {entry}")
        elif draft is not None:
            self.report(("address", address), draft.path, draft.lines.get("draft"),
                        f"this fact-check was published at /claims/{address}/{self.at()}; "
                        "as a draft it would disappear from the site",
                        f"publish it (draft: false), or record that it was withdrawn, in {record}: {entry}")
        else:
            self.report(("address", address), self.site.config.path.with_name(WITHDRAWN_FILE), None,
                        f'the fact-check "{title}", published at /claims/{address}/{self.at()}, '
                        "was deleted or renamed",
                        f"if it moved, add to its new file: aliases: [{address}]; if it was withdrawn, "
                        f"record it in {record}: {entry}")


def new_entries(known: frozenset[Entry], now: set[Entry]) -> set[Entry]:
    """The corrections not there before, leaving out an earlier one with its date or its note changed."""
    changed = known - now
    dates, notes = {date for date, _ in changed}, {note for _, note in changed}
    return {(date, note) for date, note in now - known if date not in dates and note not in notes}


def shown(view: Seen, label: str, rating: int | None) -> tuple[str, str]:
    """The verdicts before and now as messages name them: by label, and by rating too where the labels agree."""
    old = shorten(view.label)  # (read back from a file, or from history: never trusted to be short)
    if meaning(view.label, None) != meaning(label, None):
        return old, label
    return (f"{old} (rating {'none' if view.rating is None else view.rating})",
            f"{label} (rating {'none' if rating is None else rating})")


def shorten(text: str, most: int = 120) -> str:
    """``text`` on one line, cut to ``most`` characters: for messages."""
    text = " ".join(text.split())
    return text if len(text) <= most else text[:most - 1].rstrip() + "…"
