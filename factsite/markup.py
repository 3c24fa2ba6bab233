"""Markdown to safe HTML.

Editors may write raw HTML in Markdown; nh3 (the Rust ammonia sanitiser) cuts
it down to a small allow-list, so nothing executable reaches a page. Links
written from the site root ("/claims/x/") get the site's base path, so they
work under a GitHub Pages project path too.
"""

from __future__ import annotations

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "time", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title", "lang"},
    "a": {"href"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


class _BasePathLinks(Treeprocessor):
    """Prefixes root links with the base path, and notes every link as the editor wrote it."""

    def __init__(self, md, base_path: str):
        super().__init__(md)
        self.base_path = base_path
        self.links: list[str] = []

    def run(self, root):
        self.links = []
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value:
                    self.links.append(value)
                if value and value.startswith(("/\\", "\\")):
                    # Browsers read a backslash in a link as a slash: "/\host/" is another site's address.
                    value = value.replace("\\", "/")
                    element.set(attribute, value)
                if value and value.startswith("/") and not value.startswith("//"):
                    element.set(attribute, self.base_path + value[1:])


class _BasePathExtension(Extension):
    def __init__(self, base_path: str):
        super().__init__()
        self.base_path = base_path

    def extendMarkdown(self, md):
        self.processor = _BasePathLinks(md, self.base_path)
        md.treeprocessors.register(self.processor, "factsite_base_path", 1)


class MarkdownRenderer:
    """Converts Markdown to sanitised HTML; one instance is reused for every page."""

    def __init__(self, base_path: str = "/"):
        self._links = _BasePathExtension(base_path)
        self._md = markdown.Markdown(
            # No "smarty": it doubles the cost of every page; editors type the quotation marks they mean.
            extensions=["extra", "sane_lists", self._links],
            output_format="html",
        )

    def __call__(self, text: str) -> str:
        html = self._md.reset().convert(text)
        return sanitise(html)

    @property
    def last_links(self) -> list[str]:
        """The links of the last text converted, as its author wrote them."""
        return list(self._links.processor.links)


def sanitise(html: str) -> str:
    # h1 is the page's own title; an editor's "# Heading" becomes h2 via the
    # allow-list dropping h1 tags, so demote before sanitising.
    html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
    )
