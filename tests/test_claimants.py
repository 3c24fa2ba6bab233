"""One claimant, one name: claimant addresses, their spellings, and names in any script.

A claimant's page, claimants/<address>/, has an address made from the name, which keeps
letters and digits only. A new claim spelling the name otherwise ("The Mayor (liar)") must
not rename the claimant on every page: it is an error naming both files, whichever file is
read first. `claimant_id` gives someone else of a like name an address of their own.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from factsite.engine import read_site

from factsite.commands.build import build, check
from factsite.errors import BuildFailed, ContentError
from factsite.read.slugs import claimant_slug, slugify

from .conftest import contents_of, write

BUDGET = "claims/budget-doubled.md"  # claimant: The Mayor (published 2025-03-10); draft-claim.md too


def a_claim_by(project, name: str, claimant: str, extra: str = "", published: str = "2025-06-01") -> Path:
    """A new published claim, ``name``.md, by ``claimant`` (written as YAML reads it)."""
    text = (project.content_dir / "claims/rain-record.md").read_text("utf-8")
    text = text.replace("title: Rain record", f"title: Claim {name}")
    text = text.replace("claimant: Weather Watchers\nclaimant_type: organization\n",
                        f"claimant: {json.dumps(claimant, ensure_ascii=False)}\n{extra}")
    text = text.replace("published: 2025-04-01", f"published: {published}")
    return write(project.content_dir / "claims" / f"{name}.md", text)


def errors_of(project) -> list[ContentError]:
    with pytest.raises(BuildFailed) as failed:
        read_site(project)
    return failed.value.problems.errors


def line_of(path: Path, start: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").split("\n"), 1) if line.startswith(start))


# Two spellings, one address --------------------------------------------------------------

SPELLINGS = {  # each makes the address claimants/the-mayor/, which "The Mayor" has
    "an emoji added": "The Mayor (\U0001f925)",
    "punctuation": "The Mayor!",
    "hyphen": "The-Mayor",
    "lower case": "the mayor",
    "upper case": "THE MAYOR",
    "accent": "The Mayör",
    "combining accent": "The Mayor\u0301",
    "full-width letters": "\uff34\uff48\uff45 \uff2d\uff41\uff59\uff4f\uff52",
    "Cyrillic look-alike": "\u0422he Mayor",
    "right-to-left override": "The Mayor\u202e",
    "zero-width space": "The Mayor\u200b",
    "HTML entity": "The Mayor &amp;",
}


@pytest.mark.parametrize("name", sorted(SPELLINGS))
@pytest.mark.parametrize("first", [True, False], ids=["read-first", "read-last"])
def test_another_spelling_of_a_claimants_address_is_an_error_naming_both_files(project, name, first):
    spelling = SPELLINGS[name]
    new = a_claim_by(project, "aaa-new" if first else "zzz-new", spelling)
    [error] = errors_of(project)
    budget = project.content_dir / BUDGET
    assert (error.path, error.line) == (new, line_of(new, "claimant:"))
    assert f"{budget}:{line_of(budget, 'claimant:')}" in error.message
    assert f'"{unicodedata.normalize("NFC", spelling)}"' in error.message and '"The Mayor"' in error.message
    assert "claimants/the-mayor/" in error.message
    assert "claimant: The Mayor," in error.hint and "claimant_id: the-mayor-2" in error.hint


OTHER_NAMES = {"The Mayor (liar)": "the-mayor-liar", "The Mayor (брехун)": "the-mayor-brekhun",
               "<b>The Mayor</b>": "b-the-mayor-b", "Мер": "mer"}


@pytest.mark.parametrize("first", [True, False], ids=["read-first", "read-last"])
def test_a_name_with_more_letters_is_another_claimant(project, first):
    for number, name in enumerate(OTHER_NAMES):
        a_claim_by(project, f"{'aaa' if first else 'zzz'}-{number}", name)
    site, _ = read_site(project)
    assert {c.slug: c.name for c in site.claimants} == {
        "the-mayor": "The Mayor", "weather-watchers": "Weather Watchers", **{v: k for k, v in OTHER_NAMES.items()}}


def test_the_build_and_the_check_refuse_it_alike_and_keep_the_site(project, tmp_path):
    out = tmp_path / "site"
    build(project, out, search=False, cards=False)
    before = contents_of(out)
    a_claim_by(project, "aaa-liar", "The Mayor (\U0001f925)")
    with pytest.raises(BuildFailed):
        build(project, out, search=False, cards=False)
    assert contents_of(out) == before
    assert "\\ud83e" not in (out / "claims.json").read_text("utf-8")
    with pytest.raises(BuildFailed) as failed:
        check(project)
    [error] = failed.value.problems.errors
    assert 'the claimant "The Mayor (\U0001f925)" would share the page' in error.message


def test_the_spelling_most_claims_give_is_kept_whatever_file_comes_first(project):
    """Two claims say "The Mayor"; the one that says "the mayor" is reported, even when it
    is read first (and when it was published first)."""
    odd = a_claim_by(project, "aaa-odd", "the mayor", published="2024-01-01")
    a_claim_by(project, "zzz-usual", "The Mayor")
    [error] = errors_of(project)
    assert error.path == odd and '"the mayor"' in error.message
    assert "claimant: The Mayor," in error.hint


def test_with_as_many_claims_each_the_spelling_published_first_is_kept(project):
    (project.content_dir / "claims/draft-claim.md").unlink()  # the other claim by "The Mayor"
    newer = a_claim_by(project, "aaa-newer", "THE MAYOR", published="2025-12-01")
    [error] = errors_of(project)
    assert error.path == newer and "claimant: The Mayor," in error.hint
    newer.unlink()
    older = a_claim_by(project, "zzz-older", "THE MAYOR", published="2020-01-01")
    [error] = errors_of(project)
    assert error.path == project.content_dir / BUDGET and "claimant: THE MAYOR," in error.hint
    assert f"{older}:" in error.message


def test_every_claim_with_another_spelling_is_reported_once(project):
    files = [a_claim_by(project, f"liar-{n}", "The Mayor!") for n in range(2)]  # as many as "The Mayor"
    files.append(a_claim_by(project, "other", "The Mayor."))
    errors = errors_of(project)
    assert sorted(e.path for e in errors) == sorted(files)


WHITESPACE = ["The  Mayor", "The Mayor ", "The\u00a0Mayor", "The\u2003Mayor", "The\nMayor"]


@pytest.mark.parametrize("spelling", WHITESPACE, ids=["two-spaces", "trailing", "nbsp", "em-space", "newline"])
def test_spacing_a_reader_cannot_see_is_one_spelling(project, tmp_path, spelling):
    a_claim_by(project, "aaa-spaced", spelling)
    out = tmp_path / "site"
    build(project, out, search=False, cards=False)
    [mayor] = [c for c in read_site(project)[0].claimants if c.slug == "the-mayor"]
    assert mayor.name == "The Mayor" and len(mayor.claims) == 2
    assert "<h1>The Mayor</h1>" in (out / "claimants/the-mayor/index.html").read_text("utf-8")


def test_a_letter_written_with_a_combining_accent_is_one_spelling(project):
    decomposed = unicodedata.normalize("NFD", "Zoë Smith")
    a_claim_by(project, "aaa-decomposed", decomposed)
    a_claim_by(project, "zzz-composed", "Zoë Smith")
    [zoe] = [c for c in read_site(project)[0].claimants if c.slug == "zoe-smith"]
    assert zoe.name == "Zoë Smith" != decomposed and len(zoe.claims) == 2


def test_the_same_spelling_gives_the_same_error_in_every_order(project, tmp_path):
    """The error does not depend on which file is read first: here the files swap names."""
    a_claim_by(project, "aaa-one", "The Mayor!")
    first = [(e.path.name, e.line, e.message.replace("aaa-one", "X")) for e in errors_of(project)]
    (project.content_dir / "claims/aaa-one.md").rename(project.content_dir / "claims/zzz-one.md")
    second = [(e.path.name, e.line, e.message.replace("zzz-one", "X")) for e in errors_of(project)]
    assert [(line, message) for _, line, message in first] == [(line, message) for _, line, message in second]


# claimant_id ------------------------------------------------------------------------------------

def test_claimant_id_gives_someone_else_a_page_of_their_own(project, tmp_path):
    a_claim_by(project, "aaa-other-mayor", "The Mayor!", extra="claimant_id: the-mayor-liar\n")
    a_claim_by(project, "namesake", "The Mayor", extra="claimant_id: the-mayor-of-elsewhere\n")
    out = tmp_path / "site"
    build(project, out, search=False)
    names = {c.slug: c.name for c in read_site(project)[0].claimants}
    assert names == {"the-mayor": "The Mayor", "the-mayor-liar": "The Mayor!",
                     "the-mayor-of-elsewhere": "The Mayor", "weather-watchers": "Weather Watchers"}
    assert "<h1>The Mayor</h1>" in (out / "claimants/the-mayor/index.html").read_text("utf-8")
    assert "<h1>The Mayor!</h1>" in (out / "claimants/the-mayor-liar/index.html").read_text("utf-8")
    assert "The Mayor!" not in (out / "claims/budget-doubled/index.html").read_text("utf-8")
    feed = json.loads((out / "claims.json").read_text("utf-8"))
    authors = {e["itemReviewed"]["author"]["name"] for e in feed["dataFeedElement"]}
    assert authors == {"The Mayor", "The Mayor!", "Weather Watchers"}


def test_a_claimant_id_taken_by_another_spelling_is_the_same_error(project):
    new = a_claim_by(project, "new", "Mayor Jones", extra="claimant_id: the-mayor\n")
    [error] = errors_of(project)
    assert error.path == new and '"Mayor Jones" would share the page claimants/the-mayor/' in error.message


def test_the_address_the_hint_suggests_is_free(project):
    a_claim_by(project, "namesake", "Someone Else", extra="claimant_id: the-mayor-2\n")
    a_claim_by(project, "new", "THE MAYOR")
    [error] = errors_of(project)
    assert error.hint.endswith("claimant_id: the-mayor-3")


def test_claimants_with_their_own_address_may_share_a_spelling(project):
    a_claim_by(project, "one", "Jo Bloggs", extra="claimant_id: jo-bloggs-1\n")
    a_claim_by(project, "two", "Jo  Bloggs", extra="claimant_id: jo-bloggs-2\n")
    site, _ = read_site(project)
    assert {c.slug: c.name for c in site.claimants if "jo" in c.slug} == {"jo-bloggs-1": "Jo Bloggs",
                                                                          "jo-bloggs-2": "Jo Bloggs"}


@pytest.mark.parametrize("value, expected", [
    ("Jo Bloggs", "must be lower-case letters, digits and hyphens"),
    ("jo--bloggs", "must be lower-case letters, digits and hyphens"),
    ("con", 'Windows keeps the name "con"'),
    ("x" * 201, "at most 200"),
    ("[jo-bloggs]", "must be lower-case letters, digits and hyphens"),
])
def test_claimant_id_is_a_slug(project, value, expected):
    new = a_claim_by(project, "new", "Jo Bloggs", extra=f"claimant_id: {value}\n")
    [error] = errors_of(project)
    assert (error.path, error.line) == (new, line_of(new, "claimant_id:"))
    assert expected in error.message and "claimant_id:" in error.hint


# Names in any script ----------------------------------------------------------------------------

# Ukrainian as the national standard writes it (Cabinet of Ministers resolution 55, 2010): its
# own examples, and names.
UKRAINIAN = {
    "Володимир Зеленський": "volodymyr-zelenskyi", "Юлія Тимошенко": "yuliia-tymoshenko",
    "Віталій Кличко": "vitalii-klychko", "Олена Зеленська": "olena-zelenska", "Петро Порошенко": "petro-poroshenko",
    "Борщагівка": "borshchahivka", "Вінниця": "vinnytsia", "Згорани": "zghorany", "Ґалаґан": "galagan",
    "Єнакієве": "yenakiieve", "Їжакевич": "yizhakevych", "Йосипівка": "yosypivka", "Стрий": "stryi",
    "Київ": "kyiv", "Миколаїв": "mykolaiv", "Ужгород": "uzhhorod", "Харків": "kharkiv", "Гоща": "hoshcha",
    "Корюківка": "koriukivka", "Яготин": "yahotyn", "Знам'янка": "znamianka", "Знам’янка": "znamianka",
    "Знамʼянка": "znamianka", "Феодосія": "feodosiia", "В'ячеслав": "viacheslav",
}


@pytest.mark.parametrize("name", sorted(UKRAINIAN))
def test_ukrainian_names_get_readable_addresses(name):
    assert claimant_slug(name) == UKRAINIAN[name]
    assert claimant_slug(unicodedata.normalize("NFD", name)) == UKRAINIAN[name]  # й, ї written with a mark


def test_names_in_other_scripts_keep_apart():
    names = ["Кит Іванов", "Кіт Іванов", "Лисенко", "Лісенко", "Олександр Зеленський", "Олена Зеленська",
             "Дмитро Кулеба", "Дмитрий Песков", "Mykola Azarov", "Ангела Меркель", "Ελληνική Δημοκρατία",
             "習近平", "Björk Guðmundsdóttir", "Straße", "Łódź", "Ørsted"]
    slugs = [claimant_slug(name) for name in names]
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", slug) for slug in slugs), slugs  # no digest: readable
    assert len(set(slugs)) == len(names), slugs


def test_a_ukrainian_claimant_is_published_at_a_readable_address(project, tmp_path):
    a_claim_by(project, "zelenskyi", "Володимир Зеленський")
    a_claim_by(project, "tymoshenko", "Юлія Тимошенко")
    out = tmp_path / "site"
    build(project, out, search=False)
    page = (out / "claimants/volodymyr-zelenskyi/index.html").read_text("utf-8")
    assert "<h1>Володимир Зеленський</h1>" in page
    assert (out / "claimants/yuliia-tymoshenko/index.html").is_file()


def test_the_addresses_of_the_published_claimants_stay_as_they_were():
    """Names written in Latin letters keep the addresses they had before names were transliterated."""
    for name, slug in {"Emmanuel Macron": "emmanuel-macron", "Volodymyr Zelenskyy": "volodymyr-zelenskyy",
                       "Twenty-six countries report": "twenty-six-countries-report", "The Post News": "the-post-news",
                       "Zoë Smith": "zoe-smith", "Don't Panic Ltd": "don-t-panic-ltd"}.items():
        assert claimant_slug(name) == slug


def test_new_names_a_file_after_a_ukrainian_title(project, monkeypatch):
    from factsite.commands.scaffold import new_claim

    path = new_claim(project.content_dir, "Зеленський про ракети ERAM")
    assert path.name == "zelenskyi-pro-rakety-eram.md"
    assert slugify("Зеленський про ракети ERAM") == "zelenskyi-pro-rakety-eram"


def test_a_file_named_in_cyrillic_is_told_a_latin_name(project):
    path = write(project.content_dir / "claims" / "зеленський.md",
                 (project.content_dir / "claims/rain-record.md").read_text("utf-8"))
    [error] = [e for e in errors_of(project) if e.path == path]
    assert 'rename it to "zelenskyi.md"' in error.hint
