"""Hostile names and links: nothing is ever written outside the output folder, and each gives a clear error.

A name reaches an output path as a file name (claims, sources, pages), as a slug in
site.yml (verdicts, topics), derived from a claimant's name, or as a reference
inside a claim (related, appeared_in, sources, topics, verdict) and as --out. Each
test builds into `build/site` inside the test's folder and checks that no file
outside `build/` appeared, changed or disappeared.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from factsite.engine import read_site

from factsite.commands.build import build
from factsite.commands.cli import main
from factsite.errors import BuildFailed, ContentError, Problems
from factsite.read.fields import MAX_SLUG_LENGTH, SLUG_PATTERN, WINDOWS_RESERVED

from .conftest import REPO, write

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt",
                                    reason="needs symbolic links")
SECRET = "TOP-SECRET-5f1d"  # in every file outside the project that a hostile link points to


# Helpers -----------------------------------------------------------------

def snapshot(root: Path, skip: Path) -> dict[str, str]:
    """Every file and link below ``root`` but ``skip``, with a digest of its bytes (or its target)."""
    found = {}
    for folder, folders, files in os.walk(root):
        if Path(folder) == skip or skip in Path(folder).parents:
            folders[:] = []
            continue
        for name in folders + files:
            path = Path(folder) / name
            if path.is_symlink():
                found[str(path)] = "link to " + os.readlink(path)
            elif path.is_file():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture
def out(tmp_path) -> Path:
    return tmp_path / "build" / "site"


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the content with a secret a link might try to publish."""
    folder = tmp_path / "outside"
    write(folder / "secret.txt", f"{SECRET}\nthe budget has doubled since 2020\n")
    write(folder / "claims" / "stolen.md", (REPO / "tests/fixtures/basic/content/claims/rain-record.md")
          .read_text().replace("title: Rain record", f"title: {SECRET}"))
    shutil.copy(REPO / "tests/fixtures/basic/content/site.yml", folder / "site.yml")
    write(folder / "stolen.yml", f"title: {SECRET}\nkind: data\n")
    return folder


def build_errors(project, out: Path, tmp_path: Path) -> list[ContentError]:
    """Build, expecting mistakes; checks that nothing was written anywhere, and returns the errors."""
    before = snapshot(tmp_path, out.parent)
    parent_before = sorted(os.listdir(tmp_path.parent))
    with pytest.raises(BuildFailed) as failure:
        build(project, out, cards=False, search=False)
    assert snapshot(tmp_path, out.parent) == before, "a file outside the output folder changed"
    assert sorted(os.listdir(tmp_path.parent)) == parent_before
    assert not out.exists()
    return failure.value.problems.errors


def the_error(errors: list[ContentError], path: Path, *words: str) -> ContentError:
    found = [e for e in errors if e.path == path and all(w in e.message for w in words)]
    assert len(found) == 1, f"expected one error on {path} saying {words}, got:\n" + "\n".join(map(str, errors))
    assert found[0].hint, "every error says what to do"
    return found[0]


def assert_all_inside(out: Path) -> None:
    """Every file of the site is a plain file below ``out`` whose path is made of safe names."""
    root = out.resolve()
    for path in out.rglob("*"):
        assert not path.is_symlink()
        assert path.resolve().is_relative_to(root)
        for part in path.relative_to(out).parts:
            assert part.split(".")[0].lower() not in WINDOWS_RESERVED, path
            assert len(part) <= 255


# File names ----------------------------------------------------------------

RAIN = (REPO / "tests/fixtures/basic/content/claims/rain-record.md").read_text()
COUNCIL = (REPO / "tests/fixtures/basic/content/sources/council-data.yml").read_text()
METHODOLOGY = (REPO / "tests/fixtures/basic/content/pages/methodology.md").read_text()


@pytest.mark.parametrize("folder, name, text, message, hint", [
    *(pytest.param("claims", f"{name}.md", RAIN, "Windows keeps the name", f'"{name}-1.md"', id=f"claim-{name}")
      for name in ("con", "prn", "aux", "nul", "com1", "com9", "lpt1", "lpt9")),
    pytest.param("sources", "aux.yml", COUNCIL, "Windows keeps the name", '"aux-1.yml"', id="source-aux"),
    pytest.param("pages", "nul.md", METHODOLOGY, "Windows keeps the name", '"nul-1.md"', id="page-nul"),
    pytest.param("claims", "CON.md", RAIN, "cannot be used as a web address", '"con-1.md"', id="upper-case-reserved"),
    pytest.param("claims", "ＣＯＮ.md", RAIN, "cannot be used as a web address", '"con-1.md"',
                 id="full-width-reserved"),
    pytest.param("claims", "Rain-Record-2.md", RAIN, "cannot be used as a web address", '"rain-record-2.md"',
                 id="upper-case"),
    pytest.param("claims", "rain-record-2.MD", RAIN, 'must end in ".md", in lower case', '"rain-record-2.md"',
                 id="upper-case-extension"),
    pytest.param("claims", "a..b.md", RAIN, "cannot be used as a web address", '"a-b.md"', id="dots"),
    pytest.param("claims", "a\\..\\b.md", RAIN, "cannot be used as a web address", '"a-b.md"', id="backslashes"),
    pytest.param("claims", "new\nline.md", RAIN, "cannot be used as a web address", '"new-line.md"', id="newline"),
    pytest.param("claims", "x" * (MAX_SLUG_LENGTH + 1) + ".md", RAIN, "characters", '"' + "x" * 40 + '.md"',
                 id="too-long"),
    *(pytest.param("pages", f"{name}.md", METHODOLOGY, f'"{name}/" pages would be replaced', f'"{name}-page.md"',
                   id=f"page-{name}") for name in ("search", "verdicts", "topics", "claimants", "sources", "claims",
                                                   "page", "pagefind")),
])
def test_hostile_file_name_is_refused_naming_the_file(project, out, tmp_path, folder, name, text, message, hint):
    path = write(project.content_dir / folder / name, text)
    error = the_error(build_errors(project, out, tmp_path), path, message)
    assert error.line is None
    assert hint in error.hint


@pytest.mark.parametrize("upper", ["RAIN-RECORD.md", "Rain-record.md", "rain-record.MD", "rain-record.Md"])
def test_name_differing_only_in_case_says_the_two_collide_on_macos_and_windows(project, out, tmp_path, upper):
    path = write(project.content_dir / "claims" / upper, RAIN.replace("Rain record", "Rain record again"))
    error = the_error(build_errors(project, out, tmp_path), path, 'only in upper and lower case', '"rain-record.md"')
    assert "macOS and Windows" in error.hint
    assert "merge" in error.hint


def test_every_hostile_file_name_is_reported_in_one_run(project, out, tmp_path):
    names = ["con.md", "LPT1.md", "a b.md", "x.MD"]
    for name in names:
        write(project.content_dir / "claims" / name, RAIN)
    errors = build_errors(project, out, tmp_path)
    assert sorted(e.path.name for e in errors) == sorted(names)


def test_reserved_names_are_fine_inside_longer_names(project, out):
    for name in ("con-1", "console", "aux-report", "com10", "nullify"):
        write(project.content_dir / "claims" / f"{name}.md", RAIN.replace("Rain record", f"Rain {name}"))
    build(project, out, cards=False, search=False)
    assert all((out / "claims" / name / "index.html").is_file()
               for name in ("con-1", "console", "aux-report", "com10", "nullify"))


# Slugs in site.yml -----------------------------------------------------------

def edit(project, relative: str, old: str, new: str) -> Path:
    path = project.content_dir / relative
    text = path.read_text("utf-8")
    assert text.count(old) == 1, (relative, old)
    path.write_text(text.replace(old, new), "utf-8")
    return path


@pytest.mark.parametrize("old, new, line, message", [
    pytest.param("- slug: unproven", "- slug: con", 26, 'cannot be "con": Windows keeps', id="verdict-con"),
    pytest.param("- slug: unproven", "- slug: NUL", 26, "lower-case letters", id="verdict-upper-nul"),
    pytest.param("- slug: unproven", "- slug: ../../outside", 26, "lower-case letters", id="verdict-dots"),
    pytest.param("- slug: unproven", '- slug: "a/b"', 26, "lower-case letters", id="verdict-slash"),
    pytest.param("- slug: unproven", '- slug: "a\\\\b"', 26, "lower-case letters", id="verdict-backslash"),
    pytest.param("- slug: unproven", '- slug: "a\\0b"', 26, "lower-case letters", id="verdict-nul-byte"),
    pytest.param("- slug: unproven", "- slug: " + "u" * (MAX_SLUG_LENGTH + 1), 26, "characters",
                 id="verdict-too-long"),
    pytest.param("- slug: weather", "- slug: lpt1", 34, 'cannot be "lpt1": Windows keeps', id="topic-lpt1"),
    pytest.param("- slug: weather", "- slug: /etc", 34, "lower-case letters", id="topic-absolute"),
    pytest.param("- slug: weather", "- slug: ..", 34, "lower-case letters", id="topic-dot-dot"),
])
def test_hostile_slug_in_site_yml_is_an_error_on_its_line(project, out, tmp_path, old, new, line, message):
    path = edit(project, "site.yml", old, new)
    errors = build_errors(project, out, tmp_path)
    error = the_error(errors, path, '"slug"', message)
    assert error.line == line


# References inside a claim ---------------------------------------------------

@pytest.mark.parametrize("old, new, line, message", [
    pytest.param("related: [rain-record]", "related: [../rain-record]", 26, 'unknown related claim "../rain-record"',
                 id="related-dots"),
    pytest.param("related: [rain-record]", "related: [/etc/passwd]", 26, 'unknown related claim "/etc/passwd"',
                 id="related-absolute"),
    pytest.param("related: [rain-record]", 'related: ["rain-record\\0"]', 26, "unknown related claim",
                 id="related-nul"),
    pytest.param("related: [rain-record]", "related: [RAIN-RECORD]", 26, 'unknown related claim "RAIN-RECORD"',
                 id="related-upper"),
    pytest.param("appeared_in: city-paper", "appeared_in: ../../outside/secret", 7, "unknown source",
                 id="appeared-in-dots"),
    pytest.param("appeared_in: city-paper", 'appeared_in: "..\\\\..\\\\secret"', 7, "unknown source",
                 id="appeared-in-backslash"),
    pytest.param("  - source: council-data", "  - source: ../sources/council-data", 18, "unknown source",
                 id="source-dots"),
    pytest.param("  - source: council-data", "  - source: CON", 18, 'unknown source "CON"', id="source-con"),
    pytest.param("topics: [budget]", "topics: [../budget]", 10, 'unknown topic "../budget"', id="topic-dots"),
    pytest.param('verdict: "false"', 'verdict: "../false"', 8, 'unknown verdict "../false"', id="verdict-dots"),
    pytest.param('verdict: "false"', 'verdict: "/"', 8, 'unknown verdict "/"', id="verdict-root"),
])
def test_hostile_reference_in_a_claim_is_an_unknown_name_on_its_line(project, out, tmp_path, old, new, line, message):
    path = edit(project, "claims/budget-doubled.md", old, new)
    error = the_error(build_errors(project, out, tmp_path), path, message)
    assert error.line == line


def test_hostile_claimant_names_become_safe_folder_names(project, out, tmp_path):
    # The longest names a claimant may have (fields: 200 characters).
    names = ["Con", "NUL", "com1", "../../outside", "/", "..", "a\\b", "\u202e", "Щ" * 200, "Очень " * 33, "x" * 200]
    for number, name in enumerate(names):
        write(project.content_dir / f"claims/said-{number}.md",
              RAIN.replace("claimant: Weather Watchers", f"claimant: {json.dumps(name)}"))
    before = snapshot(tmp_path, out.parent)
    build(project, out, cards=False, search=False)
    assert snapshot(tmp_path, out.parent) == before
    assert_all_inside(out)
    folders = sorted(p.name for p in (out / "claimants").iterdir() if p.is_dir())
    assert all(SLUG_PATTERN.match(name) and len(name) <= MAX_SLUG_LENGTH for name in folders)
    assert len(folders) == 2 + len(names)  # the fixture's two claimants, and one each: no two share a page
    assert "con" not in folders and "nul" not in folders and "com1" not in folders


def test_claimant_names_differing_in_case_share_an_address_even_when_reserved(project, out):
    """"Con" and "CON" make one address (never con/): spelled both ways, one is refused; spelled
    alike, their claims share the page."""
    for number, name in enumerate(["Con", "CON"]):
        write(project.content_dir / f"claims/said-{number}.md",
              RAIN.replace("claimant: Weather Watchers", f"claimant: {name}"))
    with pytest.raises(BuildFailed) as failed:
        read_site(project)
    [error] = failed.value.problems.errors
    assert error.path.name == "said-0.md" and '"Con" would share the page claimants/con-' in error.message
    assert "said-1.md" in error.message
    write(project.content_dir / "claims/said-0.md", RAIN.replace("claimant: Weather Watchers", "claimant: CON"))
    site, _ = read_site(project)
    claimants = {claim.claimant.slug for claim in site.claims if claim.slug.startswith("said-")}
    assert len(claimants) == 1
    assert claimants.pop().startswith("con-")


# Links (symlinks) ------------------------------------------------------------------

@needs_symlinks
@pytest.mark.parametrize("link, target", [
    pytest.param("claims/stolen.md", "outside/claims/stolen.md", id="claim-file"),
    pytest.param("sources/city-paper.txt", "outside/secret.txt", id="archived-copy"),
    pytest.param("sources/stolen.yml", "outside/stolen.yml", id="source-file"),
    pytest.param("pages/stolen.md", "outside/claims/stolen.md", id="page-file"),
    pytest.param("site.yml", "outside/site.yml", id="site-yml"),
    pytest.param("claims/elsewhere", "outside/claims", id="claims-sub-folder"),
    pytest.param("claims/etc", "/etc", id="system-folder"),
    pytest.param("sources/passwd.txt", "/etc/passwd", id="system-file"),
    pytest.param("claims/budget-again.md", "content/claims/budget-doubled.md", id="inside-content-too"),
    pytest.param("claims/nowhere.md", "outside/missing.md", id="dangling"),
])
def test_link_in_content_is_refused_naming_it(project, out, tmp_path, outside, link, target):
    path = project.content_dir / link
    if link == "site.yml" or link == "sources/city-paper.txt":
        path.unlink()
    if link == "sources/passwd.txt":  # a source whose archived copy is the system's password file
        write(project.content_dir / "sources/passwd.yml", "title: Passwords\nkind: data\n")
    os.symlink(target if target.startswith("/") else tmp_path / target, path)
    errors = build_errors(project, out, tmp_path)
    error = the_error(errors, path, "is a link (symlink) to")
    assert "does not follow links" in error.message
    assert "instead of a link" in error.hint
    assert not any(SECRET in str(e) for e in errors)


@needs_symlinks
@pytest.mark.parametrize("folder", ["claims", "sources", "pages"])
def test_content_sub_folder_that_is_a_link_is_refused_once(project, out, tmp_path, outside, folder):
    real = tmp_path / f"real-{folder}"
    shutil.move(project.content_dir / folder, real)
    os.symlink(real, project.content_dir / folder)
    errors = build_errors(project, out, tmp_path)
    the_error(errors, project.content_dir / folder, "folder is a link (symlink)")
    assert [e for e in errors if e.path.is_relative_to(project.content_dir / folder)
            and e.path != project.content_dir / folder] == []


@needs_symlinks
@pytest.mark.parametrize("target", ["..", ".", "../..", "../../claims"], ids=["parent", "self", "content", "loop"])
def test_link_loop_in_claims_is_refused_quickly(project, out, tmp_path, target):
    os.makedirs(project.content_dir / "claims/2025")
    os.symlink(target, project.content_dir / "claims/2025/loop")
    started = time.perf_counter()
    errors = build_errors(project, out, tmp_path)
    assert time.perf_counter() - started < 10
    assert len(errors) == 1
    the_error(errors, project.content_dir / "claims/2025/loop", "folder is a link (symlink)")


@needs_symlinks
def test_content_files_never_lists_a_link(tmp_path, outside):
    """The first of two guards: links are left out of the files to read (read_text refuses them too)."""
    from factsite.read.listing import content_files

    folder = tmp_path / "content/claims"
    write(folder / "real.md", RAIN)
    os.symlink(tmp_path / "outside/claims/stolen.md", folder / "stolen.md")
    os.symlink(folder / "real.md", folder / "again.md")
    problems = Problems()
    assert content_files(folder, "*.md", problems, recursive=True) == [folder / "real.md"]
    assert sorted(e.path.name for e in problems.errors) == ["again.md", "stolen.md"]


@needs_symlinks
def test_links_are_reported_by_check_without_a_traceback(project, tmp_path, outside, monkeypatch):
    (project.content_dir / "sources/city-paper.txt").unlink()
    os.symlink(tmp_path / "outside/secret.txt", project.content_dir / "sources/city-paper.txt")
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, ["check", "--content", str(project.content_dir)])
    assert result.exit_code == 1
    assert "sources/city-paper.txt: error: this file is a link (symlink) to" in result.output
    assert SECRET not in result.output
    assert "Traceback" not in result.output


def test_a_pipe_named_like_a_claim_is_refused_without_waiting(project, out, tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs named pipes")
    os.mkfifo(project.content_dir / "claims/pipe.md")
    started = time.perf_counter()
    errors = build_errors(project, out, tmp_path)
    assert time.perf_counter() - started < 10
    the_error(errors, project.content_dir / "claims/pipe.md", "not a file of text")


# --out ------------------------------------------------------------------------

@pytest.mark.parametrize("out_option", [".", "..", "content", "/", "content/claims"])
def test_out_pointing_at_a_folder_factsite_did_not_make_is_refused(project, tmp_path, monkeypatch, out_option):
    for theme in ("templates", "static"):
        shutil.copytree(REPO / theme, tmp_path / theme)
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path, tmp_path / "nothing-skipped")
    parent_before = sorted(os.listdir(tmp_path.parent))
    result = CliRunner().invoke(main, ["build", "--content", "content", "--out", out_option, "--no-search",
                                       "--no-cards"], catch_exceptions=False)
    assert result.exit_code == 1
    assert "was not made by factsite, so it will not be replaced" in result.output
    assert "--out" in result.output
    assert "Traceback" not in result.output
    assert snapshot(tmp_path, tmp_path / "nothing-skipped") == before
    assert sorted(os.listdir(tmp_path.parent)) == parent_before


def test_out_that_is_a_file_is_refused(project, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "notes.txt", "keep me")
    result = CliRunner().invoke(main, ["build", "--content", "content", "--out", "notes.txt", "--no-search"])
    assert result.exit_code == 2
    assert "notes.txt" in result.output and "is a file" in result.output
    assert (tmp_path / "notes.txt").read_text() == "keep me"


def test_write_refuses_a_path_leaving_the_output_folder(tmp_path):
    """The last line of defence, below every check above: refusing is a bug, not an editor's mistake."""
    from factsite.output.write import write_files

    for relative in ["../escape.html", "/tmp/escape.html", "a/../../escape.html", "a\\..\\escape.html", "a\0b"]:
        with pytest.raises(ValueError, match="outside the output folder"):
            write_files(tmp_path / "site", [(relative, b"x")])
    assert not (tmp_path / "escape.html").exists()


def test_hostile_but_valid_content_writes_only_inside_the_output_folder(project, out, tmp_path):
    write(project.content_dir / "claims/con-1.md", RAIN.replace("title: Rain record", 'title: "../../../escape"'))
    write(project.content_dir / "sources/aux-1.yml", "title: /etc/passwd\nkind: data\n")
    write(project.content_dir / "pages/lpt1-page.md", METHODOLOGY.replace("Methodology", "..\\..\\escape"))
    before = snapshot(tmp_path, out.parent)
    build(project, out, cards=False, search=False)
    assert snapshot(tmp_path, out.parent) == before
    assert_all_inside(out)
    assert (out / "claims/con-1/index.html").is_file() and (out / "sources/aux-1/index.html").is_file()
    assert sorted(p.name for p in out.parent.iterdir()) == [".factsite-cache", "site"]

