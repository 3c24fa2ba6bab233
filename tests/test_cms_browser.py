"""/admin/ end to end, in headless Chromium and offline: Sveltia CMS as the build serves it, on a
copy of the repository, saving through its local-repository workflow.

That workflow (the one editors get on 127.0.0.1, with `factsite serve`) asks the browser for a
folder with showDirectoryPicker, which nothing can answer headless: an init script makes it
return a folder of the origin's private file system (OPFS), filled beforehand with the copy's
content/ and an empty .git/ (all Sveltia looks for). After each save the test copies what the
CMS wrote back over the copy on disk, where `factsite check` and `factsite build` read it. Every
request off 127.0.0.1 is aborted. One page runs every test, in this file's order (the round
trip first, on the untouched claims); tests/test_cms.py checks the configuration itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factsite.errors import Problems
from factsite.read.claim_file import ClaimFile
from factsite.read.plain_values import plain_values
from factsite.read.translation_files import ClaimTranslationFile

from .conftest import REPO
from .serving import serve

PLAYWRIGHT = pytest.importorskip("playwright.sync_api")  # every test here runs the CMS in Chromium

PREFIX = "/some-repo/"
SHOTS = Path(os.environ.get("CMS_SHOTS", "/tmp/cms-shots"))
# What /admin/'s policy blocks, on purpose, in a run where nothing else is: the three
# @font-face rules Sveltia declares on cdn.jsdelivr.net beside its own copies (which load),
# and the GitHub status badge it asks githubstatus.com for.
BLOCKED_ON_PURPOSE = re.compile(r"font-src https://cdn\.jsdelivr\.net/fontsource/|connect-src https://www\.githubstatus\.com/")

PICKER = """
window.showDirectoryPicker = async () =>
  (await navigator.storage.getDirectory()).getDirectoryHandle('repo', {create: true});
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""
FILL = """async (files) => {
  const root = await (await navigator.storage.getDirectory()).getDirectoryHandle('repo', {create: true});
  await root.getDirectoryHandle('.git', {create: true});
  for (const [path, text] of Object.entries(files)) {
    let dir = root;
    const parts = path.split('/');
    const name = parts.pop();
    for (const part of parts) dir = await dir.getDirectoryHandle(part, {create: true});
    const writable = await (await dir.getFileHandle(name, {create: true})).createWritable();
    await writable.write(text);
    await writable.close();
  }
}"""
READ = """async () => {
  const out = {};
  const walk = async (dir, prefix) => {
    for await (const [name, handle] of dir.entries()) {
      if (handle.kind === 'directory') { if (name !== '.git') await walk(handle, prefix + name + '/'); }
      else out[prefix + name] = await (await handle.getFile()).text();
    }
  };
  await walk(await (await navigator.storage.getDirectory()).getDirectoryHandle('repo'), '');
  return out;
}"""
READ_ONE = """async (path) => {
  let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('repo');
  const parts = path.split('/'); const name = parts.pop();
  try { for (const part of parts) dir = await dir.getDirectoryHandle(part);
        return await (await (await dir.getFileHandle(name)).getFile()).text(); } catch { return null; }
}"""


class Editor:
    """The page with /admin/ open, the copy of the repository it saves into, and what it logged."""

    def __init__(self, page, base: str, repo: Path, out: Path, log: list[str]):
        self.page, self.base, self.repo, self.out, self.log = page, base, repo, out, log

    def open(self, hash_path: str) -> None:
        self.page.goto(self.base + "admin/#/" + hash_path)

    def field(self, label: str, nth: int = 0):
        """The form's field labelled ``label``. Sveltia renders a field once it is scrolled to,
        so the form is scrolled down until it is there."""
        return self.scrolled_to(self.page.get_by_label(label, exact=True), nth)

    def scrolled_to(self, found, nth: int = 0):
        for _ in range(40):
            if found.count() > nth:
                break
            self.page.mouse.move(300, 500)
            self.page.mouse.wheel(0, 400)
            self.page.wait_for_timeout(50)
        return found.nth(nth)

    def save(self, path: str, before: str | None) -> str:
        """Click Save and wait until the CMS has written ``path`` (relative to the repository)
        with other text than ``before``; its new text."""
        self.page.get_by_role("button", name="Save", exact=True).click()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            text = self.page.evaluate(READ_ONE, path)
            if text is not None and text != before:
                # Then Sveltia leads back to the list: wait for it, or it would leave the next entry opened.
                self.page.wait_for_url(re.compile(r".*#/collections/[a-z]+$"))
                return text
            self.page.wait_for_timeout(50)
        self.page.screenshot(path=str(SHOTS / "x_save_failed.png"))
        print("invalid:", self.page.evaluate("""() => [...document.querySelectorAll('[aria-invalid=true]')].map(
            e => (e.getAttribute('aria-label') || e.id || e.tagName) + ' ' + (e.closest('section') || e).textContent.slice(0, 120))"""))
        raise AssertionError(f"{path} was not saved; the page says: {self.page.inner_text('body')[:800]}")

    def sync_back(self) -> list[str]:
        """Copy what the CMS wrote over the repository's copy; the files that changed."""
        changed = []
        for path, text in self.page.evaluate(READ).items():
            target = self.repo / path
            if not target.is_file() or target.read_text("utf-8") != text:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, "utf-8")
                changed.append(path)
        return changed

    def factsite(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "factsite", *args], cwd=self.repo, capture_output=True,
                              text=True, env={**os.environ, "PYTHONPATH": str(REPO)})

    def violations(self) -> list[str]:
        return [v for v in self.page.evaluate("window.__violations") if not BLOCKED_ON_PURPOSE.match(v)]


def build(repo: Path, out: Path, base: str) -> None:
    subprocess.run([sys.executable, "-m", "factsite", "build", "--base-url", base, "--out", str(out),
                    "--repository", "example/factsite", "--no-cards", "--no-search"],
                   cwd=repo, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO)})


@pytest.fixture(scope="module")
def editor(browser, tmp_path_factory):
    repo = tmp_path_factory.mktemp("cms") / "repo"
    for folder in ("content", "templates", "static"):  # copies: check refuses linked folders
        shutil.copytree(REPO / folder, repo / folder)
    out = repo.parent / "site"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with serve(out, PREFIX) as port:
        base = f"http://127.0.0.1:{port}{PREFIX}"
        build(repo, out, base)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.add_init_script(PICKER)
        log: list[str] = []

        def offline(route):
            if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
                route.continue_()
            else:
                log.append("blocked offline: " + route.request.url)
                route.abort()

        context.route("**/*", offline)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.on("pageerror", lambda error: log.append(f"page error: {error}"))
        page.goto(base + "admin/")
        files = {p.relative_to(repo).as_posix(): p.read_text("utf-8")
                 for p in (repo / "content").rglob("*") if p.is_file()}
        page.evaluate(FILL, files)
        page.get_by_role("button", name="Work with Local Repository").click()
        page.get_by_text("ERAM missile delivery").first.wait_for()
        yield Editor(page, base, repo, out, log)
        context.close()


def test_admin_opens_every_claim_offline_under_its_own_policy(editor):
    assert editor.page.locator("text=ERAM missile delivery").count() >= 1
    assert editor.violations() == []
    assert [line for line in editor.log if line.startswith("page error")] == []


def what_factsite_reads(path: Path) -> tuple:
    """A claim's file (or its translation) as factsite reads it: its checked values and analysis."""
    kind = ClaimTranslationFile if path.name.count(".") == 2 else ClaimFile
    problems = Problems()
    file = kind.read(path, problems)
    assert file is not None and not problems.errors, (path, problems.errors)
    return plain_values(file.values, kind.FIELDS), file.body.strip()


def test_every_claim_saved_again_means_what_it_meant(editor):
    """Each claim opened, its title changed and saved (a few twice, so that Sveltia reads and
    writes again what it wrote): what factsite reads of the claim is what it read before but for
    the title, and of its translation exactly what it read, whatever the layout Sveltia writes."""
    claims = sorted(p for p in (editor.repo / "content/claims").glob("*.md") if p.name.count(".") == 1)
    before = {p: what_factsite_reads(p) for p in (editor.repo / "content/claims").glob("*.md")}
    added = {path: " (edited)" + " (again)" * (number < 3) for number, path in enumerate(claims)}
    started = time.monotonic()
    for path in claims + claims[:3]:
        editor.open(f"collections/claims/entries/{path.stem}")  # Save leads back to the list
        title = editor.field("Title")
        try:
            title.wait_for()
        except Exception:
            editor.page.screenshot(path=str(SHOTS / "x_open_failed.png"))
            print(path, editor.page.url, editor.page.inner_text("body")[:500])
            raise
        written = editor.page.evaluate(READ_ONE, f"content/claims/{path.name}")
        title.fill(title.input_value() + (" (again)" if " (edited)" in title.input_value() else " (edited)"))
        editor.save(f"content/claims/{path.name}", written)
    editor.sync_back()
    expected = {p: ({**values, "title": values["title"] + added[p]}, body) if p in added else (values, body)
                for p, (values, body) in before.items()}
    changed = {p.name for p, read in expected.items() if what_factsite_reads(p) != read}
    print(f"round trip of {len(claims)} claims: {time.monotonic() - started:.1f} s")
    assert changed == set()
    assert editor.factsite("check").returncode == 0


QUOTE = "Twenty-six nations have proposed to provide postwar security assurances to Ukraine"
SLUG = "cms-end-to-end-claim"


def pick(editor, label: str, option: str, nth: int = 0) -> None:
    """Choose ``option`` in a select or relation of many options (a combobox with a filter). The
    options are asked for again if they do not show: on a loaded machine, a click made while
    Sveltia still renders a new citation's fields can open nothing (seen once in CI)."""
    box = editor.scrolled_to(editor.page.get_by_role("combobox", name=label, exact=True), nth)
    wanted = editor.page.get_by_role("option", name=re.compile(re.escape(option))).first
    for _ in range(3):
        box.click()
        try:
            wanted.wait_for(timeout=5000)
            break
        except PLAYWRIGHT.TimeoutError:  # close whatever opened, and ask again
            editor.page.keyboard.press("Escape")
    wanted.click()


def test_a_claim_made_in_the_form_passes_check(editor):
    editor.open("collections/claims/new")
    editor.field("Title").fill("CMS end-to-end claim")
    editor.field("Claim").fill("Twenty-six nations proposed postwar security assurances.")
    editor.page.get_by_role("radio", name="paraphrase", exact=True).click()
    editor.field("Claimant").fill("Yes")  # YAML 1.1 would read a plain yes as true
    pick(editor, "Verdict", "Accurate")
    editor.field("Summary").fill("The Post News reports the proposal in these words.")
    editor.field("Published").fill("2026-12-01")
    add = editor.page.get_by_role("button", name=re.compile(r"Add \W?Citation\W?$")).last  # the one below the list
    for nth, (source, stance) in enumerate((("Twenty-six nations have proposed", "supports"),
                                           ("Fortress Europe", "context"))):
        add.click()
        pick(editor, "Source", source, nth)
        editor.page.get_by_role("radio", name=stance, exact=True).nth(nth).click()
    editor.field("Quote").fill(QUOTE)
    editor.field("Note", 1).fill("1:30")  # YAML 1.1 would read a plain 1:30 as the number 90
    editor.scrolled_to(editor.page.locator("[contenteditable=true]")).click()
    editor.page.keyboard.type("The report says **twenty-six**.")
    editor.page.screenshot(path=str(SHOTS / "claim_form.png"))
    written = editor.save(f"content/claims/{SLUG}.md", None)
    editor.sync_back()
    check = editor.factsite("check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert 'verdict: "accurate"' in written and 'claimant: "Yes"' in written and 'note: "1:30"' in written
    assert 'published: "2026-12-01"' in written


def test_an_edited_title_shows_on_the_built_site(editor):
    editor.open("collections/claims/entries/eram-missile-delivery")
    editor.field("Title").fill("ERAM missiles: approved, not delivered")
    editor.save("content/claims/eram-missile-delivery.md", (editor.repo / "content/claims/eram-missile-delivery.md")
                .read_text("utf-8"))
    editor.sync_back()
    build(editor.repo, editor.out, editor.base)
    page = (editor.out / "claims/eram-missile-delivery/index.html").read_text("utf-8")
    assert "ERAM missiles: approved, not delivered" in page


def test_a_quote_not_in_the_archived_copy_is_named_by_check(editor):
    editor.open(f"collections/claims/entries/{SLUG}")
    editor.field("Quote").fill("Thirty nations have proposed nothing at all")
    editor.save(f"content/claims/{SLUG}.md", (editor.repo / f"content/claims/{SLUG}.md").read_text("utf-8"))
    editor.sync_back()
    check = editor.factsite("check")
    assert check.returncode == 1
    assert re.search(rf'content/claims/{SLUG}\.md:\d+: error: the quote does not appear in the archived copy of '
                     r'"post-news-26-nations"', check.stdout + check.stderr), check.stdout + check.stderr


def test_the_preview_pane_wears_the_sites_stylesheet(editor):
    editor.open("collections/claims/entries/eram-missile-delivery")
    editor.field("Title").wait_for()
    frame = editor.page.locator("iframe.preview")
    frame.wait_for()
    sheets = editor.page.evaluate("""() => [...document.querySelector('iframe.preview').contentDocument
        .querySelectorAll('link[rel=stylesheet]')].map(link => [link.getAttribute('href'), !!link.sheet])""")
    assert [[re.sub(r"\?v=.*", "", href), loaded] for href, loaded in sheets] == [[editor.base + "site.css", True]]
    editor.page.screenshot(path=str(SHOTS / "claim_preview.png"))
    assert editor.violations() == []
    # Sveltia throws "Cannot convert undefined or null to object" twice in the steps above (not
    # when it loads, which the first test checks): shown, not failed on, until it is traced.
    print("\n".join(line for line in editor.log if line.startswith("page error")))
