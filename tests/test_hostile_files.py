"""Hostile files outside content/: links in the theme, and what a build reads back from its own
output and cache (journal, build state, file cache, cards, compiled templates) or finds where
--out points.

The theme (templates/, static/) is trusted, but a link in it must not publish a file from
elsewhere. What a build reads back may have been planted (a checkout holding `.factsite-cache/`
or `.site-journal.json`, a restored CI cache): it may never make a build read, move or delete
anything outside the output folder, its staging folder and the cache, and anything off means a
full build. Every test keeps a canary beside the project and checks it is untouched.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from factsite.build import Project, build, check
from factsite.cli import main
from factsite.errors import BuildFailed

from .conftest import FIXTURES, REPO, contents_of, write
from .test_hostile_paths import SECRET, snapshot

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt",
                                    reason="needs symbolic links")


@pytest.fixture
def themed(tmp_path) -> Project:
    """The fixture site with a theme of its own (a copy of the repository's), which tests may change."""
    shutil.copytree(FIXTURES / "basic" / "content", tmp_path / "content")
    for folder in ("templates", "static"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    return Project.at(tmp_path)


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the project: secrets a link might publish, and a canary nothing may touch."""
    folder = tmp_path / "outside"
    write(folder / "secret.txt", f"{SECRET}\n")
    write(folder / "partial.html", f"<p>{SECRET}</p>\n")
    write(folder / "theme" / "extra.css", f"/* {SECRET} */\n")
    write(folder / "canary.txt", "still here\n")
    return folder


# Links (symlinks) in the theme ------------------------------------------------------

THEME_LINKS = [
    # (the link, relative to the project; what it points to: outside/..., or an absolute path)
    pytest.param("static/env.txt", "/proc/self/environ", id="static-environ"),
    pytest.param("static/passwd", "/etc/passwd", id="static-passwd"),
    pytest.param("static/secret.txt", "outside/secret.txt", id="static-file"),
    pytest.param("static/css/extra.css", "outside/theme/extra.css", id="static-sub-folder-file"),
    pytest.param("static/theme", "outside/theme", id="static-folder"),
    pytest.param("static/etc", "/etc", id="static-system-folder"),
    pytest.param("static/logo-again.svg", "static/logo.svg", id="static-inside-the-theme-too"),
    pytest.param("static/nowhere.css", "outside/missing.css", id="static-dangling"),
    pytest.param("static/.well-known/security.txt", "outside/secret.txt", id="static-hidden-folder"),
    pytest.param("templates/partial.html", "outside/partial.html", id="template-file"),
    pytest.param("templates/_badge.html", "outside/partial.html", id="template-used-by-every-page"),
    pytest.param("templates/parts/footer.html", "outside/partial.html", id="template-sub-folder-file"),
    pytest.param("templates/parts", "outside/theme", id="template-folder"),
    pytest.param("templates/loop", ".", id="template-folder-loop"),
]


def make_link(project: Project, link: str, target: str) -> Path:
    root = project.content_dir.parent
    path = root / link
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    os.symlink(target if target.startswith("/") or target == "." else root / target, path)
    return path


def assert_link_refused(errors, path: Path, folder: str) -> None:
    found = [e for e in errors if e.path == path]
    assert len(found) == 1, "\n".join(map(str, errors))
    error = found[0]
    assert "is a link (symlink) to" in error.message and f"does not follow links in {folder}/" in error.message
    assert "instead of a link" in error.hint
    assert not any(SECRET in str(e) for e in errors)


@needs_symlinks
@pytest.mark.parametrize("link, target", THEME_LINKS)
def test_link_in_the_theme_is_refused_by_build_and_check_naming_it(themed, tmp_path, outside, link, target):
    path = make_link(themed, link, target)
    out = tmp_path / "site"
    before = snapshot(tmp_path, out)
    with pytest.raises(BuildFailed) as failure:
        build(themed, out)
    assert_link_refused(failure.value.problems.errors, path, link.split("/")[0])
    assert not out.exists() and snapshot(tmp_path, out) == before
    with pytest.raises(BuildFailed) as failure:
        check(themed)
    assert_link_refused(failure.value.problems.errors, path, link.split("/")[0])


@needs_symlinks
@pytest.mark.parametrize("folder", ["static", "templates"])
def test_theme_folder_that_is_a_link_is_refused(themed, tmp_path, outside, folder):
    real = tmp_path / "outside" / f"real-{folder}"
    shutil.move(tmp_path / folder, real)
    os.symlink(real, tmp_path / folder)
    with pytest.raises(BuildFailed) as failure:
        build(themed, tmp_path / "site")
    assert_link_refused(failure.value.problems.errors, tmp_path / folder, folder)
    assert not (tmp_path / "site").exists()


@needs_symlinks
def test_link_in_the_theme_is_refused_by_the_command_line_without_a_traceback(themed, tmp_path, outside,
                                                                            monkeypatch):
    make_link(themed, "static/secret.txt", "outside/secret.txt")
    monkeypatch.chdir(tmp_path)
    for command in (["check"], ["build", "--no-search", "--no-cards"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, result.output
        assert "static/secret.txt: error: this file is a link (symlink) to" in result.output
        assert "hint: put the file itself here instead of a link" in result.output
        assert SECRET not in result.output and "Traceback" not in result.output
    assert not (tmp_path / "site").exists()


@needs_symlinks
def test_hidden_link_in_the_theme_is_neither_refused_nor_followed(themed, tmp_path, outside):
    """An editor's lock file (Emacs makes `.#name` links) is hidden, as in content/: left alone."""
    make_link(themed, "templates/.#claim.html", "outside/secret.txt")
    make_link(themed, "static/.#site.css", "outside/secret.txt")
    out = tmp_path / "site"
    build(themed, out, cards=False, search=False)
    assert not any(SECRET.encode() in data for data in contents_of(out).values())


@needs_symlinks
def test_the_renderer_follows_no_link_even_one_made_after_the_check(themed, tmp_path, outside):
    """The second guard: links are listed, read and loaded as templates never, whatever the check said."""
    from factsite.build import read_site
    from factsite.render import Renderer

    site, _ = read_site(themed)
    make_link(themed, "static/secret.txt", "outside/secret.txt")
    make_link(themed, "static/theme", "outside/theme")
    make_link(themed, "templates/_badge.html", "outside/partial.html")
    renderer = Renderer(site, themed.templates_dir, themed.static_dir, cards=False, search=False)
    renderer.fingerprints()  # reads every file of the theme
    files = dict(renderer.static_files())
    assert "secret.txt" not in files and not any(name.startswith("theme/") for name in files)
    with pytest.raises(Exception, match="follows no link") as raised:
        renderer.render_job(("claim", "rain-record"))
    assert SECRET not in str(raised.value)
