"""Which meta Content-Security-Policy each CMS runs under: load /admin/ under policies from strict
to loose, open the new-claim form (Decap through decap-server, Sveltia through the OPFS local
repository route of e2e_sveltia.py) and record the CSP violations and whether the form came up.

nice -n 10 /work/venv/bin/python csp_probe.py
"""

from __future__ import annotations

import re
import shutil

from e2e_decap import WORK as DECAP_WORK, start_decap_server
from e2e_sveltia import FILL, PICKER
from harness import HERE, browser_page, csp_violations, static_server

BASE = "default-src 'none'; base-uri 'none'; form-action 'none'; "
POLICIES = {
    "sveltia": [
        BASE + "script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'",
        BASE + "script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; font-src 'self'; connect-src 'self'",
        BASE + "script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; "
               "connect-src 'self' blob: data:; worker-src 'self' blob:",
    ],
    "decap": [
        BASE + "script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self' http://127.0.0.1:8081",
        BASE + "script-src 'self' 'unsafe-eval'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self' http://127.0.0.1:8081",
        BASE + "script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self' http://127.0.0.1:8081",
        BASE + "script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; "
               "connect-src 'self' http://127.0.0.1:8081",
    ],
}


def page_with(cms: str, number: int, policy: str) -> str:
    admin = HERE / "www" / cms / "admin"
    html = (admin / "index.html").read_text(encoding="utf-8")
    html = re.sub(r'(http-equiv="Content-Security-Policy" content=")[^"]*', lambda m: m.group(1) + policy, html)
    name = f"probe{number}.html"
    (admin / name).write_text(html, encoding="utf-8")
    return name


def probe_sveltia(base: str, name: str, files: dict) -> tuple[bool, list[str]]:
    with browser_page(PICKER) as (page, log):
        page.goto(f"{base}/admin/{name}")
        page.evaluate(FILL, files)
        try:
            page.get_by_role("button", name="Work with Local Repository").click(timeout=8000)
            page.goto(f"{base}/admin/{name}#/collections/claims/new")
            page.get_by_label("Title", exact=True).first.wait_for(timeout=8000)
            works = True
        except Exception:
            works = False
        page.wait_for_timeout(1000)
        return works, csp_violations(log)


def probe_decap(base: str, name: str) -> tuple[bool, list[str]]:
    with browser_page() as (page, log):
        page.goto(f"{base}/admin/{name}")
        try:
            page.get_by_role("button", name="Login").click(timeout=8000)
            page.goto(f"{base}/admin/{name}#/collections/claims/new")
            page.locator("#title-field-1").wait_for(timeout=8000)
            page.locator("[data-slate-editor=true]").first.wait_for(timeout=8000)
            works = True
        except Exception:
            works = False
        page.wait_for_timeout(1000)
        return works, csp_violations(log)


def main() -> None:
    files = {str(p.relative_to(HERE / "repo")): p.read_text(encoding="utf-8")
             for p in (HERE / "repo/content").rglob("*") if p.is_file()}
    shutil.rmtree(DECAP_WORK, ignore_errors=True)
    shutil.copytree(HERE / "repo", DECAP_WORK, symlinks=True)
    server = start_decap_server(DECAP_WORK)
    try:
        for cms, policies in POLICIES.items():
            with static_server(HERE / "www" / cms) as base:
                for number, policy in enumerate(policies, 1):
                    name = page_with(cms, number, policy)
                    works, violations = (probe_sveltia(base, name, files) if cms == "sveltia"
                                         else probe_decap(base, name))
                    print(f"\n== {cms} #{number}: form {'WORKS' if works else 'BROKEN'}\n   {policy}")
                    for line in sorted(set(re.sub(r"\s+", " ", v)[:260] for v in violations)):
                        print("   -", line)
                    (HERE / "www" / cms / "admin" / name).unlink()
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
