"""Markdown to safe HTML.

Editors may write raw HTML in Markdown; nh3 (the Rust ammonia sanitiser) cuts
it down to a small allow-list, so nothing executable reaches a page. Links
written from the site root ("/claims/x/") get the site's base path, so they
work under a GitHub Pages project path too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

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

    def __init__(self, md, base_path: str, site_path: Callable[[str], str]):
        super().__init__(md)
        self.base_path = base_path
        self.site_path = site_path
        self.links: list[str] = []
        self.checked: list[str] = []  # each link as the link check sees it: where it leads from the site's root

    def run(self, root):
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
                    value = "/" + self.site_path(value[1:])
                    element.set(attribute, self.base_path + value[1:])
                if value:
                    self.checked.append(value)


class _BasePathExtension(Extension):
    def __init__(self, base_path: str, site_path: Callable[[str], str]):
        super().__init__()
        self.base_path = base_path
        self.site_path = site_path

    def extendMarkdown(self, md):
        self.processor = _BasePathLinks(md, self.base_path, self.site_path)
        md.treeprocessors.register(self.processor, "factsite_base_path", 1)
        md.registerExtension(self)  # so that md.reset() calls reset()

    def reset(self):
        # Here, not when the tree is walked: a blank text is not parsed, and would keep the last text's links.
        self.processor.links, self.processor.checked = [], []


# Python-Markdown's "extra" extensions (in its order), each with a test for what a text must
# hold for the extension to change anything. A text without it converts to the same HTML with
# the extension left out, and quicker: each extension tests every block or element of every
# text, which made "extra" a third of the time of converting a text that uses none of it.
EXTRA = {
    "fenced_code": lambda text: "```" in text or "~~~" in text,
    "footnotes": lambda text: "[^" in text,
    "attr_list": lambda text: "{" in text,
    # "Term" then ": definition", also inside quotes and lists: a colon before any letter on its line.
    # (Python-Markdown reads a lone carriage return as a line break too. A pattern that starts
    # with a newline, rather than "^", lets the regex engine skip to the newlines: 25 times quicker.)
    "def_list": lambda text, _line=re.compile(r"\n[^A-Za-z\n]*:").search: (
        _line("\n" + text.replace("\r", "\n")) is not None),
    "tables": lambda text: "|" in text,
    "abbr": lambda text: "*[" in text,
    "md_in_html": lambda text: "<" in text,  # and raw HTML can hold any of the others: all of them
}


# Python-Markdown's block processors and inline patterns, by name, each with a test for what a
# text must hold for it to act anywhere in the text. Every block is offered to each processor in
# turn, and every inline pattern searches every run of text of every paragraph, item and cell;
# leaving out those that cannot act made a typical analysis convert a third quicker. One not named
# here (another version's, an extension's) is always kept.
INDENTED = lambda text: "    " in text or "\t" in text  # noqa: E731 (a tab is read as spaces)
BLOCK = {
    "indent": INDENTED,  # a list item's next paragraph
    "code": INDENTED,
    "hashheader": lambda text: "#" in text,
    "quote": lambda text: ">" in text,
    "reference": lambda text: "]:" in text,  # "[id]: address"
}
INLINE = {
    "backtick": lambda text: "`" in text,
    "escape": lambda text: "\\" in text,
    # "[text][id]" and "[id]" link only to an address defined as "[id]: address".
    "reference": lambda text: "]:" in text,
    "link": lambda text: "[" in text,
    "image_link": lambda text: "![" in text,
    "image_reference": lambda text: "]:" in text,
    "short_reference": lambda text: "]:" in text,
    "short_image_ref": lambda text: "]:" in text,
    "autolink": lambda text: "<" in text,
    "automail": lambda text: "<" in text,
    # Two spaces ending a line (a tab is read as spaces).
    "linebreak": lambda text: "  \n" in text or "  \r" in text or "\t" in text,
    "html": lambda text: "<" in text,
    "entity": lambda text: "&" in text,
    "em_strong": lambda text: "*" in text or "_" in text,
    "footnote": lambda text: "[^" in text,
}


def _always(text: str) -> bool:
    return True


class MarkdownRenderer:
    """Converts Markdown to sanitised HTML, as Python-Markdown with the "extra" and
    "sane_lists" extensions does: one instance is reused for every page."""

    def __init__(self, base_path: str = "/", site_path: Callable[[str], str] = str):
        """``site_path``: where a link written from the site's root ("/about/", without its "/")
        leads; in an edition in another language, its own page (renderer.edition_path())."""
        self.base_path = base_path
        self.site_path = site_path
        self._converters: dict[tuple[str, ...], _Converter] = {}
        self._last: _Converter | None = None

    def __call__(self, text: str) -> str:
        return sanitise(self.convert(text))

    def convert(self, text: str, everything: bool = False) -> str:
        """``text`` in HTML, not yet sanitised, converted with only the extensions, block
        processors and inline patterns it could use; ``everything``: with all of them, as a
        test compares."""
        self._last = converter = self._converter(tuple(EXTRA) if everything else used_extensions(text))
        md = converter.md
        # Python-Markdown has no public way to leave processors out for one text (deregistering
        # and registering them again would sort its registries for every text), so the parser
        # and the inline processor are handed plain lists of them: internals that only the
        # versions pyproject.toml accepts are tested with (tests/test_markup.py checks that).
        if everything:
            md.parser.blockprocessors = converter.blocks
            md.treeprocessors["inline"].inlinePatterns = md.inlinePatterns
        else:
            md.parser.blockprocessors = [each for each, could_act in converter.block_tests if could_act(text)]
            md.treeprocessors["inline"].inlinePatterns = [
                each for each, could_act in converter.inline_tests if could_act(text)]
        return md.reset().convert(text)

    def _converter(self, extensions: tuple[str, ...]) -> "_Converter":
        """A converter with those of the extensions, made once."""
        if extensions not in self._converters:
            links = _BasePathExtension(self.base_path, self.site_path)
            # No "smarty": it doubles the cost of every page; editors type the quotation marks they mean.
            named = ["extra"] if len(extensions) == len(EXTRA) else list(extensions)
            md = markdown.Markdown(extensions=[*named, "sane_lists", links], output_format="html")
            blocks = md.parser.blockprocessors
            self._converters[extensions] = _Converter(md, links, blocks, _with_tests(blocks, BLOCK),
                                                      _with_tests(md.inlinePatterns, INLINE))
        return self._converters[extensions]

    @property
    def last_links(self) -> list[str]:
        """The links of the last text converted, as its author wrote them."""
        return list(self._last.links.processor.links) if self._last else []

    @property
    def last_checked(self) -> list[str]:
        """The same links, each as the link check sees it (see site_path)."""
        return list(self._last.links.processor.checked) if self._last else []


@dataclass(frozen=True)
class _Converter:
    md: markdown.Markdown
    links: _BasePathExtension
    blocks: markdown.util.Registry  # all the block processors (convert() gives the parser a part of them)
    block_tests: list  # of (block processor, test of a text it could act on), in order
    inline_tests: list  # of (inline pattern, test), in order


def _with_tests(registry: markdown.util.Registry, tests: dict) -> list:
    """Each item of ``registry``, in order, with its test from ``tests``."""
    found = [_always] * len(registry)
    for name, test in tests.items():
        if name in registry:
            found[registry.get_index_for_name(name)] = test
    return list(zip(registry, found))


def used_extensions(text: str) -> tuple[str, ...]:
    """The "extra" extensions that could change how ``text`` converts (all, if it holds HTML)."""
    if EXTRA["md_in_html"](text):
        return tuple(EXTRA)
    used = {name for name, uses in EXTRA.items() if uses(text)}
    if "fenced_code" in used:
        used.add("attr_list")  # a fence's own attributes (```python hl_lines="1") are written only with it
    return tuple(name for name in EXTRA if name in used)


def sanitise(html: str) -> str:
    # h1 is the page's own title; an editor's "# Heading" becomes h2 via the
    # allow-list dropping h1 tags, so demote before sanitising.
    html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
    )
    return _REL_WITHOUT_HREF.sub(_without_rel, cleaned) if 'rel="noopener"' in cleaned else cleaned


# nh3 gives every link rel="noopener", last, even one whose address it took away (javascript:):
# HTML allows rel only beside an href. Its attribute values never hold a '"' (it escapes them).
_REL_WITHOUT_HREF = re.compile(r'<a((?: [a-z-]+="[^"]*")*?) rel="noopener">')


def _without_rel(link: re.Match) -> str:
    return link[0] if ' href="' in link[1] else f"<a{link[1]}>"
