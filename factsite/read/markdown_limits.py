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

from markdown.htmlparser import htmlparser as markdown_html  # the copy of html.parser that Python-Markdown patches and uses

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
             _counted(body, _TAG_START.finditer(body), MAX_HTML_TAGS, "HTML tags"),
             _rereading(body, what)]
    return [refusal for refusal in found if refusal is not None]


def _line_at(body: str, position: int) -> int:
    return body.count("\n", 0, position) + 1


def _longest_block(body: str) -> Refusal | None:
    for start, end in _blocks(body) if len(body) > MAX_BLOCK else ():
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
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
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
    ends = [match.start() for match in _BLANK_LINE.finditer(body)]
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
    cost, where = reread_cost(body)
    if cost <= MAX_REREAD:
        return None
    return Refusal(_line_at(body, where),
                   f"the {what} has too many brackets, parentheses, HTML tags or code fences that are not "
                   "closed (from about this line): converting it would take minutes",
                   "close each [ with ], each ( with ) and each < with >, or write \\[, \\( or \\< for one "
                   "that is only text; end each ``` or ~~~ fence with a line of the same marks; a blank line "
                   "between paragraphs also helps")


_BRACKET = re.compile(r"[\[\]()]")
_QUOTE = re.compile("[\"']")
_TAG_START = re.compile(r"<(?:[A-Za-z/?]|!(?!--))")  # `<!--` has a parser of its own, which remembers
_TAG_END = re.compile(r">")
_CDATA_START, _CDATA_END = "<![CDATA[", "]]>"
_START_TAG = markdown_html.locatestarttagend_tolerant  # "<a" and its attributes, as far as they go
# A line that starts with a code fence, and the rest of that line.
_FENCE_LINE = re.compile(r"\n(`{3,}|~{3,})([^\n]*)")
# An opening fence's hl_lines="...": its closing quote may be on any later line.
_HL_LINES = re.compile(r"[ \t]*(?:\.?[\w#.+-]*[ \t]*)?hl_lines=([\"'])")


def reread_cost(body: str) -> tuple[int, int]:
    """An upper bound on the characters Python-Markdown's parsers read again to close what is
    opened, and where the costliest opening is (see _link_costs, _tag_costs and _fence_costs)."""
    charges = list(_fence_costs(body)) if "```" in body or "~~~" in body else []
    # Each bracket, parenthesis or tag is charged at most the length of the text: few, nothing to look at.
    bound = (body.count("[") + body.count("(") + body.count("<")) * len(body) + sum(c for _, c in charges)
    if bound <= MAX_REREAD:
        return bound, 0
    for start, end in _blocks(body) if "[" in body else ():
        if body.find("[", start, end) >= 0:
            charges.extend(_link_costs(body, start, end))
    charges.extend(_tag_costs(body) if "<" in body else ())
    where, _ = max(charges, key=lambda charge: charge[1], default=(0, 0))
    return sum(charged for _, charged in charges), where


def _tag_costs(body: str):
    """(position, characters read again) for each HTML tag, until they add up to more than MAX_REREAD.

    Python's html.parser (under Python-Markdown's HtmlBlockPreprocessor) reads the whole document
    at once, from each "<tag" to its ">" (from "<![CDATA[" to "]]>"), or to the end. A start tag
    reads further when a quoted attribute holds a ">", and one never closed takes in the tags
    after it as attributes: for those, the parser's own pattern for a start tag (as Python-Markdown
    sets it) is matched here too, which is why this stops once the total is past the limit."""
    ends = [match.start() for match in _TAG_END.finditer(body)]
    cdata_ends = [match.start() for match in re.finditer(re.escape(_CDATA_END), body)]
    total = 0
    for match in _TAG_START.finditer(body):
        position = match.start()
        closes = cdata_ends if body.startswith(_CDATA_START, position) else ends
        following = bisect.bisect(closes, position)
        charged = (closes[following] if following < len(closes) else len(body)) - position
        if body[position + 1] not in "/?!":
            charged += _START_TAG.match(body, position).end() - position
        yield position, charged
        total += charged
        if total > MAX_REREAD:
            return


def _fence_costs(body: str):
    """(position, characters read again) for each line that starts with a code fence.

    The fenced_code extension (FencedBlockPreprocessor) searches the whole document with one
    regular expression, which from each line that starts with ``` or ~~~ reads on to the next
    line holding the same fence alone, or to the end of the text when there is none. Given
    hl_lines="..." on the opening line, it tries each later quote that ends a line as the closing
    one, and reads on to the end from each: a fence never closed costs that many times more."""
    lines = "\n" + body  # a match's start is then where its line starts in the body
    fences = [(match.start(), match.group(1), match.group(2)) for match in _FENCE_LINE.finditer(lines)]
    closers: dict[str, list[int]] = {}  # for each fence, where the lines holding it alone start
    for position, fence, rest in fences:
        if not rest.strip(" \t"):
            closers.setdefault(fence, []).append(position)
    quote_ends: dict[str, list[int]] = {}  # for each quote mark, where it ends a line
    for position, fence, rest in fences:
        ends = closers.get(fence, [])
        after, tries = position, 1  # the closing line is looked for after ``after``, ``tries`` times
        highlight = _HL_LINES.match(rest)
        if highlight:
            quote = highlight.group(1)
            if quote not in quote_ends:
                quote_ends[quote] = [match.start() for match in re.finditer(quote + r"[ \t]*\n", body)]
            candidates = quote_ends[quote]
            first = bisect.bisect(candidates, position + len(fence) + highlight.end() - 1)
            after = candidates[first] if first < len(candidates) else len(body)
            tries = len(candidates) - first + 1
        following = bisect.bisect(ends, after)
        if following < len(ends):
            yield position, ends[following] - position
        else:  # never closed: read to the end, from each quote that could close hl_lines
            yield position, tries * (len(body) - position)


def _blocks(body: str):
    """(start, end) of each run of lines between blank lines."""
    start = 0
    for match in _BLANK_LINE.finditer(body):
        yield start, match.start()
        start = match.end()
    yield start, len(body)


def _link_costs(body: str, start: int, end: int):
    """(position, characters read again) for each opening bracket, and each "(" after "](", of
    the block ``body[start:end]``.

    The link parsers (inlinepatterns.LinkInlineProcessor.getText and getLink) read from each "["
    to its "]", and from the "(" after "](" to its ")"; one never closed is read to the end of its
    paragraph, which no blank line crosses. A closing mark counts only where nothing can hide it
    from them: not escaped, and in a block with no code (a backtick), no HTML ("<") and no
    definition ("]:"); elsewhere every opening is charged to the end of its block."""
    trusted = not any(body.find(mark, start, end) >= 0 for mark in ("`", "<", "]:"))
    quotes = [match.start() for match in _QUOTE.finditer(body, start, end)] if trusted else []
    squares: list[int] = []  # positions of the "[" not yet closed
    rounds: list[tuple[int, bool]] = []  # of the "(" not yet closed, and whether it follows "]"
    for match in _BRACKET.finditer(body, start, end):
        position, mark = match.start(), match.group()
        if mark == "[":
            squares.append(position)
        elif mark == "(":
            rounds.append((position, position > start and body[position - 1] == "]"))
        elif not trusted or _escaped(body, position):
            continue
        elif mark == "]" and squares:
            opened = squares.pop()
            yield opened, position - opened
        elif mark == ")" and rounds:
            opened, after_link = rounds.pop()
            if after_link:
                following = bisect.bisect(quotes, opened)  # a title ("...") after the address
                quoted = following < len(quotes) and quotes[following] < position
                yield opened, (end if quoted else position) - opened
    # Never closed: read to the end of the block (the parsers stop at the end of a paragraph).
    for opened in squares:
        yield opened, end - opened
    for opened, after_link in rounds:
        if after_link:
            yield opened, end - opened


def _escaped(text: str, position: int) -> bool:
    """Whether the character at ``position`` follows an odd number of backslashes."""
    backslashes = 0
    while position > backslashes and text[position - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1
