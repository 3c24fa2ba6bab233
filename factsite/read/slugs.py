"""Web-address names made from text: a claimant's address from their name, a new claim's
file name from its title, the name suggested for a file whose name cannot be an address.

Text in any script is transliterated into lower-case Latin letters, digits and hyphens by
python-slugify, with text-unidecode's tables, so a name in another script gets a readable
address of its own: "Володимир Зеленський" is claimants/volodymyr-zelenskyi/, not a
digest. The rules the result must then follow (no Windows device name, at most 200
characters) are fields.slug_problem's.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata

from slugify import slugify as transliterated

from .fields import slug_problem

# Ukrainian as its national standard writes it in Latin letters (Cabinet of Ministers
# resolution 55 of 2010, used in passports and on road signs). text-unidecode reads every
# Cyrillic letter as Russian: г as g, и as i (so "Кит" and "Кіт" would share an address),
# й and ї as i, and an apostrophe as a word break. Only the letters it reads otherwise are
# listed, in the order they are replaced. At the start of a word, which in a name has a
# capital, є ї й ю я are written ye yi y yu ya.
UKRAINIAN = (
    *((f"{letter}'", letter) for letter in "бпвмфрБПВМФР"),  # Знам'янка: Znamianka
    ("Зг", "Zgh"), ("зг", "zgh"),  # not zh, which is ж
    ("Г", "H"), ("г", "h"), ("Ґ", "G"), ("ґ", "g"), ("И", "Y"), ("и", "y"),
    ("Є", "Ye"), ("є", "ie"), ("Ї", "Yi"), ("ї", "i"), ("Й", "Y"), ("й", "i"),
    ("Ю", "Yu"), ("ю", "iu"), ("Я", "Ya"), ("я", "ia"),
)


def slugify(text: str) -> str:
    """A web-address name: "ERAM missile delivery" -> "eram-missile-delivery",
    "Юлія Тимошенко" -> "yuliia-tymoshenko"; "" if nothing in ``text`` can be written so."""
    # Composed first, so that й and ї are the letters the table lists, not и and і with a mark.
    # The tables are named: python-slugify would otherwise prefer Unidecode whenever some other
    # package has installed it, and the same content would get other addresses.
    return transliterated(unicodedata.normalize("NFC", text), replacements=UKRAINIAN, replacement_stage="pre",
                          backend="text-unidecode")


@functools.lru_cache(maxsize=4096)
def claimant_slug(name: str) -> str:
    """The address of a claimant's page, made from their name (see claimants.py)."""
    # A name with nothing to write in Latin letters (emoji, say) or that cannot be a folder
    # (one Windows keeps, such as "Con", or a very long one) gets a digest of itself, so
    # that two such names never share a claimant page.
    slug = slugify(name)
    if slug and slug_problem(slug) is None:
        return slug
    return (slug[:60].rstrip("-") or "claimant") + "-" + hashlib.sha1((slug or name).encode()).hexdigest()[:8]
