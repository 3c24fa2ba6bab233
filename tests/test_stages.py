"""The package's folders are the pipeline's stages, and each imports only the stages before it,
so a reader can follow the build from read to output without meeting a later stage early."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import REPO

PACKAGE = REPO / "factsite"
# The stages in the order they may depend on each other: the model's dataclasses come first
# because reading fills them; the engine and the commands drive everything else.
ORDER = ["model", "read", "checks", "render", "output", "engine", "commands"]


def stage_of(module: Path) -> str:
    """A module's stage: its folder, or its own name for the engine and the shared modules."""
    parts = module.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def imported_stages(module: Path, source: str | None = None) -> set[str]:
    """The stages ``module`` (or ``source``, as if it were that module's) imports from,
    type-checking imports included."""
    package = list(module.relative_to(PACKAGE).parent.parts)
    found = set()
    for node in ast.walk(ast.parse(module.read_text("utf-8") if source is None else source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from ..render.jobs import Job
                base = package[:len(package) - (node.level - 1)]
                target = base + (node.module.split(".") if node.module else [])
            elif node.module == "factsite" or (node.module or "").startswith("factsite."):
                target = node.module.split(".")[1:]
            else:
                continue
            found.update(target[:1] or [alias.name for alias in node.names])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[1] for alias in node.names if alias.name.startswith("factsite."))
    return found


def test_each_stage_imports_only_the_stages_before_it():
    later_imports = []
    for module in sorted(PACKAGE.rglob("*.py")):
        stage = stage_of(module)
        if stage not in ORDER:
            continue  # the shared modules (errors, digest, readback, runtime) and __main__
        for other in imported_stages(module) & set(ORDER):
            if ORDER.index(other) > ORDER.index(stage):
                later_imports.append(f"{module.relative_to(REPO)} imports {other}")
    assert later_imports == []


def test_the_shared_modules_import_no_stage():
    shared = [m for m in PACKAGE.glob("*.py") if stage_of(m) not in ORDER and m.name != "__main__.py"]
    assert {m.name for m in shared} >= {"errors.py", "digest.py", "readback.py", "runtime.py"}
    assert {m.name: imported_stages(m) & set(ORDER) for m in shared} == {m.name: set() for m in shared}


def test_the_check_sees_every_spelling_of_an_import():
    source = ("from ..render.jobs import Job\nfrom factsite.output import write\nfrom . import fields\n"
              "import factsite.engine\nfrom .. import checks\nfrom factsite import commands\n")
    assert imported_stages(PACKAGE / "read" / "example.py", source) == {"render", "output", "read", "engine",
                                                                         "checks", "commands"}
