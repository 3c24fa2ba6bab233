"""Decap CMS, offline end to end: decap-server (local_backend) on 127.0.0.1:8081 over a scratch
copy of repo/, /admin/ served on 127.0.0.1, headless Chromium fills the claim form, publishes,
and the files decap-server wrote are read back from disk and run through `factsite check`.

nice -n 10 /work/venv/bin/python e2e_decap.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

from harness import HERE, SHOTS, browser_page, csp_violations, factsite_check, static_server

WORK = HERE / "run-decap"  # a scratch copy of repo/, so every run starts clean
SLUG = "decap-end-to-end-claim"


def start_decap_server(repo: Path, mode: str = "fs") -> subprocess.Popen:
    env = {**os.environ, "GIT_REPO_DIRECTORY": str(repo), "MODE": mode, "BIND_HOST": "127.0.0.1", "PORT": "8081"}
    server = subprocess.Popen(["node", str(HERE / "node_modules/decap-server/dist/index.js")], env=env,
                              stdout=open(HERE / "decap-server.log", "w"), stderr=subprocess.STDOUT)
    for _ in range(50):
        try:
            urllib.request.urlopen("http://127.0.0.1:8081/api/v1", timeout=1)
        except urllib.error.HTTPError:
            return server  # it answers (GET is not an action it knows)
        except OSError:
            time.sleep(0.2)
    raise SystemExit("decap-server did not start")


def front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body


def create_claim(page, base: str) -> None:
    page.goto(base + "/admin/")
    page.get_by_role("button", name="Login").click()
    page.goto(base + "/admin/#/collections/claims/new")
    page.locator("#title-field-1").wait_for()
    page.fill("#title-field-1", "Decap end-to-end claim")
    page.fill("#claim-field-2", "No: the summit was held on 1 September.")
    page.fill("#claimant-field-3", "Yes")  # YAML 1.1 reads a plain yes as true
    page.click("#verdict-field-4")
    page.get_by_text("False", exact=True).click()
    page.fill("#summary-field-5", "It was held on 4 September 2025.")
    page.fill("#published-field-6", "2026-12-01")
    page.get_by_role("button", name="Add sources").first.click()
    page.locator("#source-field-20, [id^=source-field]").first.fill("post-news-26-nations")
    page.locator("[id^=quote-field]").first.fill("on")
    page.locator("[id^=note-field]").first.fill("1:30")  # YAML 1.1 reads 1:30 as the number 90
    page.locator("[id^=stance-field]").first.click()
    page.get_by_text("contradicts", exact=True).click()
    editors = page.locator("[data-slate-editor=true]")
    editors.nth(0).click()
    page.keyboard.type("The summit was on **4 September**.")
    page.fill("#title-field-10", "Тверження для перевірки Decap")
    page.fill("#claim-field-11", "Саміт відбувся 1 вересня.")
    page.fill("#summary-field-14", "Він відбувся 4 вересня 2025 року.")
    editors.nth(1).click()
    page.keyboard.type("Саміт відбувся **4 вересня**.")
    page.screenshot(path=str(SHOTS / "decap_form.png"), full_page=False)
    page.get_by_role("button", name="Toggle preview").click() if page.get_by_role(
        "button", name="Toggle preview").count() else None
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "decap_preview.png"), full_page=False)


def publish(page) -> None:
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now").click()
    page.wait_for_timeout(2000)


def main() -> int:
    shutil.rmtree(WORK, ignore_errors=True)
    shutil.copytree(HERE / "repo", WORK, symlinks=True)
    server = start_decap_server(WORK)
    failures = []
    try:
        with static_server(HERE / "www/decap") as base, browser_page() as (page, log):
            create_claim(page, base)
            publish(page)
            written = sorted(p.name for p in (WORK / "content/claims").glob(f"{SLUG}*"))
            print("files written:", written)
            for name in written:
                print(f"--- {name}\n" + (WORK / "content/claims" / name).read_text(encoding="utf-8"))
            # Round trip: open an existing claim, save it unchanged.
            original = (WORK / "content/claims/eram-missile-delivery.md").read_text(encoding="utf-8")
            page.goto(base + "/admin/#/collections/claims/entries/eram-missile-delivery")
            page.reload()
            page.get_by_text("Постачання ракет ERAM").or_(page.locator("[id^=title-field]")).first.wait_for()
            page.wait_for_timeout(2000)
            page.screenshot(path=str(SHOTS / "decap_existing.png"))
            titles = [e.input_value() for e in page.locator("[id^=title-field]").all()]
            print("existing claim eram-missile-delivery, title fields (en, uk):", titles)
            if not titles or not titles[0]:
                failures.append("an existing claim opens with an empty English side "
                                "(<slug>.md is not read as the default locale; Decap wants <slug>.en.md)")
            print("CSP violations:", csp_violations(log) or "none")
            print("console:", "\n".join(line for line in log if "locale entry" not in line)[:3000])
            print("'Could not locale entry' warnings:", sum("locale entry" in line for line in log))
    finally:
        server.terminate()
    code, report = factsite_check(WORK)
    print("factsite check:", code, "\n" + report)
    if not (WORK / f"content/claims/{SLUG}.md").is_file():
        failures.append(f"content/claims/{SLUG}.md not written (Decap wrote: "
                        f"{', '.join(sorted(p.name for p in (WORK / 'content/claims').glob(SLUG + '*')))})")
    if code:
        failures.append("factsite check failed")
    print("FAIL: " + "; ".join(failures) if failures else "PASS")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
