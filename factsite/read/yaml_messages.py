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
    for number, line in enumerate(lines[: last + 1]):
        match = _QUOTED_VALUE.match(line)
        if not match:
            continue
        quote, rest = match.groups()
        # Inside double quotes \" and \\ are escapes; inside single quotes '' is an apostrophe.
        rest = rest.replace("\\\\", "").replace('\\"', "") if quote == '"' else rest.replace("''", "")
        if quote not in rest:
            return Explanation(number, "a quotation mark opened on this line is not closed",
                               "end the value with the same quotation mark it starts with")
        if not _AFTER_CLOSING.match(rest[rest.index(quote) + 1:]):
            return _ended_early(number, line, match.start(1), quote)
    return None


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
        if match:
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
