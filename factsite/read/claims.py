"""Reading the claims: every claim file, linked to its verdict, topics, sources, claimant and
related claims; a mistake in any link is reported on the line that makes it."""

from __future__ import annotations

import itertools
import operator
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from .addresses import check_aliases
from .claimants import check_one_name_each, claimant_for
from ..digest import record_key
from ..errors import Problems
from ..model.site import Claim, Claimant, Contact, Correction, Person, SiteConfig, Source
from .claim_file import ClaimFile
from .claim_links import (ClaimContext, appeared_in_of, check_related, citation_from, complete, people_named,
                          topics_of, verdict_of)
from .claims_kept import Claimants, ClaimsRead, read_again
from .filecache import DocumentCache
from .listing import content_files
from .parallel import read_many
from .reuse import Reuse

_severity = operator.attrgetter("severity")
MISSING = object()  # a source no file is named for, among a claim's inputs (a broken file's is None)


def load_claims(folder: Path, config: SiteConfig, sources: dict[str, Source | None], problems: Problems,
                jobs: int = 1, cache: DocumentCache | None = None, reuse: Reuse | None = None,
                people: dict[str, Person | None] | None = None, files: dict[str, ClaimFile] | None = None
                ) -> list[Claim]:
    """Every claim that can be made of its file. ``reuse``: what the last update made of each
    file, given again where the file and what it links to are the same (reuse.py). ``files``
    is given each file read, by slug (for the translations, translations.py)."""
    reuse = reuse or Reuse()
    listing = content_files(folder, "*.md", problems, recursive=True, reuse=reuse,
                            named=cache.named if cache else None)
    # The same objects while the listing is: the file cache then asks only about the files saved (get_many).
    paths, ordered, ordered_paths = reuse.made(("claims' files",), (listing,),
                                               lambda found: claim_paths(listing, found), problems)
    slugs = set(paths)
    people = people or {}
    # The same object while the settings, the sources, the people and the claims' addresses are
    # (tuples of the dicts' items: a new order, from a new listing, makes a new context, which is safe).
    last_context, last_inputs = reuse.kept(("claims' context",)), reuse.inputs(("claims' context",))
    context_inputs = (config, tuple(sources.items()), frozenset(slugs), tuple(people.items()))
    context = reuse.computed(("claims' context",), context_inputs, lambda: ClaimContext(config, sources, slugs, people))
    came_or_went = come_or_gone(last_inputs, context_inputs)
    read_files = read_many(ordered_paths, ClaimFile, problems, jobs, cache)

    def make(slug: str, file: ClaimFile) -> Claim | None:
        key = record_key("claim", slug)
        inputs = kept_inputs(reuse, key, file, context, last_context, came_or_went)
        return reuse.made(key, inputs, lambda found: claim_from(file, slug, context, found), problems)

    last, reported = reuse.kept(("claims read",)), len(problems.items)
    read = read_again(last, ordered, read_files, context, came_or_went, reuse, problems, make) or \
        read_all(ordered, read_files, context, reuse, problems, make)
    read = replace(read, clean="error" not in map(_severity, problems.items[reported:]))
    reuse.computed(("claims read",), (read,), lambda: read)  # for the next update's read_again
    check_aliases([(ordered[at][0], read_files[at]) for at in read.aliased], paths, problems)
    if files is not None:
        files.update(read.files)
    return read.claims


def read_all(ordered: list, records: list, context: ClaimContext, reuse: Reuse, problems: Problems,
             make: Callable[[str, ClaimFile], Claim | None]) -> ClaimsRead:
    """A claim made of each record (``make``, which may give one kept from the last update), each
    linked to its claimant, whom the claims of one share."""
    made: list[Claim | None] = []
    keys: list[str | None] = []
    files: dict[str, ClaimFile] = {}
    aliased: list[int] = []
    claimants: dict[str, Claimant] = {}
    type_given_in: dict[str, Path] = {}
    read: list[tuple[Claim, ClaimFile]] = []
    linking = Problems()
    for at, ((slug, _), file) in enumerate(zip(ordered, records, strict=True)):
        claim = None
        if file is not None:
            files[slug] = file
            if file.values["aliases"]:
                aliased.append(at)
            claim = make(slug, file)
            if claim is not None:
                # The claimant is shared with other files, which may set its type: linked anew each time.
                claim.claimant = claimant_for(file, claimants, type_given_in, linking)
                read.append((claim, file))
        made.append(claim)
        keys.append(None if file is None else record_key("claim", slug))
    claimants = Claimants(same_claimants([claim for claim, _ in read], claimants, reuse, problems),
                          Counter(claim.claimant.slug for claim, _ in read),
                          Counter(claim.claimant.slug for claim, file in read if file.values["claimant_type"]))
    check_one_name_each(read, linking)
    problems.items.extend(linking.items)
    return ClaimsRead(ordered, records, files, context, made, keys, claimants, aliased=tuple(aliased),
                      linked_cleanly=not linking.items,
                      named=Counter(itertools.chain.from_iterable(file.values["related"] for file in files.values())))


def claim_paths(listing: list[Path], problems: Problems) -> tuple[dict[str, Path], list, list[Path]]:
    """Each claim file by its slug, after reporting those that share one; the same sorted by
    slug, and their paths in that order."""
    paths: dict[str, Path] = {}
    for path in listing:
        slug = path.name[:-len(".md")]
        if slug in paths:
            problems.error(path, None, f'another claim already uses the address "{slug}"',
                           f"rename one of the two files (the other is {paths[slug]})")
        else:
            paths[slug] = path
    ordered = sorted(paths.items())
    return paths, ordered, [path for _, path in ordered]


def same_claimants(claims: list[Claim], claimants: dict[str, Claimant], reuse: Reuse,
                   problems: Problems) -> dict[str, Claimant]:
    """Link each claim to the claimant the last update made, where it has the same name and type:
    the claimant is "made" of those (reuse.py), and making it gives the one this update found. A
    claim kept from the last update is then still linked to the same objects, which is what
    lets its row, card and pages be kept too (render/kept.py). Returns the claimants by address."""
    kept = {slug: reuse.made(record_key("claimant", slug), (claimant.name, claimant.type),
                             lambda found: claimant, problems)  # noqa: B023 - called at once
            for slug, claimant in claimants.items()}
    for claim in claims:
        claim.claimant = kept[claim.claimant.slug]
    return kept


class FieldLines(Mapping):
    """The line of each field of a claim file, looked up only when a message needs one."""

    def __init__(self, file: ClaimFile):
        self.file = file

    def __getitem__(self, name: str) -> int:
        return self.file.key_lines()[(name,)]  # a KeyError names the field that is not there

    def __iter__(self):
        return (key[0] for key in self.file.key_lines() if len(key) == 1)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def come_or_gone(last: tuple | None, now: tuple) -> frozenset[str] | None:
    """The claims' addresses that came or went between the last context's inputs and these,
    if they are all that changed; None if anything else did."""
    if last is None or last[:2] != now[:2] or last[3:] != now[3:]:
        return None
    return last[2] ^ now[2]


def kept_inputs(reuse: Reuse, key, file: ClaimFile, context: ClaimContext, last_context,
                came_or_went: frozenset[str] | None) -> tuple:
    """claim_inputs(file, context), or the inputs the claim had last time if the file is the same
    object as then, and so is the context (every claim was made with the last one) or it differs
    only in addresses (``came_or_went``, come_or_gone's) the file does not name as related, and no name
    in the file was unknown then (the messages about those suggest the addresses there are)."""
    inputs = None
    if context is last_context:
        inputs = reuse.inputs(key)
    elif came_or_went is not None and came_or_went.isdisjoint(file.values["related"]):
        inputs = reuse.inputs(key)
        if inputs is not None and inputs[-1] is last_context:  # claim_inputs' ``unknown``
            inputs = None
    return inputs if inputs is not None and inputs[0] is file else claim_inputs(file, context)


def claim_inputs(file: ClaimFile, context: ClaimContext) -> tuple:
    """What claim_from makes a claim of, besides its address: the file, the settings (verdicts
    and topics), the sources and people it names and whether the claims it calls related exist.
    Worked out from the file and the context alone: while both are the same objects as at the
    last update, they are the inputs of last time (kept_inputs), which spares going through
    every claim's links on every save."""
    values, sources, people = file.values, context.sources, context.people
    cited = [sources.get(entry["source"], MISSING) for _, entry in values["sources"]]
    appeared_in = sources.get(values["appeared_in"], MISSING) if values["appeared_in"] else None
    named = [people.get(name, MISSING) for name in values["author"] + values["editor"]]
    related = [name in context.slugs for name in values["related"]]
    # A name that is not there is reported with the names that are (did_you_mean), which
    # change with every file: such a claim is made again each time.
    unknown = (context,) if MISSING in cited or appeared_in is MISSING or MISSING in named or not all(related) else ()
    return (file, context.config, *cited, appeared_in, *named, *related, *unknown)


def claim_from(file: ClaimFile, slug: str, context: ClaimContext, problems: Problems) -> Claim | None:
    """The claim, linked to its verdict, topics and sources (not yet to its claimant, whom other
    files share: see load_claims); None if it cannot be made."""
    values, path, sources = file.values, file.path, context.sources
    verdict = verdict_of(file, context, problems)
    topics = topics_of(file, context, problems)
    appeared_in = appeared_in_of(file, context, problems)
    citations = [citation for index, entry in values["sources"]
                 if (citation := citation_from(file, index, entry, sources, problems))]
    authors = people_named(file, "author", context.people, problems)
    editors = people_named(file, "editor", context.people, problems, named=authors)

    check_related(file, slug, context.slugs, problems)

    corrections = [Correction(entry["date"], entry["note"]) for _, entry in values["corrections"]
                   if entry["date"] and entry["note"]]

    if not complete(file, context):  # (having reported each mistake above)
        return None
    claim = Claim(
        slug=slug, title=values["title"], claim=values["claim"], verdict=verdict,
        claimant=None,  # type: ignore[arg-type]  # linked by load_claims: other files share it
        summary=values["summary"], published=values["published"], path=path,
        claim_date=values["claim_date"], appeared_in=appeared_in,
        topics=topics, citations=citations, updated=values["updated"], corrections=sorted(corrections, key=lambda c: c.date),
        related_slugs=values["related"], aliases=values["aliases"], draft=bool(values["draft"]),
        wording=values["claim_wording"], authors=authors, editors=editors,
        contacted=[Contact(entry["who"], entry["date"], entry["response"]) for _, entry in values["contacted"]
                   if entry["who"] and entry["date"]],
        body_line=file.body_line,
        lines=FieldLines(file),
        digest=file.digest, body_digest=file.body_digest, body=file.body,
    )
    for correction in claim.corrections:
        correction.claim = claim
    if not claim.draft:  # a draft's are reported where it is built (read/content.py)
        check_claim(claim, problems)
    return claim


def check_claim(claim: Claim, problems: Problems) -> None:
    """The editorial warnings about one claim (checks/editorial.py has the whole site's): made with
    the claim, and so kept with it between updates (reuse.py)."""
    if claim.verdict.rating is not None and len({citation.source.id for citation in claim.citations}) == 1:
        problems.warning(
            claim.path, claim.lines.get("verdict"),
            f'only one source is cited, but the verdict is "{claim.verdict.label}"',
            "cite a second, independent source, or rate the claim with a verdict off the scale "
            "(such as Unproven) and say what evidence would settle it",
        )
