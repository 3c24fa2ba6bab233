"""Whether quoted words are in a source's text copy: quotes from a report, and claims given
as their claimant's exact words. Spacing and the style of quotation marks may differ."""

from __future__ import annotations

import unicodedata
from collections import Counter
from difflib import SequenceMatcher

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
        _forget_if_full(_found, REMEMBERED)
        found = _found[key] = normalise_quote(quote) in _normalised_copy(source)
    return found


def _normalised_copy(source: Source) -> str:
    copy = _copies.get(source.digest)
    if copy is None:
        _forget_if_full(_copies, 256)
        copy = _copies[source.digest] = normalise_quote(source.archived_text or "")
    return copy


SHOWN = 40  # characters of the words the quote and the copy share, shown in the message


def where_quote_differs(quote: str, source: Source) -> str:
    """Where a quote the copy does not hold parts from it: the longest run of the quote's words
    that the copy has, and the word after it (or else before it) that differs. Compared as the
    check compares, after normalise_quote; "" when the two share no two words in a row."""
    key = (quote, source.digest)
    if key not in _explained:  # asked on every build while the quote stands (a file with an error is read again)
        _forget_if_full(_explained, 256)
        _explained[key] = _explanation(normalise_quote(quote).split(" "), _normalised_copy(source).split(" "))
    return _explained[key]


_explained: dict[tuple[str, str], str] = {}
MOST_COMPARED = 1_000_000  # pairs of equal words the search may look at (see _explanation)


def _explanation(words: list[str], copy: list[str]) -> str:
    # Words, not characters: the copy may be a long report, and a word is what an editor retypes.
    # The search looks at every place in the copy of each of the quote's words: in a copy that
    # is mostly one word, or a table of the same few numbers, that is too many to wait for.
    counts = Counter(copy)
    if sum(counts[word] for word in words) > MOST_COMPARED:
        return ""
    run = SequenceMatcher(None, words, copy, autojunk=False).find_longest_match(0, len(words), 0, len(copy))
    if run.size < 2:
        return ""
    start, end, copy_start, copy_end = _widened(words, copy, run.a, run.a + run.size, run.b, run.b + run.size)
    if start == 0 and end == len(words):
        return ""
    shared = words[start:end]
    if end < len(words):
        if copy_end == len(copy):
            return f'the copy ends with "{_ending(shared)}", where the quote goes on with "{words[end]}"'
        return f'the copy has "{_ending(shared)}" and then "{copy[copy_end]}", where the quote has "{words[end]}"'
    if copy_start == 0:
        return f'the copy starts with "{_beginning(shared)}", where the quote has "{words[start - 1]}" before it'
    return f'the copy has "{copy[copy_start - 1]}" before "{_beginning(shared)}", where the quote has "{words[start - 1]}"'


def _widened(words: list[str], copy: list[str], start: int, end: int, copy_start: int, copy_end: int):
    """The run of shared words with the quote's first and last words counted in where the copy's
    word only goes on past them: a quote may begin or end in the middle of the copy's word
    (`since 2020` of `since 2020".`)."""
    if end == len(words) - 1 and copy_end < len(copy) and copy[copy_end].startswith(words[end]):
        end, copy_end = end + 1, copy_end + 1
    if start == 1 and copy_start > 0 and copy[copy_start - 1].endswith(words[0]):
        start, copy_start = 0, copy_start - 1
    return start, end, copy_start, copy_end


def _ending(words: list[str]) -> str:
    """The last words of ``words``, about SHOWN characters of them: those next to the difference."""
    text = " ".join(words)
    return text if len(text) <= SHOWN else "..." + text[-SHOWN:].split(" ", 1)[-1]


def _beginning(words: list[str]) -> str:
    text = " ".join(words)
    return text if len(text) <= SHOWN else text[:SHOWN].rsplit(" ", 1)[0] + "..."


def _forget_if_full(remembered: dict, most: int) -> None:
    if len(remembered) >= most:
        remembered.clear()


def words_in_copy(claim: str, source: Source) -> bool:
    """Whether a claim given as someone's exact words is in the copy: as written, or as a quote
    that was made a sentence of its own (its first letter capitalised, a full stop added)."""
    trimmed = claim.rstrip(".!?…")
    lowered = trimmed[:1].lower() + trimmed[1:]
    return any(quote_in_copy(words, source) for words in dict.fromkeys((claim, trimmed, lowered)) if words)
