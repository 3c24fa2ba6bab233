"""Why the site could not be written, in an editor's words, and what became of it."""

from __future__ import annotations

import errno
from pathlib import Path


class WriteError(Exception):
    """The output folder could not be written: what went wrong, what to do, and what became of the site."""

    UNCHANGED = "The previous site is unchanged."
    PARTLY_UPDATED = "The site was partly updated; the next build finishes the update."

    def __init__(self, message: str, hint: str = "", site: str | None = UNCHANGED):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.site = site  # one of the sentences above, or None when the site was not being written


def write_error(error: OSError, doing: str, folder: Path, site: str | None = WriteError.UNCHANGED) -> WriteError:
    """A WriteError saying, in an editor's words, why ``doing`` failed and what to do about it."""
    code = error.errno
    if code == errno.ENOSPC:
        cause = "the disk is full"
        hint = f"free some space on the disk that holds {folder}, or build elsewhere with --out"
    elif code == getattr(errno, "EDQUOT", None):
        cause, hint = "your disk quota is used up", f"free some of your space on the disk that holds {folder}"
    elif code in (errno.EACCES, errno.EPERM):
        if isinstance(error.filename, str):  # the folder that refused, rather than the one being written
            folder = Path(error.filename) if Path(error.filename).is_dir() else Path(error.filename).parent
        cause, hint = "permission denied", f"make {folder} writable for you, or choose another folder with --out"
    elif code == errno.EROFS:
        cause, hint = "the disk is read-only", "choose a folder on a writable disk with --out"
    elif code == errno.EFBIG:
        cause, hint = "a file is larger than this disk or your limits allow", "build on another disk with --out"
    else:
        cause, hint = error.strerror or str(error), f"check {folder}"
    return WriteError(f"{doing}: {cause}", hint + ", then build again", site)
