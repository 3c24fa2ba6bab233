"""A build killed at any moment (SIGKILL) leaves a site that serves, and the next build finishes the job.

A full build writes a new folder and swaps it in, so a kill leaves the previous
site exactly. An incremental build moves files into the site through a journal:
a kill before the moves leaves the previous site; a kill during them leaves
whole files, old and new, and the next build completes the moves first.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import FIXTURES, REPO, contents_of, write
from .links import all_links, resolve

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def build(root: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(REPO / "build.py"), "--content", str(root / "content"),
                             "--out", str(out), "--no-search"], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def assert_servable(out: Path) -> None:
    assert (out / "index.html").is_file() and (out / "claims.json").is_file()
    for page, links in all_links(out).items():
        for link in links:
            if link.startswith("/") and not link.startswith("//"):
                assert resolve(out, link[1:]), f"{page}: {link} is broken"


@pytest.fixture
def big_site(tmp_path) -> Path:
    """The fixture site with 120 more claims, so a build lasts long enough to be interrupted."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "basic" / "content", root / "content")
    template = (root / "content/claims/rain-record.md").read_text()
    for number in range(120):
        write(root / f"content/claims/rain-{number:03d}.md",
              template.replace("title: Rain record", f"title: Rain record {number}") + ("More words. " * 200))
    return root


@pytest.mark.parametrize("seed", [1, 2])
def test_killing_builds_at_random_moments_never_breaks_the_site(big_site, tmp_path, seed):
    rng = random.Random(seed)
    out = tmp_path / "site"
    started = time.perf_counter()
    assert build(big_site, out).wait() == 0
    span = time.perf_counter() - started  # a full build's length, to aim the kills
    claim = big_site / "content/claims/rain-050.md"
    for attempt in range(6):
        previous = contents_of(out)
        claim.write_text(claim.read_text().replace("More words.", f"More words {attempt}.", 1))
        if attempt % 2:  # every other time, a full build: the cache gone, the site swapped whole
            shutil.rmtree(tmp_path / ".factsite-cache", ignore_errors=True)
        process = build(big_site, out)
        time.sleep(rng.uniform(0, span))
        process.send_signal(signal.SIGKILL)
        process.wait()
        journal = tmp_path / ".site-journal.json"
        if not journal.exists():
            now = contents_of(out)
            new_page = now.get("claims/rain-050/index.html", b"")
            assert now == previous or f"More words {attempt}.".encode() in new_page, "the site is neither old nor new"
        assert_servable(out)
        assert build(big_site, out).wait() == 0  # the next build completes the work
        assert not journal.exists()
        assert f"More words {attempt}.".encode() in (out / "claims/rain-050/index.html").read_bytes()
        assert_servable(out)
    reference = tmp_path / "reference"
    assert build(big_site, reference).wait() == 0
    assert contents_of(out) == contents_of(reference)
