"""Content made to crash or stall the build: each is refused with a clear error naming
the file and line, before the expensive work, or handled in linear time.

What these tests feed is small but far past each limit (a limit is never tested by timing:
speed is measured in bench/fuzz_markdown.py). A subprocess timeout is only a safety net,
so that a regression hangs one test, not the whole run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from factsite import documents
from factsite.build import check, read_site
from factsite.errors import BuildFailed, ContentError
from factsite.scaffold import new_claim

from .conftest import write


def errors_of(project) -> list[ContentError]:
    with pytest.raises(BuildFailed) as failed:
        read_site(project)
    return failed.value.problems.errors


@pytest.fixture
def deep_folder(request):
    """Makes ``top``/a/a/.../a, ``levels`` deep, one folder at a time (os.makedirs recurses), and
    removes it after the test, from the bottom up: pytest's clean-up (shutil.rmtree) recurses too."""
    made: list[Path] = []

    def make(top: Path, levels: int) -> Path:
        path = top
        for _ in range(levels):
            path = path / "a"
            path.mkdir()
            made.append(path)
        return path

    yield make
    for folder in reversed(made):
        for child in folder.iterdir():
            if not child.is_dir():
                child.unlink()
        folder.rmdir()


# Folders -----------------------------------------------------------------------------------

@pytest.mark.parametrize("levels", [11, 1000])
def test_a_folder_nested_too_deep_in_claims_is_one_clear_error(project, deep_folder, levels):
    claims = project.content_dir / "claims"
    bottom = deep_folder(claims, levels)
    write(bottom / "deep.md", (claims / "rain-record.md").read_text("utf-8"))
    [error] = errors_of(project)
    assert error.path == claims.joinpath(*["a"] * 11)
    assert "more than 10 folders deep" in error.message and "claims/2025/09/" in error.hint
    assert documents.content_signatures(project.content_dir)  # lists, does not crash


def test_claims_ten_folders_deep_are_read(project, deep_folder):
    claims = project.content_dir / "claims"
    (claims / "rain-record.md").rename(deep_folder(claims, 10) / "rain-record.md")
    assert "rain-record" in {claim.slug for claim in read_site(project)[0].claims}


def test_new_in_a_deep_claims_folder_does_not_crash(project, deep_folder):
    deep_folder(project.content_dir / "claims", 1000)
    assert new_claim(project.content_dir, "A new claim", claimant="The Mayor").is_file()
