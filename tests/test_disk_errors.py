"""Disk errors: a full disk or an unwritable output folder gives a clear error and keeps the old site.

Most tests make the disk full (ENOSPC) or refuse permission (EACCES, EPERM, EROFS) by
fault injection at the lowest calls factsite writes through: every byte goes through
`factsite.output.write._write`, and new folders through `os.mkdir`. That works whoever runs
the tests, root included. Real conditions where the system allows: a read-only parent
folder (not as root, who may write anyway), a folder no one may create (/sys), and a
file-size limit (RLIMIT_FSIZE), which makes a real write fail half-way, as root too.
"""

from __future__ import annotations

import errno
import gc
import os
import runpy
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from factsite.output import write as write_module
from factsite.commands.build import build
from factsite.commands.cli import main
from factsite.output.write_errors import WriteError

from .conftest import REPO, contents_of, write

OPTIONS = dict(cards=False, search=False)


class Disk:
    """The disk below ``root`` with ``room`` bytes left (None: plenty of room).

    The write that does not fit writes what does and then fails with ENOSPC, as on a
    full disk; with no room left, making a folder fails too. ``writes`` lists the size
    of every write, in order.
    """

    def __init__(self, monkeypatch, root: Path, fail_with: int = errno.ENOSPC):
        self.room: int | None = None
        self.writes: list[int] = []
        self.folders_fail = False  # True: making any folder below root fails, whatever the room
        real_write, real_mkdir = write_module._write, os.mkdir

        def fail(name):
            raise OSError(fail_with, os.strerror(fail_with), name)

        def write(file, data):
            if self.room is not None and len(data) > self.room:
                real_write(file, data[:self.room])
                self.room = 0
                fail(getattr(file, "name", None))
            if self.room is not None:
                self.room -= len(data)
            self.writes.append(len(data))
            real_write(file, data)

        def mkdir(path, mode=0o777, **options):
            below = os.path.abspath(os.fspath(path)).startswith(str(root) + os.sep)
            if below and (self.folders_fail or self.room == 0):
                fail(os.fspath(path))
            return real_mkdir(path, mode, **options)

        monkeypatch.setattr(write_module, "_write", write)
        monkeypatch.setattr(os, "mkdir", mkdir)


def leftovers(folder: Path) -> list[str]:
    """Staging folders, journals and half-saved files a failed build should not leave beside the site."""
    cache = folder / ".factsite-cache"
    return sorted([p.name for p in folder.iterdir() if p.name.startswith(".site-")]
                  + ([p.name for p in cache.iterdir() if p.name.startswith(".")] if cache.is_dir() else []))


def change_content(project) -> None:
    claim = project.content_dir / "claims/rain-record.md"
    claim.write_text(claim.read_text().replace("title: Rain record", "title: Rain record, updated"))
    write(project.content_dir / "claims/snow-record.md", claim.read_text().replace("Rain record", "Snow record"))


def clean_build(project, tmp_path: Path) -> dict[str, bytes]:
    reference = tmp_path / "reference"
    shutil.rmtree(reference, ignore_errors=True)
    build(project, reference, use_cache=False, **OPTIONS)
    return contents_of(reference)


# A full disk ------------------------------------------------------------------

def test_full_disk_during_a_full_build_keeps_the_old_site(project, tmp_path, monkeypatch):
    out = tmp_path / "site"
    build(project, out, use_cache=False, **OPTIONS)
    old = contents_of(out)
    change_content(project)
    disk = Disk(monkeypatch, tmp_path)
    new = clean_build(project, tmp_path)
    total = sum(disk.writes)
    assert total > 10_000
    for room in sorted({0, 1, 4096, total // 4, total // 2, 3 * total // 4, total - 1}):
        disk.room = room
        with pytest.raises(WriteError) as failure:
            build(project, out, use_cache=False, **OPTIONS)
        error = failure.value
        assert error.message.endswith("the disk is full") and str(out) in error.message, error.message
        assert error.hint.startswith(f"free some space on the disk that holds {tmp_path}")
        assert error.site == WriteError.UNCHANGED
        assert contents_of(out) == old, f"the old site changed when the disk filled after {room} bytes"
        assert leftovers(tmp_path) == []
    disk.room = None
    build(project, out, use_cache=False, **OPTIONS)
    assert contents_of(out) == new


def test_full_disk_at_any_moment_of_an_incremental_update_keeps_a_whole_site(project, tmp_path, monkeypatch):
    """The update goes through the site in place (`update_site`), then the build saves its cache."""
    out, cache = tmp_path / "site", tmp_path / ".factsite-cache"
    build(project, out, **OPTIONS)
    old = contents_of(out)
    for saved, folder in (("saved-site", out), ("saved-cache", cache)):
        shutil.copytree(folder, tmp_path / saved)

    def restore_old_site() -> None:
        for saved, folder in (("saved-site", out), ("saved-cache", cache)):
            shutil.rmtree(folder)
            shutil.copytree(tmp_path / saved, folder)

    change_content(project)  # a claim changed, one added: its folder is new
    disk = Disk(monkeypatch, tmp_path)
    new = clean_build(project, tmp_path)
    disk.writes.clear()
    build(project, out, **OPTIONS)  # to learn what an update writes, in which order
    assert contents_of(out) == new
    starts = [sum(disk.writes[:index]) for index in range(len(disk.writes) + 1)]
    total = starts[-1]
    # Every few writes while the site is staged, and every write after: the journal and the caches.
    rooms = sorted(room for room in {0, 1, *starts[:-4:5], *(start + offset for start in starts[-5:]
                                                              for offset in (-1, 0, 1))} if room < total)
    outcomes = set()
    for room in rooms:
        restore_old_site()
        disk.room = room
        with pytest.raises(WriteError) as failure:
            build(project, out, **OPTIONS)
        error = failure.value
        assert "the disk is full" in error.message and "free some space" in error.hint
        assert not (tmp_path / ".site-journal.json").exists()
        assert leftovers(tmp_path) == []
        if error.site == WriteError.UNCHANGED:  # it failed while the update was staged
            assert error.message.startswith(f"cannot write the site into {out}: ") or \
                error.message.startswith(f"cannot create a folder beside {out}: "), error.message
            assert contents_of(out) == old, f"the old site changed when the disk filled after {room} bytes"
        else:  # the site was updated; saving the build's cache failed
            assert error.site is None and ".factsite-cache" in error.message, error.message
            assert contents_of(out) == new
        outcomes.add(error.site)
        disk.room = None
        build(project, out, **OPTIONS)  # the disk has room again
        assert contents_of(out) == new, f"the next build differs from a clean one (disk full after {room} bytes)"
    assert outcomes == {WriteError.UNCHANGED, None}


def test_no_room_for_a_new_folder_stops_an_update_before_it_changes_the_site(project, tmp_path, monkeypatch):
    out = tmp_path / "site"
    build(project, out, **OPTIONS)
    old = contents_of(out)
    change_content(project)  # the new claim needs the folder claims/snow-record/ in the site
    disk = Disk(monkeypatch, tmp_path)
    real_mkdir = os.mkdir

    def mkdir(path, mode=0o777, **options):
        if os.path.abspath(os.fspath(path)).startswith(str(out) + os.sep):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fspath(path))
        return real_mkdir(path, mode, **options)

    monkeypatch.setattr(os, "mkdir", mkdir)
    with pytest.raises(WriteError) as failure:
        build(project, out, **OPTIONS)
    assert "the disk is full" in failure.value.message
    assert failure.value.site == WriteError.UNCHANGED
    assert contents_of(out) == old
    assert not (tmp_path / ".site-journal.json").exists() and leftovers(tmp_path) == []
    assert disk.writes  # the pages were written, beside the site, before the folder was needed
    monkeypatch.setattr(os, "mkdir", real_mkdir)
    build(project, out, **OPTIONS)
    assert contents_of(out) == clean_build(project, tmp_path)


def test_a_claim_deleted_after_a_failed_cache_save_leaves_no_page_behind(project, tmp_path, monkeypatch, settled):
    out = tmp_path / "site"
    build(project, out, **OPTIONS)
    change_content(project)  # adds claims/snow-record
    real_save = write_module.write_atomically

    def save(path, data):
        if path.name == "documents.marshal":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real_save(path, data)

    monkeypatch.setattr("factsite.output.cache.write_atomically", save)
    with pytest.raises(OSError):
        build(project, out, **OPTIONS)
    assert (out / "claims/snow-record/index.html").is_file()  # the site was updated
    monkeypatch.undo()
    (project.content_dir / "claims/snow-record.md").unlink()
    with (project.content_dir / "withdrawn.yml").open("a") as records:  # which a published claim deleted needs
        records.write("  - {claim: snow-record, title: Snow, date: 2025-06-01, verdict: unproven, note: Withdrawn.}\n")
    build(project, out, **OPTIONS)
    assert contents_of(out) == clean_build(project, tmp_path)


# What the editor sees ------------------------------------------------------------------

def run_build_py(args: list[str], capsys) -> tuple[int, str]:
    """`python build.py ARGS`, in this process (so that the injected faults apply); exit code and stderr."""
    argv, collecting = sys.argv, gc.isenabled()
    sys.argv = [str(REPO / "build.py"), *args]
    try:
        with pytest.raises(SystemExit) as exit_:
            runpy.run_path(str(REPO / "build.py"), run_name="__main__")
    finally:
        # build.py runs the command line as a process of its own, which leaves the cycle
        # collector off; this process, the test run, goes on.
        sys.argv = argv
        if collecting:
            gc.enable()
    return exit_.value.code, capsys.readouterr().err


def run_factsite_build(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", *args])
    assert not isinstance(result.exception, OSError | WriteError), "an uncaught error"
    return result.exit_code, result.output


def assert_one_clear_error(output: str, *words: str) -> None:
    lines = output.strip().splitlines()
    assert "Traceback" not in output
    assert len(lines) == 2, output
    assert lines[0].startswith("error: ") and all(word in lines[0] for word in words), lines[0]
    assert lines[1].startswith("    hint: ") and lines[1].endswith("then build again"), lines[1]


@pytest.mark.parametrize("entry", ["factsite build", "python build.py"])
def test_full_disk_is_one_clear_error_from_the_command_line(project, tmp_path, monkeypatch, capsys, entry):
    out = tmp_path / "site"
    args = ["--content", str(project.content_dir), "--out", str(out), "--no-search", "--no-cards"]
    monkeypatch.chdir(REPO)
    build(project, out, **OPTIONS)
    old = contents_of(out)
    change_content(project)
    Disk(monkeypatch, tmp_path).room = 2000
    code, output = run_factsite_build(args) if entry == "factsite build" else run_build_py(args, capsys)
    assert code == 1
    assert_one_clear_error(output, f"cannot write the site into {out}: the disk is full.",
                           "The previous site is unchanged.")
    assert f"free some space on the disk that holds {tmp_path}" in output
    assert contents_of(out) == old


@pytest.mark.parametrize("code, cause, hint", [
    (errno.EACCES, "permission denied", "make {parent} writable for you, or choose another folder with --out"),
    (errno.EPERM, "permission denied", "make {parent} writable for you, or choose another folder with --out"),
    (errno.EROFS, "the disk is read-only", "choose a folder on a writable disk with --out"),
    (errno.EDQUOT, "your disk quota is used up", "free some of your space on the disk that holds {parent}"),
])
@pytest.mark.parametrize("entry", ["factsite build", "python build.py"])
@pytest.mark.parametrize("cache", ["incremental", "full"])
def test_unwritable_output_folder_is_one_clear_error(project, tmp_path, monkeypatch, capsys, code, cause, hint,
                                                     entry, cache):
    parent = tmp_path / "public"
    out = parent / "site"
    args = ["--content", str(project.content_dir), "--out", str(out), "--no-search", "--no-cards"]
    monkeypatch.chdir(REPO)
    build(project, out, **OPTIONS)
    old = contents_of(out)
    if cache == "full":
        shutil.rmtree(parent / ".factsite-cache")
    change_content(project)
    Disk(monkeypatch, parent, fail_with=code).folders_fail = True
    exit_code, output = run_factsite_build(args) if entry == "factsite build" else run_build_py(args, capsys)
    assert exit_code == 1
    assert_one_clear_error(output, f"cannot create a folder beside {out}: {cause}.", "The previous site is unchanged.")
    assert hint.format(parent=parent) in output
    assert contents_of(out) == old


@pytest.mark.parametrize("cards", [[], ["--no-cards"]], ids=["cards", "no cards"])
def test_a_cache_folder_that_cannot_be_made_is_one_clear_error(project, tmp_path, monkeypatch, cards):
    """The share cards, kept there too, are drawn all the same."""
    out = tmp_path / "site"
    monkeypatch.chdir(REPO)
    real_mkdir = os.mkdir

    def mkdir(path, mode=0o777, **options):
        if ".factsite-cache" in os.fspath(path):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fspath(path))
        return real_mkdir(path, mode, **options)

    monkeypatch.setattr(os, "mkdir", mkdir)
    code, output = run_factsite_build(["--content", str(project.content_dir), "--out", str(out), "--no-search",
                                       *cards])
    assert code == 1
    assert_one_clear_error(output, f"cannot use {tmp_path / '.factsite-cache'}: the disk is full")
    assert "previous site" not in output  # the site itself was written: no word about it
    assert (out / "card.png").is_file() and (out / "claims/budget-doubled/card.png").is_file() == (not cards)


# Real conditions ------------------------------------------------------------------------

def factsite_command() -> list[str]:
    found = shutil.which("factsite") or str(Path(sys.executable).parent / "factsite")
    return [found] if os.access(found, os.X_OK) else [sys.executable, "-m", "factsite"]


ENTRIES = {"factsite build": lambda: [*factsite_command(), "build"],
           "python build.py": lambda: [sys.executable, str(REPO / "build.py")]}


def run(entry: str, args: list[str], **options) -> subprocess.CompletedProcess:
    return subprocess.run([*ENTRIES[entry](), *args], cwd=REPO, capture_output=True, text=True, timeout=120,
                          **options)


def as_an_ordinary_user() -> list[str] | None:
    """A command prefix under which permissions bind (for root: without the power to override them,
    CAP_DAC_OVERRIDE); None where that cannot be had."""
    if not hasattr(os, "geteuid"):
        return None
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")  # util-linux
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"] if setpriv else None
    if prefix is None or subprocess.run([*prefix, "true"], capture_output=True).returncode != 0:
        return None
    return prefix


@pytest.mark.skipif(as_an_ordinary_user() is None,
                    reason="runs as root without setpriv: root may write into a read-only folder "
                           "(the injected EACCES above covers it)")
@pytest.mark.parametrize("entry, read_only, cache", [
    ("factsite build", "public", "incremental"),
    ("python build.py", "public", "full"),
    ("factsite build", "public/site", "full"),
    ("python build.py", "public/site", "incremental"),
    ("python build.py", "public/site/claims", "incremental"),
])
def test_read_only_folder_is_one_clear_error(project, tmp_path, entry, read_only, cache):
    parent = tmp_path / "public"
    out = parent / "site"
    args = ["--content", str(project.content_dir), "--out", str(out), "--no-search", "--no-cards"]
    assert run(entry, args).returncode == 0
    old = contents_of(out)
    if cache == "full":
        shutil.rmtree(parent / ".factsite-cache")
    change_content(project)  # changes a claim's page, and adds one in a new folder
    (tmp_path / read_only).chmod(0o555)
    try:
        result = subprocess.run([*as_an_ordinary_user(), *ENTRIES[entry](), *args], cwd=REPO, capture_output=True,
                                text=True, timeout=120)
    finally:
        (tmp_path / read_only).chmod(0o755)
    assert result.returncode == 1
    doing = f"cannot create a folder beside {out}" if read_only == "public" else f"cannot write the site into {out}"
    assert_one_clear_error(result.stderr, f"{doing}: permission denied.", "The previous site is unchanged.")
    assert f"make {tmp_path / read_only} writable for you" in result.stderr
    assert contents_of(out) == old
    assert leftovers(parent) == []
    assert run(entry, args).returncode == 0  # once it may be written again
    assert contents_of(out) == clean_build(project, tmp_path)


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux's /sys, where no one may make a folder")
@pytest.mark.parametrize("entry", sorted(ENTRIES))
def test_output_folder_where_no_one_may_write_is_one_clear_error(project, entry):
    out = Path("/sys/factsite-test/site")
    result = run(entry, ["--content", str(project.content_dir), "--out", str(out), "--no-search", "--no-cards"])
    assert result.returncode == 1
    assert_one_clear_error(result.stderr, f"cannot create a folder beside {out}: permission denied.")
    assert not out.parent.exists()


def file_size_limit(limit: int):
    def apply() -> None:  # in the child: a real write beyond ``limit`` bytes fails with EFBIG
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs RLIMIT_FSIZE")
@pytest.mark.parametrize("entry", sorted(ENTRIES))
@pytest.mark.parametrize("cache", ["incremental", "full"])
def test_a_real_write_failing_half_way_keeps_the_old_site(project, tmp_path, entry, cache):
    out = tmp_path / "site"
    args = ["--content", str(project.content_dir), "--out", str(out), "--no-search", "--no-cards"]
    assert run(entry, args).returncode == 0
    old = contents_of(out)
    if cache == "full":
        shutil.rmtree(tmp_path / ".factsite-cache")
    change_content(project)
    result = run(entry, args, preexec_fn=file_size_limit(4096))
    assert result.returncode == 1
    assert_one_clear_error(result.stderr, f"cannot write the site into {out}: a file is larger than",
                           "The previous site is unchanged.")
    assert contents_of(out) == old
    assert leftovers(tmp_path) == []
    assert run(entry, args).returncode == 0
    assert contents_of(out) == clean_build(project, tmp_path)
