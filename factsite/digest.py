"""Digests: short hashes that say whether two inputs are the same.

Every stage uses them (a file's front matter, a page's fingerprint, a card's contents), so
they live apart from any one stage.
"""

from __future__ import annotations

import hashlib


def digest_of(*parts: str | bytes) -> str:
    """A short hash of ``parts``: equal digests mean equal inputs."""
    try:  # the usual case, all text, hashed in one go
        return hashlib.blake2b("\0".join(parts).encode("utf-8") + b"\0", digest_size=16).hexdigest()
    except TypeError:
        pass  # some parts are bytes
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8") if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()
