"""The editor's commands: new, check and serve."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from factsite.commands.cli import main

from .conftest import FIXTURES, REPO, copies_of_budget_doubled, write


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """A folder laid out like a newsroom's repository: content/, templates/, static/."""
    shutil.copytree(FIXTURES / "basic" / "content", tmp_path / "content")
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    shutil.copytree(REPO / "static", tmp_path / "static")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# new ----------------------------------------------------------------------

def test_new_creates_a_draft_with_every_field(workdir):
    result = run("new", "ERAM missile delivery")
    assert result.exit_code == 0, result.output
    path = workdir / "content/claims/eram-missile-delivery.md"
    text = path.read_text()
    for field in ("title:", "claim:", "claimant:", "claimant_type:", "claimant_id:", "claim_date:", "appeared_in:", "verdict:",
                  "summary:", "topics:", "sources:", "published:", "updated:", "corrections:", "related:"):
        assert f"\n{field}" in text, field
    assert "\ndraft: true\n" in text
    assert 'title: "ERAM missile delivery"' in text
    assert "verdict: \"unproven\"" in text  # the off-scale verdict by default


def test_new_claim_renders_with_drafts_without_editing(workdir):
    assert run("new", "ERAM missile delivery", "--source", "city-paper").exit_code == 0
    result = run("build", "--drafts", "--out", "site")
    assert result.exit_code == 0, result.output
    page = (workdir / "site/claims/eram-missile-delivery/index.html").read_text()
    assert ">ERAM missile delivery</h1>" in page


@pytest.mark.parametrize("title, file_name", [("Con", "con-1.md"), ("Aux", "aux-1.md"), ("x" * 200, "x" * 200 + ".md")])
def test_new_never_makes_a_file_name_the_check_refuses(workdir, title, file_name):
    assert run("new", title, "--source", "city-paper").exit_code == 0
    assert (workdir / "content/claims" / file_name).is_file()
    result = run("build", "--drafts", "--out", "site", "--no-cards", "--no-search")
    assert result.exit_code == 0, result.output


def test_new_refuses_a_title_longer_than_the_check_allows(workdir):
    result = run("new", "x" * 250, "--source", "city-paper")
    assert result.exit_code != 0 and "the title is 250 characters long; it may have at most 200" in result.output
    assert not list((workdir / "content/claims").glob("x*.md"))


def test_new_gives_a_known_claimant_the_type_other_claims_give_them(workdir):
    result = run("new", "Rain again", "--claimant", "Weather Watchers", "--source", "council-data")
    assert result.exit_code == 0, result.output
    text = (workdir / "content/claims/rain-again.md").read_text("utf-8")
    assert "\nclaimant_type: organization\n" in text  # as rain-record.md says
    assert "0 errors" in run("check").output
    run("new", "Someone new", "--claimant", "A New Person")
    assert "\nclaimant_type: person\n" in (workdir / "content/claims/someone-new.md").read_text("utf-8")


@pytest.mark.parametrize("claimant, kind", [
    ("Ministry of Defence", "organization"), ("NATO", "organization"), ("The Post News", "organization"),
    ("Міністерство оборони України", "organization"),
    ("World Health Organization", "organization"), ("UK Treasury", "organization"), ("the EU", "organization"),
    ("Jo Bloggs", "person"), ("JO BLOGGS", "person"), ("US President Donald Trump", "person"), ("JD Vance", "person"),
])
def test_new_makes_a_claimant_whose_name_looks_like_an_organization_one_and_says_so(workdir, claimant, kind):
    result = run("new", "Defence spending", "--claimant", claimant)
    assert result.exit_code == 0, result.output
    assert f"\nclaimant_type: {kind}\n" in (workdir / "content/claims/defence-spending.md").read_text("utf-8")
    note = (f'Note: claimant_type: organization, as "{claimant}" looks like the name of one; if not, '
            "write claimant_type: person in the file (or use --claimant-type person)\n")
    assert (note in result.output) == (kind == "organization")
    assert "0 errors" in run("check", "--drafts").output


@pytest.mark.parametrize("claimant, kind", [("Ministry of Defence", "person"), ("Jo Bloggs", "organization")])
def test_new_writes_the_claimant_type_given_without_a_note(workdir, claimant, kind):
    result = run("new", "Defence spending", "--claimant", claimant, "--claimant-type", kind)
    assert result.exit_code == 0, result.output
    assert f"\nclaimant_type: {kind}\n" in (workdir / "content/claims/defence-spending.md").read_text("utf-8")
    assert "Note:" not in result.output


def test_new_refuses_a_claimant_type_other_claims_contradict(workdir):
    result = run("new", "Rain again", "--claimant", "Weather Watchers", "--claimant-type", "person")
    assert result.exit_code == 1
    assert ('error: "Weather Watchers" is "organization" in rain-record.md, and a claimant has one type: '
            "leave out --claimant-type, or change claimant_type in rain-record.md too") in result.output
    assert not (workdir / "content/claims/rain-again.md").exists()


def test_new_names_the_claimant_types_there_are(workdir):
    result = run("new", "Rain again", "--claimant-type", "organisation")
    assert result.exit_code == 2
    assert "'organisation' is not one of 'person', 'organization'" in result.output


def test_new_claim_stays_out_of_a_normal_build(workdir):
    run("new", "ERAM missile delivery")
    assert run("build", "--out", "site").exit_code == 0
    assert not (workdir / "site/claims/eram-missile-delivery").exists()


def test_publishing_a_new_claim_with_placeholders_is_an_error(workdir):
    run("new", "ERAM missile delivery", "--source", "city-paper")
    path = workdir / "content/claims/eram-missile-delivery.md"
    path.write_text(path.read_text().replace("draft: true", "draft: false"))
    result = run("check")
    assert result.exit_code == 1
    assert "eram-missile-delivery.md:5: error: \"claim\" still has the placeholder TODO" in result.output


def test_new_options_fill_claimant_verdict_and_source(workdir):
    result = run("new", "Budget tripled", "--claimant", "Jo Bloggs", "--verdict", "false", "--source", "city-paper")
    assert result.exit_code == 0, result.output
    text = (workdir / "content/claims/budget-tripled.md").read_text()
    assert 'claimant: "Jo Bloggs"' in text
    assert "verdict: \"false\"" in text
    assert "appeared_in: city-paper" in text and "- source: city-paper" in text


def test_new_refuses_to_overwrite(workdir):
    path = workdir / "content/claims/budget-doubled.md"
    before = path.read_text()
    result = run("new", "Budget doubled")
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert path.read_text() == before


@pytest.mark.parametrize("option, value, expected", [
    ("--verdict", "flase", 'did you mean "false"?'),
    ("--source", "city-papr", 'did you mean "city-paper"?'),
])
def test_new_rejects_unknown_verdict_or_source(workdir, option, value, expected):
    result = run("new", "Something", option, value)
    assert result.exit_code == 1
    assert expected in result.output
    assert not (workdir / "content/claims/something.md").exists()


# check --------------------------------------------------------------------

def test_check_clean_site_exits_zero_and_writes_nothing(workdir):
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings." in result.output
    assert not (workdir / "site").exists()


def test_check_reports_errors_and_exits_one(workdir):
    claim = workdir / "content/claims/rain-record.md"
    claim.write_text(claim.read_text().replace("verdict: unproven", "verdict: unprovne"))
    result = run("check")
    assert result.exit_code == 1
    assert 'content/claims/rain-record.md:6: error: unknown verdict "unprovne"' in result.output
    assert 'hint: did you mean "unproven"?' in result.output


def break_single_source_rule(workdir: Path) -> None:
    claim = workdir / "content/claims/rain-record.md"
    claim.write_text(claim.read_text().replace("verdict: unproven", 'verdict: "true"'))


def test_check_warns_about_a_single_source_with_a_rated_verdict(workdir):
    break_single_source_rule(workdir)
    result = run("check")
    assert result.exit_code == 0
    assert "content/claims/rain-record.md:6: warning: only one source is cited" in result.output


def test_check_strict_turns_warnings_into_errors(workdir):
    break_single_source_rule(workdir)
    result = run("check", "--strict")
    assert result.exit_code == 1
    assert "content/claims/rain-record.md:6: error: only one source is cited" in result.output


@pytest.mark.parametrize("link, message", [
    ("/claims/no-such-claim/", 'the link "/claims/no-such-claim/" leads to a page that does not exist'),
    ("/claims/budget-doubled/#nowhere", 'names an anchor "#nowhere" that is not on that page'),
    ("/methodolgy/", 'leads to a page that does not exist\n    hint: did you mean "/methodology/"?'),
])
def test_check_warns_about_broken_links_in_the_analysis(workdir, link, message):
    claim = workdir / "content/claims/rain-record.md"
    claim.write_text(claim.read_text() + f"\nSee [this]({link}).\n")
    result = run("check")
    line = len(claim.read_text().rstrip("\n").split("\n"))
    assert f"content/claims/rain-record.md:{line}: warning: the link" in result.output
    assert message in result.output


def test_check_accepts_links_to_real_pages_and_anchors(workdir):
    claim = workdir / "content/claims/rain-record.md"
    claim.write_text(claim.read_text() + "\nSee [this](/claims/budget-doubled/#sources) and [that](/methodology/).\n")
    result = run("check")
    assert result.exit_code == 0
    assert "0 warnings" in result.output


def test_check_warns_about_unused_source_and_missing_archive(workdir):
    write(workdir / "content/sources/orphan.yml", "title: An orphan\nkind: data\n")
    result = run("check")
    assert "content/sources/orphan.yml: warning: the source \"orphan\" is not cited by any claim" in result.output
    assert "content/sources/orphan.yml: warning: there is no archived copy of this source, nor the date it was read" in result.output


def test_check_github_format_prints_annotations(workdir):
    claim = workdir / "content/claims/rain-record.md"
    claim.write_text(claim.read_text().replace("verdict: unproven", "verdict: unprovne"))
    result = run("check", "--format", "github")
    assert result.exit_code == 1
    assert ("::error file=content/claims/rain-record.md,line=6,title=factsite::"
            'unknown verdict "unprovne". Hint: did you mean "unproven"?') in result.output


def test_build_github_format_annotates_mistakes_and_warnings(workdir):
    """The Pages workflow builds with --format github, so a pull request shows what the build found."""
    claim = workdir / "content/claims/rain-record.md"
    original = claim.read_text()
    claim.write_text(original.replace("verdict: unproven", "verdict: unprovne"))
    failed = run("build", "--no-search", "--no-cards", "--format", "github")
    assert failed.exit_code == 1
    assert ("::error file=content/claims/rain-record.md,line=6,title=factsite::"
            'unknown verdict "unprovne". Hint: did you mean "unproven"?') in failed.output
    assert not (workdir / "site").exists()
    claim.write_text(original)
    write(workdir / "content/sources/orphan.yml", "title: An orphan\nkind: data\n")
    built = run("build", "--no-search", "--no-cards", "--format", "github")
    assert built.exit_code == 0
    assert ("::warning file=content/sources/orphan.yml,title=factsite::"
            'the source "orphan" is not cited by any claim. Hint: ') in built.output


def test_check_as_a_real_subprocess(workdir):
    claim = workdir / "content/claims/rain-record.md"
    claim.write_text(claim.read_text().replace("published: 2025-04-01", "published: 2025-02-30"))
    result = subprocess.run([sys.executable, "-m", "factsite", "check"], capture_output=True, text=True,
                            cwd=workdir)
    assert result.returncode == 1
    assert 'content/claims/rain-record.md:13: error: "published" is not a real date: "2025-02-30"' in result.stdout
    assert "Traceback" not in result.stderr


def test_new_as_a_real_subprocess(workdir):
    result = subprocess.run([sys.executable, "-m", "factsite", "new", "Rain again"], capture_output=True,
                            text=True, cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert (workdir / "content/claims/rain-again.md").is_file()


# serve --------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for(predicate, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting for the preview to change")


@pytest.fixture
def server(workdir):
    """`factsite serve` as a real process on a free port, under a project subpath."""
    site_yml = workdir / "content/site.yml"
    site_yml.write_text(site_yml.read_text().replace("https://example.org/", "https://owner.github.io/repo/"))
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "factsite", "serve", "--port", str(port)],
                               cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/repo/"
    try:
        wait_for(lambda: _up(base))
        yield base, process
    finally:
        process.terminate()
        print(process.communicate(timeout=10)[0])  # shown when a test fails


def _up(url: str) -> bool:
    try:
        return fetch(url)[0] == 200
    except OSError:
        return False


def test_serve_uses_the_base_path_and_includes_drafts(server):
    base, _ = server
    status, page = fetch(base)
    assert status == 200
    assert 'href="/repo/claims/budget-doubled/"' in page
    assert fetch(base + "claims/draft-claim/")[0] == 200
    assert fetch(base.replace("/repo/", "/elsewhere/"))[0] == 404


def test_serve_rebuilds_when_a_claim_is_saved(server, workdir):
    base, _ = server
    claim = workdir / "content/claims/rain-record.md"
    claim.write_text(claim.read_text().replace("title: Rain record", "title: Rain record, edited"))
    wait_for(lambda: "Rain record, edited" in fetch(base + "claims/rain-record/")[1])


def test_serve_shows_errors_and_recovers(server, workdir):
    base, process = server
    claim = workdir / "content/claims/rain-record.md"
    good = claim.read_text()
    claim.write_text(good.replace("verdict: unproven", "verdict: unprovne"))
    status, page = wait_for(lambda: (lambda r: r if r[0] == 500 else None)(fetch(base)))
    assert "unknown verdict &quot;unprovne&quot;" in page and "rain-record.md:6" in page
    assert process.poll() is None  # still running
    claim.write_text(good)
    wait_for(lambda: fetch(base)[0] == 200)


def test_serve_pages_carry_the_reload_script(server):
    base, _ = server
    assert '<script src="/repo/__factsite/reload.js"></script></body>' in fetch(base)[1]
    status, script = fetch(base + "__factsite/reload.js")
    assert status == 200 and "EventSource" in script


def test_new_claim_with_the_verdict_false_is_valid(workdir):
    # YAML reads a bare `false` as a boolean, so the template must quote it.
    assert run("new", "Budget tripled", "--verdict", "false", "--source", "city-paper").exit_code == 0
    result = run("build", "--drafts", "--out", "site", "--no-cards", "--no-search")
    assert result.exit_code == 0, result.output
    assert "False" in (workdir / "site/claims/budget-tripled/index.html").read_text()


def test_serve_rebuilds_when_a_template_is_saved(server, workdir):
    base, _ = server
    template = workdir / "templates/claim.html"
    template.write_text(template.read_text().replace("Related fact-checks", "See also, edited"))
    wait_for(lambda: "See also, edited" in fetch(base + "claims/budget-doubled/")[1])


def test_build_prints_one_summary_line_and_no_progress_bar_when_not_a_terminal(workdir):
    result = run("build", "--out", "site", "--no-search")
    assert result.exit_code == 0
    assert "Rendering" not in result.output
    assert result.output.strip().splitlines()[-1].startswith("Built ")
    again = run("build", "--out", "site", "--no-search")
    assert "(0 written, " in again.output and "reused from the cache" in again.output


def test_progress_bar_shows_only_on_a_terminal_for_big_builds(monkeypatch):
    from factsite.commands import report

    monkeypatch.setattr(report.sys.stderr, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("CI", raising=False)
    shown = report.ProgressBar()
    shown(10, 1000)
    assert shown.bar is not None
    shown.close()
    small = report.ProgressBar()
    small(10, 100)
    assert small.bar is None
    monkeypatch.setenv("CI", "true")
    assert report.ProgressBar().enabled is False


def test_changing_a_published_verdict_needs_a_correction(workdir):
    assert run("build", "--out", "site", "--no-search", "--no-cards").exit_code == 0
    claim = workdir / "content/claims/rain-record.md"
    claim.write_text(claim.read_text().replace("verdict: unproven", 'verdict: "false"'))
    for command in (["check"], ["build", "--out", "site", "--no-search", "--no-cards"]):
        result = run(*command)
        assert result.exit_code == 1
        assert 'rain-record.md:6: error: the verdict changed from "Unproven" to "False" without a correction' \
            in result.output
    assert "Unproven" in (workdir / "site/claims/rain-record/index.html").read_text()  # nothing was written
    claim.write_text(claim.read_text().replace("published: 2025-04-01", "corrections:\n  - date: 2025-04-03\n"
                                               "    note: The verdict changed from Unproven to False.\n"
                                               "published: 2025-04-01"))
    assert run("check").exit_code == 0
    assert run("build", "--out", "site", "--no-search", "--no-cards").exit_code == 0


# `python -m factsite`, as a terminal runs it, where Ctrl+C (SIGINT) raises KeyboardInterrupt: a test
# runner started as a background job (`... &` in a script) passes SIGINT on ignored, and Python then
# leaves it so, as it should for a background job.
AS_IN_A_TERMINAL = [sys.executable, "-c", "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
                    "runpy.run_module('factsite', run_name='__main__', alter_sys=True)"]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["kill", "Ctrl+C"])
def test_a_stopped_preview_removes_its_folder(workdir, tmp_path, stop):
    """The preview writes its pages into a folder of its own in the temporary folder; stopped
    with Ctrl+C or `kill`, as a process manager or a test stops it, it leaves nothing there but
    the user's compiled templates, which every build keeps there too (render/compiled.py)."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()

    def left_by_preview() -> list[str]:
        return [path.name for path in temporary.iterdir() if path.name != f"_jinja2-cache-{os.getuid()}"]

    port = free_port()
    process = subprocess.Popen([*AS_IN_A_TERMINAL, "serve", "--port", str(port)], cwd=workdir,
                               env={**os.environ, "TMPDIR": str(temporary)},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(lambda: _up(f"http://127.0.0.1:{port}/"))
        assert [name[:len("factsite-preview-")] for name in left_by_preview()] == ["factsite-preview-"]
    finally:
        process.send_signal(stop)
        output = process.communicate(timeout=20)[0]
    assert process.returncode == 0, output
    assert left_by_preview() == []


def test_a_preview_whose_first_build_runs_on_a_pool_starts_without_a_traceback(workdir):
    """Its workers are forked with the server's SIGTERM handler, and their pool stops them with
    SIGTERM when the first build is done: each must then end quietly, not as if Ctrl+C were pressed."""
    copies_of_budget_doubled(workdir / "content", 320)  # enough pages to render on every core
    port = free_port()
    process = subprocess.Popen([*AS_IN_A_TERMINAL, "serve", "--port", str(port)], cwd=workdir,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(lambda: _up(f"http://127.0.0.1:{port}/"), timeout=120)
    finally:
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=30)[0]
    assert "Rebuilt" in output and "Traceback" not in output and "KeyboardInterrupt" not in output, output


def test_a_web_page_read_without_an_archived_copy_is_dated_instead(workdir):
    write(workdir / "content/sources/page.yml",
          "title: A page\nkind: web page\nurl: https://example.org/page\naccessed: 2026-12-06\n")
    claim = workdir / "content/claims/rain-record.md"
    claim.write_text(claim.read_text().replace("  - source: council-data\n",
                                               "  - source: page\n    note: It shows nothing.\n    stance: context\n"
                                               "  - source: council-data\n", 1))
    result = run("check")
    assert "page.yml" not in result.output, result.output
    write(workdir / "content/sources/page.yml", "title: A page\nkind: web page\nurl: https://example.org/page\n")
    assert "page.yml: warning: there is no archived copy of this source, nor the date it was read" in run("check").output
