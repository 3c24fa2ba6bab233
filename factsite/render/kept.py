"""What rendering works out from the model and keeps from one update to the next.

A long-running preview keeps each claim, source and verdict that did not change as the very
same object (read/reuse.py). What the renderer works out from them is kept too, each piece
with what it was worked out from, and worked out again only where that differs: a claim's row
(claim_rows.py), its page's fingerprint, each list's pages and their fingerprints (pages.py),
each review's JSON (site_files.py), each claim's card (renderer.py). A build that keeps
nothing works out everything, through the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..read.reuse import Reuse


@dataclass
class Kept:
    """Each piece by what it was worked out from (read/reuse.Reuse, the same mechanism reading uses)."""

    rows: Reuse = field(default_factory=Reuse)  # each claim's row, by slug
    assembly: object = None  # the token of the assembly the rows were last made from (claim_rows.py)
    reviews: dict = field(default_factory=dict)  # each review's JSON, by edition and layout, then by review key
    claim_prints: Reuse = field(default_factory=Reuse)  # each claim page's fingerprint, by slug
    lists: Reuse = field(default_factory=Reuse)  # each list's pages and fingerprints, by its address
    sources: Reuse = field(default_factory=Reuse)  # each source's pages and fingerprints, by its address
    corrections: Reuse = field(default_factory=Reuse)  # the corrections log's pages, by the page's address
    sitemaps: Reuse = field(default_factory=Reuse)  # each sitemap part's fingerprint, by its path
    months: Reuse = field(default_factory=Reuse)  # the claims of each month, which the sitemap's parts list
    vendored: Reuse = field(default_factory=Reuse)  # the digest of /admin/'s CMS, by its files' signatures
    admin: Reuse = field(default_factory=Reuse)  # /admin/'s own three files, by what they are made from
    # Each claim card and badge, by template and key, with its inputs. Not a Reuse: a card is
    # asked for only by the pages rendered, and kept while its claim is on the site.
    pieces: dict = field(default_factory=dict)
