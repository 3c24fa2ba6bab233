"""Shared pieces of the offline end-to-end trials: a static server on 127.0.0.1, a headless
Chromium that may reach nothing but 127.0.0.1, and the console log (CSP violations included)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import subprocess
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).parent
SHOTS = HERE / "shots"
CHROMIUM = "/usr/bin/chromium"


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".yml": "application/yaml", ".wasm": "application/wasm", ".js": "text/javascript",
                      ".mjs": "text/javascript"}

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def static_server(root: Path, port: int = 0):
    """Serve ``root`` on 127.0.0.1 (no headers besides the type: as GitHub Pages, no CSP header)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                            functools.partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def browser_page(init_script: str | None = None):
    """A page in headless Chromium; every request off 127.0.0.1 is aborted and logged."""
    log: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        if init_script:
            context.add_init_script(init_script)

        def offline(route):
            url = route.request.url
            if url.startswith(("http://127.0.0.1", "data:", "blob:")):
                route.continue_()
            else:
                log.append(f"[blocked-offline] {route.request.method} {url}")
                route.abort()

        context.route("**/*", offline)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.on("console", lambda m: log.append(f"[console.{m.type}] {m.text}"))
        page.on("pageerror", lambda e: log.append(f"[pageerror] {e}"))
        try:
            yield page, log
        finally:
            context.close()
            browser.close()


def csp_violations(log: list[str]) -> list[str]:
    return [line for line in log if "Content Security Policy" in line or "Content-Security-Policy" in line]


def factsite_check(repo: Path) -> tuple[int, str]:
    run = subprocess.run(["nice", "-n", "10", "/work/venv/bin/factsite", "check"], cwd=repo,
                         capture_output=True, text=True)
    return run.returncode, (run.stdout + run.stderr).strip()
