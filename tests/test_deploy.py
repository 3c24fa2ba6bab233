"""The deploy, proven without GitHub: the real content, built for a project subpath and
served there the way GitHub Pages serves a project site, crawled by linkchecker.

GitHub Pages publishes a project at https://owner.github.io/<repo>/: every page, asset,
feed entry and sitemap entry must carry /<repo>/, and the 404 page is sent for any
missing address at any depth. Here the site is built for http://127.0.0.1:PORT/some-repo/
and served by a small server that knows nothing but that folder under /some-repo/ (and
answers every miss, anywhere, with the site's 404.html and status 404). A link that
forgets the subpath therefore breaks here exactly as it would on GitHub Pages.

linkchecker checks internal URLs only: anything that does not start with the local
server's address is checked for its syntax and never fetched, so the test needs no network.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urljoin
from urllib.request import urlopen

import pytest

from .conftest import old_addresses
from .sitemaps import sitemap_locations
from .tools import REPO, find_command, require

SUBPATH = "/some-repo/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class ProjectPagesHandler(SimpleHTTPRequestHandler):
    """Serves one folder under SUBPATH, as GitHub Pages serves a project site.

    ``/some-repo/claims/x/`` sends ``claims/x/index.html``; ``/some-repo/claims/x`` redirects
    to the address with the slash; anything else, outside the subpath or missing inside it,
    gets status 404 with the body of the site's 404.html. Folders are never listed.
    """

    def send_head(self):
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if not (path.startswith(SUBPATH) or path == SUBPATH.rstrip("/")):
            self.send_error(404)
            return None
        return super().send_head()

    def translate_path(self, path):
        return super().translate_path("/" + path[len(SUBPATH):])

    def list_directory(self, path):
        self.send_error(404)
        return None

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self):
        # This header tells linkchecker that the server welcomes a fast crawl; without it
        # linkchecker keeps to about three requests a second to any one host.
        self.send_header("LinkChecker", "local test server")
        super().end_headers()

    def log_message(self, format, *args):
        pass


@dataclass
class Crawl:
    base: str  # http://127.0.0.1:PORT/some-repo/
    site: Path  # the built folder
    rows: list[dict]  # one per URL linkchecker checked (its CSV output)
    status: int  # linkchecker's exit status
    stderr: str

    @property
    def checked(self) -> set[str]:
        """Every URL under the base that linkchecker fetched and found working. Without the part
        after #: linkchecker fetches a page once, and logs it by the first link that led to it,
        which may name an anchor (/claims/x/#corrections), whichever order its threads take."""
        return {row["url"].partition("#")[0] for row in self.rows
                if row["url"].startswith(self.base) and row["valid"] == "True"}

    def url_of(self, path: Path) -> str:
        """The address a file of the built site is served at."""
        relative = path.relative_to(self.site).as_posix()
        return self.base + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def world_readable_folder() -> Path:
    """A new temporary folder that any user may read.

    linkchecker, when run as root (as CI runs), drops its privileges and carries on as the
    user `nobody`, in this folder, beside its configuration and the site. pytest's own
    tmp_path sits in a folder only its owner may enter, so it is not used here.
    """
    folder = Path(tempfile.mkdtemp(prefix="factsite-deploy-"))
    folder.chmod(0o755)
    return folder


def build(base_url: str, out: Path, content: Path | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "build.py", "--base-url", base_url, "--out", str(out)]
    if content:
        command += ["--content", str(content)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"the build failed:\n{result.stdout}{result.stderr}"
    return result


def linkchecker_rows(output: str) -> list[dict]:
    """linkchecker's CSV output (`-o csv`) without its comment lines."""
    lines = [line for line in output.splitlines(keepends=True) if not line.startswith("# ")]
    return list(csv.DictReader(io.StringIO("".join(lines)), delimiter=";"))


@pytest.fixture(scope="module")
def crawl():
    linkchecker = require(find_command("linkchecker"), "linkchecker", "python -m pip install -e '.[test]'")
    folder = world_readable_folder()
    # Take a free port first: the site must be built for the address it is served at.
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(ProjectPagesHandler, directory=str(folder / "site")))
    port = server.server_address[1]
    base = f"http://127.0.0.1:{port}{SUBPATH}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    try:
        build(base, folder / "site")
        thread.start()
        config = folder / "linkcheckerrc"
        config.write_text(
            "[checking]\n"
            # The server above asks for no politeness (its LinkChecker header).
            "maxrequestspersecond=1000\n"
            "[filtering]\n"
            # The whole local server is internal, not only the subpath: a link that loses
            # /some-repo/ is then fetched, gets the 404, and counts as broken.
            f"internlinks=^http://127\\.0\\.0\\.1:{port}/\n",
            "utf-8")
        config.chmod(0o644)
        result = subprocess.run(
            [linkchecker, "--config", str(config), "--verbose", "--output", "csv/utf-8", "--no-status",
             # Anything not on the local server is only checked for its syntax: no network.
             "--ignore-url", f"^(?!http://127\\.0\\.0\\.1:{port}/)",
             "--timeout", "30",
             # The home page, plus what no page links to: the 404 page and the sitemap.
             base, base + "404.html", base + "sitemap.xml"],
            cwd=folder, capture_output=True, text=True, encoding="utf-8", timeout=600,
        )
        yield Crawl(base, folder / "site", linkchecker_rows(result.stdout), result.returncode, result.stderr)
    finally:
        if thread.is_alive():
            server.shutdown()
        server.server_close()
        shutil.rmtree(folder, ignore_errors=True)


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except HTTPError as error:
        return error.code, error.read()


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, rel, url)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append((tag, attrs.get("rel") or "", attrs[name]))


def html_links(html: str) -> list[tuple[str, str, str]]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def test_linkchecker_finds_no_broken_link(crawl):
    assert crawl.rows, f"linkchecker reported nothing:\n{crawl.stderr}"
    broken = [f"{row['url']} ({row['result']}), linked from {row['parentname'] or 'the start'}"
              for row in crawl.rows if row["valid"] != "True"]
    assert not broken, "broken links:\n" + "\n".join(broken)
    assert crawl.status == 0, f"linkchecker exited with {crawl.status}:\n{crawl.stderr}"
    origin = crawl.base[: -len(SUBPATH) + 1]
    escaped = [row["url"] for row in crawl.rows if row["url"].startswith(origin) and not row["url"].startswith(crawl.base)]
    assert not escaped, f"links that leave {SUBPATH}:\n" + "\n".join(escaped)


def test_crawl_reaches_every_page(crawl):
    # Not the pages at old addresses, which no page links to (tests/test_addresses.py follows them).
    old = {crawl.site / edition / path / "index.html" for path in old_addresses(REPO / "content")
           for edition in ("", "uk")}
    assert all(page.is_file() for page in old)
    pages = sorted(set(crawl.site.rglob("*.html")) - old)
    assert len(crawl.checked) > len(pages), "the crawl checked fewer URLs than the site has pages"
    unreached = [crawl.url_of(page) for page in pages if crawl.url_of(page) not in crawl.checked]
    assert not unreached, "pages the crawl never reached:\n" + "\n".join(unreached)


def test_crawl_reaches_the_404_page_assets_feed_sitemap_and_data(crawl):
    not_found = (crawl.site / "404.html").read_text("utf-8")
    stylesheets = [urljoin(crawl.base + "404.html", url) for tag, rel, url in html_links(not_found)
                   if tag == "link" and "stylesheet" in rel]
    assert stylesheets, "the 404 page has no stylesheet"
    for url in stylesheets + [crawl.base + name for name in ("feed.xml", "sitemap.xml", "claims.json")]:
        assert url in crawl.checked, f"the crawl never reached {url}"

    # linkchecker reads sitemaps: every address in sitemap.xml was fetched and worked.
    locations = sitemap_locations(crawl.site)
    assert len(locations) > 10
    missing = [url for url in locations if url not in crawl.checked]
    assert not missing, "sitemap entries the crawl did not check:\n" + "\n".join(missing)


def urls_in_json(value) -> list[str]:
    if isinstance(value, dict):
        return [url for item in value.values() for url in urls_in_json(item)]
    if isinstance(value, list):
        return [url for item in value for url in urls_in_json(item)]
    return [value] if isinstance(value, str) and value.startswith(("http://", "https://")) else []


def test_every_address_in_the_feed_and_the_data_file_works(crawl):
    """linkchecker does not read Atom feeds or JSON, so their addresses are fetched here."""
    feed = ElementTree.parse(crawl.site / "feed.xml").getroot()
    feed_urls = [link.get("href") for link in feed.iter(ATOM + "link")]
    feed_urls += [element.text for element in feed.iter(ATOM + "id")]
    data_urls = urls_in_json(json.loads((crawl.site / "claims.json").read_text("utf-8")))
    origin = crawl.base[: -len(SUBPATH) + 1]
    for name, urls in (("feed.xml", feed_urls), ("claims.json", data_urls)):
        local = sorted({url for url in urls if url.startswith(origin)})
        assert len(local) > 10, f"{name} names only {len(local)} addresses of the site"
        for url in local:
            assert url.startswith(crawl.base), f"{name}: {url} leaves {SUBPATH}"
            status, _ = fetch(url)
            assert status == 200, f"{name}: {url} answered {status}"


def test_a_missing_address_at_any_depth_gets_a_working_404_page(crawl):
    """GitHub Pages sends 404.html for every missing address, so its links must not be relative."""
    missing = crawl.base + "no/such/claim/"
    status, body = fetch(missing)
    assert status == 404
    assert body == (crawl.site / "404.html").read_bytes()
    links = [urljoin(missing, url) for _, _, url in html_links(body.decode("utf-8"))
             if not url.startswith("#")]  # a jump within the page itself
    local = [url for url in links if url.startswith(crawl.base)]
    assert len(local) > 5
    for url in local:
        status, _ = fetch(url)
        assert status == 200, f"the 404 page, shown at {missing}, links to {url}, which answered {status}"


def test_nothing_in_the_site_is_left_out_of_the_pages_artifact(crawl):
    """actions/upload-pages-artifact@v4 leaves out files and folders whose names start with a dot."""
    hidden = [path.relative_to(crawl.site).as_posix() for path in crawl.site.rglob(".*")]
    assert not hidden, f"upload-pages-artifact would leave out: {hidden}"


@pytest.mark.parametrize("base_url, custom_domain, root", [
    ("https://owner.github.io/repo", None, "/repo/"),
    ("https://checks.example.org", "checks.example.org", "/"),
])
def test_the_address_configure_pages_gives_builds_the_site(tmp_path, base_url, custom_domain, root):
    """configure-pages' base_url has no final slash, with a project subpath or a custom domain."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    if custom_domain:
        with (content / "site.yml").open("a", encoding="utf-8") as settings:
            settings.write(f"\ncustom_domain: {custom_domain}\n")
    out = tmp_path / "site"
    build(base_url, out, content)

    links = html_links((out / "index.html").read_text("utf-8"))
    assert [url for tag, rel, url in links if tag == "link" and rel == "canonical"] == [base_url + "/"]
    stylesheets = [url for tag, rel, url in links if tag == "link" and "stylesheet" in rel]
    assert stylesheets and all(url.startswith(root + "site.css") for url in stylesheets)
    assert base_url + "/" in sitemap_locations(out)
    if custom_domain:
        assert (out / "CNAME").read_text("ascii") == custom_domain + "\n"
    assert not list(out.rglob(".*")), "upload-pages-artifact@v4 would leave out these files"
