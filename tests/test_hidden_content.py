"""Hidden files and folders in content/ are left out, by every part of factsite that lists
content files: the loader, the file cache's listing (read/filecache.py's content_signatures), the
history `check --since` reads (history.state_at) and the preview's watcher. A claim in
content/claims/.archive/ is not published, and nothing that lists files thinks otherwise.
"""

from __future__ import annotations

import shutil

import pytest

from factsite.engine import read_site

from factsite.commands.build import build, check
from factsite.checks.history import state_at
from factsite.read.filecache import content_signatures
from factsite.read.listing import content_files
from factsite.errors import Problems
from factsite.commands.scaffold import new_claim
from factsite.read.hidden import VisibleChanges

from .conftest import write
from .test_corrections import commit, copy_site, git

HIDDEN = [".archive/old-claim.md", ".git-like/x/old-claim.md", "2025/.drafts/old-claim.md",
          ".old-claim.md", "2025/.old-claim.md"]


def hidden_claim(project, relative: str) -> None:
    """A valid claim (a copy of rain-record, with its own name) at ``relative`` in claims/."""
    text = (project.content_dir / "claims" / "rain-record.md").read_text("utf-8")
    write(project.content_dir / "claims" / relative, text.replace("title: ", "title: Archived ", 1))


@pytest.mark.parametrize("relative", HIDDEN)
def test_a_claim_in_a_hidden_folder_or_file_is_not_published(project, tmp_path, relative):
    hidden_claim(project, relative)
    site, _ = read_site(project)
    assert "old-claim" not in {claim.slug for claim in site.claims}
    assert not any(claim.title.startswith("Archived") for claim in site.claims)
    build(project, tmp_path / "site", cards=False, search=False)
    assert not (tmp_path / "site" / "claims" / "old-claim").exists()
    assert "Archived" not in (tmp_path / "site" / "claims.json").read_text("utf-8")


def test_a_hidden_folder_with_a_broken_claim_does_not_fail_the_check(project):
    write(project.content_dir / "claims" / ".archive" / "Broken Name.md", "not front matter")
    write(project.content_dir / "sources" / ".old" / "x.yml", "title: [")
    assert not check(project).errors


@pytest.mark.parametrize("relative", HIDDEN)
def test_the_file_cache_lists_no_hidden_claim(project, relative):
    hidden_claim(project, relative)
    listed = content_signatures(project.content_dir)
    assert not [name for name in listed if "old-claim" in name]
    assert "claims/rain-record.md" in listed


def test_content_files_leaves_out_what_is_hidden(project):
    for relative in HIDDEN:
        hidden_claim(project, relative)
    found = content_files(project.content_dir / "claims", "*.md", Problems(), recursive=True)
    assert "old-claim" not in {path.stem for path in found}


def test_the_history_lists_no_hidden_claim(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = copy_site(tmp_path / "newsroom")
    for relative in HIDDEN:
        text = (folder / "content/claims/rain-record.md").read_text("utf-8")
        write(folder / "content/claims" / relative, text)
    git(folder, "init", "-q")
    commit(folder)
    history = state_at(folder / "content", "HEAD", {})
    assert "old-claim" not in history.state.claims
    assert {"rain-record", "budget-doubled"} <= history.state.claims.keys()


@pytest.mark.parametrize("relative, seen", [
    ("claims/rain-record.md", True), ("claims/2025/new.md", True), ("templates/base.html", True),
    ("claims/.archive/old-claim.md", False), ("claims/.rain-record.md.swp", False),
    ("claims/2025/.drafts/x.md", False), (".hidden.yml", False),
    # Names watchfiles' own filter leaves out, which the build reads (and reports, or publishes):
    ("claims/flycheck_rain.md", True), ("claims/node_modules/x.md", True), ("claims/rain.md~", True),
])
def test_the_preview_watches_what_the_build_reads(project, relative, seen):
    content = project.content_dir
    watching = VisibleChanges([content, content.parent / "templates"])
    base = content.parent if relative.startswith("templates/") else content
    assert watching(1, str(base / relative)) is seen


def test_new_does_not_see_a_claim_in_a_hidden_folder(project):
    hidden_claim(project, ".archive/old-claim.md")
    path = new_claim(project.content_dir, "Old claim", claimant="The Mayor")
    assert path == project.content_dir / "claims" / "old-claim.md"
