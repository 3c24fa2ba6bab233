"""What an editor is told about a YAML syntax error: the line the slip is on, and what to write.

PyYAML notices a slip where it can no longer read on, often a line or more after it, and says
so in the parser's terms ("did not find expected key"). The slips people make who do not write
YAML every day are recognised here from the text itself, and reported on their own line with
the line as it should be written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml


@dataclass(frozen=True)
class Explanation:
    line: int  # counted from 0, in the YAML text
    message: str
    hint: str


def explain(error: yaml.MarkedYAMLError, text: str) -> Explanation:
    """The slip behind ``error``: the first recognised one, else PyYAML's words with a hint."""
    lines = text.split("\n")
    mark = error.problem_mark or error.context_mark
    last = mark.line if mark else len(lines) - 1
    found = (_quote_slip(lines, last) or _missing_space(lines, last) or _indented_first_key(lines)
             or _indented_key(lines, last))
    if found:
        return found
    line = mark.line if mark else 0
    return Explanation(line, f"YAML syntax error: {error.problem}", _hint(str(error.problem), lines, line))


# A value in quotation marks: `name: "value"`, or a list entry `- "value"`.
_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[\w-]+:\s+)?(["'])(.*)$""")
# What may follow a value's closing quotation mark: nothing, a comment, or `:` if it was a name.
_AFTER_CLOSING = re.compile(r"\s*$|\s+#|:(\s|$)")
LONGEST_SHOWN = 80  # characters of a value written out again in a hint


def _quote_slip(lines: list[str], last: int) -> Explanation | None:
    """A quoted value on or before line ``last`` that is left open, or that a quotation mark
    inside it ends early (`title: 'Kyiv's pledge'`). YAML lets a quoted value run over several
    lines, so the parser notices either only further down; editors need the line it is on."""
    closes_at = -1  # a value in quotation marks that runs over several lines ends on this line
    for number, line in _outside_block_texts(lines, last):
        match = _QUOTED_VALUE.match(line) if number > closes_at else None
        if not match:
            continue
        quote, rest = match.groups()
        rest = _without_escapes(rest, quote)
        if quote not in rest:
            closes_at = next((n for n in range(number + 1, last + 1)  # (a field's line is not the rest of a value)
                              if quote in _without_escapes(lines[n], quote) and not _FIELD.match(lines[n])), -1)
            if closes_at < 0:
                return Explanation(number, "a quotation mark opened on this line is not closed",
                                   "end the value with the same quotation mark it starts with")
        elif not _AFTER_CLOSING.match(rest[rest.index(quote) + 1:]) and _cannot_be_read(lines, number):
            return _ended_early(number, line, match.start(1), quote)
    return None


def _without_escapes(text: str, quote: str) -> str:
    # Inside double quotes \" and \\ are escapes; inside single quotes '' is an apostrophe.
    return text.replace("\\\\", "").replace('\\"', "") if quote == '"' else text.replace("''", "")


def _outside_block_texts(lines: list[str], last: int):
    """(number, line) of the lines up to ``last`` that are not the text of a block value
    (`summary: >-` and the lines indented under it), where quotation marks are only text."""
    block_indent = None
    for number, line in enumerate(lines[: last + 1]):
        if block_indent is not None and (not line.strip() or _indent(line) > block_indent):
            continue
        block_indent = None
        field = _FIELD.match(line)
        if field and re.match(r"^[|>][-+]?\s*(#.*)?$", field.group(5) or ""):
            block_indent = len(field.group(1))
        yield number, line


def _cannot_be_read(lines: list[str], number: int) -> bool:
    """Whether the text up to line ``number`` is already not fields of YAML: a line that only
    looks like a slip (an entry `- mailto:x`, a quotation that is the whole value) is not one."""
    try:
        return not isinstance(yaml.safe_load("\n".join(lines[: number + 1])), dict)
    except yaml.YAMLError:
        return True


def _ended_early(number: int, line: str, opening: int, quote: str) -> Explanation:
    name, value = line[:opening].lstrip(), line[opening + 1:].rstrip()
    enclosed = value.endswith(quote)
    value = value[:-1] if enclosed else value
    # Not closed at the end of the line: a quotation the value goes on after, unless the mark
    # inside is an apostrophe within a word (`'Kyiv's pledge`, its closing mark forgotten too).
    if not enclosed and not (quote == "'" and re.search(r"\w'\w", value)):
        return _starts_with_a_quotation(number, name, quote + value)
    if len(value) > LONGEST_SHOWN:
        value = "Kyiv's pledge" if quote == "'" else 'the "coalition" plan'
    if quote == "'":
        either = f"write it in double quotes ({name}\"{value}\") or " if '"' not in value else ""
        return Explanation(number, "the value is in single quotes and contains an apostrophe, which YAML reads "
                                   "as the closing quote", f"{either}double the apostrophe ({name}{_single_quoted(value)})")
    curly = re.sub(r'"([^"]*)"', "“\\1”", value)
    return Explanation(number, "the value is in double quotes and contains a straight \" inside, which YAML "
                               "reads as the closing quote", f"use curly quotation marks inside ({name}\"{curly}\")")


def _starts_with_a_quotation(number: int, name: str, value: str) -> Explanation:
    """`quote: "We will" he said`: the marks belong to the text, but YAML reads them as the value's."""
    if len(value) > LONGEST_SHOWN:
        value = '"We will" he said'
    if '"' in value:
        hint = f"put the whole value in single quotes: {name}{_single_quoted(value)}"
    else:
        hint = f'put the whole value in double quotes: {name}"{value}"'
    return Explanation(number, "the value starts with a quotation mark and goes on after the quotation closes, "
                               "so YAML reads only the quotation as the value", hint)


def _single_quoted(value: str) -> str:
    """``value`` in single quotes, each apostrophe in it doubled (as YAML writes one there)."""
    return "'" + value.replace("''", "'").replace("'", "''") + "'"


# A field name with something right after its colon: `verdict:false` (but not `- https://...`).
_NO_SPACE = re.compile(r"^(\s*(?:-\s+)?[A-Za-z_][\w-]*:)(?=[^\s/])(.*)$")


def _missing_space(lines: list[str], last: int) -> Explanation | None:
    """`verdict:false` is one word to YAML, not a field: the parser stumbles only on the
    next line, which is where it says the error is."""
    for number in (last, _line_before(lines, last)):
        match = _NO_SPACE.match(lines[number]) if number is not None and number < len(lines) else None
        if match and _cannot_be_read(lines, number):
            name = match.group(1).strip().lstrip("- ")
            return Explanation(number, f'there is no space after the colon of "{name}"',
                               f"put a space after the colon: {match.group(1).lstrip()} {match.group(2)}")
    return None


# A field (names are lower case: `claim_date`, not a sentence's `Note:`) and its value.
_FIELD = re.compile(r"^( *)(- +)?([a-z][a-z0-9_-]*):( +(.*))?$")
_OPENS_A_BLOCK = re.compile(r"^\s*([|>][-+]?\s*)?(#.*)?$")  # `name:`, `name: >-`: what follows is indented


def _indented_first_key(lines: list[str]) -> Explanation | None:
    """The first field indented and a later one not: YAML takes them for two documents."""
    numbers = [n for n, line in enumerate(lines) if _is_content(line)]
    first = _FIELD.match(lines[numbers[0]]) if numbers else None
    if first and first.group(1) and any(_indent(lines[n]) < len(first.group(1)) for n in numbers[1:]):
        name = first.group(3)
        return Explanation(numbers[0], f'"{name}:" is indented', f'start "{name}:" at the beginning of the line')
    return None


def _indented_key(lines: list[str], last: int) -> Explanation | None:
    """A field indented under one that already has its value (`  verdict: false` after
    `title: ...`): YAML reads it as more of that value, then finds a second ": " in it."""
    here = _FIELD.match(lines[last]) if last < len(lines) else None
    above = _line_before(lines, last)
    sibling = _FIELD.match(lines[above]) if here and above is not None else None
    if not sibling or _OPENS_A_BLOCK.match(sibling.group(5) or ""):
        return None
    column = len(sibling.group(1)) + len(sibling.group(2) or "")  # where the name above starts
    if len(here.group(1)) + len(here.group(2) or "") <= column:
        return None
    name, other = here.group(3), sibling.group(3)
    where = (f'start "{name}:" at the beginning of the line, like "{other}:"' if column == 0 else
             f'line "{name}:" up with "{other}:" above it, {column} spaces from the beginning of the line')
    return Explanation(last, f'"{name}:" is indented more than "{other}:" above it, so YAML reads it as part '
                             f'of the value of "{other}"', where)


def _line_before(lines: list[str], number: int) -> int | None:
    """The nearest line above ``number`` that is neither blank nor a comment."""
    return next((n for n in range(min(number, len(lines)) - 1, -1, -1) if _is_content(lines[n])), None)


def _is_content(line: str) -> bool:
    return bool(line.strip()) and not line.lstrip().startswith("#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _hint(problem: str, lines: list[str], number: int) -> str:
    line = lines[number] if number < len(lines) else ""
    if "mapping values are not allowed" in problem:
        return 'a value that contains ": " must be in quotes, e.g. claim: "Macron: 26 countries"'
    if "'\\t'" in problem or "tab" in problem or "\t" in line[: len(line) - len(line.lstrip())]:
        return "indent with spaces, not tabs"
    if "found unexpected end of stream" in problem or "found unknown escape" in problem:
        return "check that every opening quotation mark has its closing one"
    if "expected <block end>" in problem:
        return "check the indentation of this line against the lines above it"
    return "check the quotes and indentation on this line and the one before"
