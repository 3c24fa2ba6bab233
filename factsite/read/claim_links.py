"""Linking one claim file to the rest of the content: its verdict and topics (site.yml), the
sources it cites and appeared in, the people of its byline and the claims it calls related.
A name that is not there is reported on its line, with the names that are."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Problems, did_you_mean
from ..model.site import Citation, Person, SiteConfig, Source, Topic, Verdict
from .claim_file import ClaimFile
from .quotes import quote_in_copy, where_quote_differs, words_in_copy


@dataclass
class ClaimContext:
    """What a claim file is checked against: the settings and the other files."""

    config: SiteConfig
    sources: dict[str, Source | None]  # None: a file with mistakes, reported on its own
    slugs: set[str]
    people: dict[str, Person | None]

    def __post_init__(self):
        self.verdicts = {v.slug: v for v in self.config.verdicts}
        # In the order claims list them: by name.
        self.topics = {t.slug: t for t in sorted(self.config.topics, key=lambda t: t.name.lower())}
        self.topic_order = {slug: number for number, slug in enumerate(self.topics)}


REQUIRED = ("title", "claim", "claimant", "summary", "published")


def complete(file: ClaimFile, context: ClaimContext) -> bool:
    """Whether the file says enough for a claim to be made of it: a known verdict, and every
    field a claim must have."""
    values = file.values
    return values["verdict"] in context.verdicts and all(values[name] is not None for name in REQUIRED)


def verdict_of(file: ClaimFile, context: ClaimContext, problems: Problems) -> Verdict | None:
    verdict = context.verdicts.get(file.values["verdict"])
    if file.values["verdict"] and verdict is None:
        problems.error(file.path, file.line("verdict"), f'unknown verdict "{file.values["verdict"]}"',
                       did_you_mean(file.values["verdict"], context.verdicts))
    return verdict


def topics_of(file: ClaimFile, context: ClaimContext, problems: Problems) -> list[Topic]:
    """The topics the file names, in the order claims list them (by name)."""
    topics = context.topics
    for index, name in enumerate(file.values["topics"]):
        if name not in topics:
            problems.error(file.path, file.line("topics", index), f'unknown topic "{name}"',
                           did_you_mean(name, topics) + " (topics are listed in content/site.yml)")
    named = sorted(set(file.values["topics"]) & topics.keys(), key=context.topic_order.get)
    return [topics[name] for name in named]


def appeared_in_of(file: ClaimFile, context: ClaimContext, problems: Problems) -> Source | None:
    """The source the claim appeared in, whose copy holds its words if they are given verbatim."""
    name, sources = file.values["appeared_in"], context.sources
    if not name:
        return None
    if name not in sources:
        problems.error(file.path, file.line("appeared_in"), f'unknown source "{name}"',
                       did_you_mean(name, sources) + " (sources are files in content/sources/)")
    source = sources.get(name)
    if source is not None and file.values["claim_wording"] == "verbatim":
        check_verbatim(file, source, problems)
    return source


def people_named(file: ClaimFile, field: str, people: dict[str, Person | None], problems: Problems,
                 named: list[Person] | None = None) -> list[Person]:
    """The people a claim's ``author:`` or ``editor:`` names, each an id of content/people/;
    ``named``: those an earlier field named (a person is named once in a byline)."""
    found: list[Person] = []
    for index, name in enumerate(file.values[field]):
        person = people.get(name)
        if name not in people:
            hint = (did_you_mean(name, people) + " (people are files in content/people/, named by their file "
                    "name without .yml)") if people else f"create content/people/{name}.yml with name, role and bio"
            problems.error(file.path, file.line(field, index), f'unknown person "{name}"', hint.lstrip())
        elif person is not None and (person in found or person in (named or [])):
            problems.warning(file.path, file.line(field, index), f'"{name}" is named twice in the byline',
                             f"name each person once: as {field} or in the other of author and editor")
        elif person is not None:
            found.append(person)
    return found


def check_verbatim(file: ClaimFile, source: Source, problems: Problems) -> None:
    """A claim given as its claimant's exact words is found in the copy of where it appeared, if kept."""
    if source.archived_text is not None and not words_in_copy(file.values["claim"] or "", source):
        problems.error(
            file.path, file.line("claim"),
            f'the claim is marked verbatim, but its words do not appear in the archived copy of "{source.id}"',
            f"copy the claimant's words exactly from {source.path.with_suffix('.txt').name}, "
            "or write claim_wording: paraphrase if the claim is put in your own words",
        )


def check_related(file: ClaimFile, slug: str, slugs: set[str], problems: Problems) -> None:
    """Each claim the file names as related is another claim's file name."""
    for index, name in enumerate(file.values["related"]):
        if name not in slugs:
            problems.error(file.path, file.line("related", index), f'unknown related claim "{name}"',
                           did_you_mean(name, slugs) + " (related claims are file names without .md)")
        elif name == slug:
            problems.error(file.path, file.line("related", index), "a claim cannot be related to itself",
                           f'remove "{name}" from related')


def citation_from(doc: ClaimFile, index: int, entry: dict, sources: dict[str, Source],
                  problems: Problems) -> Citation | None:
    source = sources.get(entry["source"])
    if entry["source"] and entry["source"] not in sources:
        problems.error(doc.path, doc.line("sources", index, "source"), f'unknown source "{entry["source"]}"',
                       did_you_mean(entry["source"], sources) + " (sources are files in content/sources/)")
    if source is None or not entry["stance"]:
        return None
    if not entry["quote"]:
        if not entry["note"]:
            problems.warning(doc.path, doc.line("sources", index),
                             f'the source "{source.id}" is cited with neither a quote nor a note',
                             "add quote: with the source's exact words that bear on the claim, "
                             "or note: with what the source shows, in your own words")
        return Citation(source, "", entry["stance"], entry["note"] or "")
    if source.archived_text is not None and not quote_in_copy(entry["quote"], source):
        differs = where_quote_differs(entry["quote"], source)
        problems.error(
            doc.path, doc.line("sources", index, "quote"),
            f'the quote does not appear in the archived copy of "{source.id}"' + (f": {differs}" if differs else ""),
            f"copy the words exactly from {source.path.with_suffix('.txt').name}; "
            "only spacing and straight or curly quotation marks may differ",
        )
    return Citation(source, entry["quote"], entry["stance"], entry["note"] or "")
