"""Reading the translations: `<slug>.<lang>.md` beside a claim, `<name>.<lang>.md` beside a page,
`<id>.<lang>.yml` beside a source (the layout Git-based editors call "multiple files").

A translation gives the texts: a claim's title, claim, summary and analysis, each citation's
note and a translation of its quote (the quote itself stays the source's words, which its
archived copy verifies), each correction's note and each reply. Everything else comes from the
original, and a translation may repeat it only unchanged: a verdict, date, topic or source that
differs is an error on its line, as an edition may not say what the original does not.
"""

from __future__ import annotations

import itertools
import operator
from dataclasses import dataclass
from pathlib import Path

from ..digest import record_key
from ..errors import Problems
from ..places import shift_between
from ..model.languages import ClaimTranslation, Language, Translations
from .claim_file import ClaimFile
from .claims_kept import AGAIN_AT_MOST
from .filecache import DocumentCache
from .listing import translation_files
from .parallel import read_many
from .reuse import Reuse
from .translation_files import ClaimTranslationFile, SourceTranslationFile, claim_translation, page_translation


def load_translations(content_dir: Path, languages: list[Language], claims: dict[str, ClaimFile],
                      problems: Problems, jobs: int = 1, cache: DocumentCache | None = None,
                      reuse: Reuse | None = None) -> dict[str, Translations]:
    """Every translation, by language; ``claims``: the original claims' files, by slug; ``reuse``:
    what the last update made, given again while unchanged: the folders' listings
    (listing.content_files) and each claim's translation (while its file and the original's are)."""
    reuse = reuse or Reuse()
    codes = [language.code for language in languages]
    listing = translation_files(content_dir / "claims", ".md", True, reuse, cache.named if cache else None)
    # The same object while the listing is: the file cache then asks only about the files saved (get_many).
    files = reuse.made(("claims' translations",), (listing, *codes),
                       lambda found: TranslationFiles.of(_of_known_languages(listing, codes, found), codes), problems)
    records = read_many(files.paths, ClaimTranslationFile, problems, jobs, cache)
    originals = list(map(claims.get, files.slugs))
    last = reuse.kept(("claims' translations read",))
    read = _read_again(last, files, records, originals, reuse, problems) or \
        _read_all(files, records, originals, codes, reuse, problems)
    reuse.computed(("claims' translations read",), (read,), lambda: read)  # for the next update's _read_again
    found = {code: Translations(read.found[code]) for code in codes[1:]}  # (its claims' are never changed)
    pages = translation_files(content_dir / "pages", ".md", reuse=reuse)
    for path, name, code in _of_known_languages(pages, codes, problems):
        page = page_translation(path, problems) if path.with_name(f"{name}.md").is_file() else \
            _translates_nothing(path, "page", name, code, problems)
        if page is not None:
            found[code].pages[name] = page
    source_files = [(path, name, code) for path, name, code in _of_known_languages(
        translation_files(content_dir / "sources", ".yml", reuse=reuse), codes, problems)
        if path.with_name(f"{name}.yml").is_file() or _translates_nothing(path, "source", name, code, problems)]
    read = read_many([path for path, _, _ in source_files], SourceTranslationFile, problems, jobs, cache)
    for (_, source_id, code), file in zip(source_files, read, strict=True):
        if file is not None and file.values["notes"]:
            found[code].sources[source_id] = (file.values["notes"], file.digest)
    for path, _, _ in translation_files(content_dir / "people", ".yml", reuse=reuse):
        problems.error(path, None, "people's files are not translated", "write the role and bio in the "
                       "publication's first language; the other editions show them as they are")
    return found


def _claim_translation_of(path: Path, slug: str, code: str, file: ClaimTranslationFile | None,
                          original: ClaimFile | None, problems: Problems, reuse: Reuse) -> ClaimTranslation | None:
    """What ``file`` translates of ``original``: made again only when either file changed (reuse.py)."""
    key = _translation_key(slug, code, file, original)
    if key is not None:
        return reuse.made(key, (file, original),
                          lambda reported: claim_translation(file, original, reported), problems)
    if original is None and not path.with_name(f"{slug}.md").is_file():  # (one that is has its own errors)
        _translates_nothing(path, "claim", slug, code, problems)
    return None


def _translation_key(slug: str, code: str, file: ClaimTranslationFile | None,
                     original: ClaimFile | None) -> str | None:
    """The key in reuse of what ``file`` translates of ``original``; None where it translates nothing."""
    return record_key("translation", code, slug) if file is not None and original is not None else None


def _translates_nothing(path: Path, kind: str, name: str, code: str, problems: Problems) -> None:
    folder = {"claim": "claims", "page": "pages", "source": "sources"}[kind]
    problems.error(path, None, f'there is no {kind} "{name}" for this to translate',
                   f"name it after the {kind}'s file: content/{folder}/<name>.{code}{path.suffix}")


@dataclass(frozen=True, eq=False)
class TranslationFiles:
    """The claims' translation files into the site's languages, each as (path, slug, code)."""

    files: list[tuple[Path, str, str]]
    paths: list[Path]
    slugs: list[str]
    translating: list[tuple[str, str]]  # what each translates: (slug, code)
    unique: bool  # no two translate the same claim into the same language (from folders apart)
    languages: set[str]  # the site's languages but the first, which they may be in

    @classmethod
    def of(cls, files: list[tuple[Path, str, str]], codes: list[str]) -> TranslationFiles:
        translating = [(slug, code) for _, slug, code in files]
        return cls(files, [path for path, _, _ in files], [slug for _, slug, _ in files], translating,
                   len(set(translating)) == len(files), set(codes[1:]))


@dataclass(frozen=True, eq=False)
class TranslationsRead:
    """What load_translations made of the claims' translation files, by their place in ``files``."""

    files: TranslationFiles  # this very object
    records: list[ClaimTranslationFile | None]  # each file's record, as the file cache gave it
    originals: list[ClaimFile | None]  # the record of the claim each translates, if any
    keys: list[str | None]  # the key in reuse of each translation made
    found: dict[str, dict[str, ClaimTranslation]]  # by language and slug: never changed once made


def _read_all(files: TranslationFiles, records: list, originals: list, codes: list[str], reuse: Reuse,
              problems: Problems) -> TranslationsRead:
    found: dict[str, dict[str, ClaimTranslation]] = {code: {} for code in codes[1:]}
    keys = []
    for (path, slug, code), file, original in zip(files.files, records, originals, strict=True):
        translation = _claim_translation_of(path, slug, code, file, original, problems, reuse)
        if translation is not None:
            found[code][slug] = translation
        keys.append(_translation_key(slug, code, file, original))
    return TranslationsRead(files, records, originals, keys, found)


def _read_again(last: TranslationsRead | None, files: TranslationFiles, records: list, originals: list,
                reuse: Reuse, problems: Problems) -> TranslationsRead | None:
    """``last``, with only the translations whose file or original's record is another object made
    again, and every other given again with what it reported (Reuse.carry); None, having done
    nothing, where the files are others or many changed. A file translating no claim is looked at
    every time, as reading them all does: its original may have come, or its message is reported again.
    Where a few files came or went, ``last`` is first carried to the new places (places.py)."""
    if last is None or not files.unique or last.found.keys() != files.languages:
        return None  # (a language added or taken out: every translation into it came or went)
    if last.files is not files:
        last = _shifted(last, files)
        if last is None:
            return None
    places = range(len(records))
    changed = sorted({*itertools.compress(places, map(operator.is_not, records, last.records)),
                      *itertools.compress(places, map(operator.is_not, originals, last.originals)),
                      *itertools.compress(places, map(operator.is_, originals, itertools.repeat(None)))})
    if len(changed) > AGAIN_AT_MOST:
        return None
    keys = reuse.carry_all_but(last.keys, changed, problems)
    found = {code: dict(claims) for code, claims in last.found.items()}
    for at in changed:
        (path, slug, code), file, original = files.files[at], records[at], originals[at]
        found[code].pop(slug, None)
        translation = _claim_translation_of(path, slug, code, file, original, problems, reuse)
        if translation is not None:
            found[code][slug] = translation
        keys[at] = _translation_key(slug, code, file, original)
    return TranslationsRead(files, records, originals, keys, found)


def _shifted(last: TranslationsRead, files: TranslationFiles) -> TranslationsRead | None:
    """``last`` at the places of ``files``, a listing of a few files that came or went since (their
    records there are None, so _read_again makes them); None if more came and went."""
    shift = shift_between(last.files.translating, files.translating, AGAIN_AT_MOST) if last.files.unique else None
    if shift is None:
        return None
    found = {code: dict(claims) for code, claims in last.found.items()}
    for at in shift.went:
        slug, code = last.files.translating[at]
        found[code].pop(slug, None)
    return TranslationsRead(files, shift.carry(last.records), shift.carry(last.originals), shift.carry(last.keys),
                            found)


def _of_known_languages(files: list[tuple[Path, str, str]], codes: list[str], problems: Problems) -> list:
    """The translations into the site's languages but the first, after reporting the others."""
    known = []
    for path, name, code in files:
        if code in codes[1:]:
            known.append((path, name, code))
        elif codes and code == codes[0]:
            problems.error(path, None, f'"{code}" is the site\'s first language, which the original is in',
                           f"write it in the original file, {name}{path.suffix}, and delete this one")
        else:
            problems.error(path, None, f'this is a translation into "{code}", which site.yml does not list',
                           f"add {code} to languages: in content/site.yml, or rename the file" if len(codes) > 1 else
                           "list the site's languages in content/site.yml (languages:), or rename the file")
    return known
