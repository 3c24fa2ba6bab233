"""Hostile content: every payload of tests/payloads/ in every field editors write.

Each payload of `payloads/xss.txt` goes into every text field of claims, sources, pages and
`site.yml` and into every Markdown body; each of `payloads/urls.txt` into every field that
holds a web address and into every kind of Markdown and HTML link. The site is built and every
file written is read back with real parsers (html5lib, as a browser parses HTML; XML and JSON
parsers for the rest): nothing executable may come out, and the JSON-LD must stay valid JSON
holding the claim exactly as written. A payload that makes the content invalid must give a
clean error naming the file and line, never a traceback. The site's Content Security Policy
is not relied on: the markup itself is checked, and in Chromium with the policy bypassed.

To keep the module quick, builds are shared: one build holds one claim, source and topic per
payload, each carrying its payload in every field at once; verdicts and pages (shown on many
pages each) have builds of their own; only the site-wide settings need a build per payload.
"""

from __future__ import annotations

import base64
import gc
import html
import json
import multiprocessing as mp
import os
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from functools import partial
from urllib.parse import urlsplit

import jinja2
import markupsafe
import pytest
import yaml

from factsite.engine import Project, read_site

from factsite.commands.build import build
from factsite.render.cards import claim_card, site_card
from factsite.read.config import load_config
from factsite.errors import BuildFailed, ContentError, Problems
from factsite.read.markdown_limits import MAX_CHARACTERS
from factsite.read.schema import (CITATION_FIELDS, CLAIM_FIELDS, CORRECTION_FIELDS, PAGE_FIELDS, SOURCE_FIELDS)
from factsite.read.slugs import claimant_slug
from factsite.output.write import write_files
from factsite.render.renderer import Renderer, template_environment

from .conftest import FIXTURES, REPO, write
from .serving import serve

html5lib = pytest.importorskip("html5lib")

PAYLOADS = Path(__file__).resolve().parent / "payloads"
BASE_URL = "https://example.org/"


# The corpus ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Payload:
    corpus: str  # "xss" or "urls"
    line: int  # in tests/payloads/<corpus>.txt
    text: str

    @property
    def slug(self) -> str:
        """A name for the files that carry this payload: claims/xss-042.md holds xss.txt line 42."""
        return f"{self.corpus}-{self.line:03d}"

    def __str__(self) -> str:
        return f"{self.corpus}.txt:{self.line}"


_CHARACTER = re.compile(r"\{U\+([0-9A-F]{4,6})\}")
_REPEAT = re.compile(r" \{x(\d+)\}$")


def decode(line: str) -> str:
    """A corpus line as the payload it stands for: {U+XXXX} is that character, " {xN}" repeats."""
    times = 1
    if match := _REPEAT.search(line):
        line, times = line[:match.start()], int(match[1])
    return _CHARACTER.sub(lambda m: chr(int(m[1], 16)), line) * times


def read_corpus(corpus: str) -> list[Payload]:
    lines = (PAYLOADS / f"{corpus}.txt").read_text("utf-8").split("\n")
    return [Payload(corpus, number, decode(line)) for number, line in enumerate(lines, 1)
            if line.strip() and not line.startswith("# ") and line != "#"]


TEXT = read_corpus("xss")
URLS = read_corpus("urls")

# Characters XML 1.0 cannot hold: front matter with them cannot reach the feed or the badges,
# so they must be refused there with a clean error. A Markdown body may hold them.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Payloads longer than the names fields may hold (fields.MAX_NAME): they go into the Markdown
# bodies and the fields that take long text, and every other field refuses them cleanly.
LONG = 200
FIELD_TEXT = [p for p in TEXT if not NOT_XML.search(p.text) and len(p.text) <= LONG]
LONG_TEXT = [p for p in TEXT if not NOT_XML.search(p.text) and len(p.text) > LONG]
CONTROL_TEXT = [p for p in TEXT if NOT_XML.search(p.text)]
FIELD_URLS = [p for p in URLS if not NOT_XML.search(p.text)]


def test_corpus_covers_every_kind_of_attack():
    texts = [p.text for p in TEXT]
    urls = [p.text for p in URLS]

    def some(what: str, found) -> None:
        assert any(found(t) for t in texts), f"the corpus has no payload for {what}"

    for marker in ("<script", "onerror=", "onload=", "<svg", "<math", "<mglyph", "<style", "url(javascript:",
                   "expression(", "style=", "<iframe", "<object", "<embed", "<form", "<base", "http-equiv",
                   "formaction", "xlink:href", "srcset", "</script>", "<!--", "](javascript:", "![x](",
                   "[r]: javascript:", "<javascript:", "jav&#x09;ascript", "&#106;avascript", "JaVaScRiPt",
                   "vbscript:", "data:text/html", "\u202e", "\u2066", "\u2069", "\u200b", "\u200d", "\ufeff",
                   "\x00", "\x01", "\u2028", "{{", "!!python", "*alias", "</code></pre>", "&copy ", "&amp;T",
                   "Jerry's \"Fact\""):
        some(repr(marker), lambda t, m=marker: m in t)
    some("a very long value", lambda t: len(t) > 5000)
    some("a value over several lines", lambda t: "\n" in t)
    for marker in ("javascript:", "JAVASCRIPT:", " javascript:", "\tjavascript:", "java\tscript:", "vbscript:",
                   "data:text/html", "&#106;", "\x00", "\u202e", "\u200b", '"><script>'):
        assert any(marker in u for u in urls), f"the URL corpus has no payload with {marker!r}"
    # Every payload does something a test can see, should it ever run.
    for payload in TEXT + URLS:
        text = html.unescape(payload.text) + "".join(
            base64.b64decode(m).decode() for m in re.findall(r"base64,([\w+/]+=*)", payload.text))
        assert re.search(r"alert\(|__xss|-moz-binding", text), payload


# Writing content files ------------------------------------------------------------------

_PLAIN = re.compile("[\x20-\x7e\u00a0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x00": "\\0"}


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted string: printable characters as they are (bidi and
    zero-width ones included), the others escaped, so the file says exactly ``text``."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif _PLAIN.fullmatch(char) and char not in "\u2028\u2029\u0085":
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def to_yaml(data, indent: int = 0) -> str:
    """YAML for the dicts, lists, text, numbers and booleans of content files; text always quoted."""
    pad = " " * indent
    lines = []
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, (dict, list)) and value:
                lines.append(f"{pad}{key}:\n{to_yaml(value, indent + 2)}")
            else:
                lines.append(f"{pad}{key}: {scalar(value)}")
    else:
        for item in data:
            if isinstance(item, dict):
                lines.append(pad + "- " + to_yaml(item, indent + 2)[indent + 2:])
            else:
                lines.append(f"{pad}- {scalar(item)}")
    return "\n".join(lines)


def scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value == []:
        return "[]"
    return quoted(value)


def load_yaml(text: str):
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def write_yaml(path: Path, data: dict) -> Path:
    text = to_yaml(data) + "\n"
    assert load_yaml(text) == data, f"{path.name} does not say what the test means"
    return write(path, text)


def write_markdown(path: Path, data: dict, body: str) -> Path:
    fields = to_yaml(data) + "\n"
    assert load_yaml(fields) == data, f"{path.name} does not say what the test means"
    return write(path, f"---\n{fields}---\n{body}\n")


def all_bodies(payloads) -> str:
    """The bodies of as many ``payloads`` as one analysis may hold (markdown_limits.MAX_CHARACTERS);
    every payload has a claim of its own as well."""
    bodies = []
    for p in payloads:
        joined = "\n\n<hr>\n\n".join([*bodies, body_with(p.text)])
        if len(joined) > MAX_CHARACTERS:
            break
        bodies.append(body_with(p.text))
    return "\n\n<hr>\n\n".join(bodies)


def body_with(text: str) -> str:
    """A Markdown body carrying ``text`` in the places Markdown treats differently."""
    return "\n\n".join([
        text,
        f"In a sentence: {text} and after it.",
        f"- {text}",
        f"> {text}",
        f"## {text}",
        f"*{text}*",
        f"[{text}](https://example.com/)",
        f"<div>{text}</div>",
    ])


def body_linking(url: str) -> str:
    """A Markdown body linking to ``url`` in every way Markdown and HTML allow."""
    return "\n\n".join([
        f"[inline link]({url})",
        f"[angle-bracket link](<{url}>)",
        f"![image]({url})",
        f"<{url}>",
        f"[reference link][ref]\n\n[ref]: {url}",
        f"![reference image][img]\n\n[img]: {url}",
        f'<a href="{url}">raw link</a>',
        f"<a href='{url}'>raw link, single quotes</a>",
        f'<img src="{url}" alt="raw image">',
        f"Bare: {url}",
    ])


def site_settings(**changes) -> dict:
    """The fixture's site.yml as data, with ``changes`` applied (dotted keys for nested ones)."""
    data = yaml.safe_load((FIXTURES / "basic" / "content" / "site.yml").read_text("utf-8"))
    for key, value in changes.items():
        *parents, last = key.split(".")
        target = data
        for parent in parents:
            target = target[parent]
        target[last] = value
    return data


def new_project(root: Path) -> Project:
    """The `basic` fixture's content in ``root``/content, with the repository's theme."""
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(FIXTURES / "basic" / "content", root / "content")
    return Project(root / "content", REPO / "templates", REPO / "static")


def claim_data(payload_text: str | None, slug: str, **changes) -> dict:
    text = payload_text if payload_text is not None else f"Claim {slug}"
    data = {
        "title": text, "claim": text, "claimant": text, "verdict": "false", "summary": text,
        "sources": [{"source": "council-data", "quote": text, "stance": "context"}],
        "published": "2025-01-01",
        "corrections": [{"date": "2025-01-02", "note": text}],
        "related": ["budget-doubled"],
    }
    data.update(changes)
    return data


# Reading the output -------------------------------------------------------------------------

SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "poster", "data", "background", "cite",
                  "longdesc", "lowsrc", "dynsrc", "ping", "codebase", "classid", "archive", "manifest", "icon",
                  "profile", "usemap", "itemtype", "to", "from", "values", "by", "xmlns"}
NEVER = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "style", "template", "noscript",
         "noembed", "noframes", "xmp", "plaintext", "isindex", "textarea", "marquee", "math", "foreignobject",
         "animate", "set", "use", "image", "handler", "video", "audio", "source", "portal", "slot"}
SVG = "http://www.w3.org/2000/svg"
SVG_IN_PAGES = {"svg", "path", "rect"}  # the theme's icons
SVG_IN_BADGES = {"svg", "title", "rect", "g", "text", "path"}
# Every element the theme's templates write, and what the Markdown sanitiser lets through.
THEME_TAGS = {tag.lower() for path in (REPO / "templates").glob("*.html")
              for tag in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", path.read_text("utf-8"))}
CONTENT_TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl", "dt", "em",
                "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
                "mark", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td",
                "tfoot", "th", "thead", "time", "tr", "ul"}
CSP = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"',
                (REPO / "templates" / "base.html").read_text("utf-8"))[1]
HEAD_LINKS = {"canonical", "stylesheet", "icon", "alternate"}
LD_JSON = "application/ld+json"


def scheme_of(url: str) -> str:
    """The scheme a browser would see: C0 controls and spaces trimmed, tabs and newlines
    dropped, lower case ("" for a relative address). Entities are already decoded by the parser."""
    url = re.sub("[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", url)
    return match[1].lower() if match else ""


def local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


@dataclass
class Expected:
    """What the site's own pages hold, so that nothing else passes."""

    base_path: str = "/"
    claims: dict | None = None  # claim page -> the claim as its file says it
    labels: dict | None = None  # claim page -> its verdict's label
    site_title: str | None = None  # as site.yml gives it


def check_site(out: Path, expected: Expected) -> list[str]:
    """Everything executable, invalid or out of place in the built site, as readable findings.

    Pagefind's index is left out here (it is binary); the browser test reads its results."""
    # Nor /admin/ (a site with a repository has it): the CMS is third-party code; its config.yml
    # holds the verdict labels as YAML data, which tests/test_cms.py reads back unchanged.
    files = [p for p in sorted(out.rglob("*")) if p.is_file() and "pagefind" not in p.relative_to(out).parts
             and p.relative_to(out).parts[0] != "admin"]
    assert len(files) > 10, f"nothing was built in {out}"
    tasks = [(out, files[i::CHECKERS], expected) for i in range(CHECKERS)]
    return [finding for found in on_every_core(check_files, tasks) for finding in found]


def on_every_core(function, tasks: list) -> list:
    """``[function(task) for task in tasks]``, on forked processes when there are several cores."""
    if CHECKERS == 1 or "fork" not in mp.get_all_start_methods():
        return [function(task) for task in tasks]
    gc.collect()
    gc.freeze()  # the workers then leave the test's own objects alone, so nothing is copied on write
    try:
        with mp.get_context("fork").Pool(CHECKERS) as pool:
            return pool.map(function, tasks, chunksize=1)
    finally:
        gc.unfreeze()


CHECKERS = min(2, os.cpu_count() or 1)  # html5lib is pure Python: the files are read on two cores


def check_files(task: tuple[Path, list[Path], Expected]) -> list[str]:
    out, files, expected = task
    findings: list[str] = []
    for path in files:
        relative = path.relative_to(out).as_posix()
        data = path.read_bytes()
        try:
            if path.suffix == ".html":
                findings += [f"{relative}: {f}" for f in check_html(relative, data.decode("utf-8"), expected)]
            elif path.suffix == ".svg":
                findings += [f"{relative}: {f}" for f in check_svg(data)]
            elif path.suffix == ".xml":
                findings += [f"{relative}: {f}" for f in check_xml(relative, data)]
            elif path.suffix == ".json":
                findings += [f"{relative}: {f}" for f in check_json(relative, data, expected)]
            elif path.suffix == ".css" and re.search(rb"javascript|expression\(|behavior|binding|@import", data, re.I):
                findings.append(f"{relative}: the stylesheet holds something executable")
        except Exception as error:  # noqa: BLE001 - an unreadable file is a finding, not a crash of the test
            findings.append(f"{relative}: cannot be read: {error!r}"[:500])
    return findings


def check_html(relative: str, html: str, expected: Expected) -> list[str]:
    findings = []
    root = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    head = root.find("head")
    in_head = set(map(id, head.iter())) if head is not None else set()
    allowed_tags = THEME_TAGS | CONTENT_TAGS | {"html", "head", "body"}
    csp = 0
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        tag, namespace = local(element.tag), element.tag[1:].split("}")[0] if element.tag.startswith("{") else ""
        shown = describe(element)
        if namespace == SVG:
            if tag not in SVG_IN_PAGES:
                findings.append(f"SVG element <{tag}> not written by the theme: {shown}")
        elif namespace:
            findings.append(f"foreign element <{tag}>: {shown}")
        elif tag in NEVER or tag not in allowed_tags:
            findings.append(f"element <{tag}> not written by the theme: {shown}")
        for name, value in element.attrib.items():
            attribute = local(name)
            if attribute.startswith("on"):
                findings.append(f"event-handler attribute {attribute}: {shown}")
            elif attribute == "style":
                findings.append(f"style attribute: {shown}")
            elif attribute in URL_ATTRIBUTES or name.endswith("}href"):
                urls = [part.strip().split(" ")[0] for part in value.split(",")] if attribute == "srcset" else [value]
                for url in urls:
                    if scheme_of(url) not in SAFE_SCHEMES | {""}:
                        findings.append(f"{attribute} with a {scheme_of(url)}: address: {shown}")
        if tag == "script":
            kind, src = element.get("type"), element.get("src")
            ours = re.escape(expected.base_path) + r"search\.js\?v=[0-9a-f]+"
            if kind == LD_JSON and src is None:
                findings += check_json_ld(relative, element.text or "", expected)
            elif not (kind == "module" and src and re.fullmatch(ours, src) and not (element.text or "").strip()):
                findings.append(f"a script that is not the site's own: {shown}")
        elif tag == "meta":
            equiv = (element.get("http-equiv") or "").lower()
            if id(element) not in in_head:
                findings.append(f"<meta> outside <head>: {shown}")
            elif equiv == "content-security-policy" and element.get("content") == CSP:
                csp += 1
            elif equiv == "refresh" and relative.startswith("claims/") and re.fullmatch(
                    "0; url=" + re.escape(expected.base_path) + r"claims/[a-z0-9-]+/", element.get("content") or ""):
                pass  # a claim's old address (`aliases:`), sending the reader on to a claim of the site
            elif equiv:
                findings.append(f"<meta http-equiv> not written by the theme: {shown}")
        elif tag == "link" and (id(element) not in in_head or element.get("rel") not in HEAD_LINKS):
            findings.append(f"<link> not written by the theme: {shown}")
        elif tag in ("form", "input", "select", "option", "button", "label") and relative != "search/index.html":
            findings.append(f"<{tag}> outside the search page: {shown}")
    if csp != 1:
        findings.append(f"{csp} Content Security Policies, not the theme's one")
    label = (expected.labels or {}).get(relative)
    findings += check_embed(root, label, None if label is None or expected.site_title is None
                            else f"{expected.site_title}: {label}")
    if relative in (expected.claims or {}):
        json_ld = [e for e in root.iter("script") if e.get("type") == LD_JSON]
        if len(json_ld) != 1:
            findings.append(f"{len(json_ld)} JSON-LD blocks on a claim page")
    return findings


def check_embed(root, label: str | None, alt: str | None) -> list[str]:
    """The "Embed this verdict" snippet, as a reader copies it (the text of its <code>) and
    pastes it into a page of their own: exactly a link to the claim around its badge, with
    the site's title and the verdict's label in the badge's alt text exactly as shown here,
    and as ``alt`` says if the test knows both."""
    embeds = [e for e in root.iter("details") if "embed" in (e.get("class") or "").split()]
    if not embeds:
        return []
    [embed] = embeds
    [code] = embed.iter("code")
    [live] = [img for img in embed.iter("img")]  # the badge shown on our page, beside the snippet
    canonical = next(link.get("href") for link in root.iter("link") if link.get("rel") == "canonical")
    # A claim shown as a paraphrase says so in the alt text too, after the label.
    paraphrased = any("claim-paraphrase" in (e.get("class") or "").split() for e in root.iter("p"))
    said = " (the claim paraphrased)" if paraphrased else ""
    snippet = "".join(code.itertext())
    fragment = html5lib.parseFragment(snippet, treebuilder="etree", namespaceHTMLElements=False)
    elements = [describe(e) for e in fragment.iter() if e is not fragment]
    text = "".join(fragment.itertext())
    link = fragment[0] if len(fragment) == 1 else None
    img = link[0] if link is not None and len(link) == 1 else None
    if (text or img is None or len(img) or link.tag != "a" or img.tag != "img"
            or set(link.attrib) != {"href"} or set(img.attrib) != {"src", "alt", "height"}):
        return [f"the embed snippet is not one link around one badge: {elements} {text!r}"[:400]]
    findings = []
    wanted = {"href": canonical, "src": canonical + "badge.svg", "alt": live.get("alt"), "height": "28"}
    for name, value in {**link.attrib, **img.attrib}.items():
        if value != wanted[name]:
            findings.append(f"the embed snippet's {name} is {value!r}, not {wanted[name]!r}"[:400])
    if label is not None and not live.get("alt").endswith(": " + newlines_as_parsed(label) + said):
        findings.append(f"the badge's alt text {live.get('alt')!r} does not end with the label {label!r}"[:400])
    if alt is not None and img.get("alt") != newlines_as_parsed(alt) + said:
        findings.append(f"the embed snippet's alt is {img.get('alt')!r}, the site says {alt!r}"[:400])
    return findings


def newlines_as_parsed(text: str) -> str:
    """``text`` as an HTML parser reads it back: CR LF and CR are LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def describe(element) -> str:
    """The element's start tag, for a finding (not the whole subtree: it may be nested deep)."""
    attributes = "".join(f' {local(k)}="{v}"' for k, v in element.attrib.items())
    return f"<{local(element.tag)}{attributes}>"[:200]


def check_json_ld(relative: str, text: str, expected: Expected) -> list[str]:
    findings = []
    if re.search(r"</script|<!--", text, re.I):
        findings.append("the JSON-LD holds </script or <!--")
    try:
        data = json.loads(text)
    except ValueError as error:
        return findings + [f"the JSON-LD is not JSON: {error}"]
    findings += bad_addresses(data, "JSON-LD")
    want = (expected.claims or {}).get(relative)
    if want is not None and data.get("claimReviewed") != want:
        findings.append(f"claimReviewed is {data.get('claimReviewed')!r}, the file says {want!r}"[:400])
    label = (expected.labels or {}).get(relative)
    if label is not None and data["reviewRating"]["alternateName"] != label:
        findings.append(f"the rating's name is {data['reviewRating']['alternateName']!r}, not {label!r}"[:400])
    return findings


def bad_addresses(data, where: str) -> list[str]:
    """Every "url" or "logo" in JSON data that is not an http(s) address."""
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("url", "logo") and isinstance(value, str) and scheme_of(value) not in ("http", "https", ""):
                found.append(f"{where} {key} is not a web address: {value!r}"[:300])
            found += bad_addresses(value, where)
    elif isinstance(data, list):
        for item in data:
            found += bad_addresses(item, where)
    return found


def check_svg(data: bytes) -> list[str]:
    findings = []
    root = ET.fromstring(data)
    for element in root.iter():
        if element.tag.split("}")[0] != "{" + SVG or local(element.tag) not in SVG_IN_BADGES:
            findings.append(f"element {element.tag} in a badge")
        for name in element.attrib:
            if local(name).startswith("on") or local(name) in ("href", "style") or name.endswith("}href"):
                findings.append(f"attribute {name} in a badge")
    return findings


def check_xml(relative: str, data: bytes) -> list[str]:
    findings = []
    root = ET.fromstring(data)
    for element in root.iter():
        if element.get("type") in ("html", "xhtml"):
            findings.append(f"{element.tag} is {element.get('type')}, which feed readers render")
        for name in ("href", "src"):
            if element.get(name) is not None and scheme_of(element.get(name)) not in ("http", "https"):
                findings.append(f"{element.tag} {name}={element.get(name)!r}")
        if local(element.tag) == "loc" and scheme_of(element.text or "") not in ("http", "https"):
            findings.append(f"sitemap entry {element.text!r}")
    return findings


def check_json(relative: str, data: bytes, expected: Expected) -> list[str]:
    parsed = json.loads(data)
    findings = bad_addresses(parsed, relative)
    if relative == "claims.json" and expected.claims is not None:
        claimed = sorted(e["claimReviewed"] for e in parsed["dataFeedElement"])
        if claimed != sorted(expected.claims.values()):
            findings.append("claimReviewed in the data feed differs from the claims as written")
    if relative == "search/facets.json":
        findings += [f"search result address {f['url']!r}" for f in parsed
                     if not f["url"].startswith(expected.base_path + "claims/")]
    return findings


def claims_as_written(content: Path) -> dict[str, str]:
    """Each published claim page, and its claim as the file says it (read with PyYAML, not the engine)."""
    claims = {}
    for path in (content / "claims").rglob("*.md"):
        data = load_yaml(path.read_text("utf-8").split("---\n", 2)[1])
        if not data.get("draft"):
            claims[f"claims/{path.stem}/index.html"] = str(data["claim"]).strip()
    return claims


def assert_clean(findings: list[str]) -> None:
    assert not findings, f"{len(findings)} findings:\n" + "\n".join(findings[:40])


def assert_clean_errors(errors: list[ContentError], content: Path) -> None:
    """Every error names a content file and a line, says what is wrong and what to do."""
    for error in errors:
        assert error.path.is_relative_to(content), error
        assert error.line and error.line >= 1, f"no line: {error}"
        assert error.message.strip() and error.hint.strip(), f"no message or no hint: {error}"
        assert "Traceback" not in str(error) and "Error(" not in str(error), error


class CompiledTemplates(jinja2.BytecodeCache):
    """The templates' compiled code, kept in memory: compiling them is most of a small build's
    time. (A Jinja environment itself is not kept: it caches imported macros with the globals
    of the first site it rendered.)"""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()


def render(project: Project, out: Path) -> None:
    """Read the content and render every file of the site into ``out``, as the build does
    but without share cards, search index and link checks, and with the templates compiled once."""
    site, _ = read_site(project)
    env = template_environment(project.templates_dir)
    env.bytecode_cache = COMPILED
    Renderer(site, project.templates_dir, project.static_dir, cards=False, search=False, env=env).render_jobs(partial(write_files, out))


def build_ok(project: Project, out: Path, **options) -> None:
    """Build the site; a refusal fails the test with every error the build gave."""
    try:
        build(project, out, use_cache=False, **options)
    except BuildFailed as failed:
        pytest.fail("the build refused the content:\n" + "\n".join(str(e)[:300] for e in failed.problems.errors))


def build_accepted(project: Project, out: Path, may_refuse: set[Path], quick: bool = False,
                   **options) -> list[ContentError]:
    """Build the site without the files it refuses, which must be among ``may_refuse`` (files
    with control characters) and be refused with clean errors; returns those errors."""
    try:
        read_site(project)
        errors = []
    except BuildFailed as failed:
        errors = failed.problems.errors
    assert_clean_errors(errors, project.content_dir)
    refused = {e.path for e in errors}
    assert refused <= may_refuse, "refused:\n" + "\n".join(str(e)[:300] for e in errors if e.path not in may_refuse)
    for path in refused:
        path.unlink()
    if quick:
        render(project, out)
    else:
        build_ok(project, out, **options)
    return errors


def errors_of(project: Project) -> list[ContentError]:
    with pytest.raises(BuildFailed) as failed:
        read_site(project)
    return failed.value.problems.errors


def lines_of(path: Path, value: str) -> list[int]:
    """The lines of ``path`` whose text holds ``value`` quoted as the test wrote it."""
    written = quoted(value)
    return [n for n, line in enumerate(path.read_text("utf-8").split("\n"), 1) if written in line]


# Claims, sources and topics: one build, one claim, source and topic per payload ----------------

ALL = "all-payloads"


@pytest.fixture(scope="module")
def content_site(tmp_path_factory):
    """Every payload in every text field of a claim (and its body), of a source and of a topic."""
    root = tmp_path_factory.mktemp("hostile-content")
    project = new_project(root)
    content = project.content_dir
    topics = site_settings()["topics"] + [{"slug": p.slug, "name": p.text, "description": p.text}
                                          for p in FIELD_TEXT]
    write_yaml(content / "site.yml", site_settings(topics=topics))
    def write_claim(p: Payload, **changes) -> Path:
        return write_markdown(content / "claims" / f"{p.slug}.md", claim_data(
            p.text, p.slug, appeared_in=p.slug, topics=[p.slug], aliases=[f"{p.slug}-old"],  # a page that redirects
            sources=[{"source": p.slug, "quote": p.text, "stance": "supports"}], **changes), body_with(p.text))

    for p in FIELD_TEXT:
        write_yaml(content / "sources" / f"{p.slug}.yml", {
            "title": p.text, "publisher": p.text, "author": p.text, "published": "2025-01-01",
            "url": f"https://example.com/{p.slug}", "archive_url": f"https://archive.example.com/{p.slug}",
            "kind": "news report", "image_credit": p.text, "notes": p.text,
        })
        # The quote is checked against the source's text copy, so the copy holds the payload too.
        write(content / "sources" / f"{p.slug}.txt", f"A copy of the item.\n{p.text}\nThe end.\n")
        write_claim(p)
    # Claimants whose names make one address (see test_claimant_names_that_share_an_address_are_refused)
    # get addresses of their own.
    by_slug = {p.slug: p for p in FIELD_TEXT}
    for path in {e.path for e in claimant_spelling_errors(project)}:
        write_claim(by_slug[path.stem], claimant_id=path.stem)
    # A withdrawn fact-check for each payload: its page, its old address, the corrections page's list.
    write_yaml(content / "withdrawn.yml", {"withdrawn": [  # (and none of the fixture's: its page is not checked here)
        {"claim": f"{p.slug}-gone", "title": p.text, "date": "2025-02-01", "verdict": "false", "note": p.text,
         "aliases": [f"{p.slug}-gone-old"]} for p in FIELD_TEXT]})
    # For the browser: one claim and one source showing every payload in each field.
    def every(limit: int, start: int = 0) -> str:  # as many payloads as the field may hold
        texts = [p.text for p in FIELD_TEXT[start:] + FIELD_TEXT[:start]]
        return "\n".join(texts[:max(n for n in range(1, len(texts) + 1) if len("\n".join(texts[:n])) <= limit)])

    write_yaml(content / "sources" / f"{ALL}.yml", {
        "title": every(500), "publisher": every(200, 40), "author": every(200, 80), "kind": "other",
        "image_credit": every(200, 120), "notes": "\n".join(p.text for p in LONG_TEXT)[:5000]})
    write_markdown(content / "claims" / f"{ALL}.md", claim_data(
        None, ALL, appeared_in=ALL, sources=[{"source": p.slug, "quote": p.text, "stance": "context"}
                                             for p in FIELD_TEXT]), all_bodies(FIELD_TEXT))
    # A Markdown body may hold what front matter may not; or the file is refused, cleanly.
    bodies = {write_markdown(content / "claims" / f"{p.slug}.md", claim_data(None, p.slug), body_with(p.text))
              for p in CONTROL_TEXT}
    for p in LONG_TEXT:  # and long text, also in the fields that may hold it
        write_markdown(content / "claims" / f"{p.slug}.md", claim_data(None, p.slug, sources=[
            {"source": "council-data", "quote": p.text[:5000], "stance": "context"}]), body_with(p.text))
    out = root / "out"
    build_accepted(project, out, may_refuse=bodies, cards=False)
    return out, content


def claimant_spelling_errors(project: Project) -> list[ContentError]:
    """The errors reading the content gives, each about a claimant spelled otherwise than
    another of the same address."""
    try:
        read_site(project)
        return []
    except BuildFailed as failed:
        errors = failed.problems.errors
    assert_clean_errors(errors, project.content_dir)
    assert [e for e in errors if "would share the page claimants/" not in e.message] == []
    return errors


def test_claimant_names_that_share_an_address_are_refused(tmp_path):
    """Hostile names that differ in what an address cannot hold (markup, case, look-alike and
    invisible characters) each name the claim whose spelling the address keeps."""
    project = new_project(tmp_path)
    for p in FIELD_TEXT:
        write_markdown(project.content_dir / "claims" / f"{p.slug}.md", claim_data(None, p.slug, claimant=p.text),
                       "Body.")
    errors = claimant_spelling_errors(project)
    assert len(errors) > 20
    spelled = {p.slug: p.text for p in FIELD_TEXT}
    for error in errors:
        kept = re.search(r'with "(.*)" \((.*):(\d+)\)', error.message, re.S)
        other = Path(kept[2])
        assert other.stem in spelled and other.stem not in {e.path.stem for e in errors}, error
        assert claimant_slug(spelled[other.stem]) == claimant_slug(spelled[error.path.stem]), error
        assert f"claimants/{claimant_slug(spelled[other.stem])}/" in error.message
        assert "claimant_id:" in error.hint


def test_hostile_claims_sources_and_topics_give_nothing_executable(content_site):
    out, content = content_site
    assert_clean(check_site(out, Expected(claims=claims_as_written(content))))


def test_hostile_text_is_shown_as_text_not_dropped(content_site):
    out, _ = content_site
    wrong = []
    for p in FIELD_TEXT:
        page = (out / "claims" / p.slug / "index.html").read_text("utf-8")
        # The markup is checked above; here only that the text inside is the payload, escaped.
        heading = html.unescape(re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)[1])
        claim = html.unescape(re.search(r'<blockquote class="claim-quote"><p>(.*?)</p>', page, re.S)[1])
        if heading != p.text.strip() or claim != p.text.strip():
            wrong.append(f"{p}: {heading[:80]!r}")
        withdrawn = (out / "claims" / f"{p.slug}-gone" / "index.html").read_text("utf-8")
        heading = html.unescape(re.search(r"<h1>(.*?)</h1>", withdrawn, re.S)[1])
        if heading != "Withdrawn: " + p.text.strip() or f"<p>{markupsafe.escape(p.text.strip())}</p>" not in withdrawn:
            wrong.append(f"{p}, withdrawn: {heading[:80]!r}")
    assert not wrong, "\n".join(wrong)


def test_claimant_addresses_are_plain_whatever_the_name(content_site):
    out, _ = content_site
    folders = [path.name for path in (out / "claimants").iterdir() if path.is_dir()]
    assert len(folders) > 50
    assert [name for name in folders if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)] == []


@pytest.mark.parametrize("name", [p.text for p in TEXT] + [
    "\u202e", "\u200b\u200d\ufeff", "The Mayor\u202e", "\u2066The Mayor\u2069", "The\u200bMayor",
    "Eve\u202egnp.exe", "\u0410\u043b\u0438\u0441\u0430 \u202e",
], ids=[str(p) for p in TEXT] + ["rlo", "zero-width", "trailing-rlo", "isolates", "zwsp", "rlo-exe", "cyrillic"])
def test_claimant_slug_is_plain_ascii_for_any_name(name):
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", claimant_slug(name)), repr(claimant_slug(name))


# Verdicts: a build of their own, as every list shows every verdict ------------------------------

@pytest.fixture(scope="module")
def verdict_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-verdicts")
    project = new_project(root)
    content = project.content_dir
    verdicts = site_settings()["verdicts"] + [
        {"slug": p.slug, "label": p.text, "definition": p.text, "colour": "#4b5563"} for p in FIELD_TEXT]
    write_yaml(content / "site.yml", site_settings(verdicts=verdicts))
    for p in FIELD_TEXT:
        write_markdown(content / "claims" / f"{p.slug}.md",
                       claim_data(None, p.slug, verdict=p.slug, claimant="The Mayor"), "Checked.")
    out = root / "out"
    render(project, out)
    labels = {f"claims/{p.slug}/index.html": p.text.strip() for p in FIELD_TEXT}
    return out, content, labels


def test_hostile_verdict_labels_and_definitions_give_nothing_executable(verdict_site):
    out, content, labels = verdict_site
    assert_clean(check_site(out, Expected(claims=claims_as_written(content), labels=labels,
                                          site_title=site_settings()["title"])))


# Pages: each page's title is in every page's footer, so a few builds of a few pages each ---------

PAGE_PAYLOADS = FIELD_TEXT + URLS + CONTROL_TEXT
PAGE_BATCHES = 7


@pytest.mark.parametrize("batch", range(PAGE_BATCHES))
def test_hostile_pages_give_nothing_executable(batch, tmp_path):
    project = new_project(tmp_path)
    control = set()
    for order, p in enumerate(PAGE_PAYLOADS[batch::PAGE_BATCHES], 10):
        if p in FIELD_TEXT:
            fields, body = {"title": p.text, "description": p.text, "order": order}, body_with(p.text)
        else:
            fields = {"title": f"Page {p.slug}", "order": order}
            body = body_linking(p.text) if p.corpus == "urls" else body_with(p.text)
        path = write_markdown(project.content_dir / "pages" / f"{p.slug}.md", fields, body)
        if NOT_XML.search(p.text):
            control.add(path)
    build_accepted(project, tmp_path / "out", may_refuse=control, quick=True)
    assert_clean(check_site(tmp_path / "out", Expected(claims=claims_as_written(project.content_dir))))


# Web addresses: refused unless http(s), and escaped when accepted ------------------------------

def must_be_refused(url: str) -> bool:
    return scheme_of(url) not in ("http", "https")


@pytest.fixture(scope="module")
def url_site(tmp_path_factory):
    """Every hostile address as a source's url and archive_url, and as every kind of link in a body."""
    root = tmp_path_factory.mktemp("hostile-urls")
    project = new_project(root)
    sources = project.content_dir / "sources"
    for p in FIELD_URLS:
        write_yaml(sources / f"{p.slug}.yml", {"title": f"Source {p.slug}", "url": p.text, "archive_url": p.text,
                                              "kind": "news report"})
    try:
        read_site(project)
        errors = []
    except BuildFailed as failed:
        errors = failed.problems.errors
    refused = {p for p in FIELD_URLS if any(e.path.stem == p.slug for e in errors)}
    for p in refused:
        (sources / f"{p.slug}.yml").unlink()
    control = set()
    for p in URLS:
        cited = p in FIELD_URLS and p not in refused
        changes = {"appeared_in": p.slug, "sources": [{"source": p.slug, "quote": "x", "stance": "context"}]}
        path = write_markdown(project.content_dir / "claims" / f"{p.slug}.md",
                              claim_data(None, p.slug, **(changes if cited else {})), body_linking(p.text))
        if NOT_XML.search(p.text):
            control.add(path)
    accepted = [p for p in FIELD_URLS if p not in refused]
    write_markdown(project.content_dir / "claims" / f"{ALL}.md", claim_data(None, ALL, sources=[
        {"source": p.slug, "quote": "x", "stance": "context"} for p in accepted]),
        "\n\n<hr>\n\n".join(body_linking(p.text) for p in FIELD_URLS))
    build_accepted(project, root / "out", may_refuse=control, cards=False, search=False)
    return root / "out", project.content_dir, errors, refused


def test_source_addresses_that_are_not_http_are_refused_with_a_clean_error(url_site):
    _, content, errors, refused = url_site
    assert_clean_errors(errors, content)
    for p in FIELD_URLS:
        path = content / "sources" / f"{p.slug}.yml"
        lines = sorted(e.line for e in errors if e.path == path)
        if must_be_refused(p.text):
            assert lines == [2, 3], f"{p} ({p.text!r}) must be refused in url and archive_url, errors on {lines}"
        else:
            assert lines in ([], [2, 3]), f"{p}: errors on lines {lines}"
    assert {e.path.stem for e in errors} == {p.slug for p in refused}


def test_hostile_addresses_give_no_dangerous_link(url_site):
    out, content, _, refused = url_site
    assert_clean(check_site(out, Expected(claims=claims_as_written(content))))
    # The accepted addresses do reach the pages, as links.
    for p in FIELD_URLS:
        if p not in refused:
            assert (out / "sources" / p.slug / "index.html").is_file()


# Raw YAML: hostile values written unquoted, as an editor would ---------------------------------

YAML_VALUES = read_corpus("yaml")


def test_hostile_yaml_is_read_as_text_or_refused_cleanly(tmp_path):
    project = new_project(tmp_path / "site")
    claims = project.content_dir / "claims"
    marker = Path("/tmp/factsite-pwned")
    marker.unlink(missing_ok=True)
    written = set()
    for p in YAML_VALUES:
        fields = to_yaml(claim_data(None, p.slug)).replace(f'title: "Claim {p.slug}"', f"title: {p.text}")
        fields = fields.replace(f'claim: "Claim {p.slug}"', f"claim: {p.text}")
        written.add(write(claims / f"{p.slug}.md", f"---\n{fields}\n---\nBody.\n"))
    errors = build_accepted(project, tmp_path / "out", may_refuse=written, quick=True)
    assert not marker.exists(), "YAML ran a command"
    refused = {e.path for e in errors}
    assert refused, "no hostile YAML was refused: the test wrote what it meant?"
    assert written - refused, "every hostile YAML value was refused"
    assert_clean(check_site(tmp_path / "out", Expected(claims=claims_as_written(project.content_dir))))


# Fields the build checks (dates, references, choices, numbers, slugs): a clean error ----------

def test_hostile_values_in_checked_claim_source_and_page_fields_are_clean_errors(tmp_path):
    project = new_project(tmp_path)
    content = project.content_dir
    files = []
    for p in FIELD_TEXT + FIELD_URLS:
        text = p.text
        files.append(write_markdown(content / "claims" / f"{p.slug}.md", claim_data(
            None, p.slug, claimant_type=text, claim_date=text, appeared_in=text, verdict=text, topics=[text],
            sources=[{"source": text, "quote": "x", "stance": text}], published=text, updated=text,
            corrections=[{"date": text, "note": "x"}], related=[text], draft=text), "Body."))
        files.append(write_yaml(content / "sources" / f"{p.slug}.yml", {"title": "x", "kind": text, "published": text}))
        files.append(write_markdown(content / "pages" / f"{p.slug}.md",
                                    {"title": "x", "order": text, "includes": [text]}, "Body."))
    errors = errors_of(project)
    assert_clean_errors(errors, content)
    reported = {(e.path, e.line) for e in errors}
    missing = [f"{path.name}:{line}" for path in files for p in FIELD_TEXT + FIELD_URLS
               if path.stem == p.slug for line in lines_of(path, p.text) if (path, line) not in reported]
    assert not missing, f"hostile values accepted without an error: {missing[:20]}"
    assert len(reported) >= 15 * len(FIELD_TEXT)


def test_long_values_in_fields_that_cannot_hold_them_are_clean_errors(tmp_path):
    """Each long payload in every text field whose limit it passes (fields.Field.max_length):
    one clean error on each line, before anything is drawn or rendered."""
    project = new_project(tmp_path)
    content = project.content_dir

    def over(schema: dict, text: str) -> dict:
        return {name: text for name, spec in schema.items() if spec.kind == "text" and len(text) > spec.max_length}

    files = []
    for p in LONG_TEXT:
        claim = claim_data(None, p.slug, **over(CLAIM_FIELDS, p.text))
        claim["sources"][0].update(over(CITATION_FIELDS, p.text))
        claim["corrections"][0].update(over(CORRECTION_FIELDS, p.text))
        files.append(write_markdown(content / "claims" / f"{p.slug}.md", claim, "Body."))
        files.append(write_yaml(content / "sources" / f"{p.slug}.yml",
                                {"title": "x", "kind": "other", **over(SOURCE_FIELDS, p.text)}))
        files.append(write_markdown(content / "pages" / f"{p.slug}.md", {"title": "x", **over(PAGE_FIELDS, p.text)},
                                    "Body."))
    errors = errors_of(project)
    assert_clean_errors(errors, content)
    reported = {(e.path, e.line) for e in errors}
    missing = [f"{path.name}:{line}" for path in files for p in LONG_TEXT if path.stem == p.slug
               for line in lines_of(path, p.text) if (path, line) not in reported]
    assert not missing, f"long values accepted without an error: {missing[:20]}"
    assert all("characters long" in e.message for e in errors), [str(e)[:200] for e in errors]

    site = new_project(tmp_path / "settings").content_dir
    long = LONG_TEXT[0].text
    verdicts = site_settings()["verdicts"] + [{"slug": "long", "label": long, "definition": long, "colour": "#4b5563"}]
    path = write_yaml(site / "site.yml", site_settings(
        title=long, tagline=long, verdicts=verdicts, topics=[{"slug": "long", "name": long, "description": long}],
        **{"organization.name": long}))
    problems = Problems()
    load_config(site, problems)
    assert_clean_errors(problems.errors, site)
    assert {e.line for e in problems.errors} == set(lines_of(path, long))


def test_hostile_values_in_checked_site_settings_are_clean_errors(tmp_path):
    project = new_project(tmp_path)
    content = project.content_dir
    payloads = FIELD_TEXT + FIELD_URLS
    verdicts = site_settings()["verdicts"] + [
        {"slug": p.text, "label": "x", "definition": "x", "colour": p.text, "rating": p.text} for p in payloads]
    topics = [{"slug": p.text, "name": "x"} for p in payloads]
    path = write_yaml(content / "site.yml", site_settings(verdicts=verdicts, topics=topics))
    errors = errors_of(project)
    assert_clean_errors(errors, content)
    reported = {e.line for e in errors}
    missing = [line for p in payloads for line in lines_of(path, p.text) if line not in reported]
    assert not missing, f"site.yml lines accepted without an error: {missing[:20]}"


# Site settings: web addresses refused unless http(s); then one build per payload ---------------

EMAILS = ["javascript:alert(1)@example.org", '"><script>alert(1)</script>@example.org',
          "x@example.org?body=<script>alert(1)</script>", 'x@example.org" onmouseover="alert(1)',
          "x@example.org\njavascript:alert(1)", "x@exa\u202emple.org", "alert(1)@example.org"]
SETTINGS = {  # each setting that is checked, and what it is tried with
    "organization.url": [p.text for p in FIELD_URLS],
    "base_url": [p.text for p in FIELD_URLS],
    "organization.logo": [p.text for p in FIELD_URLS],
    "contact_email": EMAILS + [p.text for p in FIELD_URLS],
    "custom_domain": [p.text for p in FIELD_URLS],
    "language": [p.text for p in FIELD_TEXT],
}


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> dict[str, tuple[list[str], list[tuple[str, list[ContentError]]]]]:
    """For each checked setting: the hostile values site.yml accepts, and the errors for the others."""
    project = new_project(tmp_path_factory.mktemp("settings"))
    path = project.content_dir / "site.yml"
    found = {}
    for key, values in SETTINGS.items():
        accepted, refused = [], []
        for value in values:
            write_yaml(path, site_settings(**{key: value}))
            problems = Problems()
            load_config(project.content_dir, problems)
            (refused.append((value, problems.errors)) if problems.errors else accepted.append(value))
        found[key] = accepted, refused
    return found


def test_site_settings_refuse_addresses_that_are_not_web_addresses(settings):
    for key in ("organization.url", "base_url"):
        accepted, refused = settings[key]
        assert not [v for v in accepted if must_be_refused(v)], f"{key} accepts addresses that are not http(s)"
    assert not settings["custom_domain"][0], "custom_domain accepts a hostile value"
    for key, (accepted, refused) in settings.items():
        for value, errors in refused:
            for error in errors:
                assert error.path.name == "site.yml" and error.line and error.message and error.hint, error
    # Whatever is accepted goes into a build below; a mailto: link is all an address can become.
    assert all(re.fullmatch(r"[^@\s<>\"'?&]+@[^@\s<>\"'?&]+", v) for v in settings["contact_email"][0])


LINE_BREAKS = re.compile("[\n\u2028\u2029\u0085]")
SETTING_PAYLOADS = {
    "no line breaks": [p for p in FIELD_TEXT if not LINE_BREAKS.search(p.text)],
    "line breaks": [p for p in FIELD_TEXT if LINE_BREAKS.search(p.text)],
}


@pytest.mark.parametrize("group", ["no line breaks", "line breaks"])
def test_hostile_site_settings_give_nothing_executable(group, settings, tmp_path):
    """One build per payload, with it as the site's title, tagline, organization name and (if
    site.yml accepts it there) language, and the hostile addresses, emails and logos that
    site.yml accepts taking turns beside it."""
    def turn(key: str, k: int, default):
        accepted = settings[key][0]
        return accepted[k % len(accepted)] if accepted else default

    tasks = []
    for k, p in enumerate(SETTING_PAYLOADS[group]):
        changes = {"title": p.text, "tagline": p.text, "organization.name": p.text,
                   "organization.url": turn("organization.url", k, "https://example.org/"),
                   "organization.logo": turn("organization.logo", k, "logo.svg"),
                   "contact_email": turn("contact_email", k, "errors@example.org"),
                   "language": p.text if p.text in settings["language"][0] else "en",
                   "base_url": turn("base_url", k, BASE_URL)}
        tasks.append((str(p), tmp_path / p.slug, changes))
    assert_clean([f for found in on_every_core(settings_findings, tasks) for f in found])


def settings_findings(task: tuple[str, Path, dict]) -> list[str]:
    name, root, changes = task
    project = new_project(root)
    # A small site (one claim, source, verdict and page): the settings are on every page.
    for path in ("claims/rain-record.md", "claims/draft-claim.md", "pages/corrections.md", "sources/council-data.yml"):
        (project.content_dir / path).unlink()
    claim = project.content_dir / "claims" / "budget-doubled.md"
    text = claim.read_text("utf-8").replace("related: [rain-record]\n", "").replace("topics: [budget]\n", "")
    claim.write_text(text.replace("  - source: council-data\n    quote: Total spending 2025 15.0m\n"
                                  "    stance: contradicts\n", ""), "utf-8")
    verdicts = [v for v in site_settings()["verdicts"] if v["slug"] == "false"]
    write_yaml(project.content_dir / "site.yml", site_settings(verdicts=verdicts, topics=[], **changes))
    try:
        render(project, root / "out")
    except Exception as error:  # noqa: BLE001 - reported with the payload that caused it
        return [f"{name}: the build crashed: {error!r}"[:300]]
    base_path = urlsplit(changes["base_url"] if changes["base_url"].endswith("/") else changes["base_url"] + "/").path
    expected = Expected(base_path=base_path or "/", claims=claims_as_written(project.content_dir),
                        labels={"claims/budget-doubled/index.html": "False"}, site_title=changes["title"].strip())
    out = root / "out"
    files = sorted(p for p in out.rglob("*") if p.is_file() and p.relative_to(out).parts[0] != "admin")
    return [f"{name}: {finding}" for finding in check_files((out, files, expected)) + admin_findings(out)]


def admin_findings(out: Path) -> list[str]:
    """/admin/index.html is not the theme's (check_site leaves /admin/ out), but holds the site's
    title: it must be there as text, beside the one script the page loads, init.js."""
    page = out / "admin" / "index.html"
    if not page.exists():
        return []
    scripts = re.findall(r"<script\b[^>]*>", page.read_text("utf-8"))
    tags = re.findall(r"<(\w+)", page.read_text("utf-8"))
    allowed = {"html", "head", "meta", "title", "link", "body", "script"}
    findings = [f"admin/index.html: a <{tag}> tag" for tag in sorted(set(tags) - allowed)]
    if len(scripts) != 1 or "/admin/init.js" not in scripts[0]:
        findings.append(f"admin/index.html: scripts {scripts}")
    return findings


# Control characters in front matter: XML cannot hold them (the feed, the badges) -------------

def test_control_characters_in_front_matter_are_refused_cleanly(tmp_path):
    project = new_project(tmp_path)
    content = project.content_dir
    files = []
    for p in CONTROL_TEXT:
        files.append(write_yaml(content / "sources" / f"{p.slug}.yml", {
            "title": p.text, "publisher": p.text, "author": p.text, "kind": "news report",
            "image_credit": p.text, "notes": p.text}))
        files.append(write_markdown(content / "claims" / f"{p.slug}.md", claim_data(
            p.text, p.slug, sources=[{"source": p.slug, "quote": p.text, "stance": "supports"}]), "Body."))
        files.append(write_markdown(content / "pages" / f"{p.slug}.md",
                                    {"title": p.text, "description": p.text}, "Body."))
    try:
        build(project, tmp_path / "out", cards=False, search=False, use_cache=False)
    except BuildFailed as failed:
        errors = failed.problems.errors
        assert_clean_errors(errors, content)
        reported = {(e.path, e.line) for e in errors}
        missing = [f"{path.name}:{line}" for path in files for p in CONTROL_TEXT if path.stem == p.slug
                   for line in lines_of(path, p.text) if (path, line) not in reported]
        assert not missing, f"control characters accepted without an error: {missing[:20]}"
    else:
        assert_clean(check_site(tmp_path / "out", Expected(claims=claims_as_written(content))))


def test_control_characters_in_site_settings_are_refused_cleanly(tmp_path):
    project = new_project(tmp_path)
    payloads = [p for p in CONTROL_TEXT if not LINE_BREAKS.search(p.text)]
    verdicts = site_settings()["verdicts"] + [
        {"slug": p.slug, "label": p.text, "definition": p.text, "colour": "#4b5563"} for p in payloads]
    topics = [{"slug": p.slug, "name": p.text, "description": p.text} for p in payloads]
    path = write_yaml(project.content_dir / "site.yml", site_settings(
        title=payloads[0].text, tagline=payloads[1].text, verdicts=verdicts, topics=topics,
        **{"organization.name": payloads[2].text}))
    try:
        build(project, tmp_path / "out", cards=False, search=False, use_cache=False)
    except BuildFailed as failed:
        errors = failed.problems.errors
        assert_clean_errors(errors, project.content_dir)
        missing = [line for p in payloads for line in lines_of(path, p.text)
                   if line not in {e.line for e in errors}]
        assert not missing, f"site.yml lines with control characters accepted: {missing}"
    else:
        assert_clean(check_site(tmp_path / "out", Expected(claims=claims_as_written(project.content_dir))))


# Share cards: text in every script and direction, drawn or refused, never a traceback ----------

CARD_PAYLOADS = [p for p in FIELD_TEXT + LONG_TEXT
                 if not p.text.isascii() or len(p.text) > 1000 or LINE_BREAKS.search(p.text)]


@pytest.mark.parametrize("payload", [pytest.param(p, id=str(p)) for p in CARD_PAYLOADS])
def test_share_card_is_drawn_whatever_the_text(payload, project):
    site, _ = read_site(project)
    claim = site.claims[0]
    claim.claim = claim.title = claim.claimant.name = claim.verdict.label = payload.text
    site.config.title = site.config.tagline = payload.text
    assert claim_card(claim, site.config).startswith(b"\x89PNG")
    assert site_card(site.config).startswith(b"\x89PNG")


# File names and claimant names with invisible characters -----------------------------------------

INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
NAMES = {"rlo": "evil\u202egnp", "zwsp": "bud\u200bget", "zwj": "budget\u200d", "bom": "\ufeffbudget",
         "isolate": "\u2066budget\u2069", "lrm": "budget\u200e", "fullwidth": "\uff42udget",
         "cyrillic": "\u0431udget", "upper": "Budget", "nbsp": "bud\u00a0get", "markup": "x\"onmouseover=alert(1)"}
KINDS = {"claims": ("rain-record.md", ".md"), "sources": ("council-data.yml", ".yml"),
         "pages": ("methodology.md", ".md")}


@pytest.mark.parametrize("folder", sorted(KINDS))
@pytest.mark.parametrize("name", sorted(NAMES))
def test_file_name_with_invisible_or_look_alike_characters_is_refused(project, folder, name):
    original, suffix = KINDS[folder]
    folder_path = project.content_dir / folder
    path = write(folder_path / (NAMES[name] + suffix), (folder_path / original).read_text("utf-8"))
    errors = [e for e in errors_of(project) if e.path == path]
    assert len(errors) == 1, errors
    assert re.search(r'"[a-z0-9]+(-[a-z0-9]+)*\.(md|yml)"', errors[0].hint), errors[0].hint  # an ASCII name to use


def test_refusal_of_a_file_name_shows_invisible_characters_visibly(project):
    path = write(project.content_dir / "claims" / (NAMES["rlo"] + ".md"), "---\ntitle: x\n---\n")
    [error] = [e for e in errors_of(project) if e.path == path]
    assert not INVISIBLE.search(str(error)), repr(str(error))  # what the terminal shows
    assert "<U+202E>" in str(error)


def test_file_name_ending_in_a_newline_is_refused(project):
    claims = project.content_dir / "claims"
    path = write(claims / "budget\n.md", (claims / "rain-record.md").read_text("utf-8"))
    assert [e for e in errors_of(project) if e.path == path]


# In Chromium, with the Content Security Policy bypassed --------------------------------------------

# Run in each page once it has loaded: what the browser itself made of the markup.
IN_THE_PAGE = """async () => {
  await new Promise(resolve => setTimeout(resolve, 30));  // let queued load and error events run
  const found = [];
  const show = e => e.outerHTML.slice(0, 160);
  for (const e of document.querySelectorAll('*')) {
    for (const a of e.attributes) {
      if (a.name.toLowerCase().startsWith('on')) found.push('handler ' + a.name + ': ' + show(e));
      if (a.name.toLowerCase() === 'style') found.push('style: ' + show(e));
      if (['href', 'src', 'action', 'formaction', 'poster', 'data', 'background', 'cite', 'xlink:href']
          .includes(a.name.toLowerCase())) {
        let protocol;
        try { protocol = new URL(a.value, document.baseURI).protocol; } catch { protocol = 'invalid:'; }
        if (!['http:', 'https:', 'mailto:', 'invalid:'].includes(protocol)) found.push(protocol + ' ' + show(e));
      }
    }
  }
  for (const s of document.querySelectorAll('script')) {
    const ours = s.type === 'application/ld+json' || (s.type === 'module' && new URL(s.src).pathname === '/search.js');
    if (!ours) found.push('script: ' + show(s));
  }
  for (const e of document.querySelectorAll('iframe, frame, object, embed, base, style, math, foreignObject'))
    found.push('element: ' + show(e));
  return {found, xss: window.__xss === undefined ? null : String(window.__xss)};
}"""


SHOW_EVERY_RESULT = """async () => {
  const status = document.getElementById('search-status'), more = document.getElementById('search-more');
  const results = document.getElementById('search-results');
  const until = async (done) => { for (let i = 0; i < 400 && !done(); i++) await new Promise(r => setTimeout(r, 25)); };
  await until(() => status.textContent !== '');
  while (!more.hidden) {
    const count = results.children.length;
    more.click();
    await until(() => results.children.length > count || more.hidden);
  }
  return results.children.length;
}"""


def visit(browser, folder: Path, paths: list[str], search: list[str] = ()) -> list[str]:
    """Load each page in Chromium with the CSP bypassed; what ran or was found in the DOM."""
    sync_api = pytest.importorskip("playwright.sync_api")
    findings = []
    with serve(folder, "/") as port:
        context = browser.new_context(bypass_csp=True)
        # Nothing leaves the machine: the hostile links' images and frames are refused at once.
        context.route(re.compile(rf"^(?!http://127\.0\.0\.1:{port}/)"), lambda route: route.abort())
        context.on("dialog", lambda dialog: (findings.append(f"{dialog.page.url}: a {dialog.type} opened: "
                                                             f"{dialog.message}"), dialog.dismiss()))
        base = f"http://127.0.0.1:{port}/"
        addresses = [base + path for path in paths] + [base + "search/?q=" + term for term in search]
        for address in addresses:
            page = context.new_page()  # a page of its own: a broken one cannot hold up the next
            try:
                page.goto(address, wait_until="load", timeout=10_000)
                if "?q=" in address:  # every result, its excerpt written by search.js with innerHTML
                    assert page.evaluate(SHOW_EVERY_RESULT) > 0, f"no result for {address}"
                result = page.evaluate(IN_THE_PAGE)
            except sync_api.Error as error:  # the page never loaded, or went elsewhere
                findings.append(f"{address}: {str(error).splitlines()[0]}")
                continue
            finally:
                page.close()
            findings += [f"{address}: {found}" for found in result["found"]]
            if result["xss"] is not None:
                findings.append(f"{address}: window.__xss is {result['xss']}")
        context.close()
    return findings


def test_hostile_pages_run_nothing_in_chromium_without_the_csp(browser, content_site, url_site, verdict_site):
    """The pages that show every payload of a field: the index (titles, claims, claimants,
    summaries), the lists of topics, claimants, sources, corrections and verdicts, a claim and a
    source holding every payload in each of their fields and every Markdown body, every hostile
    link; and the search results, whose excerpts search.js writes as HTML."""
    out, _ = content_site
    lists = sorted(f"page/{path.name}/" for path in (out / "page").glob("*") if path.is_dir())
    cards = sum((out / page / "index.html").read_text("utf-8").count('class="card"') for page in ["", *lists])
    assert cards >= len(FIELD_TEXT)  # every claim is on one page of the index
    pages = ["", *lists, "topics/", "claimants/", "sources/", "corrections/", f"claims/{ALL}/", f"sources/{ALL}/",
             f"claims/{FIELD_TEXT[0].slug}/", f"sources/{FIELD_TEXT[0].slug}/", f"topics/{FIELD_TEXT[0].slug}/"]
    findings = visit(browser, out, pages, search=["alert"])  # every payload says "alert" or "__xss"
    url_out, _, _, _ = url_site
    findings += visit(browser, url_out, [f"claims/{ALL}/", "sources/"])
    verdict_out, _, _ = verdict_site
    findings += visit(browser, verdict_out, ["verdicts/", "methodology/", "", "search/"])
    assert_clean(findings)
