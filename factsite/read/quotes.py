"""Whether quoted words are in a source's text copy: quotes from a report, and claims given
as their claimant's exact words. Spacing and the style of quotation marks may differ."""

from __future__ import annotations

import unicodedata

from ..model.site import Source

_QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"',
                              "‘": "'", "’": "'", "‚": "'", "‛": "'"})


def normalise_quote(text: str) -> str:
    """Text with spacing and quotation-mark style ironed out, for comparing quotes."""
    if not text.isascii():  # plain ASCII, most quotes in English, is already NFC with straight marks
        text = unicodedata.normalize("NFC", text).translate(_QUOTE_MARKS)
    return " ".join(text.split())  # str.split() splits on what re's \s matches: Unicode whitespace


# The preview checks every quote again on each save, against copies it reads again each time
# but which seldom change: whether a quote is in a copy is kept by the quote and the copy's
# digest. (Kept by the copy's text, each lookup would compare the whole copy, a new string
# every time, with the last: slower than the check itself.)
REMEMBERED = 1 << 17
_found: dict[tuple[str, str], bool] = {}
_copies: dict[str, str] = {}  # each copy normalised, by its source's digest


def quote_in_copy(quote: str, source: Source) -> bool:
    key = (quote, source.digest)
    found = _found.get(key)
    if found is None:
        copy = _copies.get(source.digest)
        if copy is None:
            _forget_if_full(_copies, 256)
            copy = _copies[source.digest] = normalise_quote(source.archived_text or "")
        _forget_if_full(_found, REMEMBERED)
        found = _found[key] = normalise_quote(quote) in copy
    return found


def _forget_if_full(remembered: dict, most: int) -> None:
    if len(remembered) >= most:
        remembered.clear()


def words_in_copy(claim: str, source: Source) -> bool:
    """Whether a claim given as someone's exact words is in the copy: as written, or as a quote
    that was made a sentence of its own (its first letter capitalised, a full stop added)."""
    trimmed = claim.rstrip(".!?…")
    lowered = trimmed[:1].lower() + trimmed[1:]
    return any(quote_in_copy(words, source) for words in dict.fromkeys((claim, trimmed, lowered)) if words)
