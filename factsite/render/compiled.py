"""Compiled templates kept between builds, in a folder of the user's own, never in the project.

A compiled template is code, and Jinja reads it back with marshal: a file planted where it
is kept would run as the build. The build cache (`.factsite-cache/`, beside the site) is no
place for it, since a checkout or a restored CI cache may hold anything there. So the
compiled templates go where Jinja keeps them by default: a folder in the system's temporary
folder that Jinja makes for the user alone and checks before every build (the user's own,
mode 0700, not a link; on Windows, the user's own temporary folder). If it cannot be used,
templates are compiled every time, which costs a fraction of a second a build.
"""

from __future__ import annotations

import jinja2

from .. import __version__


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in its default folder. Jinja keys each file by the
    template's path and checks its source's checksum; the names hold what else the compiled
    code depends on, ``compiler`` (Jinja's version and the environment's settings: templating.py),
    so that code compiled another way is never loaded. Not being able to save it (a full disk,
    say) only costs time."""

    def __init__(self, compiler: str):
        # RuntimeError if the folder is not safe
        super().__init__(pattern=f"__factsite_{__version__}_{compiler}_%s.cache")

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def compiled_templates(compiler: str | None) -> CompiledTemplates | None:
    """The cache of templates compiled as ``compiler`` says, or None if the user's folder for it
    cannot be used (or ``compiler`` is None: how they are compiled is not known)."""
    try:
        return CompiledTemplates(compiler) if compiler else None
    except (OSError, RuntimeError):
        return None
