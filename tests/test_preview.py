"""The preview server's rebuilds, in process: the quick one after an analysis is
edited, and the whole one after anything else."""

from __future__ import annotations

import pytest

from factsite import serve
from factsite.serve import PreviewServer


@pytest.fixture
def preview(project, monkeypatch):
    """A preview server (not serving) after its first build, counting how often it reads the site."""
    monkeypatch.chdir(project.content_dir.parent)
    reads = []

    def counted(*args, **kwargs):
        reads.append(1)
        return read_site(*args, **kwargs)

    read_site = serve.read_site
    monkeypatch.setattr(serve, "read_site", counted)
    server = PreviewServer(project, port=0, log=lambda text: None)
    server.rebuild()
    assert not server.preview.failed, server.preview.problems
    server.reads = reads
    yield server
    server.httpd.server_close()


def edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def page(server, url: str) -> str:
    return server.preview.files[url + "index.html"].decode()


def test_edited_analysis_is_rendered_without_reading_the_site_again(preview, project):
    claim = project.content_dir / "claims/rain-record.md"
    claim.write_text(claim.read_text() + "\n## A new section\n\nA paragraph added in the preview.\n")
    preview.rebuild({claim})
    assert not preview.preview.failed
    assert len(preview.reads) == 1  # the first build's only
    assert "A paragraph added in the preview." in page(preview, "claims/rain-record/")
    quick = preview.preview.files
    assert preview.build_in_memory()[0] == quick  # what reading everything again gives


def test_edited_field_reads_the_site_again(preview, project):
    claim = project.content_dir / "claims/rain-record.md"
    edit(claim, "title: Rain record", "title: Rain record, renamed")
    preview.rebuild({claim})
    assert len(preview.reads) == 2
    assert "Rain record, renamed" in page(preview, "")  # the index lists it


def test_other_files_read_the_site_again(preview, project):
    page_file = project.content_dir / "pages/methodology.md"
    page_file.write_text(page_file.read_text() + "\nOne more line.\n")
    preview.rebuild({page_file})
    assert len(preview.reads) == 2
    assert "One more line." in page(preview, "methodology/")


def test_placeholder_added_to_an_analysis_is_reported(preview, project):
    claim = project.content_dir / "claims/rain-record.md"
    claim.write_text(claim.read_text() + "\nTODO: finish this.\n")
    preview.rebuild({claim})
    assert preview.preview.failed
    assert any("rain-record.md" in str(p.path) and "placeholder" in p.message for p in preview.preview.problems)


def test_broken_anchor_in_an_edited_analysis_is_a_warning(preview, project):
    claim = project.content_dir / "claims/rain-record.md"
    claim.write_text(claim.read_text() + "\nSee [the numbers](#no-such-section) "
                                          "and [the sources of another](/claims/budget-doubled/#sources).\n")
    preview.rebuild({claim})
    assert len(preview.reads) == 1
    messages = [p.message for p in preview.preview.problems]
    assert any("no-such-section" in m for m in messages) and not any("#sources" in m for m in messages), messages
    assert not preview.preview.failed


def test_quick_rebuild_after_a_failed_build_reads_everything(preview, project):
    claim = project.content_dir / "claims/rain-record.md"
    good = claim.read_text()
    edit(claim, "verdict: unproven", "verdict: unprovne")
    preview.rebuild({claim})
    assert preview.preview.failed
    claim.write_text(good + "\nFixed, and a line added.\n")
    preview.rebuild({claim})
    assert not preview.preview.failed
    assert len(preview.reads) == 3
    assert "Fixed, and a line added." in page(preview, "claims/rain-record/")


def test_renamed_verdict_shows_on_every_page_of_the_next_preview(preview, project):
    # The template environment is kept between rebuilds: nothing in it may keep the old site.
    site_yml = project.content_dir / "site.yml"
    edit(site_yml, "label: Unproven", "label: Not yet proven")
    preview.rebuild({site_yml})
    assert not preview.preview.failed, preview.preview.problems
    for url in ("", "verdicts/", "claims/rain-record/"):
        assert "Not yet proven" in page(preview, url), url
        assert ">Unproven<" not in page(preview, url), url


def test_rebuilds_asked_for_at_once_run_one_after_the_other(preview, project, monkeypatch):
    # The watcher can ask for a rebuild while the first build still runs.
    import gc
    import threading
    import time

    calls = []
    real_read_site = serve.read_site

    def slow_first(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            time.sleep(0.4)
        return real_read_site(*args, **kwargs)

    monkeypatch.setattr(serve, "read_site", slow_first)
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
