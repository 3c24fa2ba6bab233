"""How much Python-Markdown's parsers read again to close what a body opens: brackets,
parentheses, HTML tags and code fences never closed (markdown_limits.py refuses a body for
which this passes MAX_REREAD). Each function reads the text once, with regular expressions
that cannot backtrack.
"""

from __future__ import annotations

import bisect
import re

from markdown.htmlparser import htmlparser as markdown_html  # the copy of html.parser that Python-Markdown patches and uses

_BRACKET = re.compile(r"[\[\]()]")
_QUOTE = re.compile("[\"']")
TAG_START = re.compile(r"<(?:[A-Za-z/?]|!(?!--))")  # `<!--` has a parser of its own, which remembers
_TAG_END = re.compile(r">")
_CDATA_START, _CDATA_END = "<![CDATA[", "]]>"
_START_TAG = markdown_html.locatestarttagend_tolerant  # "<a" and its attributes, as far as they go
# A line that starts with a code fence, and the rest of that line.
_FENCE_LINE = re.compile(r"\n(`{3,}|~{3,})([^\n]*)")
# An opening fence's hl_lines="...": its closing quote may be on any later line.
_HL_LINES = re.compile(r"[ \t]*(?:\.?[\w#.+-]*[ \t]*)?hl_lines=([\"'])")


def reread_cost(body: str, limit: int) -> tuple[int, int]:
    """An upper bound on the characters Python-Markdown's parsers read again to close what is
    opened, and where the costliest opening is (see _link_costs, _tag_costs and _fence_costs);
    past ``limit``, the bound may stop counting."""
    charges = list(_fence_costs(body)) if "```" in body or "~~~" in body else []
    # Each bracket, parenthesis or tag is charged at most the length of the text: few, nothing to look at.
    bound = (body.count("[") + body.count("(") + body.count("<")) * len(body) + sum(c for _, c in charges)
    if bound <= limit:
        return bound, 0
    for start, end in blocks(body) if "[" in body else ():
        if body.find("[", start, end) >= 0:
            charges.extend(_link_costs(body, start, end))
    charges.extend(_tag_costs(body, limit) if "<" in body else ())
    where, _ = max(charges, key=lambda charge: charge[1], default=(0, 0))
    return sum(charged for _, charged in charges), where


def _tag_costs(body: str, limit: int):
    """(position, characters read again) for each HTML tag, until they add up to more than ``limit``.

    Python's html.parser (under Python-Markdown's HtmlBlockPreprocessor) reads the whole document
    at once, from each "<tag" to its ">" (from "<![CDATA[" to "]]>"), or to the end. A start tag
    reads further when a quoted attribute holds a ">", and one never closed takes in the tags
    after it as attributes: for those, the parser's own pattern for a start tag (as Python-Markdown
    sets it) is matched here too, which is why this stops once the total is past the limit."""
    ends = [match.start() for match in _TAG_END.finditer(body)]
    cdata_ends = [match.start() for match in re.finditer(re.escape(_CDATA_END), body)]
    total = 0
    for match in TAG_START.finditer(body):
        position = match.start()
        closes = cdata_ends if body.startswith(_CDATA_START, position) else ends
        following = bisect.bisect(closes, position)
        charged = (closes[following] if following < len(closes) else len(body)) - position
        if body[position + 1] not in "/?!":
            charged += _START_TAG.match(body, position).end() - position
        yield position, charged
        total += charged
        if total > limit:
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


BLANK_LINE = re.compile(r"\n[ \t]*\n")


def blocks(body: str):
    """(start, end) of each run of lines between blank lines."""
    start = 0
    for match in BLANK_LINE.finditer(body):
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
