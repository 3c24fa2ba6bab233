"""Parsing a content file into a Document: its YAML fields with their lines, and its Markdown body.

A claim or page is Markdown with YAML front matter between two `---` lines; a source, the
site's settings and the withdrawn records are YAML alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..digest import digest_of
from ..errors import Problems
from .markdown_limits import refusals
from .text import read_text
from .yaml_lines import line_of, parse_yaml


@dataclass
class Document:
    """A parsed content file: its YAML values, where each key is, and its Markdown body."""

    path: Path
    data: dict
    lines: dict[tuple, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    digest: str = ""  # of the fields' text, so a build can tell what changed
    body_digest: str = ""  # of the Markdown body

    def line(self, *keys) -> int:
        """The line of the deepest of ``keys`` that is in the file (1 for the file's start)."""
        return line_of(self.lines, keys)


def read_yaml_file(path: Path, problems: Problems) -> Document | None:
    text = read_text(path, problems)
    if text is None:
        return None
    parsed = parse_yaml(text, path, problems)
    if parsed is None:
        return None
    data, lines = parsed
    if not isinstance(data, dict):
        problems.error(path, 1, "expected fields written as `name: value`, one per line")
        return None
    return Document(path, data, lines, digest=digest_of(text))


def read_markdown_file(path: Path, problems: Problems) -> Document | None:
    """A Markdown file with YAML front matter between two `---` lines."""
    text = read_text(path, problems)
    return None if text is None else parse_markdown_text(text, path, problems)


def parse_markdown_text(text: str, path: Path, problems: Problems) -> Document | None:
    """The front matter and body of a Markdown file's text.

    ``path`` only names the file in messages: the text may not be on disk (a
    claim as it was in an earlier git commit, say).
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[0].strip() != "---":
        problems.error(
            path, 1, "the file does not start with front matter",
            "begin the file with a line `---`, the fields, and another line `---`",
        )
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        problems.error(
            path, 1, "the front matter that starts here is not closed",
            "add a line `---` after the last field, before the analysis",
        )
        return None
    front_matter = "\n".join(lines[1:end])
    parsed = parse_yaml(front_matter, path, problems, first_line=2)
    if parsed is None:
        return None
    data, key_lines = parsed
    if not isinstance(data, dict):
        problems.error(path, 2, "expected fields written as `name: value`, one per line")
        return None
    body = "\n".join(lines[end + 1:])
    return Document(path, data, key_lines, body, end + 2, digest_of(front_matter), digest_of(body))


def check_markdown(doc: Document, what: str, problems: Problems) -> None:
    """Refuse a Markdown body that would crash or stall its conversion (markdown_limits.py)."""
    for refusal in refusals(doc.body, what):
        problems.error(doc.path, doc.body_line + refusal.line - 1, refusal.message, refusal.hint)
