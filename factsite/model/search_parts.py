"""The search index's parts: which claim pages each part holds, and where it lives.

Pagefind holds everything it indexes in memory, about 180 KB a page, so a big site is
indexed in parts of about SHARD_SIZE claims (output/search.py runs Pagefind on each).
The search page (render) names every part and the indexer (output) writes them, so both
ask this module.
"""

from __future__ import annotations

import math
import zlib

INDEX_FOLDER = "pagefind"
SHARD_SIZE = 1500  # claim pages per part, on average: about 270 MB for Pagefind


def search_shards(claim_urls: list[str]) -> list[list[str]]:
    """The claim pages (by their address in the site) split into the parts of the index.

    Each page goes to the part its address hashes to, so adding or editing a claim
    leaves the other parts as they were (until the site grows a part). Parts hold a few
    percent more or less than SHARD_SIZE; one left empty (possible only when parts are
    tiny) is dropped, as Pagefind cannot index nothing.
    """
    shards: list[list[str]] = [[] for _ in range(math.ceil(len(claim_urls) / SHARD_SIZE))]
    for url in sorted(claim_urls):
        shards[zlib.crc32(url.encode("utf-8")) % len(shards)].append(url)
    return [shard for shard in shards if shard]


def shard_folder(number: int) -> str:
    """Where part ``number`` (from 1) of the index is, relative to the site root."""
    return f"{INDEX_FOLDER}/{number}/"
