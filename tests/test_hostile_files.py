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

from factsite.engine import Project

from factsite.commands.build import build, check
from factsite.commands.cli import main
from factsite.errors import BuildFailed
from factsite.output.journal import VERSION

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
    from factsite.engine import read_site
    from factsite.render.renderer import Renderer

    site, _ = read_site(themed)
    make_link(themed, "static/secret.txt", "outside/secret.txt")
    make_link(themed, "static/theme", "outside/theme")
    make_link(themed, "templates/_badge.html", "outside/partial.html")
    renderer = Renderer(site, themed.templates_dir, themed.static_dir, cards=False, search=False)
    renderer.fingerprints()  # reads every file of the theme
    files = dict(renderer.kinds["shared"].static_files())
    assert "secret.txt" not in files and not any(name.startswith("theme/") for name in files)
    with pytest.raises(Exception, match="follows no link") as raised:
        renderer.render_job(("claim", "rain-record"))
    assert SECRET not in str(raised.value)


# What a build reads back: planted journals, build states and caches ----------------------------

BUILD = dict(cards=False, search=False)


@pytest.fixture
def built(project, tmp_path, outside) -> Path:
    """The fixture site built into `site/` beside `.factsite-cache/`, and a canary in `outside/`."""
    out = tmp_path / "site"
    build(project, out, **BUILD)
    return out


def assert_correct_and_canary_safe(project, out: Path, tmp_path: Path, outside_before: dict, result=None) -> None:
    """The site is what a cold build gives (with its warnings), and nothing in `outside/` moved,
    changed or went."""
    assert snapshot(tmp_path / "outside", tmp_path / "nothing") == outside_before
    reference = tmp_path / "reference"
    shutil.rmtree(reference, ignore_errors=True)
    expected = build(project, reference, use_cache=False, **BUILD)
    assert contents_of(out) == contents_of(reference)
    if result is not None:
        assert [str(w) for w in result.warnings] == [str(w) for w in expected.warnings]


def plant_json(path: Path, value) -> None:
    import json

    path.write_text(json.dumps(value) if not isinstance(value, str) else value)


def journals(tmp_path: Path) -> dict:
    from factsite.output.journal import VERSION

    staging = str(tmp_path / ".site-new-0123abcd")
    outside = str(tmp_path / "outside")
    return {name: {"version": VERSION, **journal} if isinstance(journal, dict) else journal for name, journal in {
        "staging outside, its files moved in": {"staging": outside, "files": ["canary.txt", "secret.txt"],
                                                "removed": []},
        "staging the output's parent": {"staging": str(tmp_path), "files": ["outside/canary.txt"], "removed": []},
        "files climbing out": {"staging": staging, "files": ["../outside/canary.txt"],
                               "removed": ["../outside/canary.txt", "/etc/hostname"]},
        "absolute removal": {"staging": staging, "files": [], "removed": [str(tmp_path / "outside/canary.txt")]},
        "wrong types": {"staging": 5, "files": "canary.txt", "removed": None},
        "a version that is not a number": {"version": "2", "staging": staging, "files": [], "removed": []},
        "extra keys": {"staging": staging, "files": [], "removed": [], "rmtree": outside},
        "a list": ["canary.txt"],
        "not JSON": "{\"staging\": \"" + outside,
    }.items()}


@pytest.mark.parametrize("relative", ["D:/Users/desk/notes.txt", "d:notes.txt", "C:", "z:/", "//server/share/x",
                                      "C:\\x", "/etc/hostname", "../x", "claims/../../x", "claims/\n../x"])
def test_a_path_read_back_never_leaves_the_site_on_windows_either(relative):
    """A journal's or a build state's path is joined to the site's folder: on Windows, one that
    starts with a drive letter (D:/Users/..., or D:notes.txt) would lead to that drive instead."""
    from factsite.readback import all_safe_relative, is_safe_relative

    assert not is_safe_relative(relative)
    assert not all_safe_relative(["index.html", relative, "claims/x/index.html"])


@pytest.mark.parametrize("relative", ["index.html", "claims/x/index.html", "d", "dd:x", "a/d:x", "pagefind/1/x.pf"])
def test_a_path_inside_the_site_is_still_safe(relative):
    from factsite.readback import is_safe_relative

    assert is_safe_relative(relative)

@pytest.mark.parametrize("name", list(journals(Path("/x"))))
def test_planted_journal_moves_and_deletes_nothing_outside_the_site(project, built, tmp_path, outside, name):
    before = snapshot(outside, tmp_path / "nothing")
    plant_json(tmp_path / ".site-journal.json", journals(tmp_path)[name])
    build(project, built, **BUILD)
    assert not os.path.lexists(tmp_path / ".site-journal.json")
    assert_correct_and_canary_safe(project, built, tmp_path, before)


@needs_symlinks
def test_planted_journal_cannot_delete_through_a_link_in_the_site(project, built, tmp_path, outside):
    """A link planted in the site where a folder was: deleting "claims/x/canary.txt" would reach outside/."""
    before = snapshot(outside, tmp_path / "nothing")
    os.symlink(outside, built / "planted")
    plant_json(tmp_path / ".site-journal.json", {"version": VERSION, "staging": str(tmp_path / ".site-new-0123abcd"),
                                                 "files": [], "removed": ["planted/canary.txt", "planted/secret.txt"]})
    build(project, built, **BUILD)
    assert_correct_and_canary_safe(project, built, tmp_path, before)
    assert not (built / "planted").exists()


@needs_symlinks
def test_journal_that_is_a_link_is_not_followed(project, built, tmp_path, outside):
    before = snapshot(outside, tmp_path / "nothing")
    plant_json(outside / "journal.json", {"version": VERSION, "staging": str(outside), "files": ["canary.txt"],
                                          "removed": []})
    before = snapshot(outside, tmp_path / "nothing")
    os.symlink(outside / "journal.json", tmp_path / ".site-journal.json")
    build(project, built, **BUILD)
    assert not os.path.lexists(tmp_path / ".site-journal.json")
    assert_correct_and_canary_safe(project, built, tmp_path, before)


@needs_symlinks
def test_a_link_in_the_staging_folder_is_not_moved_into_the_site(project, built, tmp_path, outside):
    """A sound journal whose staged file is a link to a file outside: moving the link in would
    serve that file from the site."""
    from factsite.output.journal import staged_name
    from factsite.output.write import recover

    staging = tmp_path / ".site-new-0123abcd"
    staging.mkdir()
    os.symlink(outside / "canary.txt", staging / staged_name("robots.txt"))
    before = (built / "robots.txt").read_bytes()
    plant_json(tmp_path / ".site-journal.json", {"version": VERSION, "staging": str(staging),
                                                 "files": ["robots.txt"], "removed": []})
    recover(built)
    assert not os.path.islink(built / "robots.txt") and (built / "robots.txt").read_bytes() == before
    assert (outside / "canary.txt").exists()


def test_a_journal_of_an_older_layout_is_not_acted_on(project, built, tmp_path):
    """An older factsite staged the files laid out as the site: its journal names them so, and
    this one would look for them elsewhere, and delete the removed files with nothing moved in."""
    from factsite.output.write import recover

    staging = tmp_path / ".site-new-0123abcd"
    write(staging / "robots.txt", "the old layout's file")
    before = {name: (built / name).read_bytes() for name in ("robots.txt", "index.html")}
    plant_json(tmp_path / ".site-journal.json", {"staging": str(staging), "files": ["robots.txt"],
                                                 "removed": ["index.html"]})
    recover(built)
    assert {name: (built / name).read_bytes() for name in before} == before
    assert not (tmp_path / ".site-journal.json").exists()


def test_a_sound_journal_left_by_a_killed_build_is_still_finished(project, built, tmp_path):
    """What the checks must keep: the moves of a build killed half-way are completed."""
    from factsite.output.journal import staged_name
    from factsite.output.write import recover

    staging = tmp_path / ".site-new-0123abcd"
    write(staging / staged_name("claims/rain-record/index.html"), "the new page")
    (built / "claims/budget-doubled/badge.svg").unlink()  # moved already, before the kill
    plant_json(tmp_path / ".site-journal.json", {"version": VERSION, "staging": str(staging), "files": [
        "claims/rain-record/index.html", "claims/budget-doubled/badge.svg"], "removed": ["robots.txt"]})

    recover(built)
    assert (built / "claims/rain-record/index.html").read_text() == "the new page"
    assert not (built / "robots.txt").exists() and not staging.exists()
    assert not (tmp_path / ".site-journal.json").exists()


def load_state(tmp_path: Path) -> dict:
    """The build state as saved: its fields by name, and the store's stamp."""
    import marshal

    return marshal.loads((tmp_path / ".factsite-cache/site.state.marshal").read_bytes())


def save_state(tmp_path: Path, state: dict) -> None:
    import marshal

    (tmp_path / ".factsite-cache/site.state.marshal").write_bytes(marshal.dumps(state))


def with_stale_job(files: list) -> callable:
    """The state with one more job, which no build makes now: its files are deleted as stale."""
    def change(state: dict) -> None:
        state["jobs"][("claim", "gone")] = ("0" * 32, (files, []))
    return change


def state_changes(tmp_path: Path) -> dict:
    def set_at(name, value):
        def change(state):
            state[name] = value
        return change

    def first_job(value):
        def change(state):
            state["jobs"][next(iter(state["jobs"]))] = value
        return change

    def without(name):
        def change(state):
            del state[name]
        return change

    return {
        "stale file outside": with_stale_job(["../outside/canary.txt"]),
        "stale file absolute": with_stale_job([str(tmp_path / "outside/canary.txt")]),
        "stale file backslashes": with_stale_job(["..\\outside\\canary.txt"]),
        "stale folder itself": with_stale_job(["claims"]),
        "stale file with a dot part": with_stale_job(["claims/./../../outside/canary.txt"]),
        "jobs of the wrong type": set_at("jobs", {("claim", "x"): 5}),
        "jobs a list": set_at("jobs", [1, 2]),
        "a job's files of the wrong type": first_job(("0" * 32, ({"a": 1}, []))),
        "a job's links of the wrong type": first_job(("0" * 32, (["index.html"], [("a", 1, [("b", "c")])]))),
        "a code object": set_at("out_dir", compile("open('canary', 'w')", "x", "exec")),
        "a job's fingerprint of the wrong type": first_job((32, (["index.html"], []))),
        "settings not a tuple": set_at("settings", ["https://example.org/", False, False, False]),
        "settings holding a list": set_at("settings", ("https://example.org/", [False], False, False)),
        "search digests of the wrong type": set_at("search_digests", "0" * 32),
        "out_dir of the wrong type": set_at("out_dir", b"/site"),
        "a field missing": without("search_digests"),
        "a field more": set_at("rmtree", "/"),
        "a stamp of another version": set_at("stamp", ("factsite cache", 8, "0.1.0")),
        "no stamp": without("stamp"),
    }


@pytest.mark.parametrize("name", [name for name in state_changes(Path("/x")) if name != "stale folder itself"])
def test_build_state_of_any_other_shape_is_not_loaded(built, tmp_path, name):
    """marshal gives back whatever was planted (a code object too): only the exact shapes a build
    writes are taken."""
    from factsite.output.cache import BuildCache

    state = load_state(tmp_path)
    state_changes(tmp_path)[name](state)
    save_state(tmp_path, state)
    assert BuildCache(built).load_state() is None


@pytest.mark.parametrize("name", [name for name in state_changes(Path("/x")) if name.startswith(("stale", "jobs"))])
def test_planted_build_state_is_ignored_and_the_site_built_whole(project, built, tmp_path, outside, name):
    """Stale files are deleted after a build that read every file."""
    before = snapshot(outside, tmp_path / "nothing")
    state = load_state(tmp_path)
    state_changes(tmp_path)[name](state)
    save_state(tmp_path, state)
    (project.content_dir / "claims/rain-record.md").write_text(
        (project.content_dir / "claims/rain-record.md").read_text() + "\nAn edit, so that the build writes.\n")
    result = build(project, built, **BUILD)
    assert_correct_and_canary_safe(project, built, tmp_path, before, result)


@needs_symlinks
def test_stale_file_behind_a_link_in_the_site_is_not_deleted(project, built, tmp_path, outside):
    """A sound state, but a folder of the site became a link: the update would delete outside/canary.txt."""
    before = snapshot(outside, tmp_path / "nothing")
    state = load_state(tmp_path)
    with_stale_job(["planted/canary.txt", "planted/secret.txt"])(state)
    save_state(tmp_path, state)
    os.symlink(outside, built / "planted")
    build(project, built, **BUILD)
    assert_correct_and_canary_safe(project, built, tmp_path, before)


@needs_symlinks
def test_new_file_is_not_written_through_a_link_in_the_site(project, built, tmp_path, outside):
    """The update writes claims/rain-record/index.html: a link at claims/rain-record/ would send it outside."""
    before = snapshot(outside, tmp_path / "nothing")
    shutil.rmtree(built / "claims/rain-record")
    os.symlink(outside, built / "claims/rain-record")
    claim = project.content_dir / "claims/rain-record.md"
    claim.write_text(claim.read_text() + "\nAn edit.\n")
    build(project, built, **BUILD)
    assert_correct_and_canary_safe(project, built, tmp_path, before)
    assert not (built / "claims/rain-record").is_symlink()


@needs_symlinks
def test_a_file_the_site_holds_already_behind_a_link_is_not_taken_as_written(tmp_path, outside):
    """An update leaves a file that holds the bytes it writes as it is (write.holds): it read the
    file through claims/x/, which is a link, and must not leave the link in the site."""
    from factsite.output.write import update_site
    from factsite.readback import LeadsOutside

    site = tmp_path / "site"
    (site / "claims").mkdir(parents=True)
    (outside / "x").mkdir()
    (outside / "x" / "index.html").write_bytes(b"the same page")
    os.symlink(outside / "x", site / "claims" / "x")
    with pytest.raises(LeadsOutside):
        update_site(site, lambda write: write([("claims/x/index.html", b"the same page")]),
                    lambda _: (["claims/x/index.html"], []), compare=True)
    assert (site / "claims" / "x").is_symlink() and (outside / "x" / "index.html").read_bytes() == b"the same page"


@needs_symlinks
@pytest.mark.parametrize("what", ["state file", "cache folder", "a file for a folder"])
def test_build_cache_that_is_a_link_is_neither_read_nor_written(project, built, tmp_path, outside, what):
    """Even a link to the real state is not read (one to /dev/zero would never end): nothing is reused."""
    cache = tmp_path / ".factsite-cache"
    if what == "state file":
        os.replace(cache / "site.state.marshal", outside / "site.state.marshal")
        os.symlink(outside / "site.state.marshal", cache / "site.state.marshal")
    elif what == "a file for a folder":
        shutil.rmtree(cache)
        write(cache, "planted")
    else:
        shutil.move(cache, outside / "cache")
        os.symlink(outside / "cache", cache)
    before = snapshot(outside, tmp_path / "nothing")
    result = build(project, built, **BUILD)
    assert result.files_reused == 0
    assert_correct_and_canary_safe(project, built, tmp_path, before)


def plant_documents(tmp_path: Path, entries) -> None:
    import marshal

    from factsite.output.cache import STAMP

    (tmp_path / ".factsite-cache/documents.marshal").write_bytes(marshal.dumps((STAMP, entries)))


def planted_claim(claim: Path, **values) -> tuple:
    """What the file cache keeps of ``claim``, with ``values`` in place of its own."""
    from factsite.errors import Problems
    from factsite.read.claim_file import ClaimFile

    plain = list(ClaimFile.read(claim, Problems()).to_plain())
    plain[0] = dict(plain[0], **values)
    plain[2] = "0" * 32  # the digest of its fields, which shows they changed
    return tuple(plain)


def test_planted_file_cache_entry_is_not_used(project, built, tmp_path, outside):
    """An entry whose signature is None (a planted one) matched a file changed in the last
    two seconds, whose signature is None too: its fields were published, its edit lost."""
    before = snapshot(outside, tmp_path / "nothing")
    claim = project.content_dir / "claims/rain-record.md"
    plant_documents(tmp_path, {("ClaimFile", str(claim)): (None, planted_claim(claim, title="PLANTED"), [])})
    claim.write_text(claim.read_text() + "\nAn edit.\n")  # changed just now: not settled
    build(project, built, **BUILD)
    assert not any(b"PLANTED" in data for data in contents_of(built).values())
    assert_correct_and_canary_safe(project, built, tmp_path, before)


@pytest.mark.parametrize("entries", [
    pytest.param([1, 2, 3], id="a list"),
    pytest.param({"CLAIM": 5}, id="an entry of the wrong type"),
    pytest.param({"CLAIM": "warnings of the wrong type"}, id="an entry's warnings of the wrong type"),
    pytest.param({"CLAIM": (3, 7)}, id="an entry's line of the analysis of the wrong type"),
    pytest.param({"CLAIM": (4, None)}, id="an entry's analysis of the wrong type"),
    pytest.param({"CLAIM": (2, None)}, id="an entry's digest of the wrong type"),
    pytest.param("entries", id="text"),
])
def test_file_cache_of_the_wrong_shape_is_ignored(project, built, tmp_path, outside, settled, entries):
    from factsite.read.filecache import DocumentCache

    before = snapshot(outside, tmp_path / "nothing")
    claim = project.content_dir / "claims/rain-record.md"
    if isinstance(entries, dict):
        entry = entries["CLAIM"]
        if entry == "warnings of the wrong type":
            entry = (DocumentCache.signature(claim), planted_claim(claim), 5)
        elif isinstance(entry, tuple):  # one part of what the cache keeps of the claim, replaced
            index, value = entry
            plain = list(planted_claim(claim))
            plain[index] = value
            entry = (DocumentCache.signature(claim), tuple(plain), [])
        entries = {("ClaimFile", str(claim)): entry}
    plant_documents(tmp_path, entries)
    (tmp_path / ".factsite-cache/site.state.marshal").unlink()
    build(project, built, **BUILD)
    assert_correct_and_canary_safe(project, built, tmp_path, before)


def without(name: str):
    return lambda fields: {key: value for key, value in fields.items() if key != name}


def with_value(name: str, value):
    return lambda fields: dict(fields, **{name: value})


@pytest.mark.parametrize("change", [
    pytest.param(with_value("title", 5), id="a number for text"),
    pytest.param(with_value("title", "PLANTED \x07"), id="a control character"),
    pytest.param(with_value("title", "PLANTED " * 100), id="text over its field's limit"),
    pytest.param(with_value("title", " PLANTED"), id="text the check would have trimmed"),
    pytest.param(with_value("claimant_type", "PLANTED"), id="text outside its field's choices"),
    pytest.param(with_value("claimant_id", "PLANTED/../x"), id="a slug that is not one"),
    pytest.param(with_value("claimant_id", "con"), id="a slug Windows keeps for a device"),
    pytest.param(with_value("published", "PLANTED"), id="a date that is not one"),
    pytest.param(with_value("published", 20250910), id="a number for a date"),
    pytest.param(with_value("published", "20200101"), id="a date spelt as the field check refuses"),
    pytest.param(with_value("draft", "no"), id="text for true or false"),
    pytest.param(with_value("topics", ["planted", 5]), id="a number in a list of names"),
    pytest.param(with_value("topics", ["planted"] * 101), id="a list over its field's limit"),
    pytest.param(with_value("topics", "planted"), id="text for a list"),
    pytest.param(with_value("sources", [[0, {}]]), id="a list entry that is not a pair"),
    pytest.param(with_value("sources", [(0, {"source": "PLANTED"})]), id="a list entry missing fields"),
    pytest.param(with_value("corrections", [(-1, {"date": "2025-01-01", "note": "PLANTED"})]),
                 id="a list entry's place below zero"),
    pytest.param(with_value("PLANTED", "x"), id="a field the schema does not have"),
    pytest.param(without("summary"), id="a field missing"),
])
def test_file_cache_values_are_checked_as_the_fields_would_be(project, built, tmp_path, outside, settled, change):
    """A planted entry that matches its file, with values no check would have given: the file
    is read again, and the site is what a cold build makes."""
    from factsite.read.filecache import DocumentCache

    before = snapshot(outside, tmp_path / "nothing")
    claim = project.content_dir / "claims/rain-record.md"
    plain = list(planted_claim(claim))
    plain[0] = change(plain[0])
    plant_documents(tmp_path, {("ClaimFile", str(claim)): (DocumentCache.signature(claim), tuple(plain), [])})
    (tmp_path / ".factsite-cache/site.state.marshal").unlink()
    build(project, built, **BUILD)
    assert not any(b"PLANTED" in data for data in contents_of(built).values())
    assert_correct_and_canary_safe(project, built, tmp_path, before)


def old_state(tmp_path: Path) -> tuple:
    """The build state as factsite saved it before the store had one version: a 9-tuple of FORMAT 7."""
    from factsite import __version__

    state = load_state(tmp_path)
    return ((__version__, 7), state["out_dir"], state["settings"], state["jobs"], state["search_digests"],
            {}, {}, "", [])  # the fields then kept for a shortcut that is gone: inputs, shown, layout, warnings


def test_caches_of_earlier_formats_are_ignored_never_misread(project, built, tmp_path, outside, settled):
    """A state and a file cache as the previous factsite wrote them (a 9-tuple; the file cache's
    own version 8) mean a full build: the planted entry, which matches its file, is not used."""
    import marshal

    from factsite import __version__
    from factsite.read.filecache import DocumentCache

    before = snapshot(outside, tmp_path / "nothing")
    save_state(tmp_path, old_state(tmp_path))
    claim = project.content_dir / "claims/rain-record.md"
    entries = {("ClaimFile", str(claim)): (DocumentCache.signature(claim), planted_claim(claim, title="PLANTED"), [])}
    (tmp_path / ".factsite-cache/documents.marshal").write_bytes(marshal.dumps(((8, __version__), entries)))
    result = build(project, built, **BUILD)
    assert result.files_reused == 0
    assert not any(b"PLANTED" in data for data in contents_of(built).values())
    assert_correct_and_canary_safe(project, built, tmp_path, before, result)


def test_a_site_is_adopted_through_a_build_state_of_an_earlier_format(project, built, tmp_path):
    """An older factsite's state, though not loaded, still names the site it built (its mark is missing)."""
    (built / "made-by-factsite.txt").unlink()
    save_state(tmp_path, old_state(tmp_path))
    build(project, built, **BUILD)
    assert (built / "made-by-factsite.txt").is_file()


def test_a_new_store_version_leaves_every_part_of_the_old_one(project, tmp_path, user_temp, monkeypatch):
    """Raising cache.VERSION is all it takes for a build to keep nothing from the store as it was."""
    from factsite.output import cache

    out = tmp_path / "site"
    build(project, out, search=False)
    old = cache.BuildCache(out)
    old_parts = (old.cards().folder,)
    assert all(any(part.iterdir()) for part in old_parts)
    monkeypatch.setattr(cache, "VERSION", cache.VERSION + 1)
    monkeypatch.setattr(cache, "STAMP", (cache.STAMP[0], cache.VERSION, *cache.STAMP[2:]))
    assert cache.BuildCache(out).load_state() is None and not cache.BuildCache(out).documents().entries
    result = build(project, out, search=False)
    new = cache.BuildCache(out)
    assert result.files_reused == 0
    assert any(new.cards().folder.iterdir())
    assert new.cards().folder not in old_parts


@needs_symlinks
def test_cards_and_templates_of_other_versions_are_deleted_but_no_link_is_followed(project, built, tmp_path,
                                                                                   outside):
    cache = tmp_path / ".factsite-cache"
    write(cache / "cards/0123.png", "an old card")
    write(cache / "templates-0.1.0/key.signed", "an old template")
    os.symlink(outside, cache / "cards-8")
    os.symlink(outside, cache / "templates-7-0.1.0")
    write(cache / "keep-me.txt", "not a part of the store")
    before = snapshot(outside, tmp_path / "nothing")
    claim = project.content_dir / "claims/rain-record.md"
    claim.write_text(claim.read_text() + "\nAn edit.\n")
    build(project, built, **BUILD)
    left = {path.name for path in cache.iterdir()}
    assert "keep-me.txt" in left and not left & {"cards", "templates-0.1.0", "cards-8", "templates-7-0.1.0"}
    assert snapshot(outside, tmp_path / "nothing") == before


@needs_symlinks
def test_planted_share_card_is_not_published(project, tmp_path, outside):
    """A card in the cache that is a link (to a secret) or not a PNG is drawn again."""
    from factsite.output.cache import BuildCache

    out = tmp_path / "site"
    build(project, out, search=False)
    cards = sorted(BuildCache(out).cards().folder.iterdir())
    assert cards
    for number, card in enumerate(cards):
        card.unlink()
        if number % 2:
            os.symlink(outside / "secret.txt", card)
        else:
            card.write_bytes(SECRET.encode())
    (tmp_path / ".factsite-cache/site.state.marshal").unlink()  # a full build, which asks for every card
    build(project, out, search=False)
    published = [data for name, data in contents_of(out).items() if name.endswith(".png")]
    assert len(published) >= len(cards)
    assert all(data.startswith(b"\x89PNG") and SECRET.encode() not in data for data in published)


# Compiled templates are code: never read from the project or its cache -----------------------

@pytest.fixture
def user_temp(tmp_path, monkeypatch) -> Path:
    """The system's temporary folder, where Jinja keeps the user's compiled templates: one of the test's own."""
    import tempfile

    folder = tmp_path / "system-temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def planted_template(project, name: str, text: str) -> tuple[str, bytes]:
    """The cache key and compiled code (Jinja's own format) of ``text``, passed off as ``name``."""
    import jinja2
    from jinja2.bccache import Bucket

    from factsite.render.renderer import template_environment

    env = template_environment(project.templates_dir)
    filename = os.path.normpath(project.templates_dir / name)
    cache = jinja2.BytecodeCache()
    bucket = Bucket(env, cache.get_cache_key(name, filename),
                    cache.get_source_checksum((project.templates_dir / name).read_text("utf-8")))
    bucket.code = env.compile(text, name, filename)
    return bucket.key, bucket.bytecode_to_string()


def test_planted_compiled_template_is_never_run(project, tmp_path, user_temp):
    from factsite import __version__

    out = tmp_path / "site"
    folder = tmp_path / ".factsite-cache" / f"templates-{__version__}"  # where an earlier factsite kept them
    folder.mkdir(parents=True)
    for name in ("base.html", "claim.html", "index.html", "_badge.html"):
        key, code = planted_template(project, name, "PLANTED-CODE-RAN")
        for planted in (f"__jinja2_{key}.cache", f"__factsite_{__version__}_{key}.cache", f"{key}.signed"):
            (folder / planted).write_bytes(code)
            (tmp_path / ".factsite-cache" / planted).write_bytes(code)
    build(project, out, **BUILD)
    assert not any(b"PLANTED-CODE-RAN" in data for data in contents_of(out).values())
    assert (out / "index.html").read_bytes().startswith(b"<!doctype html>")


def count_compiled(monkeypatch) -> list:
    import jinja2

    compiled = []
    real = jinja2.Environment.compile

    def counted(self, *args, **kwargs):
        compiled.append(args[1] if len(args) > 1 else kwargs.get("name"))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return compiled


def test_compiled_templates_are_still_kept_between_builds(project, tmp_path, user_temp, monkeypatch):
    compiled = count_compiled(monkeypatch)
    build(project, tmp_path / "site", **BUILD)
    [folder] = user_temp.iterdir()
    assert compiled and folder.name == f"_jinja2-cache-{os.getuid()}" and folder.stat().st_mode & 0o777 == 0o700
    compiled.clear()
    (tmp_path / ".factsite-cache/site.state.marshal").unlink()
    build(project, tmp_path / "site", **BUILD)
    assert compiled == []


def test_templates_compiled_another_way_are_compiled_again(project, tmp_path, user_temp, monkeypatch):
    """Compiled code depends on Jinja's version and the environment's settings as well as on the
    template: code compiled by another Jinja, or with other settings, is never loaded."""
    from factsite.render import templating

    compiled = count_compiled(monkeypatch)
    build(project, tmp_path / "site", **BUILD)
    compiled.clear()
    monkeypatch.setattr(templating, "how_templates_compile", lambda: "another-jinja-or-settings")
    build(project, tmp_path / "site", use_cache=False, **BUILD)
    assert "base.html" in compiled


@needs_symlinks
def test_a_folder_of_compiled_templates_that_is_a_link_is_not_used(project, tmp_path, user_temp, outside,
                                                                   monkeypatch):
    """Someone else's link where the user's folder goes (the temporary folder is everyone's):
    templates are compiled every time instead."""
    os.symlink(outside, user_temp / f"_jinja2-cache-{os.getuid()}")
    before = snapshot(outside, tmp_path / "nothing")
    compiled = count_compiled(monkeypatch)
    for _ in range(2):
        compiled.clear()
        (tmp_path / ".factsite-cache/site.state.marshal").unlink(missing_ok=True)
        build(project, tmp_path / "site", **BUILD)
        assert compiled
    assert snapshot(outside, tmp_path / "nothing") == before


# --out: only a folder factsite made is replaced ---------------------------------------------

def test_folder_with_a_claims_json_but_not_the_mark_is_refused(project, tmp_path):
    from factsite.output.write_errors import WriteError

    folder = tmp_path / "data"
    write(folder / "claims.json", '{"mine": true}')
    write(folder / "notes.txt", "keep me")
    before = snapshot(folder, tmp_path / "nothing")
    with pytest.raises(WriteError) as refused:
        build(project, folder, **BUILD)
    assert "holds a claims.json but not factsite's mark (made-by-factsite.txt)" in refused.value.message
    assert "--out" in refused.value.hint and "delete the folder" in refused.value.hint
    assert snapshot(folder, tmp_path / "nothing") == before


@pytest.mark.parametrize("mark", ["", "factsite\n", "made by someone else\n", "factsite site folders\n"])
def test_a_mark_that_is_not_factsites_is_refused(project, tmp_path, mark):
    from factsite.output.write_errors import WriteError

    folder = tmp_path / "data"
    write(folder / "made-by-factsite.txt", mark)
    write(folder / "claims.json", "{}")
    with pytest.raises(WriteError, match="not factsite's mark"):
        build(project, folder, **BUILD)
    assert (folder / "claims.json").read_text() == "{}"


@needs_symlinks
def test_a_mark_that_is_a_link_is_not_the_mark(project, tmp_path, built):
    from factsite.output.write_errors import WriteError

    folder = tmp_path / "data"
    write(folder / "claims.json", "{}")
    os.symlink(built / "made-by-factsite.txt", folder / "made-by-factsite.txt")
    with pytest.raises(WriteError, match="not factsite's mark"):
        build(project, folder, **BUILD)
    assert (folder / "claims.json").read_text() == "{}"


def test_refusal_is_a_clear_message_on_the_command_line(project, tmp_path, monkeypatch):
    write(tmp_path / "data/claims.json", "{}")
    for theme in ("templates", "static"):
        shutil.copytree(REPO / theme, tmp_path / theme)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "--out", "data", "--no-search", "--no-cards"])
    assert result.exit_code == 1
    assert "holds a claims.json but not factsite's mark (made-by-factsite.txt), so it will not be replaced" \
        in result.output
    assert "Traceback" not in result.output and (tmp_path / "data/claims.json").read_text() == "{}"


def test_every_build_marks_its_folder(project, built, tmp_path):
    assert (built / "made-by-factsite.txt").read_text().startswith("factsite site folder\n")
    claim = project.content_dir / "claims/rain-record.md"
    claim.write_text(claim.read_text() + "\nAn edit.\n")
    build(project, built, **BUILD)  # an update in place keeps it
    assert (built / "made-by-factsite.txt").is_file()


def test_a_site_an_older_factsite_built_is_adopted_through_its_build_state(project, built, tmp_path):
    """Before the mark, a site was known by its claims.json: one whose build state names it
    (as in the Pages workflow, which restores both) is still built into, and gets the mark."""
    (built / "made-by-factsite.txt").unlink()
    build(project, built, **BUILD)
    assert (built / "made-by-factsite.txt").is_file()


def test_a_site_an_older_factsite_built_without_its_cache_is_refused(project, built, tmp_path):
    from factsite.output.write_errors import WriteError

    (built / "made-by-factsite.txt").unlink()
    shutil.rmtree(tmp_path / ".factsite-cache")
    with pytest.raises(WriteError, match="not factsite's mark") as refused:
        build(project, built, **BUILD)
    assert "delete the folder and build again" in refused.value.hint
    assert (built / "claims.json").is_file()



@needs_symlinks
@pytest.mark.parametrize("link, marked", [(".", "."), ("content", "content"), ("templates", "templates"),
                                          ("..", "..")])
def test_a_site_link_into_the_project_with_a_planted_mark_is_refused(tmp_path, link, marked):
    """A checkout may hold `site` as a link to the project folder (or a folder of it, or the one
    holding it) and factsite's mark there: a mark anyone can write, so it cannot be what keeps
    the project, its content and its .git from being replaced by the site and deleted."""
    from factsite.output.write_errors import WriteError

    root = tmp_path / "newsroom"
    shutil.copytree(FIXTURES / "basic" / "content", root / "content")
    for folder in ("templates", "static"):
        shutil.copytree(REPO / folder, root / folder)
    write(root / ".git/HEAD", "ref: refs/heads/main\n")
    write((root / marked) / "made-by-factsite.txt", "factsite site folder\n")
    os.symlink(link, root / "site")
    before = snapshot(tmp_path, tmp_path / "nothing")
    with pytest.raises(WriteError, match="which a build there would delete") as refused:
        build(Project.at(root), root / "site", **BUILD)
    assert "--out" in refused.value.hint
    assert snapshot(tmp_path, tmp_path / "nothing") == before
    assert not any(path.name.startswith(".newsroom") for path in tmp_path.iterdir())

@needs_symlinks
@pytest.mark.parametrize("old", ["link to a folder", "link to a file", "file"])
def test_planted_old_site_beside_the_output_is_never_followed(project, built, tmp_path, outside, old):
    """`.site-old` is where a swap puts the previous site for a moment: what else is there goes."""
    before = snapshot(outside, tmp_path / "nothing")
    path = tmp_path / ".site-old"
    if old == "file":
        write(path, "planted")
    else:
        os.symlink(outside if old == "link to a folder" else outside / "canary.txt", path)
    (tmp_path / ".factsite-cache/site.state.marshal").unlink()  # a full build, which swaps
    build(project, built, **BUILD)
    assert not os.path.lexists(path)
    assert_correct_and_canary_safe(project, built, tmp_path, before)


@needs_symlinks
def test_a_planted_old_site_that_is_a_link_is_not_put_back(project, tmp_path, outside):
    from factsite.output.write import restore_interrupted_swap

    os.symlink(outside, tmp_path / ".site-old")
    restore_interrupted_swap(tmp_path / "site")
    assert not os.path.lexists(tmp_path / "site")


@needs_symlinks
def test_search_index_is_not_refreshed_through_a_link_in_the_site(project, tmp_path, outside):
    """An update refreshes the parts of pagefind/ whose pages changed, by renaming pagefind/<n>
    away and deleting it: through a link, that was outside/<n>."""
    out = tmp_path / "site"
    build(project, out, cards=False)
    write(outside / "1" / "keep.txt", "keep me")
    before = snapshot(outside, tmp_path / "nothing")
    shutil.rmtree(out / "pagefind")
    os.symlink(outside, out / "pagefind")
    claim = project.content_dir / "claims/rain-record.md"
    claim.write_text(claim.read_text().replace("title: Rain record", "title: Rain record, edited"))
    build(project, out, cards=False)
    assert snapshot(outside, tmp_path / "nothing") == before
    assert (out / "pagefind").is_dir() and not (out / "pagefind").is_symlink()
    assert not os.path.lexists(tmp_path / ".site-pagefind-old")
    claim.write_text(claim.read_text().replace("title: Rain record, edited", "title: Rain record, again"))
    build(project, out, cards=False)  # the next refresh, part by part
    assert snapshot(outside, tmp_path / "nothing") == before
