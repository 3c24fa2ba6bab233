"""The preview server against a hostile web page, a hostile base_url and a crashing build.

`factsite serve` holds every draft. A web page the editor visits may try to read it through
DNS rebinding (its own name, resolving to 127.0.0.1, in the Host header) or through CORS; a
base_url may try to break out of the live-reload script or of the element that loads it; a
build may crash with any exception, which must never stop the preview from watching.
"""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import struct
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from factsite.engine import Project

from factsite.commands.build import build, check
from factsite.read.config import load_config
from factsite.errors import BuildFailed, Problems
from factsite.commands.preview_http import EVENTS, RELOAD_SCRIPT
from factsite.commands.serve import PreviewServer

from .conftest import FIXTURES, REPO
from .test_editor import wait_for
from .test_hostile_content import read_corpus

html5lib = pytest.importorskip("html5lib")

BASE_URLS = read_corpus("base_urls")


def test_corpus_covers_every_kind_of_hostile_base_url():
    urls = [p.text for p in BASE_URLS]
    for marker in ('"', "'", "<", ">", "`", "\\", " ", "\t", "\n", "\r", "\0", "\u2028", "\u202e", "@", "?", "#",
                   "javascript:", "data:", "/../", "/./", ":99999", "[", "%zz"):
        assert any(marker in url for url in urls), f"the corpus has no base URL with {marker!r}"
    assert any(len(url) > 2000 for url in urls)


# base_url in site.yml: a plain http(s) address, or an error on its line --------------------------

@pytest.fixture
def project(tmp_path) -> Project:
    shutil.copytree(FIXTURES / "basic" / "content", tmp_path / "content")
    return Project(tmp_path / "content", REPO / "templates", REPO / "static")


def set_base_url(project: Project, value: str) -> int:
    """Write ``value`` as site.yml's base_url (a YAML string in double quotes); returns its line."""
    path = project.content_dir / "site.yml"
    lines = path.read_text("utf-8").split("\n")
    number = next(n for n, line in enumerate(lines) if line.startswith("base_url:"))
    lines[number] = "base_url: " + json.dumps(value)
    path.write_text("\n".join(lines), "utf-8")
    return number + 1


@pytest.mark.parametrize("payload", BASE_URLS, ids=str)
def test_hostile_base_url_is_an_error_on_its_line(project, payload):
    line = set_base_url(project, payload.text)
    problems = Problems()
    load_config(project.content_dir, problems)
    errors = [e for e in problems.errors if e.path.name == "site.yml" and e.line == line]
    assert errors, f"{payload} was accepted as base_url"
    assert all(e.hint for e in errors)


@pytest.mark.parametrize("payload", BASE_URLS, ids=str)
def test_hostile_base_url_given_on_the_command_line_is_an_error(project, payload):
    problems = Problems()
    load_config(project.content_dir, problems, base_url=payload.text)
    assert [e for e in problems.errors if "(--base-url)" in e.message and e.hint], payload


SECTIONS = [p for p in BASE_URLS if p.line in {10, 12, 24, 34, 40, 44, 52, 56, 64, 73}]  # one or two of each kind


@pytest.mark.parametrize("payload", SECTIONS, ids=str)
def test_check_and_build_refuse_a_hostile_base_url_alike(project, tmp_path, payload):
    """Even when --base-url gives a good address, as the Pages workflow does."""
    line = set_base_url(project, payload.text)
    for run in (lambda: check(project), lambda: build(project, tmp_path / "site", base_url="https://example.org/",
                                                      cards=False, search=False)):
        with pytest.raises(BuildFailed) as failure:
            run()
        assert [e.line for e in failure.value.problems.errors if e.path.name == "site.yml"] == [line]
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("url", ["https://example.org/", "https://example.org", "https://owner.github.io/repo/",
                                 "http://localhost:8000/", "http://127.0.0.1:8000/a/b/", "https://[::1]:8000/",
                                 "https://xn--80aswg.xn--p1ai/", "https://checks.example.org/fact_check-2025/~x/",
                                 "https://example.org/%D1%84/", "HTTPS://Example.ORG/Repo/"])
def test_plain_base_urls_are_still_taken(project, url):
    set_base_url(project, url)
    problems = Problems()
    config = load_config(project.content_dir, problems)
    assert not problems.errors and config.base_url == (url if url.endswith("/") else url + "/")


# The preview, served --------------------------------------------------------------------------

@pytest.fixture
def server(project, monkeypatch):
    """A preview of the fixture site (base_url https://example.org/), served on a free port; not
    watching (the tests ask it to rebuild), but for the tests of the watcher."""
    monkeypatch.chdir(project.content_dir.parent)
    preview = PreviewServer(project, port=0, log=lambda text: None)
    preview.rebuild()
    preview.serve_in_background()
    assert not preview.preview.failed, preview.preview.problems
    yield preview
    preview.stop()


def request(server, path: str, host: str | None = "default", origin: str | None = "https://evil.example",
            read: bool = True) -> tuple[int, dict[str, str], bytes]:
    """GET ``path`` with the Host header ``host`` (None: no Host header), as a browser on ``origin`` would."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        if host is not None:
            connection.putheader("Host", f"127.0.0.1:{server.port}" if host == "default" else host)
        if origin:
            connection.putheader("Origin", origin)
        connection.endheaders()
        response = connection.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, headers, response.read() if read else b""
    finally:
        connection.close()


ALLOWED_HOSTS = ["127.0.0.1:{port}", "127.0.0.1", "localhost:{port}", "LOCALHOST:{port}", "localhost",
                 "localhost.:{port}", "[::1]:{port}", "[::1]"]
FOREIGN_HOSTS = ["example.org", "example.org:{port}", "evil.example", "evil.example:{port}", "127.0.0.1.evil.example:{port}",
                 "localhost.evil.example", "evil.localhost.example:{port}", "example.org.evil.example",
                 "127.0.0.2:{port}", "0.0.0.0:{port}", "2130706433:{port}", "[::ffff:127.0.0.1]:{port}",
                 "localhost:{port}@evil.example", "localhost:abc", "evil.example/127.0.0.1:{port}",
                 "127.0.0.1:{port} evil.example", "", None]
PATHS = ["/", "/claims/draft-claim/", "/claims.json", "/" + RELOAD_SCRIPT, "/no-such-page/", "/claims/draft-claim"]


@pytest.mark.parametrize("host", ALLOWED_HOSTS)
def test_preview_answers_at_loopback_names(server, host):
    status, headers, body = request(server, "/claims/draft-claim/", host.format(port=server.port))
    assert status == 200 and b"<h1" in body


@pytest.mark.parametrize("host", FOREIGN_HOSTS)
def test_preview_refuses_any_other_host_with_a_short_plain_403(server, host):
    """DNS rebinding: a page at evil.example, resolved to 127.0.0.1, reads drafts under its own name."""
    for path in PATHS + ["/" + EVENTS]:
        status, headers, body = request(server, path, None if host is None else host.format(port=server.port))
        assert status == 403, (host, path)
        assert headers["content-type"] == "text/plain; charset=utf-8"
        assert b"Forbidden" in body and len(body) < 200 and b"draft" not in body.lower()


def test_a_host_named_by_site_yml_is_refused_too(server, project):
    """content/site.yml is the contributors' to change: a pull request that sets base_url to a
    name of the attacker's, previewed by an editor, would let that name's page read the drafts."""
    settings = project.content_dir / "site.yml"
    text = settings.read_text("utf-8")
    settings.write_text(text.replace("https://example.org/", "https://rebind.evil.example/"), "utf-8")
    server.rebuild()
    assert not server.preview.failed
    for host in ("rebind.evil.example", f"rebind.evil.example:{server.port}", "example.org"):
        assert request(server, "/claims/draft-claim/", host)[0] == 403, host


def test_preview_sends_no_cors_header_ever(server, project):
    """Nothing may let another site's script read the preview (checked with an Origin on every request)."""
    answers = [request(server, path, host) for path in PATHS for host in ("default", "evil.example")]
    answers.append(request(server, "/" + EVENTS, read=False))  # the event stream stays open: its headers only
    claim = project.content_dir / "claims/rain-record.md"
    claim.write_text(claim.read_text().replace("verdict: unproven", "verdict: unprovne"))
    server.rebuild()
    answers.append(request(server, "/"))  # the error page
    assert {status for status, _, _ in answers} >= {200, 302, 403, 404, 500}
    for status, headers, _ in answers:
        assert not [name for name in headers if name.startswith("access-control-")], (status, headers)


def test_hostile_base_path_stays_a_string_in_the_reload_script_and_an_attribute_in_its_element(server):
    """site.yml refuses such a base_url, but the preview never builds markup or script by pasting it."""
    page = server.preview.files["index.html"]
    for payload in BASE_URLS:
        base = "/" + payload.text.lstrip("/") + "/"
        server.base_path = base
        status, _, script = request(server, quote(base + RELOAD_SCRIPT, safe="/"))
        assert status == 200, payload
        text = script.decode("utf-8")
        start = "(function(){var e=new EventSource("
        assert text.startswith(start), payload
        address, end = json.JSONDecoder().raw_decode(text, len(start))
        assert address == base + EVENTS and text[end:].startswith(");e.onmessage="), payload
        status, _, served = request(server, quote(base, safe="/"))
        assert status == 200, payload
        source = quote(base + RELOAD_SCRIPT, safe="/%")  # the address percent-encoded, as a URL is
        assert elements(served) == elements(page) + [("script", (("src", source),))], payload


def elements(html: bytes) -> list[tuple[str, tuple]]:
    """Every element of the page, as a browser parses it, with its attributes."""
    document = html5lib.parse(html, namespaceHTMLElements=False)
    return [(element.tag, tuple(sorted(element.attrib.items()))) for element in document.iter()
            if isinstance(element.tag, str)]


# A crash while rebuilding: shown, and the next save recovers ------------------------------------

CRASHES = {  # where, and what
    "reading the site": ("read_site", RuntimeError),
    "rendering a page": ("Renderer.render_job", KeyError),
    "deep recursion": ("read_site", RecursionError),
    "out of memory": ("read_site", MemoryError),
    "reading the claim saved": ("ClaimFile.read", ValueError),
}


def crash(monkeypatch, where: str, kind: type) -> None:
    from factsite import engine
    from factsite.read.claim_file import ClaimFile

    def crashing(*args, **kwargs):
        raise kind('<script>alert(1)</script> "boom" & more')

    owners = {"read_site": engine, "Renderer": engine.Renderer, "ClaimFile": ClaimFile}
    owner, _, name = where.rpartition(".")
    monkeypatch.setattr(owners[owner or where], name, crashing)


@pytest.mark.parametrize("name", CRASHES)
def test_a_crashing_rebuild_shows_the_error_and_the_next_save_recovers(server, project, monkeypatch, name):
    claim = project.content_dir / "claims/rain-record.md"
    with monkeypatch.context() as patched:
        crash(patched, *CRASHES[name])
        claim.write_text(claim.read_text().replace("title: Rain record", "title: Rain record, crashed"))
        server.rebuild()
        assert server.preview.failed
        status, _, page = request(server, "/claims/rain-record/")
        assert status == 500
        assert b"the preview crashed while rebuilding" in page and CRASHES[name][1].__name__.encode() in page
        assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page and b"<script>alert(1)" not in page
    claim.write_text(claim.read_text().replace("title: Rain record, crashed", "title: Rain record, fixed"))
    server.rebuild()
    assert not server.preview.failed
    status, _, page = request(server, "/claims/rain-record/")
    assert status == 200 and b"Rain record, fixed" in page


def saved_until(path: Path, text: str, predicate):
    """Save ``text`` into ``path`` until ``predicate()`` holds (the watcher may not be watching yet)."""
    def saved_and_seen():
        path.write_text(text)
        time.sleep(0.3)
        return predicate()
    return wait_for(saved_and_seen, timeout=20)


def test_a_crash_never_stops_the_watcher(server, project, monkeypatch):
    """Saved files are rebuilt by the watcher thread: a crash there must not end it."""
    threading.Thread(target=server.watch, daemon=True).start()
    claim = project.content_dir / "claims/rain-record.md"
    text = claim.read_text()
    with monkeypatch.context() as patched:
        crash(patched, "read_site", RuntimeError)
        crash(patched, "ClaimFile.read", RuntimeError)
        saved_until(claim, text.replace("title: Rain record", "title: Rain record, crashed"),
                    lambda: request(server, "/")[0] == 500)
    saved_until(claim, text.replace("title: Rain record", "title: Rain record, saved again"),
                lambda: b"Rain record, saved again" in request(server, "/claims/rain-record/")[2])
    assert not server.preview.failed


def test_a_browser_that_leaves_mid_request_prints_no_traceback(server, capfd):
    """A tab closed or reloaded while a page loads resets its connection: the editor's terminal
    shows the content's problems, not socketserver's traceback of a broken pipe."""
    for _ in range(5):
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as client:
            client.sendall(f"GET /claims/draft-claim/card.png HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n"
                           .encode())
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # closed with a reset
    assert request(server, "/claims/draft-claim/")[0] == 200  # still serving
    assert "Traceback" not in capfd.readouterr().err
