"""Collecting every link of a built site, to check that each one resolves."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)
            if name == "content" and value and value.startswith("http"):
                self.links.append(value)


def page_links(path: Path) -> tuple[list[str], set[str]]:
    parser = _LinkParser()
    parser.feed(path.read_text("utf-8"))
    return parser.links, parser.ids


def all_links(site: Path) -> dict[Path, list[str]]:
    """Every URL named in every HTML, XML and JSON file of the site."""
    links: dict[Path, list[str]] = {}
    for path in sorted(site.rglob("*")):
        if path.suffix == ".html":
            links[path] = page_links(path)[0]
        elif path.suffix == ".xml":
            text = path.read_text("utf-8")
            links[path] = re.findall(r"<loc>([^<]+)</loc>", text) + re.findall(r'href="([^"]+)"', text)
        elif path.suffix == ".json":
            links[path] = re.findall(r'"(https?://[^"]+)"', json.dumps(json.loads(path.read_text("utf-8"))))
        elif path.name == "robots.txt":
            links[path] = re.findall(r"Sitemap: (\S+)", path.read_text("utf-8"))
    return links


def resolve(site: Path, url_path: str) -> Path | None:
    """The file a static server would send for ``url_path`` (relative to the site root)."""
    target = site / url_path.split("#")[0].split("?")[0]
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None
