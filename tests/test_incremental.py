"""Incremental builds: after any sequence of edits, the output is byte-identical to a cold build."""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

import pytest

from factsite.commands.build import build

from .conftest import REPO, contents_of, copies_of_budget_doubled, files_read, settle, write
from .sitemaps import sitemap_locations, sitemap_parts


def assert_same_as_cold(project, out: Path | list[Path], tmp_path: Path, step: str) -> None:
    """The site in ``out`` (or in each of several) is, byte for byte, what a cold build writes."""
    reference = tmp_path / "reference"
    shutil.rmtree(reference, ignore_errors=True)
    build(project, reference, use_cache=False)
    expected = contents_of(reference)
    for site in out if isinstance(out, list) else [out]:
        built = contents_of(site)
        assert sorted(built) == sorted(expected), f"after {step}: different files in {site}"
        for name in expected:
            assert built[name] == expected[name], f"after {step}: {name} differs from a cold build in {site}"


def build_both_ways(project, sites: dict[str, Path], monkeypatch) -> None:
    """Build ``project`` into each of ``sites``, each with a cache of its own: the "just written"
    site's reads its files again while their times are too recent to trust, as a build does
    moments after a save; the "settled" site's trusts them, as on an editor's machine a while later."""
    for kind, out in sites.items():
        with monkeypatch.context() as patch:
            if kind == "settled":
                settle(patch)
            build(project, out)


def sites_both_ways(tmp_path: Path) -> dict[str, Path]:
    """A site for each way of build_both_ways, in folders of their own (a cache is beside its site)."""
    return {kind: tmp_path / kind / "site" for kind in ("just written", "settled")}


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def withdraw(content: Path, slug: str) -> None:
    """Delete a claim, with the record a published one needs (content/withdrawn.yml): its address then says so."""
    path = content / "claims" / f"{slug}.md"
    if path.exists():
        verdict = re.search(r"^verdict: (.*)$", path.read_text(), re.MULTILINE).group(1)
        with (content / "withdrawn.yml").open("a") as records:
            records.write(f"  - {{claim: {slug}, title: Gone, date: 2025-06-02, verdict: {verdict}, note: Withdrawn.}}\n")
        path.unlink()


EDITS = {
    "analysis": lambda c: replace(c / "claims/rain-record.md", "Nothing to check", "Still nothing to check"),
    "title": lambda c: replace(c / "claims/budget-doubled.md", "title: Budget doubled", "title: Budget doubled?"),
    "verdict": lambda c: replace(c / "claims/rain-record.md", "verdict: unproven\n",
                                 'verdict: "false"\ncorrections:\n  - date: 2025-06-01\n'
                                 "    note: The verdict changed from Unproven to False.\n"),
    "published date": lambda c: replace(c / "claims/rain-record.md", "published: 2025-04-01", "published: 2024-01-01"),
    "new claim": lambda c: write(c / "claims/snow-record.md", (c / "claims/rain-record.md").read_text()
                                 .replace("title: Rain record", "title: Snow record")),
    "deleted claim": lambda c: withdraw(c, "snow-record"),
    "source title": lambda c: replace(c / "sources/council-data.yml", "Council spending", "City spending"),
    "correction": lambda c: replace(c / "claims/budget-doubled.md", "  - date: 2025-03-09\n",
                                    "  - date: 2025-03-10\n    note: A date was wrong.\n  - date: 2025-03-09\n"),
    "site tagline": lambda c: replace(c / "site.yml", "A small site", "A tiny site"),
    "page text": lambda c: replace(c / "pages/about.md", "checks claims", "checks every claim"),
    "related": lambda c: replace(c / "claims/budget-doubled.md", "related: [rain-record]", "related: []"),
    "uncorrected title": lambda c: replace(c / "claims/rain-record.md", "title: Rain record", "title: Rain records"),
    # What claims.json shows of a claim, but not its title (see structured_data.review_key).
    "claim text": lambda c: replace(c / "claims/budget-doubled.md", "claim: The budget has doubled since 2020.",
                                    "claim: The budget has doubled since 2019."),
    "claimant type": lambda c: replace(c / "claims/budget-doubled.md", "claimant_type: person",
                                       "claimant_type: organization"),
    "claim date": lambda c: replace(c / "claims/budget-doubled.md", "claim_date: 2025-03-01", "claim_date: 2025-02-27"),
    "updated date": lambda c: replace(c / "claims/budget-doubled.md", "updated: 2025-03-09", "updated: 2025-03-20"),
    "appeared in": lambda c: replace(c / "claims/budget-doubled.md", "appeared_in: city-paper",
                                     "appeared_in: council-data"),
    "summary": lambda c: replace(c / "claims/budget-doubled.md", "it did not double.", "it did not quite double."),
    # A byline names people by their files: the claim's page, the person's and the team's show them.
    "person's name": lambda c: replace(c / "people/test-writer.yml", "name: Test Writer", "name: Test Author"),
    "author": lambda c: replace(c / "claims/budget-doubled.md", "author: test-writer", "author: test-editor"),
    "right of reply": lambda c: replace(c / "claims/rain-record.md", "    date: 2025-03-28\n",
                                        "    date: 2025-03-28\n    response: No comment.\n"),
    # Every page's menus name the site's pages by their addresses.
    "renamed page": lambda c: (c / "pages/methodology.md").rename(c / "pages/how-we-check.md"),
}


def test_each_kind_of_edit_rebuilds_to_the_same_bytes_as_a_cold_build(project, tmp_path, monkeypatch):
    """Settled, the files' times are trusted: a build whose inputs are the last build's does
    nothing (commands/build.inputs_digest), so no edit may go unseen by it."""
    sites = sites_both_ways(tmp_path)
    build_both_ways(project, sites, monkeypatch)
    for name, edit in EDITS.items():
        edit(project.content_dir)
        build_both_ways(project, sites, monkeypatch)
        assert_same_as_cold(project, list(sites.values()), tmp_path, name)


def test_a_renamed_claim_moves_everywhere_it_is_listed(project, tmp_path):
    """The same text at a new address: lists, feeds, sources and the search index must follow it,
    and the old address sends readers on to it (`aliases:`)."""
    out = tmp_path / "site"
    build(project, out)
    claims = project.content_dir / "claims"
    (claims / "budget-doubled.md").rename(claims / "budget-has-doubled.md")
    replace(claims / "budget-has-doubled.md", "aliases: [spending-doubled]", "aliases: [spending-doubled, budget-doubled]")
    build(project, out)
    assert_same_as_cold(project, out, tmp_path, "renaming a claim")
    assert b"claims/budget-has-doubled/" in (out / "index.html").read_bytes()
    assert b'url=/claims/budget-has-doubled/"' in (out / "claims/budget-doubled/index.html").read_bytes()
    replace(claims / "budget-has-doubled.md", "budget-doubled]", "budget-doubled, budget-up]")
    build(project, out)
    assert_same_as_cold(project, out, tmp_path, "adding an alias")


@pytest.mark.parametrize("and_an_analysis", [False, True])
def test_a_template_edit_rebuilds_every_page(project, tmp_path, request, and_an_analysis):
    if and_an_analysis:  # the analysis's file then comes from the file cache, the others
        request.getfixturevalue("settled")
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    project.templates_dir = templates
    out = tmp_path / "site"
    build(project, out, search=False)
    replace(templates / "base.html", "Skip to content", "Skip to the content")  # the same size, a new time
    if and_an_analysis:
        EDITS["analysis"](project.content_dir)
    result = build(project, out, search=False)
    admin = sum(path.is_file() for path in (out / "admin").rglob("*"))  # the CMS shows no template
    assert result.files_reused - admin < 10  # only files that do not show the layout, such as cards
    assert_same_as_cold_without_search(project, out, tmp_path)


def test_a_template_that_shows_more_on_the_claimants_index_is_kept_up_to_date(project, tmp_path):
    """The shared pages' fingerprint holds what the indexes show of each claimant: a theme
    may show a claimant's type there."""
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    replace(templates / "claimants.html", "{{ claimant.name }}</a>", "{{ claimant.name }}</a> ({{ claimant.type }})")
    project.templates_dir = templates
    out = tmp_path / "site"
    build(project, out, search=False)
    EDITS["claimant type"](project.content_dir)
    build(project, out, search=False)
    assert "(organization)" in (out / "claimants/index.html").read_text()
    assert_same_as_cold_without_search(project, out, tmp_path)


def test_the_site_card_is_drawn_again_only_when_what_it_shows_changes(project, tmp_path, monkeypatch):
    import factsite.render.cards

    drawn = []
    draw = factsite.render.cards.draw_site_card
    monkeypatch.setattr(factsite.render.cards, "draw_site_card", lambda face: drawn.append(face.tagline) or draw(face))
    out = tmp_path / "site"
    build(project, out, search=False)
    EDITS["title"](project.content_dir)  # every list and feed again, but not what the card shows
    build(project, out, search=False)
    assert drawn == ["A small site for factsite's tests"]
    EDITS["site tagline"](project.content_dir)
    build(project, out, search=False)
    assert drawn == ["A small site for factsite's tests", "A tiny site for factsite's tests"]
    assert_same_as_cold_without_search(project, out, tmp_path)


def test_a_new_way_of_writing_the_files_writes_every_file_again(project, tmp_path, monkeypatch, settled):
    """A site built by an earlier factsite keeps no file this one would write differently
    (with the content settled, so that the build could otherwise find nothing changed)."""
    out = tmp_path / "site"
    build(project, out, search=False)
    monkeypatch.setattr("factsite.render.renderer.OUTPUT_VERSION", "next")
    assert build(project, out, search=False).files_reused == 0


def assert_same_as_cold_without_search(project, out, tmp_path):
    reference = tmp_path / "reference"
    shutil.rmtree(reference, ignore_errors=True)
    build(project, reference, use_cache=False, search=False)
    assert contents_of(out) == contents_of(reference)


def test_an_edit_to_one_analysis_rewrites_only_that_claim(project, tmp_path):
    out = tmp_path / "site"
    build(project, out, search=False)
    claim_files = ["claims/rain-record/index.html", "claims/rain-record/badge.svg", "claims/rain-record/card.png"]
    before = inodes(out, claim_files)
    EDITS["analysis"](project.content_dir)
    result = build(project, out, search=False)
    assert result.files_written == 3  # the claim's page, badge and card, rendered again
    assert result.files_reused > 20
    # Of which the badge and the card hold the bytes they held: they stay as they were (write.holds).
    assert [page for page in claim_files if inodes(out, claim_files)[page] != before[page]] == claim_files[:1]
    assert_same_as_cold_without_search(project, out, tmp_path)
    unchanged = build(project, out, search=False)
    assert unchanged.files_written == 0


SITEMAP = ["sitemap.xml", "sitemap-pages.xml", "sitemap-sources.xml", "sitemap-claims-2025-03.xml"]


@pytest.mark.parametrize("edit, rewritten, kept", [
    ("title", ["feed.xml", "corrections/index.html"], ["claims.json", *SITEMAP]),  # it has a correction
    ("uncorrected title", ["feed.xml"], ["claims.json", *SITEMAP, "sources/index.html"]),
    ("summary", ["feed.xml", "claims.json"], [*SITEMAP, "sources/index.html"]),  # its ratingExplanation
    ("claim text", ["feed.xml", "claims.json"], [*SITEMAP, "sources/index.html"]),
    ("updated date", ["feed.xml", "claims.json", "sitemap-claims-2025-03.xml"],
     ["sources/index.html", "sitemap.xml", "sitemap-pages.xml", "sitemap-sources.xml"]),  # its month's part only
    ("source title", ["sources/index.html"], ["claims.json", *SITEMAP]),  # no claim appeared in it
    ("appeared in", ["claims.json"], [*SITEMAP, "sources/index.html"]),
])
def test_the_files_made_from_every_claim_are_written_again_only_when_what_they_show_changes(
        project, tmp_path, edit, rewritten, kept):
    """A title is not in claims.json or the sitemap; rendering those was most of the time of the
    rebuild after a title edit on a large site."""
    out = tmp_path / "site"
    build(project, out, search=False)
    before = inodes(out, rewritten + kept)
    EDITS[edit](project.content_dir)
    build(project, out, search=False)
    after = inodes(out, rewritten + kept)
    assert [page for page in rewritten + kept if after[page] != before[page]] == rewritten
    assert_same_as_cold_without_search(project, out, tmp_path)


def test_an_edit_to_a_claim_of_a_much_cited_source_writes_only_the_page_that_lists_it(project, tmp_path):
    """However many claims cite a source, a claim's edit renders one page of its report card."""
    copies = copies_of_budget_doubled(project.content_dir, 89)  # 90 claims cite either source: pages of 10 to 50
    out = tmp_path / "site"
    build(project, out, search=False)
    before = {path: path.stat().st_ino for path in out.rglob("*") if path.is_file()}
    replace(copies[44], "title: Budget doubled 44", "title: Budget doubled, 44")
    result = build(project, out, search=False)
    written = sorted(path.relative_to(out).as_posix() for path in out.rglob("*")
                     if path.is_file() and before.get(path) != path.stat().st_ino)
    pages = sorted(path.relative_to(out).as_posix() for path in out.glob("sources/*/page/*/index.html"))
    assert len(pages) >= 2  # each source's report card is more than its newest page
    for listed in ("sources/city-paper/", "sources/council-data/", "corrections/"):
        (page,) = [path for path in written if path.startswith(listed)]
        assert "Budget doubled, 44" in (out / page).read_text("utf-8")
    # Besides: the claim's page, badge and card, the feed, the published state, and the page of
    # the index, its verdict, topic, claimant, author and editor listing it; of which the card,
    # which shows no title, holds the bytes it held, and stays (write.holds).
    assert result.files_written == 14
    assert len(written) == 13 and "claims/budget-44/card.png" not in written
    assert_same_as_cold_without_search(project, out, tmp_path)
    for copy in copies[:60]:  # pages of each source, and of the corrections log, go
        copy.unlink()
    with (project.content_dir / "withdrawn.yml").open("a") as records:
        records.writelines(f"  - {{claim: {copy.stem}, title: Gone, date: 2025-06-02, verdict: \"false\", note: Withdrawn.}}\n"
                           for copy in copies[:60])
    build(project, out, search=False)
    assert len(list(out.glob("sources/*/page/*/index.html"))) < len(pages)
    assert_same_as_cold_without_search(project, out, tmp_path)


def test_the_sitemap_is_an_index_of_parts_by_month_and_a_new_claim_writes_its_month_s_again(project, tmp_path):
    """The sitemap protocol allows 50,000 addresses a file; in parts by the month each claim was
    published, a claim added or deleted also writes its month's part again, not every address."""
    copies_of_budget_doubled(project.content_dir, 3)  # published in March 2025, as budget-doubled
    out = tmp_path / "site"
    build(project, out, search=False)
    parts = [part.relative_to(out).as_posix() for part in sitemap_parts(out)]
    assert parts == ["sitemap-pages.xml", "sitemap-sources.xml", "sitemap-claimants.xml", "sitemap-people.xml",
                     "sitemap-claims-2025-03.xml", "sitemap-claims-2025-04.xml"]
    listed = sitemap_locations(out)
    claims = sorted(f"claims/{path.stem}/" for path in (project.content_dir / "claims").glob("*.md")
                    if "draft: true" not in path.read_text("utf-8"))
    assert sorted(url.removeprefix("https://example.org/") for url in listed if "/claims/" in url) == claims
    assert "https://example.org/topics/budget/" in listed
    before = inodes(out, ["sitemap.xml", *parts])
    EDITS["new claim"](project.content_dir)  # published as rain-record was, on 1 April 2025
    build(project, out, search=False)
    after = inodes(out, ["sitemap.xml", *parts])
    assert [part for part in before if after[part] != before[part]] == ["sitemap-claims-2025-04.xml"]
    assert "https://example.org/claims/snow-record/" in (out / "sitemap-claims-2025-04.xml").read_text("utf-8")
    assert_same_as_cold_without_search(project, out, tmp_path)
    # A month's last claim gone: its part goes, and the index no longer lists it.
    EDITS["deleted claim"](project.content_dir)  # snow-record, withdrawn with a note
    replace(project.content_dir / "claims/rain-record.md", "published: 2025-04-01", "published: 2025-03-30")
    build(project, out, search=False)
    assert not (out / "sitemap-claims-2025-04.xml").exists()
    assert [part.name for part in sitemap_parts(out)][-1] == "sitemap-claims-2025-03.xml"
    assert_same_as_cold_without_search(project, out, tmp_path)


def inodes(out: Path, pages: list[str]) -> dict[str, int]:
    """Which file is at each page: an update in place moves a new file in for every page it writes."""
    return {page: (out / page).stat().st_ino for page in pages}


def test_a_deploy_from_a_fresh_checkout_renders_only_what_changed(project, tmp_path, monkeypatch):
    """The Pages workflow restores site/ and .factsite-cache/ into a fresh checkout, where every
    file is new to the file system, and dates the build by its commit: neither may make every
    page again."""
    out = tmp_path / "site"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(project, out, search=False)
    kept = ["claims/budget-doubled/index.html", "topics/budget/index.html", "sources/city-paper/index.html"]
    before = inodes(out, kept)
    for path in sorted(project.content_dir.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            path.unlink()
            path.write_bytes(data)  # a new file, as git checks it out
    EDITS["analysis"](project.content_dir)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    deploy = build(project, out, search=False)
    assert deploy.files_written > 0
    assert inodes(out, kept) == before  # not written again
    assert_same_as_cold_without_search(project, out, tmp_path)


@pytest.mark.parametrize("cached", [False, True])
def test_a_new_source_date_still_dates_the_feed_of_a_site_without_claims(project, tmp_path, monkeypatch, request,
                                                                         cached):
    """The build date shows only there, so only the job that writes the feed depends on it."""
    if cached:  # every file then comes from the file cache
        request.getfixturevalue("settled")
    for claim in (project.content_dir / "claims").glob("*.md"):
        claim.unlink()
    out = tmp_path / "site"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(project, out, search=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")
    build(project, out, search=False)
    assert "<updated>2030-03-17T00:00:00+00:00</updated>" in (out / "feed.xml").read_text()
    assert_same_as_cold_without_search(project, out, tmp_path)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_sequences_of_edits_match_a_cold_build(project, tmp_path, seed, request):
    """With files settled as on an editor's machine, so that unchanged files come from the file cache."""
    request.getfixturevalue("settled")
    rng = random.Random(seed)
    out = tmp_path / "site"
    build(project, out, search=False)
    names = sorted(EDITS)
    rng.shuffle(names)
    for name in names[:6]:  # each edit once, in a random order
        EDITS[name](project.content_dir)
        build(project, out, search=False)
        assert_same_as_cold_without_search(project, out, tmp_path)


def test_changing_settings_rebuilds_everything(project, tmp_path, settled):
    out = tmp_path / "site"
    build(project, out, search=False)
    result = build(project, out, search=False, base_url="https://owner.github.io/repo/")
    assert result.files_reused == 0
    assert 'href="/repo/site.css' in (out / "index.html").read_text()
    assert build(project, out, search=False, drafts=True).files_written > 0  # the draft's pages


def test_a_build_of_the_same_inputs_has_nothing_to_do(project, tmp_path, settled):
    """Nothing read, checked or rendered: it says what the last build wrote, and its warnings."""
    replace(project.content_dir / "claims/rain-record.md",
            "    note: The council's tables cover spending only and hold no rainfall figures.\n", "")
    out = tmp_path / "site"
    first = build(project, out, search=False)
    before = contents_of(out)
    again = build(project, out, search=False)
    assert list(again.timings) == ["read cache"]
    assert (again.files_written, again.files_reused) == (0, first.files_written)
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings] != []
    assert contents_of(out) == before
    shutil.copytree(project.static_dir, tmp_path / "static")
    project.static_dir = tmp_path / "static"  # the same files, elsewhere: another input
    assert "read and check" in build(project, out, search=False).timings
    assert list(build(project, out, search=False).timings) == ["read cache"]
    static = project.static_dir / "site.css"
    static.write_bytes(static.read_bytes() + b"\n")  # a theme file is an input too
    assert "read and check" in build(project, out, search=False).timings


@pytest.mark.parametrize("record", [b"", b"\x00garbage", "no state", "another state"])
def test_a_garbled_record_of_the_last_builds_inputs_is_not_trusted(project, tmp_path, settled, record):
    """Read back from the cache folder, it is untrusted (readback.py): garbled, beside no state
    of the site (a build stopped after forgetting it), or beside another state file than the
    one saved with it (written by a factsite that knows no such record), the build works
    everything out."""
    from factsite.output.cache import BuildCache

    out = tmp_path / "site"
    build(project, out, search=False)
    state = BuildCache(out).state_file
    if record == "no state":
        state.unlink()
    elif record == "another state":
        data = state.read_bytes()
        state.unlink()
        state.write_bytes(data)
    else:
        BuildCache(out).inputs_file.write_bytes(record)
    result = build(project, out, search=False)
    assert "read and check" in result.timings
    assert_same_as_cold_without_search(project, out, tmp_path)


def test_links_to_anchors_on_kept_pages_are_still_checked(project, tmp_path):
    out = tmp_path / "site"
    build(project, out, search=False)
    claim = project.content_dir / "claims/rain-record.md"
    claim.write_text(claim.read_text() + "\nSee [its sources](/claims/budget-doubled/#sources) "
                                          "and [nothing](/claims/budget-doubled/#nowhere).\n")
    result = build(project, out, search=False)
    assert result.files_written < 10  # the budget page was kept, not rendered again
    messages = [w.message for w in result.warnings]
    assert any('#nowhere' in m for m in messages)
    assert not any('#sources' in m for m in messages)


def test_file_cache_reads_again_only_the_files_that_changed(project, tmp_path, monkeypatch, settled):
    from factsite.read.claim_file import ClaimFile
    from factsite.read.filecache import DocumentCache

    monkeypatch.setattr(DocumentCache, "RECENT_SHARE", 1)  # a big site's proportions, on the small one
    out = tmp_path / "site"
    build(project, out, search=False, cards=False)
    read = []
    real = ClaimFile.read.__func__
    monkeypatch.setattr(ClaimFile, "read", classmethod(lambda cls, path, problems: (
        read.append(path.name), real(cls, path, problems))[1]))
    claims = project.content_dir / "claims"
    for name in ("rain-record.md", "budget-doubled.md"):  # two rebuilds, each after one edit
        (claims / name).write_text((claims / name).read_text() + "\nOne more line.\n")
        build(project, out, search=False, cards=False)
        assert read[-1:] == [name] and read.count(name) == 1, read
    build(project, out, search=False, cards=False)  # nothing changed: nothing read
    assert read == ["rain-record.md", "budget-doubled.md"]
    # The edits were saved beside the whole cache, not by writing it all again.
    assert (tmp_path / ".factsite-cache/documents.recent.marshal").is_file()
    assert contents_of(out) == contents_of(cold_build(project, tmp_path))


def cold_build(project, tmp_path) -> Path:
    out = tmp_path / "cold" / "site"
    build(project, out, search=False, cards=False, use_cache=False)
    return out


def test_file_copied_in_with_its_old_modification_time_is_read_again(project, tmp_path):
    """Same size, same modification time, other words (cp -p, rsync -t): not fooled either."""
    claim = project.content_dir / "claims/rain-record.md"
    original = claim.read_text()
    out = tmp_path / "site"
    build(project, out, search=False, cards=False)
    saved_at = claim.stat().st_mtime_ns
    changed = original.replace("title: Rain record", "title: Rain recorD")
    assert len(changed) == len(original) and changed != original
    claim.write_text(changed)
    os.utime(claim, ns=(saved_at, saved_at))
    build(project, out, search=False, cards=False)
    assert "Rain recorD" in (out / "claims/rain-record/index.html").read_text()


def test_file_saved_again_within_a_tick_of_a_coarse_clock_is_read_again(project, tmp_path, monkeypatch):
    """On a file system whose times step by whole seconds (HFS+, FAT), a file saved, built and
    saved again at the same size within that second has the same times: it must not be
    taken from the cache."""
    from factsite.read import filecache

    second = 1_700_000_000 * 10**9
    monkeypatch.setattr(filecache.time, "time_ns", lambda: second + 500_000_000)  # half a second on
    real_signature = filecache.DocumentCache.signature
    monkeypatch.setattr(filecache.DocumentCache, "signature", staticmethod(
        lambda path: real_signature(path) and (real_signature(path)[0], second, second)))
    claim = project.content_dir / "claims/rain-record.md"
    original = claim.read_text()
    out = tmp_path / "site"
    build(project, out, search=False, cards=False)
    claim.write_text(original.replace("title: Rain record", "title: Rain recorD"))
    build(project, out, search=False, cards=False)
    assert "Rain recorD" in (out / "claims/rain-record/index.html").read_text()


# An edited analysis, and what else may change beside it ---------------------------


def test_an_edited_analysis_is_rebuilt_from_only_what_its_page_shows(project, tmp_path, monkeypatch, settled):
    out = tmp_path / "site"
    build(project, out)
    read = files_read(monkeypatch)
    EDITS["analysis"](project.content_dir)
    result = build(project, out)
    assert read == ["rain-record.md"]  # only the file that changed is parsed again
    assert result.files_written == 3  # the claim's page, badge and card
    assert "Still nothing to check" in (out / "claims/rain-record/index.html").read_text()
    assert_same_as_cold(project, out, tmp_path, "an edited analysis")  # the search index too
    read.clear()
    assert build(project, out).files_written == 0
    assert read == []  # nothing changed: nothing read


# Each of these changes something an edited analysis's page does not show alone.
BESIDE_AN_ANALYSIS = {
    "front matter": EDITS["title"],
    "a source": EDITS["source title"],
    "a page": EDITS["page text"],
    "site.yml": EDITS["site tagline"],
    "a new claim": EDITS["new claim"],
    # The claimant's type is given by another claim.
    "an inherited claimant type": lambda c: write(c / "claims/rain-again.md", (c / "claims/rain-record.md")
                                                  .read_text().replace("title: Rain record", "title: Rain again")
                                                  .replace("claimant_type: organization\n", "")),
}


@pytest.mark.parametrize("change", sorted(BESIDE_AN_ANALYSIS))
def test_an_analysis_edited_beside_another_change_rebuilds_like_a_cold_build(project, tmp_path, settled, change):
    out = tmp_path / "site"
    if change == "an inherited claimant type":
        BESIDE_AN_ANALYSIS[change](project.content_dir)
        build(project, out, search=False)
        replace(project.content_dir / "claims/rain-again.md", "Nothing to check", "Still nothing to check")
    else:
        build(project, out, search=False)
        BESIDE_AN_ANALYSIS[change](project.content_dir)
        EDITS["analysis"](project.content_dir)
    build(project, out, search=False)
    assert_same_as_cold_without_search(project, out, tmp_path)


def test_an_edited_analysis_keeps_every_warning_and_checks_its_links(project, tmp_path, settled):
    claims = project.content_dir / "claims"
    replace(claims / "budget-doubled.md", "    quote: Total spending 2025 15.0m\n", "")  # cited without a quote
    out = tmp_path / "site"
    full = build(project, out, search=False)
    assert any("neither a quote nor a note" in w.message for w in full.warnings)
    replace(claims / "rain-record.md", "Nothing to check", "See [a missing page](/claims/nowhere/). Nothing to check")
    quick = build(project, out, search=False)
    assert [str(w) for w in quick.warnings if "nowhere" not in w.message] == [str(w) for w in full.warnings]
    assert [w.line for w in quick.warnings if "nowhere" in w.message] == [20]


def test_a_mistake_in_an_edited_analysis_fails_the_build_and_keeps_the_site(project, tmp_path, settled):
    from factsite.errors import BuildFailed

    out = tmp_path / "site"
    build(project, out, search=False)
    before = contents_of(out)
    replace(project.content_dir / "claims/rain-record.md", "Nothing to check", "TODO Nothing to check")
    with pytest.raises(BuildFailed) as failed:
        build(project, out, search=False)
    [error] = failed.value.problems.errors
    assert error.path.name == "rain-record.md" and error.line == 20 and "placeholder" in error.message
    assert contents_of(out) == before


def a_second_claim_by(claimant: str, content: Path) -> None:
    """A claim whose file sorts first, by ``claimant``."""
    write(content / "claims/aaa-mayor.md", (content / "claims/rain-record.md").read_text()
          .replace("title: Rain record", "title: Mayor again")
          .replace("claimant: Weather Watchers\nclaimant_type: organization", f"claimant: {claimant}"))


def test_a_claimant_spelled_anew_in_every_claim(project, tmp_path, settled):
    """The claimant's name, which every claim of theirs spells alike, changes in all of them."""
    a_second_claim_by("The  Mayor", project.content_dir)  # spaced otherwise, which is the same spelling
    out = tmp_path / "site"
    build(project, out, search=False)
    replace(project.content_dir / "claims/budget-doubled.md", "The mayor's figure", "The mayor's own figure")
    build(project, out, search=False)
    assert_same_as_cold_without_search(project, out, tmp_path)
    for name in ("aaa-mayor.md", "budget-doubled.md", "draft-claim.md"):
        path = project.content_dir / "claims" / name
        path.write_text(re.sub("claimant: The +Mayor", "claimant: THE MAYOR", path.read_text()))
    build(project, out, search=False)  # every page of the claimant's claims shows the new spelling
    assert "THE MAYOR" in (out / "claims/budget-doubled/index.html").read_text()
    assert_same_as_cold_without_search(project, out, tmp_path)


def test_an_editors_swap_file_is_not_read(project, tmp_path, monkeypatch, settled):
    out = tmp_path / "site"
    build(project, out, search=False)
    read = files_read(monkeypatch)
    write(project.content_dir / "claims/.rain-record.md.swp", "what an editor keeps while the file is open")
    EDITS["analysis"](project.content_dir)
    build(project, out, search=False)
    assert read == ["rain-record.md"]
    assert_same_as_cold_without_search(project, out, tmp_path)


def test_a_missing_theme_folder_is_reported_after_an_edited_analysis(project, tmp_path, settled):
    from factsite.errors import BuildFailed

    static = tmp_path / "static"
    shutil.copytree(REPO / "static", static)
    project.static_dir = static
    out = tmp_path / "site"
    build(project, out, search=False)
    static.rename(tmp_path / "static-moved")
    EDITS["analysis"](project.content_dir)
    with pytest.raises(BuildFailed) as failed:
        build(project, out, search=False)
    assert [e.message for e in failed.value.problems.errors] == ["the static folder is missing"]


def test_a_folder_that_cannot_be_read_counts_as_a_change(project, monkeypatch):
    from factsite.read import filecache

    locked = project.content_dir / "claims" / "archive"
    locked.mkdir()
    real = os.scandir

    def scandir(path):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")  # as chmod 000 does, but for root too
        return real(path)

    monkeypatch.setattr(filecache.os, "scandir", scandir)
    signatures = filecache.content_signatures(project.content_dir)
    assert signatures["claims/archive/"] is None
    assert "claims/rain-record.md" in signatures


def test_kept_warnings_name_files_as_this_build_names_them(project, tmp_path, settled, monkeypatch):
    """The next build may name the content folder otherwise: from another folder, say."""
    replace(project.content_dir / "claims/budget-doubled.md", "    quote: Total spending 2025 15.0m\n", "")
    out = tmp_path / "site"
    build(project, out, search=False)  # the content folder named by its whole path
    monkeypatch.chdir(tmp_path)
    project.content_dir = Path("content")
    EDITS["analysis"](project.content_dir)
    quick = build(project, out, search=False)
    assert quick.files_written == 3  # the claim's page, badge and card
    assert [w.path for w in quick.warnings] == [Path("content/claims/budget-doubled.md")]


def test_a_hidden_file_of_the_theme_is_an_input_too(project, tmp_path, settled):
    """The build publishes static/.well-known/security.txt, so an edit of it must be seen by the
    check for a build with nothing to do, although content files that are hidden are not read."""
    shutil.copytree(project.static_dir, tmp_path / "static")
    project.static_dir = tmp_path / "static"
    contact = project.static_dir / ".well-known/security.txt"
    write(contact, "Contact: mailto:old@example.org\n")
    out = tmp_path / "site"
    build(project, out, search=False)
    write(contact, "Contact: mailto:new@example.org\n")
    build(project, out, search=False)
    assert (out / ".well-known/security.txt").read_text() == "Contact: mailto:new@example.org\n"
