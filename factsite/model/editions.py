"""The editions of a site in several languages: the default language's is the content as read;
each other's is a copy of it with the texts its translations give (languages.py), assembled
into a Site of its own so that every template and page kind serves it unchanged.

What is not yet translated stays in the default language, marked with the language it is in
(``lang``), so that a claim is in every edition's lists and at the same address in each,
rather than missing from one. A claim keeps its address in every edition; a topic's and a
claimant's are made from their names in the edition's language (read/slugs.py).
"""

from __future__ import annotations

import itertools
import operator
from dataclasses import dataclass, replace

from collections.abc import Callable
from typing import Protocol, TypeVar

from ..digest import digest_of, record_key
from ..places import shift_between
from .assemble import Assembly, assemble_site, unlink
from .languages import ClaimTranslation, SiteTranslation, Translations
from .site import Citation, Claim, Claimant, Contact, Content, Correction, Page, Site, SiteConfig, Source

T = TypeVar("T")
_slug, _claimant = operator.attrgetter("slug"), operator.attrgetter("claimant")
COPIED_AGAIN_AT_MOST = 100  # claims changed; beyond that, asking for every copy costs little more


class Copies(Protocol):
    """Where copies are kept from one update to the next (read/reuse.Reuse): each given again
    while what it was made from is the same, so that what rendering works out from it is kept
    too (render/kept.py)."""

    def computed(self, key, inputs: tuple, compute: Callable[[], T]) -> T: ...
    def inputs(self, key) -> tuple | None: ...
    def given_unchecked(self, key): ...
    def kept(self, key): ...
    def carry_all_but(self, keys: list, places: list[int]) -> list: ...
    def abandon(self) -> None: ...
    def dropped(self) -> list: ...
    def next_update(self) -> None: ...


def assemble_editions(config: SiteConfig, content: Content, copies: Copies,
                      assemblies: dict[str, Assembly] | None = None) -> Site:
    """The default language's site, assembled from ``content`` as it is, with every other
    language's edition in its ``editions``. ``assemblies``: each edition's last assembly, by
    language, which this one patches (assemble.py) and replaces. All are taken out first: an
    assembly that crashed is made anew at the next update rather than patched again, and a
    language no longer in the settings keeps none."""
    assemblies = {} if assemblies is None else assemblies
    last = dict(assemblies)
    assemblies.clear()
    copies.abandon()  # what an update that crashed part-way copied, never given again
    site, assemblies[config.language] = assemble_site(config, content, last.get(config.language))
    site.editions = []
    for code, translation in config.translations.items():
        made, assemblies[code] = edition(config, content, translation, content.translations.get(code) or Translations(),
                                         copies, last.get(code))
        site.editions.append(made)
    for dropped in copies.dropped():
        if isinstance(dropped, Claim):
            unlink(dropped)  # freed at once, as read_site does for the default's claims
    copies.next_update()
    return site


def edition(config: SiteConfig, content: Content, translation: SiteTranslation, files: Translations,
            copies: Copies, last: Assembly | None = None) -> tuple[Site, Assembly]:
    """The edition in ``translation``'s language: copies of every record, with the texts translated."""
    language, default = translation.language, config.language

    def copy(kind: str, key: str, inputs: tuple, make: Callable[[], T]) -> T:
        return copies.computed(record_key(language.code, kind, key), inputs, make)

    verdicts = {v.slug: copy("verdict", v.slug, (v, translation.verdicts[v.slug]), lambda v=v: replace(
        v, label=translation.verdicts[v.slug][0], definition=translation.verdicts[v.slug][1], claims=[]))
        for v in config.verdicts}
    topics = {t.slug: copy("topic", t.slug, (t, translation.topics[t.slug]), lambda t=t: replace(
        t, name=translation.topics[t.slug][0], description=translation.topics[t.slug][1],
        address=translation.topics[t.slug][2], claims=[])) for t in config.topics}
    edition_config = copy("settings", "", (config, translation, *verdicts.values(), *topics.values()), lambda: replace(
        config, title=translation.title, tagline=translation.tagline, language=language.code,
        verdicts=list(verdicts.values()), topics=sorted(topics.values(), key=lambda t: t.name.lower()),
        nonpartisanship=translation.nonpartisanship or config.nonpartisanship, prefix=language.prefix,
        organization=replace(config.organization, name=translation.organization_name or config.organization.name)))
    sources = {s.id: copy("source", s.id, (s, files.sources.get(s.id)),
                          lambda s=s: translated_source(s, files.sources.get(s.id), default)) for s in content.sources}
    people = {p.id: copy("person", p.id, (p,), lambda p=p: replace(p, claims=[])) for p in content.people}

    def claimant_copy(original: Claimant) -> Claimant:
        name, slug = translation.claimants.get(original.name, (original.name, original.slug))
        return copy("claimant", original.slug, (original, name, slug),
                    lambda: replace(original, name=name, slug=slug, claims=[]))

    claimants = {c.slug: claimant_copy(c) for c in dict.fromkeys(map(_claimant, content.claims))}
    # Whether the records a claim's copy links to are the very copies the last update linked to:
    # if so, a claim whose original, translation and claimant are the same as then is the same copy.
    links = (*verdicts.values(), *topics.values(), *sources.values(), *people.values())
    same_links = copies.inputs(record_key(language.code, "links", "")) == links
    copy("links", "", links, lambda: None)
    # Whether each claimant copied last time that claims still name is the same copy: a claimant
    # new to the claims (a claimant edited) is named only by claims that are new objects.
    last_claimants = copies.inputs(record_key(language.code, "claimants", ""))
    same_claimants = last_claimants is not None and all(
        claimants.get(slug, copied) is copied for slug, copied in last_claimants[0].items())
    copy("claimants", "", (claimants,), lambda: None)

    def claim_copy(claim: Claim) -> Claim:
        translated, claimant = files.claims.get(claim.slug), claimants[claim.claimant.slug]
        if same_links:
            key = record_key(language.code, "claim", claim.slug)
            inputs = copies.inputs(key)
            if inputs is not None and inputs[0] is claim and inputs[1] is translated and inputs[2] is claimant:
                return copies.given_unchecked(key)
        linked = (verdicts[claim.verdict.slug], *(topics[t.slug] for t in claim.topics),
                  *(sources[c.source.id] for c in claim.citations), claim.appeared_in and sources[claim.appeared_in.id],
                  *(people[p.id] for p in claim.authors + claim.editors))
        return copy("claim", claim.slug, (claim, translated, claimant, *linked), lambda: translated_claim(
            claim, translated, default, verdicts, topics, sources, people, claimant))

    claims = copied_claims(content.claims, files, claim_copy, copies, language.code, same_links and same_claimants)
    pages = [translated_page(page, files.pages.get(page.slug), default) for page in content.pages]
    withdrawn = [replace(w, verdict=verdicts[w.verdict.slug]) for w in content.withdrawn]
    return assemble_site(edition_config, Content(list(sources.values()), claims, pages, withdrawn, [],
                                                 list(people.values())), last)


@dataclass(frozen=True, eq=False)  # (compared by identity, as Copies compares inputs)
class CopiedClaims:
    """An edition's copies of the claims, by their place in the content's list of claims, and
    what each was copied from: the original, its translation and its claimant."""

    originals: list[Claim]
    translations: list[ClaimTranslation | None]
    claimants: list[Claimant]
    copies: list[Claim]
    keys: list[str]  # each copy's key in the edition's Copies


def copied_claims(originals: list[Claim], files: Translations, copy_one: Callable[[Claim], Claim], copies: Copies,
                  code: str, same_links: bool) -> list[Claim]:
    """``copy_one(claim)`` of each of ``originals``. A preview copies the claims on every save, and
    one or two of thousands changed: where the records the copies link to are the same copies as
    then, the claimants' too (``same_links``), and the claims are in the same places, only those
    whose original, translation or claimant is another object are asked for; the others are the
    last update's copies. Where a few claims came or went, the same at their new places."""
    translations = list(map(files.claims.get, map(_slug, originals)))
    claimants = list(map(_claimant, originals))
    last, made = copies.kept(record_key(code, "claims", "")), None
    if same_links and last is not None and len(last.originals) != len(originals):
        last = shifted(last, originals)
    if same_links and last is not None and len(last.originals) == len(originals):
        changed = list(itertools.compress(itertools.count(), map(any, zip(
            map(operator.is_not, originals, last.originals), map(operator.is_not, translations, last.translations),
            map(operator.is_not, claimants, last.claimants)))))
        if len(changed) <= COPIED_AGAIN_AT_MOST:
            keys = copies.carry_all_but(last.keys, changed)
            made = list(last.copies)
            for at in changed:
                made[at], keys[at] = copy_one(originals[at]), record_key(code, "claim", originals[at].slug)
    if made is None:
        made, keys = list(map(copy_one, originals)), [record_key(code, "claim", claim.slug) for claim in originals]
    copied = CopiedClaims(originals, translations, claimants, made, keys)
    copies.computed(record_key(code, "claims", ""), (copied,), lambda: copied)
    return made


def shifted(last: CopiedClaims, originals: list[Claim]) -> CopiedClaims | None:
    """``last`` at the places of ``originals``, where a few claims came (None there, for
    copied_claims to copy) or went; None if many did. (Claims are listed by their address.)"""
    shift = shift_between(list(map(_slug, last.originals)), list(map(_slug, originals)), COPIED_AGAIN_AT_MOST)
    if shift is None:
        return None
    return CopiedClaims(*(shift.carry(items) for items in (last.originals, last.translations, last.claimants,
                                                             last.copies, last.keys)))


def translated_source(source: Source, notes: tuple[str, str] | None, default: str) -> Source:
    if notes is None:
        return replace(source, notes_lang=default if source.notes else None, claims=[])
    return replace(source, notes=notes[0], digest=digest_of(source.digest, notes[1]), claims=[])


def translated_page(page: Page, translation, default: str) -> Page:
    if translation is None:
        return replace(page, lang=default)
    return replace(page, title=translation.title, description=translation.description, body=translation.body,
                   path=translation.path, body_line=translation.body_line,
                   digest=digest_of(page.digest, translation.digest))


def translated_claim(claim: Claim, translation: ClaimTranslation | None, default: str, verdicts: dict, topics: dict,
                     sources: dict, people: dict, claimant: Claimant) -> Claim:
    """A copy of ``claim`` linked to the edition's records, with the translation's texts if there is one."""
    t = translation
    citations = [Citation(sources[c.source.id], c.quote, c.stance, _text(t and t.notes, index, c.note),
                          _text(t and t.quote_translations, index, ""))
                 for index, c in enumerate(claim.citations)]
    copy = replace(
        claim, verdict=verdicts[claim.verdict.slug], topics=[topics[topic.slug] for topic in claim.topics],
        claimant=claimant, citations=citations, related=[],
        appeared_in=sources[claim.appeared_in.id] if claim.appeared_in else None,
        authors=[people[p.id] for p in claim.authors], editors=[people[p.id] for p in claim.editors],
        corrections=[Correction(c.date, _text(t and t.corrections, (c.date, c.note), c.note))
                     for c in claim.corrections],
        contacted=[Contact(c.who, c.date, _text(t and t.responses, (c.who, c.date), c.response))
                   for c in claim.contacted],
        lang=None if t else default, translated=t is not None)
    if t is not None:
        copy = replace(copy, title=t.title, claim=t.claim, summary=t.summary, body=t.body, body_line=t.body_line,
                       path=t.path, digest=digest_of(claim.digest, t.digest),
                       body_digest=t.digest)  # the original's analysis is not on the page
    for correction in copy.corrections:
        correction.claim = copy
    return copy


def _text(translated: dict | None, key, original):
    """The translation of the entry ``key`` names, or the original's text."""
    return translated.get(key, original) if translated else original


def renamed_pages(edition: Site, default: Site) -> dict[str, str]:
    """Each topic's and claimant's page in ``default`` by its address in ``edition``: the two
    kinds of page whose address is made from a name, which an edition translates."""
    topics, claims = {t.slug: t for t in default.topics}, {c.slug: c for c in default.claims}
    names = {own.url: topics[own.slug].url for own in edition.topics}
    # A claimant's copy stands for one claimant of the default edition: any of its claims tells which.
    names.update((own.url, claims[own.claims[0].slug].claimant.url) for own in edition.claimants)
    return names


def renamed(path: str, names: dict[str, str]) -> str:
    """``path``, its first two parts (topics/<name>/) given their name in ``names``: the pages
    of a list keep their own names after it (topics/<name>/page/2025-03-09/)."""
    head = "/".join(path.split("/")[:2]) + "/"
    return names[head] + path[len(head):] if head in names else path

