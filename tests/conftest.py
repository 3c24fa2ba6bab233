"""Shared fixtures: a small fixture site copied into a temporary folder for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factsite.engine import Project
from factsite.runtime import available_cores

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_make_parametrize_id(config, val, argname):
    """A long parameter gets a short id. pytest puts the id in PYTEST_CURRENT_TEST, which every
    program a test starts inherits, and Linux refuses to start one whose environment holds a
    string over 128 KiB (E2BIG, "Argument list too long"); some pytest releases keep ids whole."""
    if isinstance(val, (str, bytes)) and len(val) > 60:
        start = val[:24] if isinstance(val, bytes) else val[:24].encode("unicode_escape")
        return f"{start.decode('ascii', 'backslashreplace')}...{len(val)}-chars"  # escaped, as pytest's own ids
    return None


def pytest_unconfigure(config):
    """Name the failed tests after pytest's last line too: CI reports only the end of the output."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    reports = reporter.stats.get("failed", []) + reporter.stats.get("error", [])
    failed = list(dict.fromkeys(report.nodeid for report in reports if getattr(report, "nodeid", None)))
    if failed:
        more = f" and {len(failed) - 6} more" if len(failed) > 6 else ""
        reporter.write_line("failed: " + ", ".join(node[:120] for node in failed[:6]) + more)


def pytest_xdist_auto_num_workers(config):
    """`-n auto`: a worker per core, but no more than four: each may start Chromium and builds
    that use every core themselves."""
    return min(4, available_cores())


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The `basic` fixture's content in a temporary folder, with the repository's theme."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    return Project(content, REPO / "templates", REPO / "static")


def with_ukrainian(project: Project) -> Project:
    """The fixture site with its Ukrainian edition (tests/fixtures/ukrainian): site.yml's languages
    and translations of a claim, a page and a source, the other claim left untranslated."""
    overlay = FIXTURES / "ukrainian"
    settings = project.content_dir / "site.yml"
    settings.write_text(settings.read_text("utf-8") + (overlay / "languages.yml").read_text("utf-8"), "utf-8")
    for path in overlay.rglob("*.uk.*"):
        write(project.content_dir / path.relative_to(overlay), path.read_text("utf-8"))
    return project


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def contents_of(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder``, by its path relative to it: what a build produced."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


CHROMIUM = Path("/usr/bin/chromium")  # Debian's; never a browser downloaded by Playwright
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run: Playwright's sync API allows one session at a time."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from .tools import require

    require(CHROMIUM.is_file() or None, "Chromium", "apt-get install chromium")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def copies_of_budget_doubled(content: Path, count: int) -> list[Path]:
    """``count`` more claims like the fixture's budget-doubled, numbered in their titles, claims
    and correction notes: each cites the city paper (made there, with a text copy) and the
    council's data, and has a correction, so long source pages and a long corrections log.
    (Numbered claims: the same words from the same source would be one claim checked twice.)"""
    text = (content / "claims/budget-doubled.md").read_text("utf-8").replace("aliases: [spending-doubled]\n", "")
    return [write(content / f"claims/budget-{number:02d}.md",
                  text.replace("title: Budget doubled", f"title: Budget doubled {number}")
                  .replace("since 2020.", f"since 2020 ({number}).")
                  .replace("as 11 million.", f"as 11 million ({number}).")) for number in range(count)]


@pytest.fixture
def settled(monkeypatch):
    """Files written a moment ago count as settled, as files do on an editor's machine."""
    settle(monkeypatch)


def settle(monkeypatch) -> None:
    """What the settled fixture does, for a test that settles files for some builds only."""
    from factsite.read.filecache import DocumentCache

    monkeypatch.setattr(DocumentCache, "RACY_NS", 0)


def files_read(monkeypatch) -> list[str]:
    """The names of the content files read from now on (the list fills as builds read them)."""
    from factsite.read.claim_file import ClaimFile
    from factsite.read.sources import SourceFile

    read = []
    for kind in (ClaimFile, SourceFile):
        real = kind.read.__func__
        monkeypatch.setattr(kind, "read", classmethod(
            lambda cls, path, problems, real=real: (read.append(path.name), real(cls, path, problems))[1]))
    return read


def old_addresses(content: Path) -> set[str]:
    """The site paths ("claims/<old-name>/") of every page at an old address: each claim's
    aliases and each withdrawn record's, read from the content files without the engine."""
    import yaml

    found = set()
    for path in (content / "claims").rglob("*.md"):
        fields = yaml.safe_load(path.read_text("utf-8").split("---", 2)[1]) or {}
        found.update(fields.get("aliases") or [])
    withdrawn = content / "withdrawn.yml"
    if withdrawn.is_file():
        for record in (yaml.safe_load(withdrawn.read_text("utf-8")) or {}).get("withdrawn") or []:
            found.update(record.get("aliases") or [])
    return {f"claims/{name}/" for name in found}
