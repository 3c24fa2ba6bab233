"""What one translation file holds, and how it is matched with the original's: a claim's
(`<slug>.<lang>.md`), a page's and a source's (read/translations.py reads them all). A
translation gives the texts and may repeat anything else only unchanged."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from ..digest import digest_of
from ..errors import Problems
from ..model.languages import ClaimTranslation, PageTranslation
from .claim_file import ClaimFile
from .fields import Field, check_fields
from .parse import check_markdown, read_markdown_file
from .sources import SourceFile
from .schema import CITATION_FIELDS, CLAIM_FIELDS, PAGE_FIELDS, PLACEHOLDER, SOURCE_FIELDS

TRANSLATED_FIELDS = {"title", "claim", "summary"}  # besides the analysis and the lists below


def _optional(fields: dict[str, Field], required: set[str] = frozenset()) -> dict[str, Field]:
    return {name: replace(spec, required=name in required) for name, spec in fields.items()}


CITATION_TRANSLATION_FIELDS = {
    **_optional(CITATION_FIELDS, {"source"}),
    "quote_translation": Field("text", "the quote's words in this language", max_length=5000),
}
CLAIM_TRANSLATION_FIELDS = {
    **_optional(CLAIM_FIELDS, TRANSLATED_FIELDS),
    "sources": replace(CLAIM_FIELDS["sources"], required=False, fields=CITATION_TRANSLATION_FIELDS),
}


class ClaimTranslationFile(ClaimFile):
    """A claim's translation, read and cached as a claim file is, with its own fields."""

    FIELDS: ClassVar[dict] = CLAIM_TRANSLATION_FIELDS

    def check_alone(self, problems: Problems) -> None:
        for name in TRANSLATED_FIELDS:
            if self.values[name] and PLACEHOLDER in self.values[name]:
                problems.error(self.path, self.line(name), f'"{name}" still has the placeholder {PLACEHOLDER}',
                               "replace it with the translation")
        if not self.body.strip():
            problems.error(self.path, self.body_line, "the translation has no analysis",
                           "translate the original's analysis below the closing ---")



def claim_translation(file: ClaimTranslationFile, original: ClaimFile, problems: Problems) -> ClaimTranslation:
    """What ``file`` translates of ``original``, after reporting every field it changes that it may not."""
    values, given = file.values, original.values
    for name in CLAIM_FIELDS.keys() - TRANSLATED_FIELDS - {"sources", "corrections", "contacted"}:
        if values[name] not in (None, []) and values[name] != given[name]:
            _differs(file, (name,), original, problems)
    quotes, notes = {}, {}
    for index, at in _matched(file, original, "sources", ("source",), problems):
        entry, kept = values["sources"][index][1], given["sources"][at][1]
        for name in ("quote", "stance"):
            if entry[name] is not None and entry[name] != kept[name]:
                _differs(file, ("sources", index, name), original, problems)
        if entry["quote_translation"]:
            if not kept["quote"]:
                problems.error(file.path, file.line("sources", index, "quote_translation"),
                               "this citation has no quote in the original to translate",
                               "remove quote_translation:, or translate what the source shows as note:")
            quotes[at] = entry["quote_translation"]
        if entry["note"]:
            notes[at] = entry["note"]
    kept_corrections, kept_contacts = given["corrections"], given["contacted"]
    corrections = {(kept_corrections[at][1]["date"], kept_corrections[at][1]["note"]): values["corrections"][index][1]["note"]
                   for index, at in _matched(file, original, "corrections", ("date",), problems)}
    responses = {(kept_contacts[at][1]["who"], kept_contacts[at][1]["date"]): values["contacted"][index][1]["response"]
                 for index, at in _matched(file, original, "contacted", ("who", "date"), problems)
                 if values["contacted"][index][1]["response"]}
    return ClaimTranslation(file.path, values["title"] or "", values["claim"] or "", values["summary"] or "",
                            file.body, file.body_line, digest_of(file.digest, file.body_digest), quotes, notes,
                            corrections, responses)


def _matched(file: ClaimFile, original: ClaimFile, field: str, same: tuple[str, ...],
             problems: Problems) -> list[tuple[int, int]]:
    """Each entry of the translation's list ``field`` with the place of the original's entry it
    translates: the next one with the same ``same`` values (a source cited twice is translated
    in its order), so that an entry the original gains since leaves the others matched."""
    waiting: dict[tuple, list[int]] = {}
    for at, (_, entry) in enumerate(original.values[field]):
        waiting.setdefault(tuple(entry[name] for name in same), []).append(at)
    matched = []
    for index, (_, entry) in enumerate(file.values[field]):
        key = tuple(entry[name] for name in same)
        if waiting.get(key):
            matched.append((index, waiting[key].pop(0)))
        elif None not in key:
            what = ", ".join(f"{name} {value}" for name, value in zip(same, key))
            problems.error(file.path, file.line(field, index, same[0]),
                           f"the original ({original.path.name}) has no more {field} entries with {what}",
                           f"a translation translates the original's {field}: give each its {' and '.join(same)} "
                           "as the original does, or remove this one")
    return matched


def _differs(file: ClaimFile, where: tuple, original: ClaimFile, problems: Problems) -> None:
    name = where[-1]
    problems.error(
        file.path, file.line(*where), f'"{name}" differs from the original ({original.path.name})',
        f"a translation takes {name} from the original: remove it here, or change it in {original.path.name}")


def page_translation(path: Path, problems: Problems) -> PageTranslation | None:
    doc = read_markdown_file(path, problems)
    if doc is None:
        return None
    values = check_fields(doc, _optional(PAGE_FIELDS, {"title"}), problems)
    check_markdown(doc, "page", problems)
    for name in ("order", "includes"):
        if values[name] not in (None, []):
            problems.error(path, doc.line(name), f'"{name}" is the original page\'s to set',
                           f"remove it here: the translation takes {name} from the original")
    if not values["title"]:
        return None
    return PageTranslation(path, values["title"], values["description"], doc.body, doc.body_line,
                           digest_of(doc.digest, doc.body))


class SourceTranslationFile(SourceFile):
    """A source's translation, read and cached as a source file is: its notes alone, as its title
    and publisher are what it was published as."""

    FIELDS: ClassVar[dict] = {"notes": SOURCE_FIELDS["notes"]}
    ADDRESSES: ClassVar[tuple[str, ...]] = ()
