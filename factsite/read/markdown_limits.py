"""What a Markdown body may hold, checked in linear time before it is converted.

Python-Markdown (render/markup.py) recurses once for each level of nesting, and some of its parsers
read the rest of a paragraph, or of the document, again for each bracket, parenthesis or HTML
tag that is never closed: a few hundred nested lists raised RecursionError, and 110 KB of
`[` took minutes. Rather than change how normal text converts, a body that would do either
is refused here, with the line to look at; every body that passes converts as it always did,
and in time linear in its length (bench/fuzz_markdown.py measures the worst seconds per KB).

Each check reads the text once, with regular expressions that cannot backtrack (the one that
follows a start tag's attributes reads at most MAX_REREAD characters more), so this costs
little next to converting; files the cache knows are not checked again.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from .markdown_reread import BLANK_LINE, TAG_START, blocks, reread_cost

MAX_CHARACTERS = 100_000  # of one analysis or page: about 15,000 words, several times a long fact-check
# Of one block, the lines between two blank lines (a paragraph, a list, a table, a quote):
# Python-Markdown copies the rest of a block for each list item, heading or rule it takes off
# its front, and the rest of a paragraph for each link, emphasis or escape it finds in it.
MAX_BLOCK = 10_000
MAX_NESTING = 32  # levels of quotes, lists, indentation and definitions; real text uses three or four
MAX_ABBREVIATIONS = 100  # `*[HTML]: ...` definitions: each one is searched for in every paragraph
MAX_FOOTNOTES = 300  # `[^1]` references and definitions, each: the extension works through them all for each
# HTML tags (raw HTML): for each, Python-Markdown copies the rest of the document to look at what follows.
MAX_HTML_TAGS = 10_000
# Characters the parsers may read again, at most, for the brackets, parentheses, HTML tags and
# code fences that they try to close (see reread_cost); ten times the size limit, where a normal
# analysis needs about its own length.
MAX_REREAD = 1_000_000


@dataclass(frozen=True)
class Refusal:
    """Why a body is refused: the line (counted from the body's first) and what to do."""

    line: int
    message: str
    hint: str


def refusals(body: str, what: str = "analysis") -> list[Refusal]:
    """Every reason to refuse ``body`` (at most one of each kind); [] for a body that converts quickly.

    ``what`` names the body in messages: "analysis" or "page"."""
    if len(body) > MAX_CHARACTERS:  # nothing else is looked at: the other limits hold only within this one
        return [Refusal(1, f"the {what} is {len(body):,} characters long; it may have at most {MAX_CHARACTERS:,}",
                        "shorten it, or split it in two; long material such as a transcript belongs in "
                        "the archived copy of a source (a .txt file beside it in content/sources/)")]
    found = [_longest_block(body), _nesting(body),
             _counted(body, _ABBREVIATION.finditer("\n" + body), MAX_ABBREVIATIONS, "abbreviations (*[ABBR]: ...)"),
             _counted(body, _FOOTNOTE.finditer(body), MAX_FOOTNOTES, "footnote references and definitions ([^1])"),
             _counted(body, TAG_START.finditer(body), MAX_HTML_TAGS, "HTML tags"),
             _rereading(body, what)]
    return [refusal for refusal in found if refusal is not None]


def _line_at(body: str, position: int) -> int:
    return body.count("\n", 0, position) + 1


def _longest_block(body: str) -> Refusal | None:
    for start, end in blocks(body) if len(body) > MAX_BLOCK else ():
        if end - start > MAX_BLOCK:
            return Refusal(_line_at(body, start),
                           f"the paragraph that starts here (with the lines up to the next blank line) is "
                           f"{end - start:,} characters long; it may have at most {MAX_BLOCK:,}",
                           "leave a blank line between paragraphs; split a long list or table in two")
    return None


# Nesting ------------------------------------------------------------------------------------

# The patterns that look at the start of a line are searched for in the text after a newline
# ("\n" + body) and begin with one, rather than with "^": the regex engine then skips straight
# to the newlines, where "^" made it try every character (this check runs on every file read).
#
# The start of a line that nests what follows: spaces and tabs (four columns a level), quote
# marks, list markers and definition marks. Only a line whose start is longer than MAX_NESTING
# characters can be nested deeper, so only those are looked at closely.
_DEEP_START = re.compile(r"\n[ \t>*+\-:0-9.)]{%d,}" % (MAX_NESTING + 1))
_MARKER = re.compile(r"(?:[*+\-:]|[0-9]{1,9}[.)])(?=[ \t])")
# Python-Markdown reads a definition (": ...") after another without a blank line between as
# part of it, one level deeper each time; a blank line ends the run.
_DEFINITION = re.compile(r"\n[ \t>]*:[ \t]")
_MARKDOWN_IN_HTML = re.compile(r"\smarkdown\s*=", re.I)


def _depth_of(start: str) -> int:
    """How deep a line that begins with ``start`` may nest: at most one level per quote mark,
    list marker, definition mark and four columns of indentation."""
    marks = start.count(">") + len(_MARKER.findall(start))
    columns = start.count(" ") + 4 * start.count("\t") - marks  # the space after each mark is not indentation
    return marks + max(columns, 0) // 4


def _nesting(body: str) -> Refusal | None:
    depths = itertools.chain(_line_depths(body), _definition_depths(body), _markdown_in_html_depths(body))
    deepest, where = max(depths, key=lambda depth: depth[0], default=(0, 0))  # the first of the deepest
    if deepest <= MAX_NESTING:
        return None
    return Refusal(_line_at(body, where),
                   f"this line is nested {deepest} levels deep; Markdown here may nest at most {MAX_NESTING} "
                   "(each quote mark, list marker, definition and four spaces of indentation is a level)",
                   "flatten it: a list in a quote in a list is already three levels; leave a blank line "
                   "between definitions, and indent code with fewer spaces or put it in a ``` fence")


def _line_depths(body: str):
    """(depth, position) of each line that starts with more than MAX_NESTING nesting marks."""
    lines = "\n" + body  # a match's start is then where its line starts in the body
    for match in _DEEP_START.finditer(lines):
        yield _depth_of(match.group()), match.start()


def _definition_depths(body: str):
    """(depth, position) of each definition: one more than the definition just before it in its block."""
    if ":" not in body:
        return
    ends = [match.start() for match in BLANK_LINE.finditer(body)]
    run, block = 0, -1
    for match in _DEFINITION.finditer("\n" + body):
        here = bisect.bisect(ends, match.start())
        run = run + 1 if here == block else 1
        block = here
        yield run, match.start()


def _markdown_in_html_depths(body: str):
    """(depth, position) of each element asking for Markdown inside it: each may hold the next."""
    for count, match in enumerate(_MARKDOWN_IN_HTML.finditer(body) if "=" in body else (), 1):
        yield count, match.start()


# Counted constructs ---------------------------------------------------------------------------

_ABBREVIATION = re.compile(r"\n[ \t>]*\*\[")
_FOOTNOTE = re.compile(r"\[\^")


def _counted(body: str, matches, limit: int, what: str) -> Refusal | None:
    """A refusal at the match past ``limit`` (each match starts at its position in ``body``)."""
    for count, match in enumerate(matches, 1):
        if count > limit:
            return Refusal(_line_at(body, match.start()), f"there are more than {limit} {what}",
                           f"keep at most {limit}; each is looked for again in all the text")
    return None


# Re-reading -----------------------------------------------------------------------------------

def _rereading(body: str, what: str) -> Refusal | None:
    cost, where = reread_cost(body, MAX_REREAD)
    if cost <= MAX_REREAD:
        return None
    return Refusal(_line_at(body, where),
                   f"the {what} has too many brackets, parentheses, HTML tags or code fences that are not "
                   "closed (from about this line): converting it would take minutes",
                   "close each [ with ], each ( with ) and each < with >, or write \\[, \\( or \\< for one "
                   "that is only text; end each ``` or ~~~ fence with a line of the same marks; a blank line "
                   "between paragraphs also helps")
