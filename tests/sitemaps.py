"""Reading a built site's sitemap: sitemap.xml is an index of its parts (sitemap-*.xml, beside it)."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_parts(site: Path) -> list[Path]:
    """The files of the parts the index lists, in its order (each at the site's root, as the index is)."""
    index = ElementTree.parse(site / "sitemap.xml").getroot()
    assert index.tag == NS + "sitemapindex"
    return [site / loc.text.rsplit("/", 1)[-1] for loc in index.iter(NS + "loc")]


def sitemap_entries(site: Path) -> list[ElementTree.Element]:
    """Every <url> element of every part."""
    return [entry for part in sitemap_parts(site) for entry in ElementTree.parse(part).getroot()]


def sitemap_locations(site: Path) -> list[str]:
    return [entry.find(NS + "loc").text for entry in sitemap_entries(site)]


def sitemap_text(site: Path) -> str:
    """The index and every part, as one text to search."""
    return "".join(path.read_text("utf-8") for path in [site / "sitemap.xml", *sitemap_parts(site)])
