"""What the templates are given besides a page's own context: the Jinja environment, the
filters and helpers every template may call, and the stylesheet with the verdicts' colours."""

from __future__ import annotations

import functools
import html
import inspect
import operator
from collections import Counter
import re
from pathlib import Path
from urllib.parse import urljoin

import jinja2
from markupsafe import Markup

from ..digest import digest_of
from .compiled import compiled_templates
from .i18n import month_name
from ..model.site import Claim, Site
from ..read.theme import ThemeLoader, read_theme_file

STANCE_LABELS = {"supports": "Supports the claim", "contradicts": "Contradicts the claim",
                 "context": "Gives context"}
# The verdict badge's shapes (16x16 strokes), so a verdict never relies on colour alone.
ICON_PATHS = {
    "check": "M3 8.5l3.2 3.2L13 5",
    "mostly": "M2.5 8l3 3L11 5.5M13.5 12v.01",
    "info": "M8 7.5V12M8 4.2v.01",
    "warning": "M8 3.5v5.5M8 12.5v.01",
    "cross": "M4.5 4.5l7 7M11.5 4.5l-7 7",
    "question": "M5.8 6.2a2.3 2.3 0 1 1 3.3 2.1c-.7.3-1.1.9-1.1 1.6v.4M8 12.6v.01",
}
STYLESHEET = "site.css"
# A path that urljoin() would append to the base URL unchanged: no scheme, no leading
# slash, no "." or ".." segment, no query or fragment.
SITE_PATH = re.compile(r"(?:[\w-][\w.-]*/)*(?:[\w-][\w.-]*)?")


def template_environment(templates_dir: Path, compiled: bool = False,
                         reload: bool = False) -> jinja2.Environment:
    """The templates' environment; ``compiled``: keep the compiled templates between builds
    (a rebuild that renders a page or two would otherwise spend more time compiling the
    templates than rendering). ``reload``: look at each template's
    file again every time it is used, for an environment kept from build to build; a build
    of its own does not, which saves a system call or three per page."""
    env = jinja2.Environment(
        loader=ThemeLoader(templates_dir),  # follows no link
        extensions=["jinja2.ext.i18n"],  # each renderer installs its language's catalogue (i18n.py)
        bytecode_cache=compiled_templates(how_templates_compile()) if compiled else None,  # never in the project
        auto_reload=reload,
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_null_translations(newstyle=True)
    return env


@functools.cache
def how_templates_compile() -> str | None:
    """What compiled templates depend on besides their own source: Jinja's version and the
    environment's settings, which template_environment's source spells out (None where the
    source cannot be read: then templates are compiled every time)."""
    try:
        return digest_of(jinja2.__version__, inspect.getsource(template_environment))[:16]
    except (OSError, TypeError):
        return None


def as_text(markup: str) -> Markup:
    """HTML shown as text, to be copied (the embed snippet): ``markup``, its values already
    escaped for the page that pastes it, escaped once more for ours. Quotation marks need
    no escaping in text, so they are left as they are."""
    return Markup(html.escape(str(markup), quote=False))


def count_by_verdict(claims: list[Claim]) -> dict[str, int]:
    """How many of ``claims`` have each verdict, by slug, in the order they first come."""
    return dict(Counter(map(verdict_slug, claims)))


verdict_slug = operator.attrgetter("verdict.slug")  # a list of 10,000 claims is counted at C speed


def by_month(claims: list[Claim], language: str = "en") -> list[tuple[str, list[Claim]]]:
    """Claims grouped by the month they were published, newest month first."""
    groups: dict[tuple[int, int], list[Claim]] = {}
    for claim in claims:
        groups.setdefault((claim.published.year, claim.published.month), []).append(claim)
    return [(month_name(year, month, language), items) for (year, month), items in sorted(groups.items(), reverse=True)]


def join_url(base: str, path: str) -> str:
    """urljoin(base, path): most paths are the site's own, which it appends unchanged to a base
    it leaves as it is; appending them is a hundred times quicker (thousands in the feeds)."""
    return base + path if SITE_PATH.fullmatch(path) and _kept_by_urljoin(base) else urljoin(base, path)


@functools.lru_cache(maxsize=16)
def _kept_by_urljoin(base: str) -> bool:
    """Whether urljoin keeps ``base`` as written (not so an upper-case scheme, "//", "..", "?" or "#")."""
    return urljoin(base, "a") == base + "a"


def stylesheet(static_dir: Path, site: Site) -> bytes:
    """The theme's stylesheet plus each verdict's colour from the scale in site.yml."""
    rules = [f".badge--{v.slug}{{background:{v.colour}}}.verdict-box--{v.slug}{{border-top-color:{v.colour}}}"
             for v in site.verdicts]
    css = read_theme_file(static_dir / STYLESHEET, static_dir).decode("utf-8")
    return (css.rstrip("\n") + "\n/* Verdict colours, from content/site.yml */\n" + "\n".join(rules) + "\n").encode()
