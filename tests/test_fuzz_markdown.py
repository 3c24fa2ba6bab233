"""Markdown bodies built from every construct some parser could choke on (bench/fuzz_markdown.py's
list), repeated, nested and mixed: each is refused with a ContentError on a line of the body, or
converted; nothing else is ever raised. Not timed: bench/fuzz_markdown.py measures the time.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings, strategies as st

from factsite.errors import Problems
from factsite.checks.links import WrittenLinks
from factsite.render.markup import MarkdownRenderer
from factsite.read.parse import check_markdown, parse_markdown_text

from .conftest import REPO

_spec = importlib.util.spec_from_file_location("fuzz_markdown", REPO / "bench" / "fuzz_markdown.py")
fuzz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz)

FRONT_MATTER = "---\ntitle: x\n---\n"
RENDERER = MarkdownRenderer("/")


@st.composite
def bodies(draw) -> str:
    """Runs of constructs: each a prefix (nesting it), a construct or line, and how often it repeats."""
    runs = draw(st.lists(st.tuples(st.sampled_from(fuzz.PREFIXES + fuzz.AROUND), st.sampled_from(fuzz.LINES),
                                   st.sampled_from([1, 1, 2, 3, 10, 50, 300, 3000]),
                                   st.sampled_from(["", "\n", "\n\n", " "])), min_size=1, max_size=8))
    return "".join((prefix + line + end) * times for prefix, line, times, end in runs)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(bodies())
# Deep enough to overflow the stack even with the recursion limit Hypothesis raises while it runs.
@example("- " * 4000 + "x")
@example("Term\n: d\n" * 900)
@example('<div markdown="1">\n' * 400)
@example("[" * 20_000)
@example("<![CDATA[" * 2_000)
@example("> " * 40 + "- " * 40 + "x")
def test_any_body_of_hostile_constructs_is_converted_or_refused_with_a_content_error(body):
    path = Path("content/claims/x.md")
    problems = Problems()
    doc = parse_markdown_text(FRONT_MATTER + body, path, problems)
    assert doc is not None and not problems.items
    check_markdown(doc, "analysis", problems)
    last_line = FRONT_MATTER.count("\n") + body.count("\n") + 1
    for error in problems.items:
        assert error.path == path and doc.body_line <= error.line <= last_line and error.message and error.hint
    if not problems.errors:
        html = RENDERER(doc.body)
        WrittenLinks.found(path, "https://example.org/claims/x/", doc.body, doc.body_line, RENDERER.last_links)
        assert isinstance(html, str)
