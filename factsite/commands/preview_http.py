"""The preview server's HTTP side: which requests it answers, and how.

The preview holds the drafts, so it answers only requests addressed to it by a loopback
name (127.0.0.1, localhost, [::1]): a web page the editor visits cannot read it through DNS
rebinding (a name of the attacker's that resolves to 127.0.0.1 arrives with that name in its
Host header), and gets a short 403. Not even the host of the base URL: site.yml is in
content/, which contributors change, and the preview's pages link to 127.0.0.1 anyway. It sends no CORS header, so
no other site's script may read its answers either. Every HTML page gets the live-reload
script, whose address is written as a JSON string and, in the element that loads it, an
escaped attribute, whatever the base path holds.
"""

from __future__ import annotations

import html
import json
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

if TYPE_CHECKING:
    from .serve import Preview, PreviewServer

EVENTS = "__factsite/events"
RELOAD_SCRIPT = "__factsite/reload.js"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript",
    ".svg": "image/svg+xml", ".png": "image/png", ".json": "application/json", ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8", ".ico": "image/x-icon", ".webmanifest": "application/manifest+json",
}
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def allowed_host(header: str | None) -> bool:
    """Whether a request's Host header names this preview: a loopback name, with or without a port."""
    if not header:
        return False
    host, port = header.strip().lower(), ""
    if ":" in host and not host.endswith("]"):
        host, port = host.rsplit(":", 1)
    if port and not (port.isascii() and port.isdigit()):
        return False
    return host.removesuffix(".") in LOOPBACK_HOSTS


def handler_for(server: PreviewServer):
    """The request handler of ``server``, which serves its latest preview."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - the quiet preview does not log requests
            pass

        def handle(self):
            try:
                super().handle()
            except ConnectionError:  # the browser left (a tab closed, a reload) before the answer arrived
                pass

        def do_GET(self):  # noqa: N802 - http.server's naming
            if not allowed_host(self.headers.get("Host")):
                return self.forbidden()
            path = unquote(urlsplit(self.path).path)
            base = server.base_path
            if path == base + EVENTS:
                return self.stream_events()
            if path == base + RELOAD_SCRIPT:
                return self.send(HTTPStatus.OK, ".js", reload_script(base).encode())
            if not path.startswith(base):
                return self.redirect(base) if path == "/" else self.not_found()
            preview = server.preview
            if preview.failed:
                return self.send(HTTPStatus.INTERNAL_SERVER_ERROR, ".html", error_page(preview, base))
            relative = path[len(base):]
            for candidate in (relative, relative + "index.html" if relative.endswith("/") or not relative
                              else relative + "/index.html"):
                if candidate in preview.files:
                    if candidate != relative and not relative.endswith("/") and relative:
                        return self.redirect(path + "/")
                    body = preview.files.get(candidate)
                    return self.not_found() if body is None else self.send(HTTPStatus.OK, candidate, body)
            return self.not_found()

        def forbidden(self):
            body = f"Forbidden: this preview answers only at {', '.join(LOOPBACK_HOSTS)}.\n".encode()
            self.send_response(HTTPStatus.FORBIDDEN)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def not_found(self):
            page = server.preview.files.get("404.html", b"<h1>Not found</h1>")
            self.send(HTTPStatus.NOT_FOUND, ".html", page)

        def redirect(self, location: str):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def send(self, status, name: str, body: bytes):
            suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ".html"
            if suffix == ".html":
                body = body.replace(b"</body>", reload_tag(server.base_path) + b"</body>", 1)
            self.send_response(status)
            self.send_header("Content-Type", CONTENT_TYPES.get(suffix, "application/octet-stream"))
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def stream_events(self):
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = server.preview.generation
            try:
                while not server.stopping.is_set():
                    with server.changed:
                        server.changed.wait(timeout=15)
                    generation = server.preview.generation
                    message = "reload" if generation != seen else "ping"
                    seen = generation
                    self.wfile.write(f"data: {message}\n\n".encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


def reload_tag(base_path: str) -> bytes:
    """The element each HTML page of the preview gets, which loads the live-reload script: its
    address percent-encoded (as a URL is), then escaped for the attribute, whatever it holds."""
    return f'<script src="{html.escape(quote(base_path + RELOAD_SCRIPT, safe="/%"), quote=True)}"></script>'.encode()


def reload_script(base_path: str) -> str:
    """The live-reload script; the address goes in as a JSON string (ASCII, so no line separator
    either), whatever it holds."""
    return (
        "(function(){var e=new EventSource(" + json.dumps(base_path + EVENTS) + ");"
        "e.onmessage=function(m){if(m.data==='reload'){location.reload();}};})();\n"
    )


def error_page(preview: Preview, base_path: str) -> bytes:
    items = "".join(
        f"<li><code>{html.escape(p.location())}</code> <strong>{html.escape(p.severity)}</strong>: "
        f"{html.escape(p.message)}" + (f"<br><em>hint: {html.escape(p.hint)}</em>" if p.hint else "") + "</li>"
        for p in preview.problems
    )
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title>"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>"
        "body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#1c1e21;color:#f5f6f8}"
        "main{max-width:50rem;margin:2rem auto;padding:0 1rem}h1{color:#ff8a80}li{margin:1rem 0}"
        "code{background:#33373d;padding:.1rem .3rem;border-radius:4px}em{color:#c4c9d0}</style></head>"
        f"<body><main><h1>The preview could not be built</h1><ol>{items}</ol>"
        "<p>Fix the file and save it: this page reloads by itself.</p></main></body></html>"
    ).encode()
