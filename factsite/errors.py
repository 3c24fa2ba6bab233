"""Editor mistakes: one exception type, collected and reported together.

Every stage of the build reports what is wrong with the content through a
:class:`Problems` collector instead of raising at the first mistake, so an
editor sees every mistake of a run at once. Only after a stage has looked at
everything does the build stop, by raising :class:`BuildFailed`.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ContentError(Exception):
    """A mistake in a content file, with where it is and what to write instead."""

    path: Path
    line: int | None
    message: str
    hint: str = ""
    severity: str = "error"  # or "warning"

    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else f"{self.path}"

    def __str__(self) -> str:
        text = f"{visible(self.location())}: {self.severity}: {visible(self.message)}"
        if self.hint:
            text += f"\n    hint: {visible(self.hint)}"
        return text


def visible(text: str) -> str:
    """``text`` with invisible characters written out as <U+202E>: a file name or value
    holding a right-to-left override must not scramble the message that names it."""
    return "".join(f"<U+{ord(c):04X}>" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c
                   for c in text)


@dataclass
class Problems:
    """Collects errors and warnings from every stage of a build."""

    items: list[ContentError] = field(default_factory=list)

    def error(self, path: Path, line: int | None, message: str, hint: str = "") -> None:
        self.items.append(ContentError(path, line, message, hint))

    def warning(self, path: Path, line: int | None, message: str, hint: str = "") -> None:
        self.items.append(ContentError(path, line, message, hint, "warning"))

    @property
    def errors(self) -> list[ContentError]:
        return sorted_problems(p for p in self.items if p.severity == "error")

    @property
    def warnings(self) -> list[ContentError]:
        return sorted_problems(p for p in self.items if p.severity == "warning")

    def raise_if_errors(self) -> None:
        if self.errors:
            raise BuildFailed(self)


class BuildFailed(Exception):
    """The content has mistakes; nothing was written."""

    def __init__(self, problems: Problems):
        self.problems = problems
        count = len(problems.errors)
        super().__init__(f"{count} error{'s' if count != 1 else ''} in the content")

    def __reduce__(self):
        # Raised in a render worker (a claim file saved mid-build), it crosses back to the
        # build by pickle; the default would rebuild it from its message, not its problems.
        return type(self), (self.problems,)


def sorted_problems(problems) -> list[ContentError]:
    # A total order: the same problems are listed the same way whatever order they were found in.
    return sorted(problems, key=lambda p: (str(p.path), p.line or 0, p.message, p.hint, p.severity))


def did_you_mean(word: str, choices) -> str:
    """A hint naming the closest valid choice, or listing them all when none is close."""
    choices = sorted(choices)
    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)
    if close:
        return f'did you mean "{close[0]}"?'
    if not choices:
        return ""
    if len(choices) > 12:
        return "use one of: " + ", ".join(choices[:12]) + ", ..."
    return "use one of: " + ", ".join(choices)
