"""A site in two languages: the fixture's English (en-GB, the default, at the root) and its
Ukrainian edition under uk/, made from the same claims with the translations beside them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from factsite.commands.build import build
from factsite.engine import Project, read_site
from factsite.errors import BuildFailed

from .conftest import with_ukrainian, write
from .sitemaps import sitemap_entries
from .test_incremental import EDITS, assert_same_as_cold, build_both_ways, replace, sites_both_ways

ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')
BASE = "https://example.org/"


@pytest.fixture
def project(project):
    return with_ukrainian(project)


@pytest.fixture
def built(project, tmp_path) -> Path:
    out = tmp_path / "site"
    build(project, out, use_cache=False)
    return out


def pages_of(site: Path) -> list[Path]:
    """Every page but 404, the pages at old addresses, which only lead to the new, and the editor
    at /admin/, one for every edition (the CMS switches language in its form)."""
    return [page for page in sorted(site.rglob("*.html"))
            if page.name != "404.html" and 'http-equiv="refresh"' not in page.read_text("utf-8")
            and page.relative_to(site).parts[0] != "admin"]


def test_hreflang_pairs_are_reciprocal_on_every_page(built):
    pages = pages_of(built)
    assert any(page.is_relative_to(built / "uk") for page in pages) and len(pages) > 40
    for page in pages:
        own = BASE + page.relative_to(built).as_posix().removesuffix("index.html")
        alternates = dict(ALTERNATE.findall(page.read_text("utf-8")))
        assert set(alternates) == {"en-GB", "uk", "x-default"}, page
        assert own in alternates.values() and alternates["x-default"] == alternates["en-GB"], page
        for code, url in alternates.items():
            target = built / url.removeprefix(BASE) / "index.html" if url.endswith("/") else built / url.removeprefix(BASE)
            assert target.is_file(), f"{page} names {url} ({code}), which is not built"
            assert dict(ALTERNATE.findall(target.read_text("utf-8"))) == alternates, f"{target} does not name {page} back"


def test_each_page_says_its_language_and_links_to_the_other(built):
    english = (built / "claims/budget-doubled/index.html").read_text("utf-8")
    ukrainian = (built / "uk/claims/budget-doubled/index.html").read_text("utf-8")
    assert '<html lang="en-GB">' in english and '<html lang="uk">' in ukrainian
    assert 'href="/uk/claims/budget-doubled/" hreflang="uk" lang="uk">Українська</a>' in english
    assert 'href="/claims/budget-doubled/" hreflang="en-GB" lang="en-GB">English</a>' in ukrainian
    assert "Бюджет подвоївся" in ukrainian and "Видатки зросли наполовину" in ukrainian
    assert "Неправда" in ukrainian  # the verdict's label in site.yml's Ukrainian
    # A link the translation wrote as in the original leads to the same edition's page.
    assert 'href="/uk/claims/rain-record/"' in ukrainian and 'href="/uk/methodology/"' in ukrainian
    # The quote stays the source's words, with the translation beside it.
    assert "the budget has doubled since 2020" in ukrainian and "бюджет подвоївся з 2020 року" in ukrainian


def test_a_claim_not_yet_translated_is_in_the_edition_in_its_own_language(built):
    page = (built / "uk/claims/rain-record/index.html").read_text("utf-8")
    assert '<html lang="uk">' in page
    assert 'lang="en-GB"' in page, "its English text is marked as English"
    assert '<p class="notice">Цей фактчек ще не перекладено' in page, "and the reader is told, in Ukrainian"
    listing = (built / "uk/index.html").read_text("utf-8")
    assert "/uk/claims/rain-record/" in listing and "/uk/claims/budget-doubled/" in listing
    assert listing.count("Ще не перекладено: мовою оригіналу.") == 1  # rain-record's card only


def test_names_made_addresses_are_transliterated_and_claim_addresses_kept(built):
    assert (built / "uk/claimants/mer/index.html").is_file()  # "Мер"
    assert (built / "uk/topics/biudzhet/index.html").is_file()  # "Бюджет"
    assert (built / "uk/claims/budget-doubled/index.html").is_file()
    page = (built / "uk/topics/biudzhet/index.html").read_text("utf-8")
    assert f'hreflang="en-GB" href="{BASE}topics/budget/"' in page


def test_claims_json_feeds_and_sitemap_carry_every_language(built):
    reviews = json.loads((built / "claims.json").read_text("utf-8"))["dataFeedElement"]
    by_language = {(review["inLanguage"], review["url"].removeprefix(BASE)) for review in reviews}
    assert ("uk", "uk/claims/budget-doubled/") in by_language
    assert ("en-GB", "claims/budget-doubled/") in by_language and len(reviews) == 3
    assert not any(url == "uk/claims/rain-record/" for _, url in by_language), "not yet translated: the original's"
    assert "<language>uk</language>" in (built / "uk/feed.xml").read_text("utf-8") or \
        'xml:lang="uk"' in (built / "uk/feed.xml").read_text("utf-8")
    assert "Бюджет подвоївся" in (built / "uk/feed.xml").read_text("utf-8")
    assert "Бюджет подвоївся" not in (built / "feed.xml").read_text("utf-8")
    xhtml = "{http://www.w3.org/1999/xhtml}link"
    entry = next(url for url in sitemap_entries(built) if url[0].text == BASE + "uk/claims/budget-doubled/")
    assert {link.get("hreflang"): link.get("href") for link in entry.iter(xhtml)} == {
        "en-GB": BASE + "claims/budget-doubled/", "uk": BASE + "uk/claims/budget-doubled/",
        "x-default": BASE + "claims/budget-doubled/"}


def problems_of(project) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        read_site(project)
    return [f"{item.path.name}:{item.line}: {item.message} | {item.hint}" for item in failed.value.problems.errors]


def test_a_translation_may_not_change_the_verdict_or_the_sources(project):
    path = project.content_dir / "claims/budget-doubled.uk.md"
    text = path.read_text("utf-8").replace('verdict: "false"', 'verdict: "true"')
    write(path, text.replace("  - source: council-data\n", "  - source: council-data\n  - source: council-data\n"))
    found = problems_of(project)
    assert any(p.startswith("budget-doubled.uk.md:5: \"verdict\" differs from the original (budget-doubled.md)")
               for p in found), found
    assert any("budget-doubled.uk.md:12:" in p and "no more sources entries with source council-data" in p
               for p in found), found


def test_site_yml_names_the_text_a_language_lacks(project):
    settings = project.content_dir / "site.yml"
    write(settings, settings.read_text("utf-8").replace("      - {slug: half-true, label: Напівправда, "
                                                        "definition: Твердження частково правильне.}\n", ""))
    found = problems_of(project)
    assert any("the Українська (uk) edition has no translation of verdicts half-true" in p for p in found), found


def test_translations_of_nothing_or_into_an_unlisted_language_are_errors(project):
    claims = project.content_dir / "claims"
    write(claims / "snow-record.uk.md", (claims / "budget-doubled.uk.md").read_text("utf-8"))
    write(claims / "budget-doubled.fr.md", (claims / "budget-doubled.uk.md").read_text("utf-8"))
    found = problems_of(project)
    assert any(p.startswith('snow-record.uk.md:None: there is no claim "snow-record"') for p in found), found
    assert any(p.startswith('budget-doubled.fr.md:None: this is a translation into "fr"') for p in found), found


def test_a_claim_gaining_a_correction_keeps_its_translated_ones(project, tmp_path):
    original = project.content_dir / "claims/budget-doubled.md"
    write(original, original.read_text("utf-8").replace(
        "corrections:\n", "corrections:\n  - date: 2025-03-10\n    note: A later fix.\n"))
    site, _ = read_site(project)
    claim = next(c for c in site.editions[0].claims if c.slug == "budget-doubled")
    assert [c.note for c in claim.corrections] == [
        "У попередній версії показник 2020 року було вказано як 11 мільйонів.", "A later fix."]


# Incremental builds of both editions -------------------------------------------------------

TRANSLATION_EDITS = {
    "translated title": lambda c: replace(c / "claims/budget-doubled.uk.md", "title: Бюджет подвоївся",
                                          "title: Бюджет справді подвоївся?"),
    "translated analysis": lambda c: replace(c / "claims/budget-doubled.uk.md", "Мер порівнює", "Мер знову порівнює"),
    "new translation": lambda c: write(c / "claims/rain-record.uk.md", "---\ntitle: Рекордний дощ\n"
                                       "claim: Минулого місяця був найдощовіший день.\nsummary: Дані не кажуть.\n"
                                       "---\nПеревіряти нічого.\n"),
    "translated verdict label": lambda c: replace(c / "site.yml", "label: Неправда", "label: Хибно"),
    "translated topic": lambda c: replace(c / "site.yml", "name: Погода", "name: Погода і клімат"),
    "translated claimant": lambda c: replace(c / "site.yml", "translation: Мер", "translation: Міський голова"),
    "deleted translation": lambda c: (c / "claims/rain-record.uk.md").unlink(),
    "translated page": lambda c: replace(c / "pages/about.uk.md", "title: Про нас", "title: Про редакцію"),
}


def test_every_edit_rebuilds_both_editions_to_the_same_bytes_as_a_cold_build(project, tmp_path, monkeypatch):
    sites = sites_both_ways(tmp_path)
    build_both_ways(project, sites, monkeypatch)
    for name, edit in {**EDITS, **TRANSLATION_EDITS}.items():
        edit(project.content_dir)
        build_both_ways(project, sites, monkeypatch)
        assert_same_as_cold(project, list(sites.values()), tmp_path, name)


def test_links_in_a_translation_lead_to_the_editions_pages_and_are_checked_there(project, tmp_path):
    translation = project.content_dir / "claims/budget-doubled.uk.md"
    text = translation.read_text("utf-8") + ("\nДив. [бюджет](/topics/budget/), [мера](/claimants/the-mayor/), "
                                            "[дані](/claims.json) і [зламане](/claims/nope/).\n")
    write(translation, text)
    out = tmp_path / "site"
    result = build(project, out, use_cache=False)
    page = (out / "uk/claims/budget-doubled/index.html").read_text("utf-8")
    for address in ("/uk/topics/biudzhet/", "/uk/claimants/mer/", "/claims.json", "/uk/claims/nope/"):
        assert f'href="{address}"' in page, address
    assert [(w.path.name, w.line, w.message) for w in result.warnings] == [
        ("budget-doubled.uk.md", text.count("\n"), 'the link "/uk/claims/nope/" leads to a page that does not exist')]


def test_every_mistake_in_site_ymls_languages_is_named_with_its_line(project):
    settings = project.content_dir / "site.yml"
    text = settings.read_text("utf-8").replace("{slug: weather, name: Погода}", "{slug: weather, name: Бюджет}")
    write(settings, text + "      - {name: Weather Watchers, translation: Мер}\n      - {name: Nobody}\n")
    found = problems_of(project)
    lines = (project.content_dir / "site.yml").read_text("utf-8").splitlines()
    assert found == [
        f'site.yml:{lines.index("      - {slug: weather, name: Бюджет}") + 1}: in the Українська edition, "weather" and '
        '"budget" would share the address topics/biudzhet/ | give each a name of its own in this language',
        f'site.yml:{len(lines) - 1}: in the Українська edition, "Weather Watchers" and "The Mayor" would share the '
        "address claimants/mer/ | give each a name of its own in this language",
        f'site.yml:{len(lines)}: missing required field "translation" | add a line: translation: Дональд Трамп']


def test_every_translation_of_nothing_is_an_error(project):
    write(project.content_dir / "pages/uk.md", "---\ntitle: Uk\n---\nText.\n")
    write(project.content_dir / "pages/abuot.uk.md", "---\ntitle: Про\n---\nТекст.\n")
    write(project.content_dir / "sources/no-such-source.uk.yml", "notes: Нотатки.\n")
    write(project.content_dir / "people/test-writer.uk.yml", "bio: Біографія.\n")
    found = problems_of(project)
    expected = ['"uk/" is where the site\'s edition in that language is',
                'there is no page "abuot" for this to translate', 'there is no source "no-such-source"',
                "people's files are not translated"]
    for message in expected:
        assert any(message in p for p in found), (message, found)


def test_a_mistake_in_the_interface_catalogue_stops_the_build_on_its_line(project, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(project.templates_dir, templates)
    catalogue = templates / "locale/uk/LC_MESSAGES/messages.po"
    text = catalogue.read_text("utf-8")
    broken = text.replace('msgstr[0] "Знайдено %(num)s фактчек."', 'msgstr[0] "Знайдено %(nmu)s фактчек."')
    assert broken != text
    write(catalogue, broken)
    with pytest.raises(BuildFailed) as failed:
        build(Project(project.content_dir, templates, project.static_dir), tmp_path / "site", use_cache=False)
    [problem] = failed.value.problems.errors
    line = broken[:broken.index("%(nmu)s")].count("\n")  # the entry's msgid, a line or two above
    assert problem.path == catalogue and line - 4 <= problem.line <= line
    assert "unknown named placeholder 'nmu'" in problem.message and "fact-check found" in problem.message


@pytest.mark.parametrize("autoescape", [True, False])
def test_the_interface_words_are_what_jinjas_own_gettext_gives(autoescape):
    """The templates' words, each looked up once (render/i18n.install_catalogue), are Jinja's
    newstyle gettext's: translated, a format string even without values, values escaped where
    the page escapes, as often as a page asks."""
    import jinja2

    from factsite.render.i18n import install_catalogue, translations

    catalogue = translations(Path(__file__).parent.parent / "templates", "uk")
    source = ('{{ _("Sources") }}|{{ _("50%% off") }}|{{ _("Sources") }}|{{ gettext("Analysis") }}|'
              '{{ _("<b>%(x)s</b>", x="<i>&") }}|{{ _("<b>%(x)s</b>", x="2") }}|{% trans who="<x>" %}We asked {{ who }}{% endtrans %}|'
              '{% trans count=3 %}{{ count }} correction{% pluralize %}{{ count }} corrections{% endtrans %}|'
              '{% trans string="<s>" %}Sources {{ string }}{% endtrans %}')
    pages = []
    for install in ("jinja", "remembered"):
        env = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
        if install == "jinja":
            env.install_gettext_translations(catalogue, newstyle=True)
        else:
            install_catalogue(env, catalogue)
        template = env.from_string(source)
        pages.append([template.render(), template.render()])
    assert pages[0] == pages[1]
    assert "Джерела" in pages[0][0] and "50% off" in pages[0][0]
    assert ("&lt;i&gt;&amp;" in pages[0][0]) is autoescape and "<b>2</b>" in pages[0][0]


def test_a_translated_page_linking_to_a_claimant_follows_the_claimants_new_address(project, tmp_path, monkeypatch):
    """A link written from the site's root leads to the edition's own page, under its name there
    (render/addresses.edition_path): a page or claim linking to a claimant is rendered again when
    the claimant's page there comes or goes (here, with the claimant's last claim)."""
    about, rain = project.content_dir / "pages/about.uk.md", project.content_dir / "claims/rain-record.md"
    write(about, about.read_text("utf-8") + "\nДив. [мера](/claimants/the-mayor/).\n")
    write(rain, rain.read_text("utf-8") + "\nSee [the mayor](/claimants/the-mayor/).\n")  # (not translated)
    sites = sites_both_ways(tmp_path)
    build_both_ways(project, sites, monkeypatch)
    for page in ("uk/about/index.html", "uk/claims/rain-record/index.html"):
        assert 'href="/uk/claimants/mer/"' in (sites["settled"] / page).read_text("utf-8")
    budget = project.content_dir / "claims/budget-doubled.md"
    replace(budget, "claimant: The Mayor\nclaimant_type: person", "claimant: Weather Watchers\nclaimant_type: organization")
    build_both_ways(project, sites, monkeypatch)
    assert_same_as_cold(project, list(sites.values()), tmp_path, "the claimant's last claim given to another")
