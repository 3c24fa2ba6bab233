"""Reading a content file's text: UTF-8, Unix newlines, never through a link, never too much.

What an editor may have got wrong here (a link, a folder where a file should be, another
encoding, an empty or huge file) is reported with what to do instead.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path

from ..errors import Problems

MAX_FILE_BYTES = 5 * 1024 * 1024


def read_text(path: Path, problems: Problems) -> str | None:
    """The file's text as UTF-8 with Unix newlines, or None after reporting why not.

    A link (symlink) is refused, never followed: it could publish a file from outside
    the project. Only plain files are read (a device or a pipe may never end), and
    never more than MAX_FILE_BYTES of them, whatever size the file claims to have.
    """
    raw = _read_bytes(path, problems)
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        _report_encoding(path, raw, error.start, problems)
        return None
    if "\0" in text:  # valid UTF-8, but no editor writes it: UTF-16 without its mark, or not text at all
        _report_encoding(path, raw, raw.index(b"\0"), problems)
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        problems.error(
            path, None, "the file is empty",
            "start from an existing file of the same kind, or run `factsite new`",
        )
        return None
    return text


_SAVE_AS_UTF8 = "save it as UTF-8 in your editor (\"Save with encoding\" > UTF-8)"
_OTHER_ENCODINGS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def _read_bytes(path: Path, problems: Problems) -> bytes | None:
    """The bytes of the plain file ``path``, read without following a link; None after reporting why not."""
    try:
        if path.is_symlink():
            report_link(path, problems)
            return None
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        with open(os.open(path, flags), "rb") as file:  # O_NONBLOCK: opening a pipe does not wait for a writer
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                problems.error(path, None, "this is not a file of text (it is a folder, a device or a pipe)",
                               "put a text file here, or move what is here out of content/")
                return None
            size = info.st_size
            raw = file.read(size + 1) if size <= MAX_FILE_BYTES else b""  # a byte more shows a longer file
            if len(raw) > size:  # longer than it says (it grows, or it is in /proc): read on, up to the limit
                raw += file.read(MAX_FILE_BYTES + 1 - len(raw))
            size = max(size, len(raw))
    except OSError as error:
        if error.errno == errno.ELOOP:  # became a link after the check above
            report_link(path, problems)
        else:
            problems.error(path, None, f"cannot read the file: {error.strerror or error}",
                           "check that the file is there and that you may read it")
        return None
    if size > MAX_FILE_BYTES:
        problems.error(
            path, None, f"the file is too large ({size / 1024 / 1024:.1f} MB)",
            f"content files must be at most {MAX_FILE_BYTES // 1024 // 1024} MB; "
            "split it or remove what does not belong",
        )
        return None
    return raw


def _report_encoding(path: Path, raw: bytes, position: int, problems: Problems) -> None:
    """Say that the file is not UTF-8, on the line of the byte at ``position`` (or naming its encoding)."""
    for mark, encoding in _OTHER_ENCODINGS:
        if raw.startswith(mark):
            problems.error(path, 1, f"the file is saved as {encoding}, not UTF-8", _SAVE_AS_UTF8)
            return
    if 0 <= raw.find(b"\0") < position:  # UTF-16 without its mark: every other byte of English text is 0
        position = raw.find(b"\0")
    before = raw[:position].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
    what = "a NUL byte (0x00), as in UTF-16" if raw[position] == 0 else f"the byte 0x{raw[position]:02X}"
    problems.error(path, line, f"the file is not UTF-8 text: {what} at character {column} of this line",
                   _SAVE_AS_UTF8)


def report_link(path: Path, problems: Problems, folder: str = "content/") -> None:
    """Refuse a link (symlink) in the content (or in ``folder``): say where it points and what to do instead."""
    try:
        target = os.readlink(path)
    except OSError:
        target = "somewhere else"
    what = "folder" if path.is_dir() else "file"
    problems.error(
        path, None, f"this {what} is a link (symlink) to {target}; factsite does not follow links in {folder}",
        f"put the {what} itself here instead of a link (a link could publish a file from outside the "
        "project, and Git on Windows checks links out as plain text files)",
    )
