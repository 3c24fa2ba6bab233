"""Digests: short hashes that say whether two inputs are the same; and the keys results are
kept by from one update to the next (read/reuse.py).

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


def record_key(*parts: str) -> str:
    """The key of one of thousands of results kept (a claim's, its translation's, its copy's): a
    string, whose hash Python works out once and keeps, where a tuple's is worked out again at
    every lookup, and Reuse.carry looks up thousands on every save. No part may hold the
    separator, U+001F: slugs, ids and language codes cannot."""
    return "\x1f".join(parts)
