"""Finding the outside tools some tests drive (linkchecker, check-jsonschema, actionlint).

.ci/run installs all of them. On a developer's machine a missing tool skips its test
with the command that installs it; in CI (the environment variable CI is set) a
missing tool fails the test instead, so CI can never pass by checking nothing.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CI_NODE_MODULES = REPO / ".ci" / "node_modules"


def find_command(name: str) -> str | None:
    """``name`` on PATH, or beside the running Python (a virtual environment not activated)."""
    found = shutil.which(name)
    if found:
        return found
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() and os.access(beside, os.X_OK) else None


def require(found, what: str, install: str):
    """``found`` when it is there; otherwise skip the test, or fail it in CI."""
    if found:
        return found
    message = f"{what} is not installed; install it with: {install}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (.ci/run should have done so)")
    pytest.skip(message)
