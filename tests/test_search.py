"""The search index in parts (factsite/model/search_parts.py, factsite/output/search.py):
what goes where, what an edit re-indexes, and that readers searching the parts find what one
whole index finds."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from factsite.engine import Project
from factsite.commands.build import build
from factsite.model import search_parts
from factsite.model.search_parts import search_shards

from .conftest import REPO, contents_of
from .serving import every_result, serve

PREFIX = "/some-repo/"


def urls(count: int, start: int = 0) -> list[str]:
    return [f"claims/claim-{number}/" for number in range(start, start + count)]


def test_a_small_site_has_one_part_and_an_empty_one_none():
    assert search_shards(urls(search_parts.SHARD_SIZE)) == [sorted(urls(search_parts.SHARD_SIZE))]
    assert search_shards([]) == []


def test_parts_hold_every_page_once_and_near_the_part_size():
    pages = urls(10_000)
    shards = search_shards(pages)
    assert len(shards) == 7
    assert sorted(url for shard in shards for url in shard) == sorted(pages)
    assert max(len(shard) for shard in shards) <= search_parts.SHARD_SIZE * 1.15
    assert search_shards(list(reversed(pages))) == shards  # the order pages come in does not matter


def test_a_part_left_empty_is_dropped(monkeypatch):
    monkeypatch.setattr(search_parts, "SHARD_SIZE", 1)
    pages = urls(2)
    while len({zlib.crc32(url.encode()) % 2 for url in pages}) == 2:  # two pages bound for one part
        pages[1] = pages[1].replace("/", "x/", 1)
    assert search_shards(pages) == [sorted(pages)]


def test_a_new_claim_leaves_every_other_page_in_its_part():
    before = search_shards(urls(10_000))
    after = search_shards(urls(10_001))
    assert len(after) == len(before)
    moved = [url for old, new in zip(before, after) for url in set(old) ^ set(new)]
    assert moved == ["claims/claim-10000/"]


# Built sites, with parts of 4 claims ---------------------------------------------------

@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setattr(search_parts, "SHARD_SIZE", 4)


@pytest.fixture
def workdir(tmp_path) -> Path:
    """The repository's own site, in a temporary folder: content/, templates/, static/."""
    for folder in ("content", "templates", "static"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    return tmp_path


@pytest.fixture
def real_site(workdir) -> Project:
    return Project.at(workdir)


def index_files(out: Path) -> dict[str, bytes]:
    return {name: data for name, data in contents_of(out).items() if name.startswith("pagefind/")}


def every_claim_page(project) -> list[str]:
    """Every claim's page in every edition: the English at the root, the Ukrainian under uk/."""
    slugs = [p.stem for p in (project.content_dir / "claims").glob("*.md") if "." not in p.stem]
    return [f"{edition}claims/{slug}/" for edition in ("", "uk/") for slug in slugs]


def shards_of_every_edition(project) -> list[list[str]]:
    """The parts of the search index: each edition's claims in parts of their own."""
    pages = every_claim_page(project)
    return [shard for edition in ("", "uk/") for shard in
            search_shards([page for page in pages if page.startswith(edition) and page.count("/") == 2 + bool(edition)])]


def test_an_edit_indexes_again_only_the_part_of_its_claim(real_site, tmp_path, small_parts):
    out = tmp_path / "site"
    build(real_site, out, cards=False)
    parts = sorted(p.name for p in (out / "pagefind").iterdir())
    assert len(parts) == len(shards_of_every_edition(real_site)) > 4  # the claims in parts of about 4
    before = index_files(out)
    folders = {name: (out / "pagefind" / name).stat().st_ino for name in parts}  # a part made again is a new folder
    claim = real_site.content_dir / "claims" / "eram-missile-delivery.md"
    claim.write_text(claim.read_text() + "\nA sentence about zeppelins, added by the test.\n")

    build(real_site, out, cards=False)

    after = index_files(out)
    changed = {name.split("/")[1] for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    [part] = [str(n) for n, shard in enumerate(shards_of_every_edition(real_site), 1)
              if "claims/eram-missile-delivery/" in shard]
    assert changed == {part}
    made_again = {name for name in parts if (out / "pagefind" / name).stat().st_ino != folders[name]}
    assert made_again == {part}
    reference = tmp_path / "reference"
    build(real_site, reference, cards=False, use_cache=False)
    assert after == index_files(reference)  # the same bytes as indexing everything afresh


def test_the_search_page_follows_the_number_of_parts(real_site, tmp_path, monkeypatch):
    out = tmp_path / "site"
    monkeypatch.setattr(search_parts, "SHARD_SIZE", 4)
    build(real_site, out, cards=False)
    monkeypatch.setattr(search_parts, "SHARD_SIZE", 1500)  # as after an upgrade of factsite
    build(real_site, out, cards=False)
    assert 'data-bundles="/pagefind/1/"' in (out / "search" / "index.html").read_text()
    assert 'data-bundles="/pagefind/2/"' in (out / "uk" / "search" / "index.html").read_text()  # its own language's
    assert sorted(p.name for p in (out / "pagefind").iterdir()) == ["1", "2"]


def test_a_site_without_claims_says_there_is_nothing_to_search(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns("claims", "sources"))
    out = tmp_path / "site"
    build(Project(content, REPO / "templates", REPO / "static"), out, cards=False)
    assert "There are no fact-checks to search yet." in (out / "search" / "index.html").read_text()
    assert not any((out / "pagefind").iterdir())


@pytest.fixture(scope="module")
def sites_in_parts(tmp_path_factory):
    """The repository's site built with its search index in parts of four claims, and whole,
    each served under PREFIX: the base URL and the parts of each, by part size."""
    project, sites = Project.at(REPO), {}
    with contextlib.ExitStack() as serving:
        with pytest.MonkeyPatch.context() as patch:
            for size in (4, search_parts.SHARD_SIZE):
                patch.setattr(search_parts, "SHARD_SIZE", size)
                out = tmp_path_factory.mktemp(f"parts-of-{size}") / "site"
                base = f"http://127.0.0.1:{serving.enter_context(serve(out, PREFIX))}{PREFIX}"
                build(project, out, cards=False, base_url=base, use_cache=False)
                sites[size] = base, search_shards(every_claim_page(project))
        yield sites


@pytest.mark.parametrize("term", ["Ukraine", "troops", "ERAM"])
def test_readers_find_in_the_parts_what_one_index_finds(sites_in_parts, browser, term):
    found, whole = {}, search_parts.SHARD_SIZE
    for size, (base, _) in sites_in_parts.items():
        context = browser.new_context()
        found[size] = {url.removeprefix(base) for url in every_result(context.new_page(), base, term)}
        context.close()
    # Every page one index finds is found in the parts. The parts may find more, which readers
    # of a site in parts (thousands of claims) then see: Pagefind searches a word an index
    # lacks for the longest prefix of it that the index holds (Pagefind pull request 315), so
    # a part without "ERAM" finds "era"; and a small part can match a longer word a larger
    # index leaves out ("Ukrainska" for "Ukraine").
    assert found[whole] <= found[4], found[whole] - found[4]
    assert found[whole], f"nothing found for {term!r}"
    if term != "ERAM":  # a common word: its claims are in several parts, all merged
        parts_of_4 = sites_in_parts[4][1]
        assert sum(1 for shard in parts_of_4 if found[4] & set(shard)) >= 2, parts_of_4


# When Pagefind fails ----------------------------------------------------------------------

FAILING_PAGEFIND = 'import sys\nprint("Pagefind ran out of memory (a stand-in)", file=sys.stderr)\nsys.exit(1)\n'


def factsite_build(root: Path, *, pagefind_fails: bool = False) -> subprocess.CompletedProcess:
    """`factsite build --no-cards` in ``root``; ``pagefind_fails``: with a `pagefind` module first
    on the path that fails as Pagefind does, saying why on stderr."""
    env = dict(os.environ)
    if pagefind_fails:
        stand_in = root / "failing" / "pagefind"
        stand_in.mkdir(parents=True, exist_ok=True)
        (stand_in / "__init__.py").write_text("")
        (stand_in / "__main__.py").write_text(FAILING_PAGEFIND)
        env["PYTHONPATH"] = os.pathsep.join([str(root / "failing"), str(REPO)])
    return subprocess.run([sys.executable, "-m", "factsite", "build", "--no-cards"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


def test_a_failed_index_leaves_the_previous_site(workdir):
    assert factsite_build(workdir).returncode == 0
    before = contents_of(workdir / "site")
    claim = workdir / "content" / "claims" / "eram-missile-delivery.md"
    claim.write_text(claim.read_text().replace("title: ", "title: Revised ", 1))
    (workdir / ".factsite-cache").rename(workdir / "no-cache")  # so the build writes a whole new site

    result = factsite_build(workdir, pagefind_fails=True)

    assert result.returncode == 1
    assert "error: Pagefind could not build the search index: Pagefind ran out of memory" in result.stderr
    assert "The previous site is unchanged." in result.stderr
    assert "Traceback" not in result.stderr
    assert contents_of(workdir / "site") == before


def test_a_failed_index_refresh_says_so_and_the_next_build_repairs_it(workdir):
    assert factsite_build(workdir).returncode == 0
    claim = workdir / "content" / "claims" / "eram-missile-delivery.md"
    claim.write_text(claim.read_text() + "\nA sentence about zeppelins, added by the test.\n")

    result = factsite_build(workdir, pagefind_fails=True)

    assert result.returncode == 1
    assert "Pagefind ran out of memory" in result.stderr
    assert "The pages were updated, but search still finds the previous text." in result.stderr
    assert "zeppelins" in (workdir / "site" / "claims" / "eram-missile-delivery" / "index.html").read_text()

    assert factsite_build(workdir).returncode == 0
    reference = workdir / "reference"
    build(Project.at(workdir), reference, cards=False, use_cache=False)
    assert index_files(workdir / "site") == index_files(reference)
