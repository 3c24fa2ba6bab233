"""The languages site.yml lists, and for each but the first (the default) its texts: the title,
the tagline, every verdict's label and definition, every topic's name and description, and
optionally the claimants' names. A text the default language has and another lacks is an
error naming the key and the language, so that no page of an edition shows the default's.

    language: en
    languages:
      - code: en
        name: English
      - code: uk
        name: Українська
        title: ...
        verdicts:
          - {slug: accurate, label: Правдиво, definition: ...}
"""

from __future__ import annotations

import re

from ..errors import Problems
from ..model.languages import Language, SiteTranslation
from ..model.site import Topic, Verdict
from .fields import Field
from .parse import Document
from .slugs import claimant_slug, slugify

LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")  # ISO 639: also what a translation's file name ends with (.uk.md)
DEFAULT_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")  # the default's files have no code: en-GB will do

LANGUAGE_FIELDS = {
    "code": Field("text", "uk", required=True, max_length=35),
    "name": Field("text", "Українська", required=True, max_length=100),
    "title": Field("text", "Перевірка тверджень", max_length=200),
    "tagline": Field("text", "Що звіти про гарантії безпеки повідомили правильно", max_length=500),
    "nonpartisanship": Field("text", "Ми не підтримуємо жодної партії.", max_length=3000),
    "organization_name": Field("text", "Редакція фактчекінгу", max_length=200),
    "verdicts": Field("records", "[{slug: accurate, label: Правдиво, definition: Твердження правильне.}]",
                      fields={"slug": Field("slug", "accurate", required=True),
                              "label": Field("text", "Правдиво", required=True, max_length=200),
                              "definition": Field("text", "Твердження правильне.")}, max_items=1000),
    "topics": Field("records", "[{slug: troops, name: Війська, description: Хто надсилає війська.}]",
                    fields={"slug": Field("slug", "troops", required=True),
                            "name": Field("text", "Війська", required=True, max_length=200),
                            "description": Field("text", "Хто надсилає війська.")}, max_items=1000),
    "claimants": Field("records", "[{name: Donald Trump, translation: Дональд Трамп}]",
                       fields={"name": Field("text", "Donald Trump", required=True, max_length=200),
                               "translation": Field("text", "Дональд Трамп", required=True, max_length=200)},
                       max_items=10000),
}


def site_languages(doc: Document, default: str, records: list, verdicts: list[Verdict], topics: list[Topic],
                   written: dict, problems: Problems) -> tuple[list[Language], dict[str, SiteTranslation]]:
    """The languages, the default first, and each other's texts. ``written``: site.yml's own
    values in the default language (its tagline, statement and organization's name)."""
    if not records:
        return [Language(default, default, "")], {}
    languages: list[Language] = []
    translations: dict[str, SiteTranslation] = {}
    for index, values in records:
        code = values["code"] or ""
        where = ("languages", index)
        if not (DEFAULT_CODE if not languages else LANGUAGE_CODE).fullmatch(code):
            problems.error(doc.path, doc.line(*where, "code"), f'"{code}" is not a language code',
                           "write the two-letter ISO 639-1 code in lower case, e.g. code: uk")
            continue
        if code in {language.code for language in languages}:
            problems.error(doc.path, doc.line(*where, "code"), f'the language "{code}" is listed twice',
                           "list each language once")
            continue
        language = Language(code, values["name"] or code, "" if not languages else f"{code}/")
        if not languages and code != default:
            problems.error(doc.path, doc.line(*where, "code"),
                           f'the first language is the default, "{code}", but language: says "{default}"',
                           f"write language: {code}, or list {default} first")
        languages.append(language)
        if len(languages) > 1:
            translations[code] = _translation(doc, where, language, values, verdicts, topics, written, problems)
    return languages, translations


def _check_scale(doc: Document, where: tuple, kind: str, entries: list, given: dict, defined: dict[str, str],
                 missing, problems: Problems) -> None:
    """Every verdict (or topic) site.yml defines is translated, with its definition (or
    description) if it has one, and nothing else is."""
    text = "definition" if kind == "verdicts" else "description"
    for slug, defined_text in defined.items():
        if slug not in given:
            missing((kind, slug), f"{{slug: {slug}, ...}} in its {kind}:")
        elif defined_text and not given[slug][1]:
            missing((kind, slug, text), f"the {text} of {slug}")
    for index, (_, entry) in enumerate(entries):
        if entry["slug"] and entry["slug"] not in defined:
            problems.error(doc.path, doc.line(*where, kind, index, "slug"), f'"{entry["slug"]}" is not one of the '
                           f"site's {kind}", f"translate only the {kind} site.yml defines: {', '.join(sorted(defined))}")


def _check_addresses(doc: Document, where: tuple, language: Language, topics: dict, claimants: dict, values: dict,
                     problems: Problems) -> None:
    """Two topics, or two claimants, whose translated names make the same address would share one
    page in the edition: each must have its own."""
    for kind, addresses in (("topics", {slug: entry[2] for slug, entry in topics.items()}),
                            ("claimants", {name: entry[1] for name, entry in claimants.items()})):
        seen: dict[str, str] = {}
        for index, (_, entry) in enumerate(values[kind]):
            key = entry["slug"] if kind == "topics" else entry["name"]
            address = addresses.get(key)
            if address is None:
                continue
            if address in seen and seen[address] != key:
                problems.error(doc.path, doc.line(*where, kind, index), f'in the {language.name} edition, "{key}" and '
                               f'"{seen[address]}" would share the address {kind}/{address}/',
                               "give each a name of its own in this language")
            seen.setdefault(address, key)


def _texts(values: dict) -> tuple[dict, dict, dict]:
    """The verdicts' texts by slug, the topics' (with the address made from the name) and the
    claimants' names (with theirs). An entry without its slug, label or name is reported by the
    field check; the rest are used."""
    verdicts = {entry["slug"]: (entry["label"], entry["definition"] or "") for _, entry in values["verdicts"]
                if entry["slug"] and entry["label"]}
    topics = {entry["slug"]: (entry["name"], entry["description"] or "", slugify(entry["name"]) or entry["slug"])
              for _, entry in values["topics"] if entry["slug"] and entry["name"]}
    claimants = {entry["name"]: (entry["translation"], claimant_slug(entry["translation"]))
                 for _, entry in values["claimants"] if entry["name"] and entry["translation"]}
    return verdicts, topics, claimants


def _translation(doc: Document, where: tuple, language: Language, values: dict, verdicts: list[Verdict],
                 topics: list[Topic], written: dict, problems: Problems) -> SiteTranslation:
    def missing(key: tuple, example: str) -> None:
        problems.error(doc.path, doc.line(*where, *key[:1]), f'the {language.name} ({language.code}) edition has no '
                       f'translation of {" ".join(map(str, key))}', f"add it under the language {language.code}: {example}")

    for name in ("title", "tagline", "nonpartisanship", "organization_name"):
        if written.get(name) and not values[name]:
            missing((name,), f"{name}: ...")
    given_verdicts, given_topics, claimants = _texts(values)
    for kind, given, defined in (("verdicts", given_verdicts, {v.slug: v.definition for v in verdicts}),
                                 ("topics", given_topics, {t.slug: t.description for t in topics})):
        _check_scale(doc, where, kind, values[kind], given, defined, missing, problems)
    _check_addresses(doc, where, language, given_topics, claimants, values, problems)
    return SiteTranslation(language, values["title"] or "", values["tagline"] or "", given_verdicts, given_topics,
                           claimants, values["nonpartisanship"], values["organization_name"])
