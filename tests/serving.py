"""A static server for a built site under a project subpath, like GitHub Pages serves it."""

from __future__ import annotations

import contextlib
import os
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _SubpathHandler(SimpleHTTPRequestHandler):
    prefix = "/"
    sizes: list[int] | None = None  # the size of each file sent, when a caller counts them

    def log_message(self, format, *args):  # noqa: A002
        pass

    def send_head(self):
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(self.prefix):
            return self.missing()
        self.path = "/" + self.path[len(self.prefix):]
        target = Path(self.translate_path(self.path))
        if target.is_dir() and not (target / "index.html").is_file() or not target.exists():
            return self.missing()
        body = super().send_head()
        if self.sizes is not None and hasattr(body, "fileno"):
            self.sizes.append(os.fstat(body.fileno()).st_size)
        return body

    def missing(self):
        # GitHub Pages answers any unknown address with the site's 404.html and status 404.
        page = Path(self.directory) / "404.html"
        body = page.read_bytes() if page.is_file() else b"not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


@contextlib.contextmanager
def serve(folder: Path, prefix: str = "/", sizes: list[int] | None = None):
    """Serve ``folder`` at http://127.0.0.1:<free port><prefix>; yields the port.
    ``sizes``, if given, gets the size of each file sent (404 pages left out)."""
    handler = type("Handler", (_SubpathHandler,), {"prefix": prefix, "sizes": sizes})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def every_result(page, base: str, term: str) -> set[str]:
    """Every result the site's search page gives for ``term``, every page of them (Playwright)."""
    page.goto(base + "search/")
    page.fill("#search-input", term)
    page.wait_for_function("() => document.getElementById('search-status').textContent.includes('found')")
    while page.is_visible("#search-more"):
        shown = page.locator("#search-results a").count()
        page.click("#search-more")
        page.wait_for_function("""n => {  // shown, and the status counts them: the click's work is done
            const count = document.querySelectorAll('#search-results a').length;
            return count > n && document.getElementById('search-status').textContent.startsWith(count + "");
        }""", arg=shown)
    return set(page.eval_on_selector_all("#search-results a", "els => els.map(e => e.href)"))
