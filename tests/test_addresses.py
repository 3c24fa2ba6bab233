"""Published addresses keep working: a claim's old addresses (`aliases:`) redirect to it, and a
withdrawn fact-check's address (content/withdrawn.yml) says when and why it was withdrawn.

The `basic` fixture has one of each: budget-doubled lists `aliases: [spending-doubled]`, and
withdrawn.yml records eclipse-forecast (with its own old address, solar-eclipse).
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from factsite.engine import read_site

from factsite.commands.build import build, check
from factsite.commands.cli import main
from factsite.errors import BuildFailed
from factsite.read.fields import MAX_NAME, MAX_SLUG_LENGTH

from .conftest import REPO, write
from .serving import serve
from .sitemaps import sitemap_entries, sitemap_text
from .test_corrections import copy_site, replace
from .tools import CI_NODE_MODULES, require

BUDGET, RAIN, DRAFT = "claims/budget-doubled.md", "claims/rain-record.md", "claims/draft-claim.md"
ALIASES_LINE = 27  # of budget-doubled.md
CSP = re.search(r'<meta http-equiv="Content-Security-Policy" content="[^"]+">',
                (REPO / "templates/base.html").read_text("utf-8"))[0]
SUBPATH = "https://owner.github.io/repo/"


def errors_of(project) -> list[str]:
    """`check`'s errors as `path:line: message | hint`, paths relative to the content folder."""
    try:
        read_site(project)
        return []
    except BuildFailed as failure:
        return [f"{Path(e.path).relative_to(project.content_dir).as_posix()}:{e.line}: {e.message} | {e.hint}"
                for e in failure.problems.errors]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture built for a project subpath, as GitHub Pages serves it."""
    from factsite.engine import Project

    root = tmp_path_factory.mktemp("addresses")
    shutil.copytree(REPO / "tests/fixtures/basic/content", root / "content")
    project = Project(root / "content", REPO / "templates", REPO / "static")
    build(project, root / "site", base_url=SUBPATH, cards=False)
    return root / "site"


# The pages at old addresses ----------------------------------------------------------------

def test_an_alias_is_a_page_that_sends_the_reader_on_without_javascript(built):
    page = (built / "claims/spending-doubled/index.html").read_text("utf-8")
    assert '<meta http-equiv="refresh" content="0; url=/repo/claims/budget-doubled/">' in page
    assert f'<link rel="canonical" href="{SUBPATH}claims/budget-doubled/">' in page
    assert '<a href="/repo/claims/budget-doubled/">Budget doubled</a>' in page  # to follow by hand
    assert '<meta name="robots" content="noindex">' in page
    assert CSP in page, "the same Content-Security-Policy as every other page"
    assert "<script" not in page
    assert len(page) < 1200


def test_old_addresses_are_in_no_sitemap_feed_data_or_search(built):
    for name in ("sitemap.xml", "feed.xml", "claims.json", "search/facets.json"):
        text = sitemap_text(built) if name == "sitemap.xml" else (built / name).read_text("utf-8")
        for old in ("spending-doubled", "solar-eclipse", "eclipse-forecast"):
            assert old not in text, f"{name} names {old}"
    assert len(sitemap_entries(built)) > 10
    # Pagefind's index: a fragment (gzip, after a short header) for each page it holds.
    indexed = sorted(json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
                     for path in (built / "pagefind").rglob("*.pf_fragment"))
    assert indexed == ["/claims/budget-doubled/", "/claims/rain-record/"]  # (Pagefind adds the base path)


def test_a_withdrawn_fact_check_says_when_and_why_at_its_address(built):
    page = (built / "claims/eclipse-forecast/index.html").read_text("utf-8")
    assert "<h1>Withdrawn: Eclipse forecast</h1>" in page
    assert '<time datetime="2025-05-10">10 May 2025</time>' in page
    assert "The forecast was for another city" in page
    assert 'href="/repo/corrections/"' in page
    assert CSP in page
    # Its own old address leads there too, and the corrections page lists it.
    assert 'url=/repo/claims/eclipse-forecast/"' in (built / "claims/solar-eclipse/index.html").read_text("utf-8")
    corrections = (built / "corrections/index.html").read_text("utf-8")
    assert ('<a href="/repo/claims/eclipse-forecast/">Eclipse forecast</a> (its verdict was False): '
            "The forecast was for another city") in corrections


def test_a_fact_check_published_again_takes_its_address_back(project, tmp_path):
    """The record stays (it is history, and the corrections page lists it); the address shows the claim."""
    write(project.content_dir / "claims/eclipse-forecast.md",
          (project.content_dir / RAIN).read_text("utf-8").replace("title: Rain record", "title: Eclipse again"))
    build(project, tmp_path / "site", cards=False, search=False)
    page = (tmp_path / "site/claims/eclipse-forecast/index.html").read_text("utf-8")
    assert ">Eclipse again</h1>" in page and "Withdrawn" not in page
    assert "Eclipse forecast</a> (its verdict was False)" in (tmp_path / "site/corrections/index.html").read_text()


def test_the_pages_at_old_addresses_are_valid_html(built):
    jar = CI_NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    require(jar if jar.is_file() else None, "vnu-jar", "npm ci --prefix .ci")
    java = require(shutil.which("java"), "Java", "apt-get install openjdk-17-jre-headless")
    pages = [str(built / "claims" / name / "index.html") for name in ("spending-doubled", "solar-eclipse",
                                                                        "eclipse-forecast")]
    result = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json", *pages],
                            capture_output=True, text=True)
    assert json.loads(result.stderr or '{"messages": []}')["messages"] == []


def test_a_browser_follows_an_old_address_under_a_subpath_with_javascript_off(browser, tmp_path):
    from factsite.engine import Project

    shutil.copytree(REPO / "tests/fixtures/basic/content", tmp_path / "content")
    project = Project(tmp_path / "content", REPO / "templates", REPO / "static")
    out = tmp_path / "site"
    with serve(out, "/repo/") as port:
        base = f"http://127.0.0.1:{port}/repo/"
        build(project, out, base_url=base, cards=False, search=False)
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(base + "claims/spending-doubled/")
        page.wait_for_url(base + "claims/budget-doubled/")
        assert page.locator("h1").inner_text() == "Budget doubled"
        page.goto(base + "claims/solar-eclipse/")
        page.wait_for_url(base + "claims/eclipse-forecast/")
        assert page.locator("h1").inner_text() == "Withdrawn: Eclipse forecast"
        context.close()
        assert not [error for error in errors if "Content Security Policy" in error], errors


# Aliases in claim files --------------------------------------------------------------------

@pytest.mark.parametrize("alias, message", [
    ("rain-record", 'the alias "rain-record" is the address of another claim, '),
    ("draft-claim", 'the alias "draft-claim" is the address of another claim, '),  # a draft takes it when published
    ("budget-doubled", '"budget-doubled" is this claim\'s own address, not an old one'),
    ("spending-doubled", 'the alias "spending-doubled" is listed earlier in this list already'),
])
def test_an_alias_that_is_taken_is_an_error_naming_both_files(project, alias, message):
    replace(project.content_dir / BUDGET, "aliases: [spending-doubled]", f"aliases: [spending-doubled, {alias}]")
    [error] = errors_of(project)
    assert error.startswith(f"{BUDGET}:{ALIASES_LINE}: {message}")
    if "another claim" in message:
        assert str(project.content_dir / "claims" / f"{alias}.md") in error


def test_an_alias_in_two_claims_is_an_error_naming_the_other(project):
    replace(project.content_dir / RAIN, "published: 2025-04-01", "published: 2025-04-01\naliases: [spending-doubled]")
    [error] = errors_of(project)
    # Files are read in order of their names: budget-doubled.md has it first.
    assert error.startswith(f'{RAIN}:14: the alias "spending-doubled" is listed in '
                            f"{project.content_dir / BUDGET} already")
    assert error.endswith("keep it in one claim's aliases only")


HOSTILE_ALIASES = ["../../outside", "a/b", "con", "NUL", "Budget", "x\\y", ".hidden", "-x", "a--", "é",
                   "x" * (MAX_SLUG_LENGTH + 1), "claims/x", "%2e%2e", "a b"]


@pytest.mark.parametrize("alias", HOSTILE_ALIASES)
def test_a_hostile_alias_is_refused_before_anything_is_written(project, tmp_path, alias):
    replace(project.content_dir / BUDGET, "aliases: [spending-doubled]", f"aliases: [{json.dumps(alias)}]")
    [error] = errors_of(project)
    if len(alias) > MAX_NAME:  # refused as too long before it is looked at as an address
        assert error.startswith(f'{BUDGET}:{ALIASES_LINE}: a name in "aliases" is longer than {MAX_NAME} characters')
    else:
        assert error.startswith(f'{BUDGET}:{ALIASES_LINE}: the alias "{alias}" cannot be an address: ')
        assert "e.g. aliases: [" in error
    with pytest.raises(BuildFailed):
        build(project, tmp_path / "build" / "site", cards=False, search=False)
    assert not (tmp_path / "build").exists() and not (tmp_path / "outside").exists()


def test_check_and_build_refuse_a_bad_alias_alike(tmp_path, monkeypatch):
    folder = copy_site(tmp_path / "newsroom")
    replace(folder / "content" / BUDGET, "aliases: [spending-doubled]", "aliases: [rain-record]")
    monkeypatch.chdir(folder)
    runner = CliRunner()
    checked = runner.invoke(main, ["check"], catch_exceptions=False)
    built_ = runner.invoke(main, ["build", "--no-search", "--no-cards"], catch_exceptions=False)
    line = f"content/{BUDGET}:{ALIASES_LINE}: error: the alias"
    assert checked.exit_code == built_.exit_code == 1
    assert line in checked.output and line in built_.output


# content/withdrawn.yml ---------------------------------------------------------------------

@pytest.mark.parametrize("entry, line, message", [
    ('  - {claim: x, title: X, date: 2025-01-01, verdict: flase, note: N.}', 8, 'unknown verdict "flase"'),
    ('  - {claim: eclipse-forecast, title: X, date: 2025-01-01, verdict: unproven, note: N.}', 8,
     '"eclipse-forecast" is recorded as withdrawn twice'),
    ('  - {claim: x, title: X, date: 2025-01-01, verdict: unproven}', 8, 'missing required field "note"'),
    ('  - {claim: ../x, title: X, date: 2025-01-01, verdict: unproven, note: N.}', 8, '"claim" must be lower-case'),
    ('  - {claim: x, title: X, date: 2025-02-30, verdict: unproven, note: N.}', 8, '"date" is not a real date'),
    ('  - {claim: x, title: X, date: 2025-01-01, verdict: unproven, note: N., aliases: [rain-record]}', 8,
     'the alias "rain-record" is the address of a claim, '),
    ('  - {claim: x, title: X, date: 2025-01-01, verdict: unproven, note: N., aliases: [spending-doubled]}', 8,
     'the alias "spending-doubled" is the address of a claim, '),  # an alias of budget-doubled
    ('  - {claim: x, title: X, date: 2025-01-01, verdict: unproven, note: N., aliases: [solar-eclipse]}', 8,
     'the alias "solar-eclipse" is listed in this file already'),
    ('  - {claim: x, title: X, date: 2025-01-01, verdict: unproven, note: N., aliases: [eclipse-forecast]}', 8,
     'the alias "eclipse-forecast" is the address of a withdrawn fact-check'),
    ('  - {claim: x, title: X, date: 2025-01-01, verdict: unproven, note: N., aliases: [con]}', 8,
     'the alias "con" cannot be an address: Windows keeps'),
    ('  - {claim: x, title: X, date: 2025-01-01, verdict: unproven, note: N., reason: Y}', 8,
     'unknown field "reason"'),
])
def test_a_mistake_in_a_withdrawn_record_is_an_error_on_its_line(project, entry, line, message):
    with (project.content_dir / "withdrawn.yml").open("a", encoding="utf-8") as records:
        records.write(entry + "\n")
    [error] = errors_of(project)
    assert error.startswith(f"withdrawn.yml:{line}: {message}"), error
    assert error.split(" | ", 1)[1], "a hint"


def test_withdrawn_yml_as_a_link_is_refused(project, tmp_path):
    target = write(tmp_path / "elsewhere.yml", "withdrawn: []\n")
    (project.content_dir / "withdrawn.yml").unlink()
    (project.content_dir / "withdrawn.yml").symlink_to(target)
    [error] = errors_of(project)
    assert error.startswith("withdrawn.yml:None: ") and "link" in error


def test_a_site_without_withdrawn_yml_builds(project, tmp_path):
    (project.content_dir / "withdrawn.yml").unlink()
    replace(project.content_dir / BUDGET, "aliases: [spending-doubled]\n", "")
    build(project, tmp_path / "site", cards=False, search=False)
    assert not (tmp_path / "site/claims/eclipse-forecast").exists()
    assert "Withdrawn" not in (tmp_path / "site/corrections/index.html").read_text("utf-8")
    assert check(project).errors == []


def test_factsite_new_writes_every_field_of_a_claim_aliases_too(project):
    from factsite.read.schema import CLAIM_FIELDS
    from factsite.commands.scaffold import new_claim

    text = new_claim(project.content_dir, "A new check").read_text("utf-8")
    assert [name for name in CLAIM_FIELDS if not re.search(rf"^{name}:", text, re.MULTILINE)] == []
    assert "\naliases: []\n" in text
    assert errors_of(project) == []  # a draft, which may keep its placeholders
