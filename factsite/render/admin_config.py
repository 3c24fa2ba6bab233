"""The editor's configuration, /admin/config.yml: Sveltia CMS's collections made from the
content's own tables (read/schema.py) and the site's settings (its verdicts, topics and
languages), so the form never offers what `factsite check` would refuse, nor lacks a field.

Each collection lists its fields in the order the schema, and so the repository's files, give
them: Sveltia writes a file's keys in its form's order, so an edit's diff stays small.
Translations: only the fields a translation may hold are `i18n: true` (read/translations.py);
the others are the original's alone and are neither shown nor written in a translation.
"""

from __future__ import annotations

from ..model.site import Site
from ..read.schema import (CITATION_FIELDS, CLAIM_FIELDS, CONTACT_FIELDS, CORRECTION_FIELDS, PAGE_FIELDS,
                           PAGE_INCLUDES, PERSON_FIELDS, SOURCE_FIELDS)
from ..read.translation_files import TRANSLATED_FIELDS

# factsite reads every date as YYYY-MM-DD text; a date picker without the time writes just that.
DATE = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
TEXT_AREA = {"claim", "summary", "quote", "note", "notes", "response", "bio", "description"}
LABELS = {"claim_wording": "Claim wording", "claimant_type": "Claimant type", "claimant_id": "Claimant page name",
          "claim_date": "Claim date", "appeared_in": "Appeared in (source)", "archive_url": "Archived copy's address",
          "image_credit": "Image credit", "url": "Address", "who": "Who", "source": "Source", "author": "Author",
          "editor": "Editor", "related": "Related claims", "aliases": "Old file names", "draft": "Draft",
          "sources": "Citations", "contacted": "Contacted", "corrections": "Corrections", "body": "Analysis"}


def label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


def relation(collection: str, multiple: bool = False) -> dict:
    """A link to another collection's file by its name (a source's id, a person's, a claim's slug)."""
    return {"widget": "relation", "collection": collection, "value_field": "{{slug}}",
            "search_fields": ["title" if collection != "people" else "name"],
            "display_fields": ["title" if collection != "people" else "name"], "multiple": multiple}


def select(options: list, multiple: bool = False) -> dict:
    return {"widget": "select", "options": options, "multiple": multiple}


def field(name: str, spec, widget: dict | None = None, i18n: bool = False, first: str = "") -> dict:
    """One field of a form: ``spec`` is its read/fields.Field, ``widget`` what edits it; a
    translated field (``i18n``) is required in the ``first`` language only, as a translation may
    wait (the claim is published without it)."""
    if widget is None and spec.choices:
        widget = select(list(spec.choices))  # the schema's own: a wording, a claimant's type, a stance, a kind
    if widget is None:
        widget = {"date": DATE, "bool": {"widget": "boolean"}, "int": {"widget": "number", "value_type": "int"}
                  }.get(spec.kind) or {"widget": "text" if name in TEXT_AREA else "string"}
    entry = {"name": name, "label": label(name), **widget, "required": spec.required}
    if i18n:
        entry.update(i18n=True, required=[first] if spec.required else False)
    return entry


def records(name: str, spec, subfields: list) -> dict:
    """A list of records (citations, corrections, contacts), each a small form."""
    one = {"sources": "Citation", "corrections": "Correction", "contacted": "Contact"}[name]
    return field(name, spec, {"widget": "list", "label_singular": one, "fields": subfields, "collapsed": False})


def claim_fields(site: Site) -> list[dict]:
    verdicts = select([{"label": v.label, "value": v.slug} for v in site.config.verdicts])
    topics = select([{"label": t.name, "value": t.slug} for t in site.config.topics], multiple=True)
    citation = [field("source", CITATION_FIELDS["source"], relation("sources")),
                field("quote", CITATION_FIELDS["quote"]), field("note", CITATION_FIELDS["note"]),
                field("stance", CITATION_FIELDS["stance"])]
    widgets = {
        "appeared_in": relation("sources"), "verdict": verdicts, "topics": topics,
        "author": relation("people", multiple=True), "editor": relation("people", multiple=True),
        "related": relation("claims", multiple=True), "aliases": {"widget": "list"},
    }
    lists = {"sources": [citation], "corrections": [_fields(CORRECTION_FIELDS)],
             "contacted": [_fields(CONTACT_FIELDS)]}
    fields, first = [], site.config.language
    for name, spec in CLAIM_FIELDS.items():
        if name == "topics" and not site.config.topics:
            continue  # no topic to offer: site.yml lists none, and check refuses any
        if name in lists:
            fields.append(records(name, spec, *lists[name]))
        else:
            fields.append(field(name, spec, widgets.get(name), i18n=name in TRANSLATED_FIELDS, first=first))
    return fields + [_body("Analysis", first)]


def _fields(table: dict) -> list[dict]:
    return [field(name, spec) for name, spec in table.items()]


def _body(title: str, first: str) -> dict:
    return {"name": "body", "label": title, "widget": "markdown", "i18n": True, "required": [first]}


def collections(site: Site) -> list[dict]:
    folder = {"create": True, "format": "frontmatter", "extension": "md", "slug": "{{slug}}", "summary": "{{title}}"}
    data = {"create": True, "format": "yml", "extension": "yml", "slug": "{{slug}}"}
    first = site.config.language
    source_fields = [field(name, spec, i18n=name == "notes", first=first) for name, spec in SOURCE_FIELDS.items()]
    page_fields = [field(name, spec, select(list(PAGE_INCLUDES), multiple=True) if name == "includes" else None,
                         i18n=name in ("title", "description"), first=first) for name, spec in PAGE_FIELDS.items()]
    return [
        {"name": "claims", "label": "Claims", "label_singular": "Claim", "folder": "content/claims", **folder,
         "i18n": True, "sortable_fields": ["published", "title"], "fields": claim_fields(site)},
        # A source's id is its file's name, which claims cite; its archived copy (<id>.txt) is not edited here.
        {"name": "sources", "label": "Sources", "label_singular": "Source", "folder": "content/sources", **data,
         "identifier_field": "title", "summary": "{{title}}", "i18n": True, "fields": source_fields},
        # People are not translated (read/translations.py refuses their translations).
        {"name": "people", "label": "People", "label_singular": "Person", "folder": "content/people", **data,
         "identifier_field": "name", "summary": "{{name}}", "i18n": False,
         "fields": [field(name, spec) for name, spec in PERSON_FIELDS.items()]},
        {"name": "pages", "label": "Pages", "label_singular": "Page", "folder": "content/pages", **folder,
         "i18n": True, "fields": [*page_fields, _body("Text", first)]},
    ]


def admin_config(site: Site) -> dict:
    """The whole configuration, as Sveltia CMS reads it."""
    codes = [language.code for language in site.config.languages] or [site.config.language]
    return {
        "backend": {"name": "github", "repo": site.config.repository, "branch": "main"},
        # Each draft is a branch and a pull request, which the Pages workflow checks before it is merged.
        "publish_mode": "editorial_workflow",
        "media_folder": "content/media",
        # No site_url: the same configuration serves the published site and the preview, at
        # another address, and the CMS's "view on site" link is all it is for.
        "i18n": {"structure": "multiple_files", "locales": codes, "default_locale": codes[0],
                 # <slug>.md for the first language, <slug>.uk.md beside it (read/listing.py)
                 "omit_default_locale_from_file_path": True,
                 # A new entry starts in the first language alone: an editor turns a translation on
                 # once there is one (an empty <slug>.uk.md fails check; a claim may wait for it).
                 "initial_locales": "default"},
        # factsite reads YAML 1.1 (PyYAML): every string quoted, so "yes", "on" or "1:30" stay text.
        "output": {"omit_empty_optional_fields": True, "yaml": {"quote": "double", "indent_sequences": True}},
        "collections": collections(site),
    }
