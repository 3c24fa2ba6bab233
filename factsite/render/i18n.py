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
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations
from jinja2 import Environment, pass_eval_context
from markupsafe import Markup

from ..errors import BuildFailed, Problems
from ..read.theme import read_theme_file


def catalogue_path(templates_dir: Path, language: str) -> Path:
    return templates_dir / "locale" / language / "LC_MESSAGES" / "messages.po"


def translations(templates_dir: Path, language: str) -> gettext.NullTranslations:
    """The language's catalogue; the templates' own words (English) where it has none. A
    catalogue with a mistake stops the build (BuildFailed), each mistake on its line."""
    path = catalogue_path(templates_dir, language)
    if not path.is_file():
        return gettext.NullTranslations()
    compiled, mistakes = _compiled(read_theme_file(path, templates_dir), language)
    if mistakes:
        problems = Problems()
        for line, message in mistakes:
            problems.error(path, line, message, "write the translation with the same %(name)s placeholders as "
                           "its msgid, and each entry as msgid then msgstr in double quotes")
        raise BuildFailed(problems)
    return compiled


@functools.lru_cache(maxsize=8)
def _compiled(po: bytes, language: str) -> tuple[Translations, list[tuple[int, str]]]:
    """The catalogue compiled, and its mistakes: an entry that cannot be read, or a translation
    whose placeholders are not its msgid's (it would fail on every page that shows it)."""
    try:
        catalog = read_po(io.BytesIO(po), locale=language, abort_invalid=True)
    except PoFileError as error:
        return gettext.NullTranslations(), [(error.lineno, f"the catalogue cannot be read: {error}")]
    mistakes = [(message.lineno, f'the translation of "{_first(message.id)[:60]}": {error}')
                for message, errors in catalog.check() for error in errors]
    mo = io.BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return Translations(mo), mistakes


def install_catalogue(env: Environment, catalogue: gettext.NullTranslations) -> None:
    """The catalogue's words for the templates, through Jinja's i18n extension, as its "newstyle"
    gettext gives them: a format string, its values escaped where the page escapes. A word
    without values is looked up once (remembered_gettext): Jinja's own way makes three calls
    and a format for each of the forty or so words of every page."""
    env.install_gettext_translations(catalogue, newstyle=True)
    env.globals["_"] = env.globals["gettext"] = remembered_gettext(catalogue.gettext)


def remembered_gettext(translate):
    """Jinja's newstyle gettext over ``translate``, remembering each word given no values (a
    word translated from a template's variable is remembered too: a site has so many words)."""
    known: dict[tuple[str, bool], str] = {}

    @pass_eval_context
    def gettext(eval_ctx, string: str, /, **values) -> str:  # (a value may be named "string")
        key = (string, eval_ctx.autoescape)
        found = None if values else known.get(key)
        if found is None:
            found = translate(string)
            found = (Markup(found) if eval_ctx.autoescape else found) % values
            if not values:
                known[key] = found
        return found

    return gettext


def _first(msgid: str | tuple) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid  # a plural's msgid is (singular, plural)


@functools.lru_cache(maxsize=8)
def _locale(language: str) -> Locale:
    """The language's rules for dates; English's for a code Babel does not know (site.yml checks the form)."""
    try:
        return Locale.parse(language.replace("-", "_"))  # en-GB, as <html lang> writes it
    except (ValueError, UnknownLocaleError):
        return Locale("en")


@functools.lru_cache(maxsize=8)
def plural_examples(language: str) -> tuple[tuple[str, int], ...]:
    """A count of each plural category the language has (CLDR's, as Intl.PluralRules names them
    in the browser): ("one", 1), ("few", 2), ("many", 5), ("other", ...) for Ukrainian."""
    rule, found = _locale(language).plural_form, {}
    for number in range(1000):
        found.setdefault(rule(number), number)
    found.setdefault("other", 0)
    return tuple(sorted(found.items()))


@functools.lru_cache(maxsize=4096)  # a page shows nine dates or so, and a site has few distinct ones
def human_date(value: dt.date | None, language: str = "en") -> str:
    """"4 September 2025", "4 вересня 2025": day, month and year in every language, the same on every machine."""
    return format_date(value, "d MMMM y", locale=_locale(language)) if value else ""


def month_name(year: int, month: int, language: str = "en") -> str:
    """"September 2025", "вересень 2025": a month on its own, as a heading."""
    name = format_date(dt.date(year, month, 1), "LLLL y", locale=_locale(language))
    return name[:1].upper() + name[1:]
