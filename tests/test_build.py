"""The build as a whole: golden output, links under a subpath, determinism, safety."""

from __future__ import annotations

import datetime as dt

import contextlib
import filecmp
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from factsite.engine import read_site

from factsite.commands.build import build
from factsite.errors import BuildFailed
from factsite.output.write import update_site
from factsite.render.renderer import FEED_SIZE, Renderer, join_url

from .conftest import FIXTURES, REPO, contents_of, copies_of_budget_doubled, with_ukrainian, write
from .links import all_links, resolve
from .sitemaps import sitemap_locations, sitemap_parts, sitemap_text

GOLDEN = FIXTURES / "basic" / "golden"


def files_of(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_golden_build_matches_file_by_file(project, tmp_path):
    """The fixture site, in English and Ukrainian, builds to exactly the reviewed output in
    tests/fixtures/basic/golden.

    After an intended change to templates or output, regenerate with
    `UPDATE_GOLDEN=1 python -m pytest tests/test_build.py` and review the diff.
    """
    out = tmp_path / "site"
    # Share cards and the search index depend on Pillow's and Pagefind's versions; they have tests of their own.
    build(with_ukrainian(project), out, cards=False, search=False)
    # The CMS at /admin/sveltia/ is the vendored copy, 3 MB, which tests/test_cms.py compares
    # byte for byte with static/admin/: it is not kept twice.
    shutil.rmtree(out / "admin" / "sveltia")
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    assert files_of(out) == files_of(GOLDEN)
    for name in files_of(GOLDEN):
        if name.endswith(".png"):
            continue  # the site's share image: its bytes depend on Pillow's version
        expected, actual = (GOLDEN / name).read_bytes(), (out / name).read_bytes()
        assert actual == expected, f"{name} differs from the golden copy"


def test_every_page_kind_is_built(project, tmp_path):
    out = tmp_path / "site"
    build(project, out)
    for path in ["index.html", "claims/budget-doubled/index.html", "claims/rain-record/index.html",
                 "verdicts/false/index.html", "verdicts/half-true/index.html", "topics/budget/index.html",
                 "claimants/the-mayor/index.html", "sources/city-paper/index.html",
                 "sources/city-paper/archived-copy.txt", "methodology/index.html", "corrections/index.html",
                 "feed.xml", "sitemap.xml", "robots.txt", "404.html", "claims.json", "favicon.svg", "site.css",
                 "search/index.html", "pagefind/1/pagefind.js", "card.png", "claims/budget-doubled/card.png",
                 "claims/budget-doubled/badge.svg"]:
        assert (out / path).is_file(), path
    assert not (out / "claims" / "draft-claim").exists()


@pytest.mark.parametrize("base_url", ["https://owner.github.io/repo/", "https://checks.example.org/"])
def test_every_internal_link_resolves(project, tmp_path, base_url):
    out = tmp_path / "site"
    build(project, out, base_url=base_url)
    base = urlsplit(base_url)
    checked = 0
    for page, links in all_links(out).items():
        for link in links:
            parts = urlsplit(link)
            if parts.scheme in ("mailto",) or (parts.netloc and parts.netloc != base.netloc):
                continue  # outside the site
            if not parts.path and parts.fragment:
                continue  # an anchor on the same page
            assert parts.path.startswith(base.path), f"{page}: {link} escapes the base path {base.path}"
            assert resolve(out, parts.path[len(base.path):]), f"{page}: {link} is broken"
            checked += 1
    assert checked > 100


def test_subpath_reaches_feed_sitemap_and_data(project, tmp_path):
    out = tmp_path / "site"
    build(project, out, base_url="https://owner.github.io/repo/")
    assert 'href="https://owner.github.io/repo/claims/budget-doubled/"' in (out / "feed.xml").read_text()
    assert "<loc>https://owner.github.io/repo/claims/budget-doubled/</loc>" in sitemap_text(out)
    assert "<loc>https://owner.github.io/repo/sitemap-pages.xml</loc>" in (out / "sitemap.xml").read_text()
    assert '"url":"https://owner.github.io/repo/claims/budget-doubled/"' in (out / "claims.json").read_text()
    assert "Sitemap: https://owner.github.io/repo/sitemap.xml" in (out / "robots.txt").read_text()
    page = (out / "claims/budget-doubled/index.html").read_text()
    assert 'href="/repo/claims/rain-record/"' in page  # a root link written in the analysis
    assert 'href="/repo/site.css?v=' in page
    assert 'href="/repo/site.css' in (out / "404.html").read_text()


def test_two_builds_give_identical_bytes(project, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    build(project, first)
    build(project, second)
    comparison = filecmp.dircmp(first, second)
    assert files_of(first) == files_of(second)
    for name in files_of(first):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert not comparison.diff_files


def test_builds_are_identical_across_hash_seeds(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"site-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "build.py", "--content", str(FIXTURES / "basic" / "content"),
                        "--out", str(out)], cwd=REPO, env=env, check=True, capture_output=True)
        outputs.append(out)
    assert files_of(outputs[0]) == files_of(outputs[1])
    for name in files_of(outputs[0]):
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes(), name


def test_the_command_line_ends_with_the_commands_exit_code_and_everything_it_printed(project, tmp_path):
    """A build or check process prints everything through a pipe, under the command's own exit code."""
    def command(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "factsite", *args, "--content", str(project.content_dir)],
                              cwd=REPO, capture_output=True, text=True, timeout=120)

    built = command("build", "--out", str(tmp_path / "site"), "--no-cards", "--no-search")
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("Built ") and built.stdout.endswith(("warnings.\n", "warning.\n")), built.stdout
    write(project.content_dir / "claims" / "rain-record.md", "---\ntitle: [unclosed\n---\n")
    for failed in (command("build", "--out", str(tmp_path / "site")), command("check")):
        assert failed.returncode == 1
        printed = failed.stdout + failed.stderr  # check reports on stdout, build on stderr
        assert "rain-record.md" in printed and "Traceback" not in printed
        assert printed.rstrip().splitlines()[-1].startswith("1 error"), printed  # the summary, last


@pytest.mark.parametrize("args", [["build", "--no-cards", "--no-search"], ["check"]])
def test_the_command_line_ends_as_python_does_running_every_exit_handler(project, tmp_path, args):
    """A program that runs factsite's command line in its process (a script, a plugin's
    coverage or profiler) still runs its own exit handlers after it, whatever the outcome."""
    out = ["--out", str(tmp_path / "site")] if args[0] == "build" else ["--published", str(tmp_path / "site")]
    script = ("import atexit, sys\n"
              "atexit.register(lambda: print('handler ran', file=sys.stderr))\n"
              "from factsite.commands.cli import run\n"
              f"run({[*args, *out, '--content', str(project.content_dir)]!r})\n")
    for ending in (0, 1):
        if ending:
            write(project.content_dir / "claims" / "rain-record.md", "---\ntitle: [unclosed\n---\n")
        ran = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
        assert ran.returncode == ending, ran.stdout + ran.stderr
        assert ran.stderr.rstrip().endswith("handler ran"), ran.stderr


def test_failed_build_leaves_previous_site_untouched(project, tmp_path):
    out = tmp_path / "site"
    build(project, out)
    before = {name: (out / name).read_bytes() for name in files_of(out)}
    write(project.content_dir / "claims" / "rain-record.md", "---\ntitle: [unclosed\n---\n")
    with pytest.raises(BuildFailed):
        build(project, out)
    assert {name: (out / name).read_bytes() for name in files_of(out)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".factsite-cache", "content", "site"]  # no leftovers


def test_build_refuses_to_replace_a_folder_it_did_not_make(project, tmp_path):
    from factsite.output.write_errors import WriteError

    precious = write(tmp_path / "precious" / "notes.txt", "keep me")
    with pytest.raises(WriteError, match="not made by factsite"):
        build(project, precious.parent)
    assert precious.read_text() == "keep me"


def test_sanitised_analysis(project, tmp_path):
    out = tmp_path / "site"
    build(project, out)
    page = (out / "claims/budget-doubled/index.html").read_text()
    assert "<script>alert" not in page
    assert "javascript:" not in page
    assert '<a>bad link</a>' in page  # its address refused, and with it the rel only an address may have
    assert "<table>" in page and "<strong>different years</strong>" in page


def test_source_date_epoch_sets_feed_date_of_an_empty_site(project, tmp_path, monkeypatch):
    for claim in (project.content_dir / "claims").glob("*.md"):
        claim.unlink()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = tmp_path / "site"
    build(project, out)
    assert "<updated>2023-11-14T00:00:00+00:00</updated>" in (out / "feed.xml").read_text()
    # The sitemap has no part of claims, and lists the pages there are.
    assert [part.name for part in sitemap_parts(out)] == ["sitemap-pages.xml", "sitemap-sources.xml",
                                                          "sitemap-people.xml"]
    assert "https://example.org/about/" in sitemap_locations(out)


def test_custom_domain_writes_cname_and_sets_base_url(project, tmp_path):
    site_yml = project.content_dir / "site.yml"
    site_yml.write_text(site_yml.read_text() + "custom_domain: Checks.Example.org\n")
    out = tmp_path / "site"
    build(project, out)
    assert (out / "CNAME").read_text() == "checks.example.org\n"
    assert "<loc>https://checks.example.org/claims/budget-doubled/</loc>" in sitemap_text(out)


def test_no_cname_without_custom_domain(project, tmp_path):
    out = tmp_path / "site"
    build(project, out)
    assert not (out / "CNAME").exists()


def test_badge_svg_is_well_formed_and_escapes_titles(project, tmp_path):
    import xml.etree.ElementTree as ET

    site_yml = project.content_dir / "site.yml"
    site_yml.write_text(site_yml.read_text().replace("title: Test Check", 'title: "Test <script>alert(1)</script> & Co"'))
    out = tmp_path / "site"
    build(project, out, cards=False, search=False)
    svg = (out / "claims/budget-doubled/badge.svg").read_text()
    assert "<script>" not in svg
    root = ET.fromstring(svg)
    assert root.get("aria-label") == "Test <script>alert(1)</script> & Co: False"


def older_pages(folder: Path) -> list[str]:
    """The older pages of the list at ``folder``, oldest first, as a reader finds them: following
    each page's "Older" link from the newest; each named by the day its oldest claim is of."""
    pages, page = [], folder / "index.html"
    while found := re.search(r'href="[^"]*/(page/[^"/]+/)" rel="next"', page.read_text("utf-8")):
        pages.append(found[1])
        page = folder / found[1] / "index.html"
    assert sorted(pages) == sorted(p.parent.relative_to(folder).as_posix() + "/" for p in folder.glob("page/*/index.html"))
    return pages[::-1]


def test_long_lists_are_paginated_and_every_page_link_resolves(project, tmp_path):
    template = (project.content_dir / "claims/rain-record.md").read_text()
    for number in range(70):
        text = template.replace("title: Rain record", f"title: Rain record {number}")
        write(project.content_dir / f"claims/rain-{number:02d}.md", text.replace("2025-04-01", f"2025-05-{number % 28 + 1:02d}"))
    out = tmp_path / "site"
    build(project, out, cards=False, search=False)
    pages = ["", *reversed(older_pages(out))]  # newest first
    assert len(pages) >= 2
    cards = [(out / page / "index.html").read_text().count('class="card"') for page in pages]
    assert sum(cards) == 72 and all(10 <= count <= 50 for count in cards[1:])
    assert older_pages(out / "verdicts/unproven")
    first, second, last = [(out / page / "index.html").read_text() for page in (pages[0], pages[1], pages[-1])]
    assert f'href="/{pages[1]}" rel="next"' in first and 'rel="prev"' not in first
    assert f'href="/{pages[-2]}" rel="prev"' in last and 'rel="next"' not in last
    # The totals are on the newest page, which changes anyway as claims are added; an older
    # page says which days it holds instead, and links back to the newest.
    assert "72 fact-checks by verdict" in first and "by verdict" not in second
    day = dt.date.fromisoformat(pages[1].split("/")[1][:10])
    assert f"<title>Fact-checks, {day.day} {day:%B %Y} to " in second
    assert ('href="/">Latest</a>' in last) == (len(pages) > 2)  # where "Newer" does not lead there already
    for page, links in all_links(out).items():
        for link in links:
            if link.startswith("/") and not link.startswith("//"):
                assert resolve(out, link[1:]), f"{page}: {link} is broken"


def table_rows(page: str) -> int:
    return page.count("<td><a href=")


def test_a_source_cited_by_many_claims_lists_them_a_page_at_a_time(project, tmp_path):
    """As the other lists are: a source cited by thousands of claims is not one page of megabytes."""
    copies_of_budget_doubled(project.content_dir, 64)  # 65 claims cite the city paper
    out = tmp_path / "site"
    build(project, out, base_url="https://owner.github.io/repo/", cards=False, search=False)
    source = out / "sources/city-paper"
    pages = ["", *reversed(older_pages(source))]
    texts = [(source / page / "index.html").read_text() for page in pages]
    assert len(texts) >= 2 and sum(map(table_rows, texts)) == 65
    first, second, last = texts[0], texts[1], texts[-1]
    # The newest page, at the source's address, keeps its details, how many claims cite it, the
    # verdicts of the claims made in it and its text copy beside it.
    assert "<dt>Publisher</dt>" in first and "<dt>Publisher</dt>" not in second
    assert "Claims made in this news report, by verdict" in first and "by verdict" not in second
    assert (source / "archived-copy.txt").is_file() and not list(source.glob("page/*/archived-copy.txt"))
    assert "Cited by 65 fact-checks" in first and "Cited by" not in second
    assert "<title>City budget doubles, mayor says (" in second
    assert f'href="/repo/sources/city-paper/{pages[1]}" rel="next"' in first and 'rel="prev"' not in first
    assert f'href="/repo/sources/city-paper/{pages[-2]}" rel="prev"' in last and 'rel="next"' not in last
    # In the sitemap as the other lists are: by their newest page.
    sitemap = sitemap_text(out)
    assert "sources/city-paper/</loc>" in sitemap and "/page/" not in sitemap
    for page, links in all_links(out).items():  # under the subpath
        for link in links:
            if link.startswith("/") and not link.startswith("//"):
                assert link.startswith("/repo/") and resolve(out, link[len("/repo/"):]), f"{page}: {link} is broken"


def test_a_long_corrections_log_is_read_a_page_at_a_time(project, tmp_path):
    copies_of_budget_doubled(project.content_dir, 119)  # 120 corrections, about 50 a page, 80 at most
    out = tmp_path / "site"
    build(project, out, cards=False, search=False)
    log = out / "corrections"
    pages = ["", *reversed(older_pages(log))]
    texts = [(log / page / "index.html").read_text() for page in pages]
    assert len(texts) >= 2 and sum(text.count("figure as 11 million") for text in texts) == 120
    first, second = texts[:2]
    # The page's own text and the withdrawn fact-checks are on its newest page, at its address.
    assert "We fix mistakes." in first and "We fix mistakes." not in second
    assert "Withdrawn fact-checks" in first and "Withdrawn fact-checks" not in second
    assert f'href="/corrections/{pages[1]}" rel="next"' in first and 'href="/corrections/" rel="prev"' in second
    assert "<title>Corrections (9 March 2025)" in second and "Corrections made 9 March 2025, the latest first." in second


def test_the_feed_carries_the_fact_checks_changed_last(project, tmp_path):
    """Readers poll the feed often: it keeps to the latest changes, and a correction is one."""
    from xml.etree import ElementTree

    template = (project.content_dir / "claims/rain-record.md").read_text()
    for number in range(FEED_SIZE + 5):
        text = template.replace("title: Rain record", f"title: Rain record {number}")
        write(project.content_dir / f"claims/rain-{number:02d}.md",
              text.replace("2025-04-01", f"2025-{5 + number // 28:02d}-{number % 28 + 1:02d}"))
    corrected = project.content_dir / "claims/rain-00.md"  # the oldest of them
    correction = "\ncorrections: [{date: 2026-01-05, note: The month was wrong.}]"
    corrected.write_text(corrected.read_text().replace("published: 2025-05-01", "published: 2025-05-01" + correction))
    out = tmp_path / "site"
    build(project, out, cards=False, search=False)
    atom = "{http://www.w3.org/2005/Atom}"
    entries = ElementTree.parse(out / "feed.xml").getroot().findall(atom + "entry")
    titles = [entry.find(atom + "title").text for entry in entries]
    assert len(entries) == FEED_SIZE
    assert titles[0] == "Unproven: Rain record 0"  # corrected last
    assert entries[0].find(atom + "updated").text == "2026-01-05T00:00:00+00:00"
    assert titles[1:4] == [f"Unproven: Rain record {n}" for n in (FEED_SIZE + 4, FEED_SIZE + 3, FEED_SIZE + 2)]
    assert "Unproven: Rain record 1" not in titles  # changed before the 50 others
    assert "Unproven: Rain record" not in titles and "False: Budget doubled" not in titles  # the fixture's own


@pytest.mark.parametrize("base", ["https://example.org/", "https://owner.github.io/repo/",
                                  "http://127.0.0.1:8000/a/b/", "HTTPS://Example.org/r/",
                                  "https://example.org//repo/", "https://example.org/a/../b/"])
def test_site_addresses_join_the_base_url_as_urljoin_does(base):
    from hypothesis import given, strategies as st

    @given(st.text(alphabet="ab-_./:?#%é 9", max_size=12))
    def joins_alike(path):
        assert join_url(base, path) == urljoin(base, path)

    joins_alike()
    for path in ("", "claims/x/", "feed.xml", "claims/x/badge.svg", "../x", "./x", "/x", "//x", "a//b", "mailto:x"):
        assert join_url(base, path) == urljoin(base, path)


def test_a_cold_build_checks_anchors_on_the_pages_it_wrote(project, tmp_path):
    claim = project.content_dir / "claims/rain-record.md"
    claim.write_text(claim.read_text() + "\nSee [its sources](/claims/budget-doubled/#sources), "
                                          "[nothing](/claims/budget-doubled/#nowhere) and [here](#analysis).\n")
    result = build(project, tmp_path / "site", cards=False, search=False, use_cache=False)
    assert [w.message for w in result.warnings if "#" in w.message] == [
        'the link "/claims/budget-doubled/#nowhere" names an anchor "#nowhere" that is not on that page']


def test_builds_in_different_folders_give_identical_bytes(tmp_path):
    outputs = []
    for name in ("first place", "second-place/deeper"):
        root = tmp_path / name
        shutil.copytree(FIXTURES / "basic" / "content", root / "content")
        out = root / "site"
        subprocess.run([sys.executable, str(REPO / "build.py"), "--content", str(root / "content"), "--out", str(out),
                        "--no-cards"], cwd=REPO, check=True, capture_output=True,
                       env={**os.environ, "PYTHONHASHSEED": str(len(name))})
        outputs.append(out)
    assert files_of(outputs[0]) == files_of(outputs[1])
    for name in files_of(outputs[0]):
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes(), name


def test_file_order_and_file_times_do_not_change_a_byte(project, tmp_path, monkeypatch):
    """Another machine lists folders in another order and checks files out at other times."""
    first = tmp_path / "first"
    build(project, first, use_cache=False)
    real_scandir = os.scandir

    class Reversed:
        """os.scandir, listing each folder backwards."""

        def __init__(self, path="."):
            with real_scandir(path) as scan:
                self.entries = iter(list(scan)[::-1])

        def __iter__(self):
            return self

        def __next__(self):
            return next(self.entries)

        def __enter__(self):
            return self

        def __exit__(self, *args):
            return None

        def close(self):
            pass

    monkeypatch.setattr(os, "scandir", Reversed)
    for number, path in enumerate(sorted(project.content_dir.rglob("*"))):
        os.utime(path, (1_000_000_000 + 86_400 * number, 2_000_000_000 - 86_400 * number))
    second = tmp_path / "second"
    build(project, second, use_cache=False)
    assert contents_of(first) == contents_of(second)


def test_files_read_on_several_processes_make_the_same_site(project, tmp_path, monkeypatch):
    from factsite import engine
    from factsite.read import parallel

    serial = tmp_path / "serial"
    build(project, serial, cards=False, search=False, use_cache=False)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)  # the reading workers, even for this small site
    monkeypatch.setattr(engine, "available_cores", lambda: 2)
    parallel = tmp_path / "parallel"
    build(project, parallel, cards=False, search=False, use_cache=False)
    assert contents_of(parallel) == contents_of(serial)


def test_files_read_on_several_processes_are_cached_as_those_read_on_one(project, tmp_path, monkeypatch, settled):
    from factsite import engine
    from factsite.output.cache import BuildCache
    from factsite.read import parallel

    serial = tmp_path / "one" / "site"
    build(project, serial, cards=False, search=False)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    monkeypatch.setattr(engine, "available_cores", lambda: 2)
    parallel = tmp_path / "two" / "site"
    build(project, parallel, cards=False, search=False)
    kept = [BuildCache(out).documents().entries for out in (serial, parallel)]
    content = project.content_dir
    assert len(kept[0]) == len([*content.glob("claims/*.md"), *content.glob("sources/*.yml"),
                                          *content.glob("people/*.yml")])
    assert kept[0] == kept[1]


@pytest.mark.parametrize("topics", ['[weather, ""]', '" "', "[weather, 2024]"])
def test_names_read_on_several_processes_give_the_same_messages(project, tmp_path, monkeypatch, topics):
    """Each worker's values cross to the main process as the file cache keeps them: a value the
    field check gives (an empty name, a number read as a name) must cross too, not crash."""
    from factsite import engine
    from factsite.read import parallel

    claim = project.content_dir / "claims/rain-record.md"
    claim.write_text(claim.read_text("utf-8").replace("topics: [weather]", f"topics: {topics}"), "utf-8")
    messages = []
    for cores in (1, 2):
        monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
        monkeypatch.setattr(engine, "available_cores", lambda: cores)
        with pytest.raises(BuildFailed) as failed:
            build(project, tmp_path / f"on-{cores}", cards=False, search=False, use_cache=False)
        messages.append([str(error) for error in failed.value.problems.errors])
    assert messages[0] == messages[1] and any("rain-record.md" in m and "topic" in m for m in messages[0])


def test_pages_rendered_on_several_processes_make_the_same_site(project, tmp_path, monkeypatch):
    """The forked workers write their pages through the writer the build hands them."""
    from factsite import engine
    from factsite.render import jobs

    serial = tmp_path / "serial"
    build(project, serial, cards=False, search=False, use_cache=False)
    monkeypatch.setattr(jobs, "PARALLEL_FROM", 1)
    monkeypatch.setattr(engine, "available_cores", lambda: 2)
    forked = tmp_path / "forked"
    build(project, forked, cards=False, search=False, use_cache=False)
    assert contents_of(forked) == contents_of(serial)


def test_on_several_processes_claims_json_is_rendered_by_the_caller(monkeypatch):
    """What making claims.json works out (each review's JSON) is kept for the next update only by
    the process that makes it: on several processes, that job is the calling process's own, so a
    preview's first edit after its first build finds the reviews made (render/site_files.py)."""
    from factsite.render import jobs

    class Recorder:  # a renderer that tells which process rendered each job
        def compile_most_used(self):
            pass

        def render_job(self, job, with_ids=True):
            return {}, jobs.JobResult({str(os.getpid()): None}, [])

    work = [("claim", f"claim-{n}") for n in range(100)] + [("file", "claims.json"), ("file", "feed.xml")]
    monkeypatch.setattr(jobs, "PARALLEL_FROM", 1)
    results = jobs.render_jobs(Recorder(), None, work, jobs=2)
    process = {job: int(next(iter(result.files))) for job, result in results.items()}
    assert set(results) == set(work) and process[("file", "claims.json")] == os.getpid()
    assert os.getpid() not in {process[job] for job in work if job != ("file", "claims.json")}


def test_each_whole_site_job_of_every_edition_is_a_workers_task_of_its_own_at_the_front():
    """The feeds, the sitemap's parts and the indexes read every claim: each is begun first, on
    whichever worker is free, rather than after the pages (or all on one worker)."""
    from factsite.render.jobs import chunks_of

    work = [("claim", "a"), ("uk:shared", "verdicts/"), ("uk:claim", "a"), ("file", "feed.xml"), ("uk:file", "feed.xml")]
    tasks = [jobs for _, jobs in chunks_of(None, work)]
    assert tasks == [[("uk:shared", "verdicts/")], [("file", "feed.xml")], [("uk:file", "feed.xml")],
                     [("claim", "a"), ("uk:claim", "a")]]


def test_an_update_rendered_on_several_processes_makes_the_same_site(project, tmp_path, monkeypatch):
    """The same for an update in place, whose workers write into its flat staging folder (output/journal.py)."""
    from factsite import engine
    from factsite.commands import in_place as building
    from factsite.render import jobs

    project.templates_dir = tmp_path / "templates"  # a copy, which this test changes
    shutil.copytree(REPO / "templates", project.templates_dir)
    site = tmp_path / "site"
    build(project, site, cards=False, search=False)
    base = project.templates_dir / "base.html"
    base.write_text(base.read_text().replace("</body>", "<!-- every page changes -->\n</body>"))
    monkeypatch.setattr(jobs, "PARALLEL_FROM", 1)
    monkeypatch.setattr(engine, "available_cores", lambda: 2)
    updates = []
    monkeypatch.setattr(building, "update_site",
                        lambda *args, **kwargs: updates.append(args) or update_site(*args, **kwargs))
    build(project, site, cards=False, search=False)
    assert len(updates) == 1  # in place, not the whole site written anew
    cold = tmp_path / "cold"
    build(project, cold, cards=False, search=False, use_cache=False)
    assert contents_of(site) == contents_of(cold) and "every page changes" in (site / "index.html").read_text()


@contextlib.contextmanager
def fails_after(seconds: int):
    """Turn a hang into a failure."""
    def timed_out(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, timed_out)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_verdict_counts_are_not_taken_from_a_dropped_list(project):
    """Templates count the verdicts of lists they make on the fly (a source's claims made in it);
    a new list at the address of a dropped one must be counted afresh."""
    site, _ = read_site(project)
    renderer = Renderer(site, project.templates_dir, project.static_dir, cards=False, search=False)
    claims = site.claims[:2]
    assert claims[0].verdict.slug != claims[1].verdict.slug
    for number in range(20):
        made = [claims[number % 2]]  # CPython tends to put each at the address the last one left
        assert renderer.count_by_verdict(made) == {made[0].verdict.slug: 1}
        del made


@pytest.mark.parametrize("umask, folder_mode, file_mode", [(0o022, 0o755, 0o644), (0o077, 0o700, 0o600)])
def test_the_site_has_the_permissions_the_umask_gives(project, tmp_path, umask, folder_mode, file_mode):
    """A web server running as another user must read the site (the usual umask, 022, allows it),
    whether it was written whole or updated in place; a private umask keeps it private."""
    out = tmp_path / "site"
    previous = os.umask(umask)
    try:
        build(project, out, cards=False, search=False)
        (project.content_dir / "claims" / "rain-record.md").write_text(
            (project.content_dir / "claims" / "rain-record.md").read_text() + "\nOne more line.\n")
        (project.content_dir / "claims" / "snow-record.md").write_text(
            (project.content_dir / "claims" / "rain-record.md").read_text().replace("Rain record", "Snow record"))
        result = build(project, out, cards=False, search=False)
    finally:
        os.umask(previous)
    assert result.files_reused, "the second build was meant to update the site in place"
    modes = {path.relative_to(out).as_posix(): path.stat().st_mode & 0o777 for path in [out, *out.rglob("*")]}
    assert modes["."] == folder_mode
    assert modes["claims/snow-record"] == folder_mode  # made by the update
    assert modes["claims/rain-record/index.html"] == file_mode  # written again by the update
    assert set(modes.values()) == {folder_mode, file_mode}


def test_timings_name_each_stage_in_the_order_they_run(project, tmp_path):
    result = build(project, tmp_path / "site", cards=False, search=False)
    assert list(result.timings) == ["read cache", "read and check", "fingerprint", "render and write",
                                    "check links", "save cache"]
    assert all(seconds >= 0 for seconds in result.timings.values())
    assert sum(result.timings.values()) > 0


@pytest.mark.parametrize("drafts", [False, True])
def test_the_published_state_written_is_state_data_as_json(project, tmp_path, drafts):
    """verdicts.json is written from each claim's entry kept between builds (claim_rows.py),
    joined as JSON: the same bytes as checks/published.state_data written whole, drafts left out."""
    from factsite.checks.published import STATE_FILE, state_data
    from factsite.render.structured_data import to_json

    out = tmp_path / "site"
    build(project, out, drafts=drafts, cards=False, search=False, use_cache=False)
    site, _ = read_site(project, drafts=drafts)
    assert site.withdrawn and any(claim.draft for claim in site.claims) == drafts
    assert (out / STATE_FILE).read_bytes() == (to_json(state_data(site)) + "\n").encode("utf-8")
