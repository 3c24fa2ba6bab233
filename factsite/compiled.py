"""Compiled templates kept between builds, in the build cache, signed with a key of the user's.

A compiled template is code, and Jinja reads it back with pickle and marshal: a file planted
in the build cache (a checkout that holds `.factsite-cache/`, a restored CI cache) would run
as the build. So each file is signed (a keyed BLAKE2b digest of the template's name, its
source's checksum and the compiled code), with a secret key that lives outside every
project, in the user's own cache folder (`~/.cache/factsite/key`, readable by the user
alone). A file whose signature does not match is never given to Jinja: the template is
compiled again. Where there is no such key (a new CI runner, a read-only home), the first
build makes one, or templates are compiled every time, which costs some tens of milliseconds.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
import stat
import sys
from pathlib import Path

import jinja2

from .readback import NO_FOLLOW, read_own_file
from .write import WriteError, write_atomically

KEY_BYTES = 32
MAX_COMPILED_BYTES = 16 * 1024 * 1024


def key_folder() -> Path:
    """The user's cache folder for factsite (XDG's, or the platform's)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    else:
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not os.path.isabs(base):  # unset, or relative, which the XDG specification says to ignore
            base = str(Path.home() / ".cache")
    return Path(base) / "factsite"


@functools.lru_cache(maxsize=4)
def user_key(folder: Path) -> bytes | None:
    """The user's secret key in ``folder``, made the first time; None if it cannot be made,
    or if anyone else could read or replace it."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(os.lstat(folder), os.W_OK):
            return None
        path = folder / "key"
        try:
            made = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(made, "wb") as file:
                file.write(secrets.token_bytes(KEY_BYTES))
        with open(os.open(path, NO_FOLLOW), "rb") as file:
            info = os.fstat(file.fileno())
            key = file.read(KEY_BYTES + 1)
    except OSError:
        return None
    if not (stat.S_ISREG(info.st_mode) and _private(info, os.R_OK) and len(key) == KEY_BYTES):
        return None  # another user's, open to others, or still being written by another build
    return key


def _private(info: os.stat_result, access: int) -> bool:
    """Whether a folder (``access`` W_OK) or file (R_OK) is the user's alone: no other user may
    change it, nor read it if it is the key."""
    if not hasattr(os, "getuid"):  # Windows: the user's profile folder is private already
        return True
    others = 0o022 if access == os.W_OK else 0o077
    return info.st_uid == os.getuid() and not info.st_mode & others and not stat.S_ISLNK(info.st_mode)


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's cache of compiled templates, in ``folder``: signed, so that only files this user's
    builds wrote are loaded. Not being able to save it (a full disk, say) only costs time."""

    def __init__(self, folder: Path, key: bytes):
        self.folder = folder
        self.key = key

    def _file(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.signed"

    def _signature(self, bucket: jinja2.bccache.Bucket, code: bytes) -> bytes:
        signed = hashlib.blake2b(key=self.key, digest_size=32)
        for part in (bucket.key.encode(), bucket.checksum.encode(), code):
            signed.update(len(part).to_bytes(8, "big") + part)
        return signed.digest()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if os.path.islink(self.folder):
            return
        data = read_own_file(self._file(bucket), MAX_COMPILED_BYTES)
        if data is None or len(data) < 32:
            return
        signature, code = data[:32], data[32:]
        if hmac.compare_digest(signature, self._signature(bucket, code)):
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = bucket.bytecode_to_string()
        try:
            if not os.path.islink(self.folder):
                os.makedirs(self.folder, exist_ok=True)  # only now: a build refused early makes nothing
                write_atomically(self._file(bucket), self._signature(bucket, code) + code)
        except (OSError, WriteError):
            pass


def compiled_templates(folder: Path | None) -> CompiledTemplates | None:
    """The cache of compiled templates in ``folder``, if there is a key to sign them with."""
    key = user_key(key_folder()) if folder is not None else None
    return CompiledTemplates(folder, key) if key else None
