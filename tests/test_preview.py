"""The preview server's rebuilds, in process: after any save, the site is what a server that
reads everything afresh shows, and only the files saved are parsed again (engine.py)."""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

import pytest

from factsite import engine
from factsite.engine import Engine, NoSink, Project
from factsite.commands.build import build, checked
from factsite.commands.serve import PreviewServer
from factsite.errors import BuildFailed

from .conftest import copies_of_budget_doubled, files_read, with_ukrainian


@pytest.fixture
def project(project):
    """The fixture site in English and Ukrainian: every edit below shows in both editions."""
    return with_ukrainian(project)


@pytest.fixture
def preview(project, monkeypatch, settled):
    """A preview server (not serving) after its first build, noting which files it parses after it.

    The files count as settled, as on an editor's machine, where they were not all written a
    moment ago: otherwise each would be parsed again until two seconds have passed (filecache.py)."""
    monkeypatch.chdir(project.content_dir.parent)
    server = PreviewServer(project, port=0, log=lambda text: None)
    server.rebuild()
    assert not server.preview.failed, server.preview.problems
    server.parsed = files_read(monkeypatch)
    yield server
    server.httpd.server_close()


def edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def page(server, url: str) -> str:
    return server.preview.files[url + "index.html"].decode()


def test_edited_analysis_is_shown_and_only_its_file_parsed_again(preview, project):
    claim = project.content_dir / "claims/rain-record.md"
    claim.write_text(claim.read_text() + "\n## A new section\n\nA paragraph added in the preview.\n")
    preview.rebuild()
    assert not preview.preview.failed
    assert preview.parsed == ["rain-record.md"]
    assert "A paragraph added in the preview." in page(preview, "claims/rain-record/")
    assert_as_if_read_again(project, preview)


# Edits to a claim's fields, some of which move it to other lists or change other pages:
# the preview is what reading it all afresh gives.
BUDGET, RAIN = "claims/budget-doubled.md", "claims/rain-record.md"
BUDGET_UK = "claims/budget-doubled.uk.md"
FIELD_EDITS = {
    "title": (RAIN, "title: Rain record", "title: Rain record, renamed"),
    "title with a correction": (BUDGET, "title: Budget doubled", "title: Budget doubled?"),
    "claim": (BUDGET, "since 2020.", "since 2019."),
    "summary": (RAIN, "cannot be checked.", "cannot be checked yet."),
    "claim date": (BUDGET, "claim_date: 2025-03-01", "claim_date: 2025-02-27"),
    "appeared in": (BUDGET, "appeared_in: city-paper", "appeared_in: council-data"),
    "updated": (BUDGET, "updated: 2025-03-09", "updated: 2026-01-09"),
    "correction": (BUDGET, "  - date: 2025-03-09\n", "  - date: 2025-03-10\n    note: A date was wrong.\n"
                   "  - date: 2025-03-09\n"),
    "quote": (BUDGET, 'quote: "the budget has doubled since 2020"', 'quote: "the budget has doubled"'),
    "note": (RAIN, "hold no rainfall figures.", "hold no figures on rain."),
    "note left out": (RAIN, "    note: The council's tables cover spending only and hold no rainfall figures.\n",
                      ""),  # a warning
    "claim wording": (RAIN, "claim_wording: verbatim", "claim_wording: paraphrase"),
    "author": (BUDGET, "author: test-writer", "author: test-editor"),
    "unknown author": (BUDGET, "author: test-writer", "author: test-writter"),
    "reply": (BUDGET, "response: The mayor's spokesperson said", "response: The mayor said"),
    "person's name": ("people/test-writer.yml", "name: Test Writer", "name: Test Author"),
    "person's bio": ("people/test-editor.yml", "reviews every fact-check", "reads every fact-check"),
    "stance": (RAIN, "stance: context", "stance: contradicts"),
    "related": (BUDGET, "related: [rain-record]", "related: []"),
    "claimant type, given by the claim itself": (RAIN, "claimant_type: organization", "claimant_type: person"),
    "claimant": (RAIN, "claimant: Weather Watchers", "claimant: Weather Watch"),
    "claimant spelled otherwise": (RAIN, "claimant: Weather Watchers", "claimant: weather watchers"),
    "claimant spaced otherwise": (BUDGET, "claimant: The Mayor", "claimant: The  Mayor"),
    "claimant left out": (RAIN, "claimant: Weather Watchers", "claimant:"),  # an error
    "claimant spelled as another's address": (RAIN, "claimant: Weather Watchers", "claimant: THE MAYOR"),
    "claimant given an address": (RAIN, "claimant_type: organization", "claimant_type: organization\n"
                                  "claimant_id: weather-desk"),
    "verdict": (RAIN, "verdict: unproven", 'verdict: "false"'),
    "topics": (RAIN, "topics: [weather]", "topics: [weather, budget]"),
    "published": (RAIN, "published: 2025-04-01", "published: 2024-04-01"),
    "source cited": (RAIN, "source: council-data", "source: city-paper"),
    "mistake": (RAIN, "verdict: unproven", "verdict: unprovne"),
    # Old addresses are checked against every other claim's, so the site is read again.
    "aliases": (BUDGET, "aliases: [spending-doubled]", "aliases: [spending-doubled, budget-up]"),
    "alias taken": (BUDGET, "aliases: [spending-doubled]", "aliases: [spending-doubled, rain-record]"),
    "first alias, taken": (RAIN, "claim_wording: verbatim", "claim_wording: verbatim\naliases: [budget-doubled]"),
    "aliases left out": (BUDGET, "aliases: [spending-doubled]", "aliases: []"),
    # The Ukrainian edition's own files.
    "translated title": (BUDGET_UK, "title: Бюджет подвоївся", "title: Бюджет справді подвоївся?"),
    "translated analysis": (BUDGET_UK, "Мер порівнює", "Мер знову порівнює"),
    "translated quote": (BUDGET_UK, "quote_translation: бюджет подвоївся з 2020 року",
                         "quote_translation: бюджет зріс удвічі з 2020 року"),
    "translated correction": (BUDGET_UK, "У попередній версії", "У першій версії"),
    "translation that changes the verdict": (BUDGET_UK, 'verdict: "false"', 'verdict: "true"'),  # an error
    "translated source notes": ("sources/council-data.uk.yml", "Таблиці видатків", "Таблиці витрат"),
    "translated page": ("pages/about.uk.md", "title: Про нас", "title: Про редакцію"),
}


def read_again(project, preview) -> tuple[dict, list]:
    """The preview that a new server, which reads everything, gives (at ``preview``'s address)."""
    server = PreviewServer(project, port=0, log=lambda text: None)
    try:
        server.rebuild()
        files = {}
        for url, data in server.preview.files.items():
            for colon in (":", "%3A"):  # the address as written, and in a link to report an error
                data = data.replace(f"127.0.0.1{colon}{server.port}".encode(), f"127.0.0.1{colon}{preview.port}".encode())
            files[url] = data
        return files, problem_list(server.preview.problems)
    finally:
        server.httpd.server_close()


def assert_as_if_read_again(project, preview, step: str = "") -> None:
    """The preview's files and problems are those of a server that reads everything, and the
    fingerprints it keeps are those of its site worked out afresh."""
    if not preview.preview.failed:
        kept = {job: fingerprint for job, (fingerprint, _) in preview.state.jobs.items()}
        fresh = Engine(preview.project, preview.engine.settings, compiled_templates=True).update(NoSink())
        assert kept == fresh.prints, step
    files, problems = read_again(project, preview)
    assert problem_list(preview.preview.problems) == problems, step
    assert sorted(preview.preview.files) == sorted(files), step
    assert [url for url in files if preview.preview.files[url] != files[url]] == [], step


def problem_list(problems) -> list:
    return sorted((str(p.path), p.line, p.message, p.hint, p.severity) for p in problems)


@pytest.mark.parametrize("name", FIELD_EDITS)
def test_an_edited_field_shows_everywhere_as_if_the_site_were_read_again(preview, project, name):
    path, old, new = FIELD_EDITS[name]
    edit(project.content_dir / path, old, new)
    preview.rebuild()
    assert preview.parsed == ([] if path.startswith("pages/") else [path.split("/")[-1]])  # pages are few: never cached
    assert_as_if_read_again(project, preview)


def test_a_field_and_an_analysis_saved_together_keep_each_warning_once(project, monkeypatch):
    """A claim with a warning of its own (in quotation marks) has its analysis edited while
    another claim's title is: and the warning is shown once, as reading it all does."""
    rain, budget = project.content_dir / RAIN, project.content_dir / BUDGET
    edit(rain, "claim: March was the wettest month on record.", "claim: '\"March was the wettest month on record.\"'")
    monkeypatch.chdir(project.content_dir.parent)
    server = PreviewServer(project, port=0, log=lambda text: None)
    try:
        server.rebuild()
        for round in range(2):
            edit(budget, "title: Budget doubled" + "?" * round, "title: Budget doubled?" + "?" * round)
            rain.write_text(rain.read_text() + f"\nA line added, {round}.\n")
            server.rebuild()
            assert_as_if_read_again(project, server, f"round {round}")
    finally:
        server.httpd.server_close()


def test_edits_on_long_lists_show_as_if_the_site_were_read_again(project, monkeypatch, settled):
    """A source's report card and the corrections log are cut into pages; an edit shows on the
    older page that lists the claim, and a correction added on the log's newest page."""
    copies = copies_of_budget_doubled(project.content_dir, 99)  # 100 corrections: more than a page of the log
    monkeypatch.chdir(project.content_dir.parent)
    server = PreviewServer(project, port=0, log=lambda text: None)
    try:
        server.rebuild()
        assert any(name.startswith("corrections/page/") for name in server.preview.files)
        parsed = files_read(monkeypatch)
        edit(copies[10], "title: Budget doubled 10", "title: Budget doubled, 10")
        server.rebuild()
        listing = [name for name in server.preview.files if name.startswith("sources/city-paper/")
                   and "Budget doubled, 10" in server.preview.files[name].decode()]
        assert len(listing) == 1 and listing[0].startswith("sources/city-paper/page/")
        rain = project.content_dir / RAIN
        edit(rain, "published: 2025-04-01", "published: 2025-04-01\ncorrections: [{date: 2026-04-02, note: Reworded.}]")
        server.rebuild()
        assert "Reworded." in page(server, "corrections/")
        assert parsed == [copies[10].name, "rain-record.md"]
        assert_as_if_read_again(project, server)
    finally:
        server.httpd.server_close()


def test_a_renamed_page_is_at_its_new_address_in_every_menu(preview, project):
    pages = project.content_dir / "pages"
    (pages / "methodology.md").rename(pages / "how-we-check.md")
    preview.rebuild()
    assert "how-we-check/index.html" in preview.preview.files
    assert_as_if_read_again(project, preview)


def test_an_edited_title_is_on_every_page_that_lists_the_claim(preview, project):
    claim = project.content_dir / RAIN
    edit(claim, "title: Rain record", "title: Rain record, renamed")
    preview.rebuild()
    for url in ("", "topics/weather/", "verdicts/unproven/", "claimants/weather-watchers/", "sources/council-data/"):
        assert "Rain record, renamed" in page(preview, url), url


@pytest.mark.parametrize("seed", [1, 2])
def test_random_sequences_of_field_edits_match_reading_the_site_again(preview, project, seed):
    """Each edit is undone or kept at random, so later edits meet claims changed before."""
    rng = random.Random(seed)
    names = sorted(FIELD_EDITS)
    rng.shuffle(names)
    for name in names[:8]:
        path, old, new = FIELD_EDITS[name]
        file = project.content_dir / path
        if old not in file.read_text():
            continue  # an earlier edit took the text away
        before = file.read_text()
        edit(file, old, new)
        preview.rebuild()
        if rng.random() < 0.5:
            file.write_text(before)
            preview.rebuild()
        assert_as_if_read_again(project, preview, name)


def test_an_update_that_stopped_after_the_rows_leaves_no_list_stale(preview, project, monkeypatch):
    """The lists are kept by what changed since the rows' last update (Renderer.changes_since). An
    update that stopped between the two (here, a crash in a list's set-up) updated the rows but
    not the lists: the next update must not take the rows' "nothing changed since" for the lists'."""
    from factsite.render.pages import ListingPages

    def crashing(*args, **kwargs):
        raise RuntimeError("a crash in a list's set-up")

    edit(project.content_dir / RAIN, "title: Rain record", "title: Rain record, renamed")
    with monkeypatch.context() as patched:
        patched.setattr(ListingPages, "list_pages", crashing)
        preview.rebuild()
        assert preview.preview.failed
    preview.rebuild()  # nothing saved since: every row is the last update's
    assert not preview.preview.failed
    assert "Rain record, renamed" in page(preview, "topics/weather/")
    assert_as_if_read_again(project, preview)
    made, list_pages = [], ListingPages.list_pages  # and from now on, only the lists an edit is on are made again

    def noting(self, before, template, base, claims, *rest):
        made.append((base, any(claim.slug == "rain-record" for claim in claims)))
        return list_pages(self, before, template, base, claims, *rest)

    monkeypatch.setattr(ListingPages, "list_pages", noting)
    edit(project.content_dir / RAIN, "title: Rain record, renamed", "title: Rain record, renamed again")
    preview.rebuild()
    assert made and all(on_it for _, on_it in made), made
    assert_as_if_read_again(project, preview)


def test_an_edited_page_shows(preview, project):
    page_file = project.content_dir / "pages/methodology.md"
    page_file.write_text(page_file.read_text() + "\nOne more line.\n")
    preview.rebuild()
    assert preview.parsed == []  # no claim or source
    assert "One more line." in page(preview, "methodology/")
    assert_as_if_read_again(project, preview)


def test_placeholder_added_to_an_analysis_is_reported(preview, project):
    claim = project.content_dir / "claims/rain-record.md"
    claim.write_text(claim.read_text() + "\nTODO: finish this.\n")
    preview.rebuild()
    assert preview.preview.failed
    assert any("rain-record.md" in str(p.path) and "placeholder" in p.message for p in preview.preview.problems)


def test_broken_anchor_in_an_edited_analysis_is_a_warning(preview, project):
    claim = project.content_dir / "claims/rain-record.md"
    claim.write_text(claim.read_text() + "\nSee [the numbers](#no-such-section) "
                                          "and [the sources of another](/claims/budget-doubled/#sources).\n")
    preview.rebuild()
    messages = [p.message for p in preview.preview.problems]
    assert any("no-such-section" in m for m in messages) and not any("#sources" in m for m in messages), messages
    assert not preview.preview.failed


def test_an_anchor_removed_from_another_claim_breaks_the_link_to_it(preview, project):
    # The page that links is not rendered again: its link is checked again because the page
    # it names an anchor on was.
    claims = project.content_dir / "claims"
    budget, rain = claims / "budget-doubled.md", claims / "rain-record.md"
    budget.write_text(budget.read_text() + "\n## The figures {#the-figures}\n\nThe council's tables.\n")
    budget_uk = project.content_dir / BUDGET_UK
    budget_uk.write_text(budget_uk.read_text() + "\n## Цифри {#the-figures}\n\nТаблиці.\n")
    rain.write_text(rain.read_text() + "\nSee [the figures](/claims/budget-doubled/#the-figures).\n")
    preview.rebuild()
    assert not any("#the-figures" in p.message for p in preview.preview.problems)
    preview.parsed.clear()
    rain_page = preview.state.jobs[("claim", "rain-record")]
    edit(budget, "## The figures {#the-figures}", "## The figures")
    preview.rebuild()
    assert not preview.preview.failed
    assert preview.parsed == ["budget-doubled.md"]
    assert preview.state.jobs[("claim", "rain-record")] is rain_page  # not rendered again
    broken = [(p.path.name, p.severity) for p in preview.preview.problems if "#the-figures" in p.message]
    assert broken == [("rain-record.md", "warning")]  # in English: the Ukrainian page still has the anchor
    assert_as_if_read_again(project, preview)
    edit(budget, "## The figures", "## The figures {#the-figures}")
    preview.rebuild()
    assert not any("#the-figures" in p.message for p in preview.preview.problems)
    assert_as_if_read_again(project, preview)


def test_a_fix_saved_after_a_failed_build_shows(preview, project):
    claim = project.content_dir / "claims/rain-record.md"
    good = claim.read_text()
    edit(claim, "verdict: unproven", "verdict: unprovne")
    preview.rebuild()
    assert preview.preview.failed
    claim.write_text(good + "\nFixed, and a line added.\n")
    preview.rebuild()
    assert not preview.preview.failed
    assert "Fixed, and a line added." in page(preview, "claims/rain-record/")


def test_renamed_verdict_shows_on_every_page_of_the_next_preview(preview, project):
    # The template environment is kept between rebuilds: nothing in it may keep the old site.
    site_yml = project.content_dir / "site.yml"
    edit(site_yml, "label: Unproven", "label: Not yet proven")
    preview.rebuild()
    assert not preview.preview.failed, preview.preview.problems
    for url in ("", "verdicts/", "claims/rain-record/"):
        assert "Not yet proven" in page(preview, url), url
        assert ">Unproven<" not in page(preview, url), url
    assert_as_if_read_again(project, preview)  # claims.json among them: its reviews are kept by the layout


def test_rebuilds_asked_for_at_once_run_one_after_the_other(preview, project, monkeypatch):
    # The watcher can ask for a rebuild while the first build still runs.
    import gc
    import threading
    import time

    calls = []
    real_read_site = engine.read_site

    def slow_first(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            time.sleep(0.4)
        return real_read_site(*args, **kwargs)

    monkeypatch.setattr(engine, "read_site", slow_first)
    collecting = gc.isenabled()
    first = threading.Thread(target=preview.rebuild)
    second = threading.Thread(target=preview.rebuild)
    first.start()
    time.sleep(0.1)
    second.start()
    first.join()
    second.join()
    assert gc.isenabled() == collecting  # each build turns the collector off, then back as it was
    assert not preview.preview.failed and preview.preview.generation == 3


def site_models() -> list:
    import gc

    from factsite.model.site import Site

    return [item for item in gc.get_objects() if isinstance(item, Site)]


def test_each_rebuilds_model_is_freed_once_shown_without_the_cycle_collector(preview, project):
    """A model's objects point at each other (a claim at its verdict, the verdict at its
    claims), which only Python's cycle collector would free, walking every live object to find
    them (0.3 s a save at 10,000 claims); a rebuild unlinks its model once its page is shown,
    and nothing the preview keeps (its templates, say) holds on to one."""
    import gc

    before = {id(model) for model in site_models()}  # other tests' models may be alive too
    claim = project.content_dir / "claims/rain-record.md"
    enabled = gc.isenabled()
    gc.disable()
    try:
        for number in range(4):
            claim.write_text(claim.read_text() + f"\nSaved again ({number}).\n")
            preview.rebuild()
            assert not preview.preview.failed
        assert [model for model in site_models() if id(model) not in before] == []
        assert preview.models_left == 0  # nothing for the watcher to collect
    finally:
        if enabled:
            gc.enable()


def test_a_failed_rebuild_is_collected_once_the_preview_is_idle(preview, project):
    """A rebuild that fails may leave what it made in cycles: the watcher collects it."""
    import threading

    from .test_editor import wait_for

    edit(project.content_dir / RAIN, "verdict: unproven", "verdict: unprovne")
    preview.rebuild()
    assert preview.preview.failed and preview.models_left == 1
    watcher = threading.Thread(target=preview.watch, daemon=True)
    watcher.start()
    try:
        wait_for(lambda: preview.models_left == 0, timeout=30)
    finally:
        preview.stopping.set()
        watcher.join(timeout=5)


def test_the_watcher_collects_when_the_editor_pauses_or_after_a_burst_of_saves(preview):
    from factsite.commands import serve

    preview.models_left = serve.COLLECT_AFTER_MODELS - 1
    assert not preview.time_to_collect(serve.SHORT_PAUSE_S)  # a quick save may follow: not yet
    assert preview.time_to_collect(serve.COLLECT_WHEN_IDLE_S)
    preview.models_left = serve.COLLECT_AFTER_MODELS
    assert not preview.time_to_collect(serve.SHORT_PAUSE_S / 2)  # never straight after a save
    assert preview.time_to_collect(serve.SHORT_PAUSE_S)


def test_unchanged_files_are_neither_parsed_nor_turned_back_from_the_cache_again(preview, project, monkeypatch):
    """The preview keeps what it made of each file as it put it in the cache: no entry is turned
    back into a claim file again, and only an edited file is parsed again."""
    from factsite.read.claim_file import ClaimFile

    turned_back = []
    from_plain = ClaimFile.from_plain.__func__

    def noting(cls, path, plain):
        turned_back.append(path.name)
        return from_plain(cls, path, plain)

    monkeypatch.setattr(ClaimFile, "from_plain", classmethod(noting))
    preview.rebuild()
    edit(project.content_dir / RAIN, "title: Rain record", "title: Rain record, renamed")
    preview.rebuild()
    preview.rebuild()
    assert turned_back == [] and preview.parsed == ["rain-record.md"]
    assert_as_if_read_again(project, preview)


def test_a_deleted_file_leaves_nothing_in_the_preview_file_cache(preview, project):
    """The preview runs for hours: what it keeps of each file goes with the file."""
    documents = preview.engine.documents
    draft = project.content_dir / "claims/draft-claim.md"  # which no other claim names
    assert any(name == str(draft) for _, name in documents.entries)
    draft.unlink()
    preview.rebuild()
    assert not preview.preview.failed
    assert not any(name == str(draft) for _, name in list(documents.entries) + list(documents.made))
    assert str(draft) not in documents.seen and str(project.content_dir / RAIN) in documents.seen
    files = [path for path in project.content_dir.rglob("*") if path.suffix in (".md", ".yml")]
    assert len(documents.entries) <= len(files)
    assert_as_if_read_again(project, preview)


def started(project, monkeypatch, during_first_build=None) -> tuple[PreviewServer, list]:
    """A preview started as `factsite serve` starts it, with each update's cores noted;
    ``during_first_build()`` runs once the first build has read the content."""
    monkeypatch.chdir(project.content_dir.parent)
    server = PreviewServer(project, port=0, log=lambda text: None)
    updates, real_update = [], server.engine.update

    def update(*args, **kwargs):
        updates.append(server.engine.cores)
        result = real_update(*args, **kwargs)
        if len(updates) == 1 and during_first_build:
            during_first_build()
        return result

    monkeypatch.setattr(server.engine, "update", update)
    server.start()
    return server, updates


def test_a_file_saved_during_the_first_build_is_shown_once_serving(project, monkeypatch):
    rain = project.content_dir / RAIN
    server, updates = started(project, monkeypatch,
                              lambda: edit(rain, "title: Rain record", "title: Rain record, saved meanwhile"))
    try:
        assert updates == [None, 1]  # the first on every core, the second on one
        assert "Rain record, saved meanwhile" in page(server, "claims/rain-record/")
        assert_as_if_read_again(project, server)
    finally:
        server.stop()
    assert not server.out_dir.exists()  # the preview's folder goes with it


def test_a_preview_started_with_nothing_saved_meanwhile_builds_once(project, monkeypatch):
    server, updates = started(project, monkeypatch)
    try:
        assert updates == [None]
        assert "Rain record" in page(server, "claims/rain-record/")
    finally:
        server.stop()


def test_a_claim_is_made_again_only_when_its_file_or_what_it_links_to_changed(project, settled):
    """Reading gives again what it made of each unchanged file (read/reuse.py): the very same
    claim object, linked to the same verdict and sources, where nothing it was made from
    changed; a claim whose file, or a source it cites, changed is made again."""
    updates = Engine(project, documents=engine.DocumentCache())
    before = {claim.slug: claim for claim in updates.update(NoSink()).site.claims}
    edit(project.content_dir / RAIN, "title: Rain record", "title: Rain record, renamed")
    after = {claim.slug: claim for claim in updates.update(NoSink()).site.claims}
    assert after["rain-record"] is not before["rain-record"]
    assert after["rain-record"].title == "Rain record, renamed"
    assert after["budget-doubled"] is before["budget-doubled"]
    assert after["budget-doubled"].verdict is before["budget-doubled"].verdict

    source = project.content_dir / "sources/city-paper.yml"  # which budget-doubled cites
    source.write_text(source.read_text() + "notes: Read again.\n")
    again = {claim.slug: claim for claim in updates.update(NoSink()).site.claims}
    assert again["budget-doubled"] is not after["budget-doubled"]
    assert again["budget-doubled"].appeared_in.notes == "Read again."
    assert again["rain-record"] is after["rain-record"]  # which does not cite it


def test_a_claim_file_added_or_deleted_makes_again_only_the_claims_naming_it_as_related(project, settled):
    """A new claim changes which addresses there are, which claims are checked against: the
    claims that do not name it as related are given again, the one that does is made again
    (and reports it once it is gone), and the preview is what reading it all afresh gives."""
    updates = Engine(project, documents=engine.DocumentCache())
    before = {claim.slug: claim for claim in updates.update(NoSink()).site.claims}
    edit(project.content_dir / RAIN, "claim_wording:", "related: [budget-copy]\nclaim_wording:")
    copy = copies_of_budget_doubled(project.content_dir, 1)[0].rename(project.content_dir / "claims/budget-copy.md")
    after = {claim.slug: claim for claim in updates.update(NoSink()).site.claims}
    assert after["budget-doubled"] is before["budget-doubled"]
    assert [claim.slug for claim in after["rain-record"].related] == ["budget-copy"]
    copy.unlink()
    with pytest.raises(BuildFailed) as failed:
        updates.update(NoSink())
    assert [(p.path.name, p.message) for p in failed.value.problems.errors] == [
        ("rain-record.md", 'unknown related claim "budget-copy"')]


def test_a_claims_translation_is_made_again_only_when_it_or_the_original_changed(project, settled):
    """The same for an edition's copy of a claim: kept while its translation's file and the original's are."""
    updates = Engine(project, documents=engine.DocumentCache())

    def ukrainian() -> dict:
        return {claim.slug: claim for claim in updates.update(NoSink()).site.editions[0].claims}

    before = ukrainian()
    edit(project.content_dir / RAIN, "title: Rain record", "title: Rain record, renamed")
    after = ukrainian()
    assert after["budget-doubled"] is before["budget-doubled"] and after["rain-record"] is not before["rain-record"]
    edit(project.content_dir / BUDGET_UK, "Мер порівнює", "Мер знову порівнює")
    translated = ukrainian()
    assert translated["budget-doubled"] is not after["budget-doubled"] and "Мер знову" in translated["budget-doubled"].body
    assert translated["rain-record"] is after["rain-record"]
    edit(project.content_dir / BUDGET, "since 2020.", "since 2019.")
    assert ukrainian()["budget-doubled"] is not translated["budget-doubled"]


def test_a_translation_is_checked_again_when_only_its_original_changed(preview, project):
    """A translation is kept by its place among the translation files (read/translations.py) while
    its file and its original's are the same records: here only the original changes, and a
    verdict the translation repeats must then be the original's new one."""
    edit(project.content_dir / BUDGET, 'verdict: "false"', 'verdict: half-true')
    preview.rebuild()
    assert [(p.path.name, p.message) for p in preview.preview.problems if p.severity == "error"] == [
        ("budget-doubled.uk.md", '"verdict" differs from the original (budget-doubled.md)')]
    edit(project.content_dir / BUDGET_UK, 'verdict: "false"', 'verdict: half-true')
    preview.rebuild()
    assert not preview.preview.failed, preview.preview.problems
    assert preview.parsed == ["budget-doubled.md", "budget-doubled.uk.md"]
    assert_as_if_read_again(project, preview)


# The watcher names the files saved: the preview then asks the system about those alone.

def test_a_rebuild_for_the_watchers_changes_asks_about_the_files_it_names(preview, project, monkeypatch):
    from factsite.read.filecache import DocumentCache

    asked = []
    signature = DocumentCache.signature
    content = str(project.content_dir)
    monkeypatch.setattr(DocumentCache, "signature", staticmethod(lambda path: (
        str(path).startswith(content) and asked.append(path.name), signature(path))[1]))  # (the theme's are its own)
    claim = project.content_dir / RAIN
    edit(claim, "title: Rain record", "title: Rain record, as the watcher saw it")
    preview.rebuild([str(claim.resolve())])
    assert "Rain record, as the watcher saw it" in page(preview, "claims/rain-record/")
    # (and the sources' text copies, which a source's record is checked against: a few files)
    assert {name for name in asked if not name.endswith(".txt")} <= {"rain-record.md", "site.yml"}
    assert preview.parsed == ["rain-record.md"]
    assert_as_if_read_again(project, preview)


def test_a_warning_from_reading_a_file_is_reported_again_after_the_watcher_names_another(preview, project):
    """The file cache gives an unchanged file's warnings again at every update, though the
    watcher did not name it (read/filecache.get_many looks at such files alone)."""
    rain, budget = project.content_dir / RAIN, project.content_dir / BUDGET
    edit(rain, "claim: March was the wettest month on record.", "claim: “March was the wettest month on record.”")
    preview.rebuild([str(rain)])
    for title in ("Budget doubled?", "Budget doubled, again"):
        edit(budget, budget.read_text().split("\n")[1], f"title: {title}")
        preview.rebuild([str(budget)])
        assert [p.path.name for p in preview.preview.problems if "in quotation marks" in p.message] == \
            ["rain-record.md"]
        assert_as_if_read_again(project, preview)
    # A claim file that came before it, and went: the warning is at its file's new place (file_lists._shifted).
    first = rain.with_name("a-first-claim.md")
    first.write_text(budget.read_text().replace("aliases: [spending-doubled]\n", ""))
    for step in ("came", "went"):
        preview.rebuild([str(first)])
        assert [p.path.name for p in preview.preview.problems if "in quotation marks" in p.message] == \
            ["rain-record.md"], step
        assert_as_if_read_again(project, preview, step)
        first.unlink(missing_ok=True)


@pytest.mark.parametrize("mistake", ["claimant: The Mayor!", "claimant: The Mayor\nclaimant_type: organization"])
def test_a_claimant_named_or_typed_two_ways_is_reported_again_after_the_watcher_names_another(preview, project,
                                                                                             mistake):
    """Linking the claims to their claimants is done again while it found a mistake, though
    the files that make it are unchanged (read/claims_kept.py gives the rest of the claims again)."""
    draft, rain = project.content_dir / "claims" / "draft-claim.md", project.content_dir / RAIN
    edit(draft, "claimant: The Mayor", mistake)
    preview.rebuild([str(draft)])
    for title in ("Rain record?", "Rain record, again"):
        edit(rain, rain.read_text().split("\n")[1], f"title: {title}")
        preview.rebuild([str(rain)])
        assert preview.preview.failed
        assert [p.path.name for p in preview.preview.problems if "The Mayor" in p.message] == ["draft-claim.md"]
        assert_as_if_read_again(project, preview)


def test_claims_read_in_an_update_that_stopped_are_linked_again_to_their_claimants(preview, project, monkeypatch):
    """An update that stops after reading the claims may have linked the claims it gave again to
    claimants of its own (read/claims.py links them anew): the next reads every claim again,
    rather than giving the others again as they were then (read/claims_kept.py)."""
    import factsite.read.content as content

    budget = project.content_dir / BUDGET  # the claim that gives The Mayor's type; the draft leaves it out
    edit(budget, 'verdict: "false"', 'verdict: "flase"')  # no claim: the draft's claimant is made anew

    def stopped(*args, **kwargs):
        raise RuntimeError("stopped while reading the translations")

    with monkeypatch.context() as patched:
        patched.setattr(content, "load_translations", stopped)
        preview.rebuild([str(budget)])
    assert preview.preview.failed
    edit(budget, 'verdict: "flase"', 'verdict: "false"')
    preview.rebuild([str(budget)])
    assert not preview.preview.failed
    assert_as_if_read_again(project, preview)


def test_a_file_saved_twice_in_a_moment_shows_its_last_save_after_the_watcher_names_another(preview, project,
                                                                                           monkeypatch):
    """A file saved a moment ago is not cached (filecache.py), nor its signature trusted later."""
    from factsite.read.filecache import DocumentCache

    monkeypatch.setattr(DocumentCache, "RACY_NS", 60 * 10**9)  # every save from now on is recent
    rain, budget = project.content_dir / RAIN, project.content_dir / BUDGET
    for title in ("Rain record, first save", "Rain record, second save"):
        edit(rain, rain.read_text().split("\n")[1], f"title: {title}")
        preview.rebuild([str(rain)])
    edit(budget, "title: Budget doubled", "title: Budget doubled?")
    preview.rebuild([str(budget)])
    assert "Rain record, second save" in page(preview, "claims/rain-record/")
    assert_as_if_read_again(project, preview)


def test_a_folder_put_in_place_of_another_is_read_whole(preview, project):
    """The watcher names a folder moved in, not the files in it, which may have the names of
    files the preview read before."""
    text = (project.content_dir / RAIN).read_text()
    folder, other = project.content_dir / "claims" / "2026", project.content_dir / "claims" / "2026-new"
    for where, title in ((folder, "Rain again"), (other, "Rain once more")):
        where.mkdir()
        (where / "rain-again.md").write_text(text.replace("title: Rain record", f"title: {title}"))
        if where == folder:
            preview.rebuild()
    shutil.rmtree(folder)
    other.rename(folder)
    preview.rebuild([str(folder)])
    assert "Rain once more" in page(preview, "claims/rain-again/")
    assert_as_if_read_again(project, preview)


def test_claim_files_the_watcher_names_as_come_or_gone_are_listed_as_a_fresh_listing_finds(preview, project,
                                                                                             monkeypatch):
    """The claims' folder is not listed again for the files the watcher names (read/listing.py):
    the last listing has them put in or taken out, and what reading made of the other files is
    given again at their new places (read/claims_kept.shifted). Anything it cannot place so (a
    name to report, a new folder) lists the folder again, as does an update after one that stopped."""
    from factsite.read import listing

    from factsite.read import claims as claims_read
    from factsite.read import translations

    # The folders listed whole, and "read all" when every claim (or every translation) is made of
    # its record again.
    listings = []
    for module, name in ((listing, "listed"), (listing, "_translations_listed"), (claims_read, "read_all"),
                         (translations, "_read_all")):
        monkeypatch.setattr(module, name, lambda *args, real=getattr(module, name), whole=name.endswith("read_all"),
                            **kwargs: (listings.append("read all" if whole else Path(args[0]).name),
                                       real(*args, **kwargs))[1])
    preview.rebuild()
    claims = project.content_dir / "claims"
    budget = (project.content_dir / BUDGET).read_text().replace("aliases: [spending-doubled]\n", "")
    budget_uk = (project.content_dir / BUDGET_UK).read_text()
    new, new_uk = claims / "rain-again.md", claims / "rain-again.uk.md"

    def saved(paths: list[Path], listed_again: bool, step: str, shown: str | None = None, fails=False,
              read_whole: bool = False) -> None:
        listings.clear()
        preview.rebuild([str(path) for path in paths])
        assert ("claims" in listings) == listed_again, step
        assert ("read all" in listings) == read_whole, step  # (else the claims are given again at their new places)
        assert preview.preview.failed == fails, step
        if not fails:
            assert (shown and shown in page(preview, "claims/rain-again/")) or \
                (not shown and "claims/rain-again/index.html" not in preview.preview.files.paths), step
        assert_as_if_read_again(project, preview, step)

    new.write_text(budget.replace("title: Budget doubled", "title: Rain again"))
    saved([new], False, "a claim added", shown="Rain again")
    new_uk.write_text(budget_uk)
    saved([new_uk], False, "its translation added", shown="Rain again")
    new_uk.unlink()
    saved([new_uk], False, "the translation deleted, its claim left", shown="Rain again")
    new_uk.write_text(budget_uk)
    saved([new_uk], False, "the translation written again", shown="Rain again")
    new.unlink()
    saved([new], False, "the claim deleted, its translation left", fails=True)  # (translating nothing)
    new_uk.unlink()
    saved([new_uk], False, "the translation deleted")
    new.write_text(budget.replace("claimant: The Mayor", "claimant: A New Claimant"))
    saved([new], False, "a claim of a new claimant", shown="Budget doubled")
    new.write_text(budget.replace("claimant: The Mayor", "claimant: The Mayor's Office"))
    saved([new], False, "its claimant renamed: another new one", shown="Budget doubled")
    new.unlink()
    saved([new], False, "the claimant's last claim deleted")
    new.write_text(budget.replace("claimant_type: person", "claimant_type: organization"))
    saved([new], False, "a claim typing its claimant otherwise", fails=True, read_whole=True)
    new.unlink()
    saved([new], False, "deleted again", read_whole=True)  # (after a mistake)
    budget_file = project.content_dir / BUDGET
    budget_file.write_text(budget_file.read_text().replace("related: [rain-record]", "related: [rain-agian]"))
    saved([budget_file], False, "a related claim misspelled", fails=True)
    new.write_text(budget)
    saved([new], False, "a claim the misspelling is now nearest", fails=True, read_whole=True)  # (did you mean)
    new.unlink()
    budget_file.write_text(budget_file.read_text().replace("related: [rain-agian]", "related: [rain-record]"))
    saved([new, budget_file], False, "both put right", read_whole=True)
    (claims / "linked.md").symlink_to(project.content_dir / BUDGET)
    listings.clear()
    preview.rebuild([str(claims / "linked.md")])
    assert "claims" in listings and preview.preview.failed, (listings, preview.preview.problems)  # a link, refused
    (claims / "linked.md").unlink()
    (claims / "Rain Again.md").write_text(budget)
    listings.clear()
    preview.rebuild([str(claims / "Rain Again.md")])
    assert "claims" in listings and preview.preview.failed  # a name to report
    (claims / "Rain Again.md").rename(new)
    saved([claims / "Rain Again.md", new], True, "renamed, after a listing that reported a mistake",
          shown="Budget doubled")
    (claims / "2026").mkdir()
    new.rename(claims / "2026" / "rain-again.md")
    saved([new, claims / "2026" / "rain-again.md"], True, "moved into a new folder", shown="Budget doubled")
    # Beside the folder and in it: "2026-a.md" sorts before "2026/..." as text, after it part by part.
    added = [claims / "2026-a.md", claims / "2026-a.uk.md", claims / "2026" / "b.md", claims / "2026" / "b.uk.md"]
    for path in added:
        path.write_text(budget_uk if path.name.endswith(".uk.md") else budget)
    saved(added, False, "claims and their translations beside a folder of claims and in it", shown="Budget doubled")
    assert {"uk/claims/2026-a/index.html", "claims/b/index.html"} <= preview.preview.files.paths
    for path in added:
        path.unlink()
    saved(added, False, "deleted again", shown="Budget doubled")
    settings = project.content_dir / "site.yml"
    good = settings.read_text()
    settings.write_text(good.replace("verdicts:", "verdicts: [", 1))
    preview.rebuild([str(settings)])
    (claims / "2026" / "rain-again.md").unlink()
    preview.rebuild([str(claims / "2026" / "rain-again.md")])  # stopped by site.yml too
    assert preview.preview.failed
    settings.write_text(good)
    saved([settings], True, "after updates that stopped", read_whole=True)


def test_a_claimant_keeps_its_type_only_while_a_claim_gives_it(preview, project):
    """Weather Watchers is an organization because rain-record.md says so; once that claim names
    someone else, the claim left to them gives no type, and they are a person (claimants.py)."""
    rain = project.content_dir / RAIN
    other = rain.with_name("rain-again.md")
    other.write_text(rain.read_text().replace("claimant_type: organization\n", "").replace(
        "title: Rain record", "title: Rain again"))
    preview.rebuild([str(other)])
    assert_as_if_read_again(project, preview, "a claim of theirs that gives no type")
    edit(rain, "claimant: Weather Watchers", "claimant: Weather Office")
    preview.rebuild([str(rain)])
    assert not preview.preview.failed, preview.preview.problems
    assert '"@type":"Person","name":"Weather Watchers"' in page(preview, "claims/rain-again/")
    assert_as_if_read_again(project, preview, "the claim that gave it names someone else")
    # The same when the claim that gave it is deleted (read/claims_kept.shifted).
    typed = rain.with_name("rain-once-more.md")
    typed.write_text(rain.read_text().replace("claimant: Weather Office", "claimant: Weather Watchers").replace(
        "title: Rain record", "title: Rain once more"))
    preview.rebuild([str(typed)])
    assert '"@type":"Organization","name":"Weather Watchers"' in page(preview, "claims/rain-again/")
    typed.unlink()
    preview.rebuild([str(typed)])
    assert '"@type":"Person","name":"Weather Watchers"' in page(preview, "claims/rain-again/")
    assert_as_if_read_again(project, preview, "the claim that gave it deleted")


def test_a_claim_file_saved_with_a_source_in_one_batch_is_linked_to_the_source_as_it_is_now(preview, project):
    """A file that came is read alone only where nothing but the claims' addresses changed
    (read/claims_kept.shifted): the claims citing a source edited meanwhile are made again."""
    source, new = project.content_dir / "sources/city-paper.yml", project.content_dir / "claims/rain-again.md"
    new.write_text((project.content_dir / BUDGET).read_text().replace("aliases: [spending-doubled]\n", ""))
    edit(source, "title: ", "title: The edited ")
    preview.rebuild([str(new), str(source)])
    assert not preview.preview.failed, preview.preview.problems
    assert "The edited " in page(preview, "claims/budget-doubled/")
    assert_as_if_read_again(project, preview)


def test_a_claimant_named_anew_in_another_language_is_so_named_on_each_of_their_claims(preview, project):
    """The copies of the claims in Ukrainian are kept while their claimant's copy is (model/editions.py)."""
    settings = project.content_dir / "site.yml"
    edit(settings, "translation: Мер", "translation: Міський голова")
    preview.rebuild([str(settings)])
    assert not preview.preview.failed, preview.preview.problems
    assert "Міський голова" in page(preview, "uk/claims/budget-doubled/")
    assert_as_if_read_again(project, preview)


def test_a_preview_of_the_content_folder_it_runs_in_sees_the_files_the_watcher_names(project, monkeypatch, settled):
    """`factsite serve --content .`: the reader names the files claims/..., the watcher /home/.../claims/..."""
    monkeypatch.chdir(project.content_dir)
    server = PreviewServer(Project(Path("."), project.templates_dir, project.static_dir), port=0, log=lambda text: None)
    server.rebuild()
    rain, new = Path(RAIN).resolve(), Path("claims/rain-again.md").resolve()
    new.write_text((project.content_dir / BUDGET).read_text().replace("aliases: [spending-doubled]\n", ""))
    server.rebuild([str(new)])
    edit(rain, "title: Rain record", "title: Rain record, seen")
    server.rebuild([str(rain)])
    assert not server.preview.failed, server.preview.problems
    assert "Budget doubled" in page(server, "claims/rain-again/")
    assert "Rain record, seen" in page(server, "claims/rain-record/")
    new.unlink()
    server.rebuild([str(new)])
    assert "claims/rain-again/index.html" not in server.preview.files.paths


# The verdict guard: the preview refuses what `factsite check` refuses, against the last build.

def preview_of_published(project, monkeypatch) -> PreviewServer:
    """A preview of the fixture site built into site/ first, as an editor's folder is once published."""
    monkeypatch.chdir(project.content_dir.parent)
    build(project, Path("site"), cards=False, search=False)
    server = PreviewServer(project, port=0, log=lambda text: None, published=Path("site"))
    server.rebuild()
    assert not server.preview.failed, server.preview.problems
    return server


def test_a_published_verdict_changed_without_a_correction_is_refused_as_check_refuses_it(project, monkeypatch,
                                                                                          settled):
    server = preview_of_published(project, monkeypatch)
    edit(project.content_dir / RAIN, "verdict: unproven", 'verdict: "false"')
    server.rebuild()
    assert server.preview.failed
    with pytest.raises(BuildFailed) as refused:
        checked(project, drafts=True, published=Path("site"))
    assert problem_list(server.preview.problems) == problem_list(refused.value.problems.items)
    assert any('changed from "Unproven" to "False" without a correction' in p.message for p in server.preview.problems)
    edit(project.content_dir / RAIN, "published: 2025-04-01", "corrections:\n  - date: 2025-04-03\n"
         "    note: The verdict changed from Unproven to False.\npublished: 2025-04-01")
    server.rebuild()
    assert not server.preview.failed, server.preview.problems
    server.httpd.server_close()


def test_a_claim_never_published_changes_verdict_freely_in_the_preview(project, monkeypatch, settled):
    server = preview_of_published(project, monkeypatch)
    new = project.content_dir / "claims/rain-again.md"
    new.write_text((project.content_dir / RAIN).read_text().replace("title: Rain record", "title: Rain again")
                   .replace("no rainfall", "no rain"))
    server.rebuild()
    edit(new, "verdict: unproven", 'verdict: "false"')
    server.rebuild()
    assert not server.preview.failed, server.preview.problems
    assert "False" in page(server, "claims/rain-again/")
    server.httpd.server_close()


def test_a_file_saved_while_an_update_stops_early_is_read_once_it_goes_through(preview, project):
    """An update stopped by site.yml before it read the claims: the file saved then is read by the next."""
    settings = project.content_dir / "site.yml"
    good = settings.read_text()
    settings.write_text(good.replace("verdicts:", "verdicts: [", 1))
    preview.rebuild([str(settings)])
    assert preview.preview.failed
    rain = project.content_dir / RAIN
    edit(rain, "title: Rain record", "title: Rain record, saved meanwhile")
    preview.rebuild([str(rain)])
    settings.write_text(good)
    preview.rebuild([str(settings)])
    assert "Rain record, saved meanwhile" in page(preview, "claims/rain-record/")
    assert_as_if_read_again(project, preview)


def test_a_save_the_watcher_reports_by_the_real_path_of_a_linked_folder_is_read(project, monkeypatch, settled):
    """Some systems' watchers report the real path of a folder reached through a link (/tmp on macOS)."""
    linked = project.content_dir.parent.parent / "linked"
    linked.symlink_to(project.content_dir.parent, target_is_directory=True)
    through_link = engine.Project(linked / "content", project.templates_dir, project.static_dir)
    monkeypatch.chdir(linked)
    server = PreviewServer(through_link, port=0, log=lambda text: None)
    server.rebuild()
    rain = project.content_dir / RAIN
    edit(rain, "title: Rain record", "title: Rain record, saved through a link")
    server.rebuild([os.path.realpath(rain)])
    assert "Rain record, saved through a link" in page(server, "claims/rain-record/")
    server.httpd.server_close()


def test_an_update_is_shown_from_memory_then_written_into_the_preview_folder(preview, project):
    """The browser is told of an update once its pages are rendered, which are given from memory
    until written into the preview's folder (output/held.py)."""
    claim = project.content_dir / "claims/rain-record.md"
    told = []
    real_report = preview.report
    preview.report = lambda shown: (told.append((page(preview, "claims/rain-record/"),
                                                 (preview.out_dir / "claims/rain-record/index.html").read_text())),
                                    real_report(shown))
    claim.write_text(claim.read_text() + "\nShown before it is written.\n")
    preview.rebuild([str(claim)])
    (served, on_disk), = told
    assert "Shown before it is written." in served and "Shown before it is written." not in on_disk
    assert preview.preview.files.held is None  # written since, and given from the folder
    assert "Shown before it is written." in (preview.out_dir / "claims/rain-record/index.html").read_text()
    assert_as_if_read_again(project, preview)


def test_files_that_cannot_be_written_into_the_preview_folder_are_shown_from_memory(preview, project, monkeypatch):
    """A full disk, say: the update is shown all the same, and the next writes the whole folder again."""
    import errno

    from factsite.output.held import HeldUpdate

    claim = project.content_dir / "claims/rain-record.md"
    real_write_into = HeldUpdate.write_into

    def disk_full(self, out_dir):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(HeldUpdate, "write_into", disk_full)
    title = re.search(r"^title: (.*)$", claim.read_text(), re.MULTILINE)[1]
    edit(claim, f"title: {title}", "title: Kept in memory")  # on the lists too, which the next edit leaves
    preview.rebuild([str(claim)])
    assert not preview.preview.failed and preview.state is None
    assert "Kept in memory" in page(preview, "claims/rain-record/") and "Kept in memory" in page(preview, "")
    assert "Kept in memory" not in (preview.out_dir / "claims/rain-record/index.html").read_text()
    monkeypatch.setattr(HeldUpdate, "write_into", real_write_into)
    claim.write_text(claim.read_text() + "\nThen written.\n")
    preview.rebuild([str(claim)])
    assert "Then written." in (preview.out_dir / "claims/rain-record/index.html").read_text()
    assert preview.preview.files.held is None
    assert_as_if_read_again(project, preview)


def test_a_bug_after_the_browser_is_told_leaves_the_preview_writing_the_whole_folder_next(preview, project,
                                                                                         monkeypatch):
    """What the next update starts from is worked out once the page is shown: should that crash,
    the page stays shown, the terminal shows the bug, and the next update writes every file."""
    from factsite.commands.build import FolderSink

    claim, logged = project.content_dir / "claims/rain-record.md", []
    real_state_after = FolderSink.state_after

    def crashing(self, update):
        raise RuntimeError("a bug")

    monkeypatch.setattr(FolderSink, "state_after", crashing)
    monkeypatch.setattr(preview, "log", logged.append)
    claim.write_text(claim.read_text() + "\nShown all the same.\n")
    preview.rebuild([str(claim)])
    assert not preview.preview.failed and preview.state is None
    assert "Shown all the same." in page(preview, "claims/rain-record/")
    assert any("RuntimeError: a bug" in line for line in logged)
    monkeypatch.setattr(FolderSink, "state_after", real_state_after)
    claim.write_text(claim.read_text() + "\nThen the whole folder.\n")
    (preview.out_dir / "left-by-no-job.txt").write_text("an update in place would not know to remove this")
    preview.rebuild([str(claim)])
    assert not (preview.out_dir / "left-by-no-job.txt").exists()  # a new folder took the old one's place
    assert "Then the whole folder." in (preview.out_dir / "claims/rain-record/index.html").read_text()
    assert_as_if_read_again(project, preview)


def test_a_language_added_to_a_running_preview_shows_as_if_read_again(project, monkeypatch, settled):
    """site.yml's languages changed under a preview started with one: every translation into the
    new language comes (or was there, reported as into a language the site does not list), and
    is read as a fresh read reads it."""
    settings = project.content_dir / "site.yml"
    with_languages = settings.read_text()
    one_language = with_languages.replace(with_languages[with_languages.index("\nlanguages:"):], "\n")
    translations = {path: path.read_text() for path in sorted(project.content_dir.rglob("*.uk.*"))}
    settings.write_text(one_language)
    for path in translations:
        path.unlink()
    monkeypatch.chdir(project.content_dir.parent)
    preview = PreviewServer(project, port=0, log=lambda text: None)
    preview.httpd.server_close()  # (never serving)
    preview.rebuild()
    assert not preview.preview.failed, preview.preview.problems
    settings.write_text(with_languages)
    preview.rebuild([str(settings)])
    assert not preview.preview.failed, preview.preview.problems  # a language with no translation yet
    assert_as_if_read_again(project, preview, "a language added")
    settings.write_text(one_language)
    preview.rebuild([str(settings)])
    for path, text in translations.items():
        path.write_text(text)
    preview.rebuild([str(path) for path in translations])
    assert preview.preview.failed  # translations into a language the site does not list
    settings.write_text(with_languages)
    preview.rebuild([str(settings)])
    assert not preview.preview.failed, preview.preview.problems
    assert_as_if_read_again(project, preview, "a language added to its translations")


def test_a_claim_linking_to_a_claimant_follows_the_claimants_page_in_each_edition(preview, project):
    """A claim not yet translated links, in the Ukrainian edition, to the claimant's page there,
    which goes with the claimant's last claim and comes back with a claim of theirs: its page is
    rendered again each time, though the claim is the same (render/pages.linking_to). The link
    is written with backslashes, which the Markdown stage reads as slashes."""
    rain = project.content_dir / "claims/rain-record.md"
    rain.write_text(rain.read_text() + "\nSee [the mayor](\\claimants\\the-mayor/).\n")
    preview.rebuild([str(rain)])
    assert 'href="/uk/claimants/mer/"' in page(preview, "uk/claims/rain-record/")
    budget = project.content_dir / BUDGET
    edit(budget, "claimant: The Mayor\nclaimant_type: person", "claimant: Weather Watchers\nclaimant_type: organization")
    draft = project.content_dir / "claims/draft-claim.md"
    draft.unlink()  # (the preview shows drafts: the Mayor's other claim)
    preview.rebuild([str(budget), str(draft)])
    assert 'href="/uk/claimants/mer/"' not in page(preview, "uk/claims/rain-record/")
    assert_as_if_read_again(project, preview, "the claimant's page went")
    edit(budget, "claimant: Weather Watchers\nclaimant_type: organization", "claimant: The Mayor\nclaimant_type: person")
    preview.rebuild([str(budget)])
    assert 'href="/uk/claimants/mer/"' in page(preview, "uk/claims/rain-record/")
    assert_as_if_read_again(project, preview, "the claimant's page came back")
