"""Sveltia CMS, offline end to end, through its local repository workflow (the one editors get on
127.0.0.1/localhost): /admin/ served on 127.0.0.1; an init script makes window.showDirectoryPicker
return a folder of the origin private file system (OPFS), filled beforehand with a copy of
repo/content plus an empty .git folder (Sveltia only checks that .git exists). Headless Chromium
creates a claim and its Ukrainian translation through the form and saves; then the test opens an
existing claim and saves it unchanged. Every file in the OPFS folder is copied back to a scratch
copy of the repository on disk, where git shows what changed and `factsite check` must pass.

nice -n 10 /work/venv/bin/python e2e_sveltia.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from harness import HERE, SHOTS, browser_page, csp_violations, factsite_check, static_server

WORK = HERE / "run-sveltia"  # scratch copy of repo/ that receives what the CMS wrote
SLUG = "sveltia-end-to-end-claim"

PICKER = """
window.showDirectoryPicker = async () =>
  (await navigator.storage.getDirectory()).getDirectoryHandle('repo', {create: true});
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
      if (handle.kind === 'directory') await walk(handle, prefix + name + '/');
      else out[prefix + name] = await (await handle.getFile()).text();
    }
  };
  await walk(await (await navigator.storage.getDirectory()).getDirectoryHandle('repo'), '');
  return out;
}"""


def sync_back(page) -> None:
    """Copy the OPFS folder's files over the scratch repository (new and changed files)."""
    for path, text in page.evaluate(READ).items():
        if not path.startswith(".git/"):
            target = WORK / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                target.write_text(text, encoding="utf-8")


def field(page, label: str):
    return page.get_by_label(label, exact=True).first


def create_claim(page, base: str) -> None:
    page.goto(base + "/admin/#/collections/claims/new")
    field(page, "Title").wait_for()
    field(page, "Title").fill("Sveltia end-to-end claim")
    field(page, "Claim").fill("No: the summit was held on 1 September.")
    field(page, "Claimant").fill("Yes")  # YAML 1.1 (PyYAML) reads a plain yes as true
    field(page, "Verdict").click()
    page.get_by_role("option", name="False", exact=True).click()
    field(page, "Summary").fill("It was held on 4 September 2025.")
    field(page, "Published").fill("2026-12-01")
    page.get_by_role("button", name=re.compile(r"Add \W?Sources")).click()  # Sveltia isolates names: \u2068Sources\u2069
    field(page, "Source id").fill("post-news-26-nations")
    field(page, "Quote").fill("on")
    field(page, "Note").fill("1:30")  # YAML 1.1 reads a plain 1:30 as the number 90
    page.get_by_role("radio", name="contradicts", exact=True).click()  # a select of few options is radios
    body = page.locator("[contenteditable=true]").first
    body.click()
    page.keyboard.type("The summit was on **4 September**.")
    page.screenshot(path=str(SHOTS / "sveltia_form.png"))
    # The Ukrainian texts: switch the left pane to Ukrainian (only the i18n fields are shown).
    page.get_by_role("radio", name="Ukrainian").first.click()
    field(page, "Title").fill("Твердження для перевірки Sveltia")
    field(page, "Claim").fill("Саміт відбувся 1 вересня.")
    field(page, "Summary").fill("Він відбувся 4 вересня 2025 року.")
    page.locator("[contenteditable=true]").first.click()
    page.keyboard.type("Саміт відбувся 4 вересня.")
    page.get_by_role("radio", name="English").first.click()
    page.get_by_role("radio", name="Preview").first.click()
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "sveltia_preview.png"))
    page.get_by_role("button", name="Save", exact=True).click()
    wait_for_file(page, f"content/claims/{SLUG}.md")


def wait_for_file(page, path: str) -> None:
    """Wait until the CMS has written ``path`` into the OPFS folder."""
    try:
        page.wait_for_function("""async (path) => {
            let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('repo');
            const parts = path.split('/'); const name = parts.pop();
            try { for (const part of parts) dir = await dir.getDirectoryHandle(part);
                  await dir.getFileHandle(name); return true; } catch { return false; }
        }""", arg=path, polling=250, timeout=10000)
    except Exception:
        page.screenshot(path=str(SHOTS / "x_sveltia_save_failed.png"))
        print("not saved; the page says:", page.inner_text("body")[:1500])
        raise


def resave_unchanged(page, base: str, slug: str) -> None:
    """Open an existing claim and save it twice: the title changed, then the title restored. (Save
    is off while the form equals the file, so opening and leaving writes nothing.) The file must
    end with the meaning it had: fields the form does not show (topics, corrections...) kept."""
    page.goto(base + f"/admin/#/collections/claims/entries/{slug}")
    title = field(page, "Title")
    title.wait_for()
    page.screenshot(path=str(SHOTS / "sveltia_existing.png"))
    value = title.input_value()
    save = page.get_by_role("button", name="Save", exact=True)
    print(f"{slug}: Save enabled before any change: {save.is_enabled()}")
    for text in (value + " (edited)", value):
        page.goto(base + f"/admin/#/collections/claims/entries/{slug}")
        field(page, "Title").fill(text)
        save.click()
        page.wait_for_timeout(1500)


class _TextDates(yaml.SafeLoader):
    """factsite's reading: dates stay text (factsite/read/yaml_lines.py)."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def front_matter(text: str) -> dict:
    return yaml.load(text.split("---\n", 2)[1], Loader=_TextDates)


def main() -> int:
    shutil.rmtree(WORK, ignore_errors=True)
    shutil.copytree(HERE / "repo", WORK, symlinks=True)
    files = {str(p.relative_to(WORK)): p.read_text(encoding="utf-8")
             for p in (WORK / "content").rglob("*") if p.is_file()}
    failures = []
    with static_server(HERE / "www/sveltia") as base, browser_page(PICKER) as (page, log):
        page.goto(base + "/admin/")
        page.evaluate(FILL, files)
        page.get_by_role("button", name="Work with Local Repository").click()
        page.get_by_text("ERAM missile delivery").first.wait_for()
        page.screenshot(path=str(SHOTS / "sveltia_list.png"))
        try:
            create_claim(page, base)
        except Exception:
            page.screenshot(path=str(SHOTS / "x_sveltia_fail.png"))
            for b in page.get_by_role("button").all():
                print("button:", repr(b.inner_text()), b.get_attribute("aria-label"), b.is_enabled())
            print("\n".join(log[-30:]))
            raise
        sync_back(page)
        for slug in ("eram-missile-delivery", "germany-ruled-out-troops"):
            resave_unchanged(page, base, slug)
        sync_back(page)
        print("CSP violations:", "\n".join(csp_violations(log)) or "none")
        print("offline requests blocked:", "\n".join(line for line in log if "blocked-offline" in line) or "none")
        print("console errors:", "\n".join(line for line in log if "error" in line.split("]")[0]) or "none")
    status = subprocess.run(["git", "status", "--short"], cwd=WORK, capture_output=True, text=True).stdout
    print("git status:\n" + status)
    for name in sorted((WORK / "content/claims").glob(f"{SLUG}*")):
        print(f"--- {name.name}\n{name.read_text(encoding='utf-8')}")
    if not (WORK / f"content/claims/{SLUG}.md").is_file():
        failures.append(f"content/claims/{SLUG}.md not written")
    # Saved unchanged: the same values (meaning) as before, whatever the layout.
    for slug in ("eram-missile-delivery", "germany-ruled-out-troops"):
        for suffix in (".md", ".uk.md"):
            path = WORK / f"content/claims/{slug}{suffix}"
            before = subprocess.run(["git", "show", f"HEAD:content/claims/{slug}{suffix}"], cwd=WORK,
                                    capture_output=True, text=True).stdout
            after = path.read_text(encoding="utf-8")
            same_meaning = (front_matter(before) == front_matter(after)
                            and before.split("---\n", 2)[2].strip() == after.split("---\n", 2)[2].strip())
            print(f"{slug}{suffix}: bytes {'same' if before == after else 'changed'}, "
                  f"meaning {'same' if same_meaning else 'CHANGED'}")
            if not same_meaning:
                failures.append(f"{slug}{suffix} meaning changed")
    subprocess.run(["git", "--no-pager", "diff", "--stat"], cwd=WORK)
    code, report = factsite_check(WORK)
    print("factsite check:", code, "\n" + report)
    if code:
        failures.append("factsite check failed")
    print("FAIL: " + "; ".join(failures) if failures else "PASS")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
