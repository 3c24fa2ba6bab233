"""Markdown is converted with only the "extra" extensions (markup.EXTRA), block processors
(markup.BLOCK) and inline patterns (markup.INLINE) a text could use, which must give exactly
what converting it with all of them gives."""

from __future__ import annotations

import re
import sys

import markdown
import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from factsite.render.markup import EXTRA, MarkdownRenderer, used_extensions

from .conftest import REPO

# Lines that use each extension, lines that nearly do, and the rest of Markdown around them.
LINES = [
    # tables
    "| a | b |", "|---|:-:|", "a | b", "--- | ---", r"a \| b", "`a|b`", "|",
    # footnotes
    "A claim.[^1]", "[^1]: The note.", "[^note]:", "[^", r"\[^1]", "    More of the note.",
    # attr_list
    "# A heading {#here}", "A paragraph.", "{: .lede}", "*stressed*{: #this}", "{.x}", "{", "}", r"\{: .x}",
    # def_list
    "Term", ": The definition.", ":   Another.", "1. : x", "- : y", "12:30 is the time.", ":",
    # fenced_code
    "```", "```python", "~~~", "~~~~", "print('a|b')",
    # abbr
    "*[HTML]: Hyper Text Markup Language", "HTML is everywhere.", "*[", "*[x]",
    # md_in_html, and what it would change
    '<div markdown="1">', "</div>", "<b>bold</b>", "a < b", "&amp; &copy; &#39;", "<https://example.org/>",
    # block processors and inline patterns, and what nearly matches them
    "#hashtag", "a # b", "### Three ###", "2 > 1", ">no space", "   > three spaces", "   indented three",
    "[ref][id]", "[id]", "[ref] [id]", "![picture][id]", "![id]", "[id]: /claims/y/", '[ID]: /z/ "Title"',
    "[unclosed", "a ] b", "<mail@example.org>", "<https://example.org/x>", "a > b", "a &amp; b", "&copy; 2026", "& alone",
    r"a \`b\` c", r"\\", "``double ` tick``", "snake_case_name", "__strong__", "*a* **b** ***c***", "a * b",
    "two spaces, then a tab\t", "\tindented by a tab", "tab\tinside", "trailing space ",
    # everything else
    "# One", "## Two", "**bold** and _it_", "[a link](/claims/x/)", "![a picture](/a.png)", "`code`",
    '```python hl_lines="1"', "Term\r: definition",
    "* item", "- item", "+ item", "1. first", "1) first", "    indented code", "---", "***", "> quoted",
    r"\*not\*", "Line with two spaces  ", "plain words", "",
]
PREFIXES = ["", "", "", "> ", "- ", "1. ", "    ", "  ", "> > ", "\t"]


@st.composite
def documents(draw) -> str:
    lines = draw(st.lists(st.tuples(st.sampled_from(PREFIXES), st.sampled_from(LINES)), max_size=14))
    breaks = draw(st.lists(st.sampled_from(["\n", "\n", "\n\n"]), min_size=len(lines), max_size=len(lines)))
    return "".join(prefix + line + end for (prefix, line), end in zip(lines, breaks))


def converted(renderer: MarkdownRenderer, text: str, everything: bool = False) -> tuple[str, list[str]]:
    """The HTML before sanitising (which could hide a difference), and the links noted."""
    return renderer.convert(text, everything), renderer.last_links


RENDERER = MarkdownRenderer("/repo/")


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
@example("Term\n: The definition.\n")
@example("- Term\n\n    : The definition.\n")
@example("| a | b |\n|---|---|\n| 1 | 2 |\n")
@example("```\ncode\n```\n")
@example('```python hl_lines="1"\nx = 1\n```\n')  # fenced_code writes hl_lines only beside attr_list
@example("Term\r: The definition.\n")  # a lone carriage return breaks a line too
@example("[ref] [id] and [ID]\n\n[id]: /claims/y/\n")  # links to a definition
@example("![picture][id] and ![id]\n\n[id]: /a.png\n")
def test_only_what_a_text_uses_converts_it_as_everything_does(text):
    assert converted(RENDERER, text) == converted(RENDERER, text, everything=True)


@pytest.mark.parametrize("path", sorted((REPO / "content").rglob("*.md")) + sorted((REPO / "docs").rglob("*.md"))
                         + sorted((REPO / "tests" / "fixtures").rglob("*.md")), ids=lambda p: p.name)
def test_every_markdown_file_of_the_project_converts_as_with_everything(path):
    text = path.read_text("utf-8")
    assert converted(RENDERER, text) == converted(RENDERER, text, everything=True)


def test_a_text_that_uses_no_extension_is_converted_without_them():
    assert used_extensions("Plain words, a [link](/x/) and **bold**.\n\n- a list\n") == ()
    assert used_extensions("A table:\n\n| a | b |\n|---|---|\n") == ("tables",)
    assert used_extensions("<b>raw HTML</b> | and a pipe") == tuple(EXTRA)


def test_a_blank_text_has_no_links_of_the_text_before():
    renderer = MarkdownRenderer("/repo/")
    renderer("See [the rain check](/claims/rain-record/).")
    assert renderer.last_links == ["/claims/rain-record/"]
    assert renderer("\n") == "" and renderer.last_links == []


def test_the_installed_python_markdown_is_a_version_pyproject_accepts():
    """markup.py hands Python-Markdown's parser and inline processor lists of their own processors
    (internals, not its public API), so pyproject.toml accepts only the versions it was tested with."""
    text = (REPO / "pyproject.toml").read_text("utf-8")
    if sys.version_info >= (3, 11):
        import tomllib

        specs = [spec for spec in tomllib.loads(text)["project"]["dependencies"] if spec.startswith("markdown")]
    else:  # no tomllib: the dependency's own line
        specs = re.findall(r'"(markdown[^"]*)"', text)
    assert len(specs) == 1, specs
    bounds = re.fullmatch(r"markdown>=([0-9.]+),<([0-9.]+)", specs[0].replace(" ", ""))
    assert bounds, f"pyproject.toml accepts {specs[0]!r}: give the tested range, markdown>=LOW,<HIGH"

    def version(text: str) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"[0-9]+", text)[:3])

    low, high = (version(bound) for bound in bounds.groups())
    assert low <= version(markdown.__version__) < high, (
        f"Python-Markdown {markdown.__version__} is installed, and pyproject.toml accepts {specs[0]}. Before "
        "widening the range, run the whole suite with that version (tests/test_markup.py, which converts "
        "with only the processors a text could use and with all of them, the golden build in "
        "tests/test_build.py and tests/test_hostile_content.py), and check in markdown/blockparser.py and "
        "markdown/treeprocessors.py that the parser still walks its blockprocessors and the inline "
        "processor its inlinePatterns by position, which markup.MarkdownRenderer.convert replaces with lists")


@pytest.mark.parametrize("link, kept", [
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a title="a &quot;rel&quot;" href="data:text/html,x">x</a>', '<a title="a &quot;rel&quot;">x</a>'),
    ('<a href="/claims/x/">x</a>', '<a href="/claims/x/" rel="noopener">x</a>'),
])
def test_a_link_whose_address_is_refused_keeps_no_rel(link, kept):
    """HTML allows rel only beside an href (the Nu checker refuses the page otherwise)."""
    assert MarkdownRenderer("/")(link) == f"<p>{kept}</p>"
