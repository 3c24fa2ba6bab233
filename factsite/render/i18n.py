"""The interface's own text in each language: message catalogues in the standard gettext format
(templates/locale/<lang>/LC_MESSAGES/messages.po), which the templates use through Jinja's i18n
extension, and dates written as the language writes them, by Babel.

The catalogues belong to the theme, beside its templates, and are read as they are (no compiled
.mo file to keep in step): `pybabel extract -F babel.cfg -o templates/locale/messages.pot .`
gathers the templates' strings, `pybabel update -i templates/locale/messages.pot -d
templates/locale` adds them to each catalogue (docs/translating.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from ..read.theme import read_theme_file


def catalogue_path(templates_dir: Path, language: str) -> Path:
    return templates_dir / "locale" / language / "LC_MESSAGES" / "messages.po"


def translations(templates_dir: Path, language: str) -> gettext.NullTranslations:
    """The language's catalogue; the templates' own words (English) where it has none."""
    path = catalogue_path(templates_dir, language)
    if not path.is_file():
        return gettext.NullTranslations()
    return _compiled(read_theme_file(path, templates_dir), language)


@functools.lru_cache(maxsize=8)
def _compiled(po: bytes, language: str) -> Translations:
    catalog = read_po(io.BytesIO(po), locale=language)
    mo = io.BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return Translations(mo)


@functools.lru_cache(maxsize=8)
def _locale(language: str) -> Locale:
    """The language's rules for dates; English's for a code Babel does not know (site.yml checks the form)."""
    try:
        return Locale.parse(language.replace("-", "_"))  # en-GB, as <html lang> writes it
    except (ValueError, UnknownLocaleError):
        return Locale("en")


def human_date(value: dt.date | None, language: str = "en") -> str:
    """"4 September 2025", "4 вересня 2025": day, month and year in every language, the same on every machine."""
    return format_date(value, "d MMMM y", locale=_locale(language)) if value else ""


def month_name(year: int, month: int, language: str = "en") -> str:
    """"September 2025", "вересень 2025": a month on its own, as a heading."""
    name = format_date(dt.date(year, month, 1), "LLLL y", locale=_locale(language))
    return name[:1].upper() + name[1:]
