"""Stage 1 of the build: read `content/site.yml` into a :class:`SiteConfig`."""

from __future__ import annotations

import re
from pathlib import Path

from .parse import Document, read_yaml_file
from ..errors import Problems
from .fields import Field, check_fields, is_web_address
from .languages import DEFAULT_CODE, LANGUAGE_FIELDS, site_languages
from ..model.organization import Funder, Funding, Organization
from ..model.site import SiteConfig, Topic, Verdict

MAX_EMAIL = 254  # characters: the longest address mail servers pass on (RFC 5321)
# A name, "@", then a domain of dot-separated parts. No part may hold a dot, so the pattern can
# match a text in only one way: it takes linear time, where "[^@]+\.[^@]+" tried every dot of a
# long domain against every other (quadratic).
_EMAIL = re.compile(r"[^@\s<>\"'?&]+@[^@\s<>\"'?&.]+(?:\.[^@\s<>\"'?&.]+)+")

VERDICT_FIELDS = {
    "slug": Field("slug", "mostly-accurate", required=True),
    "label": Field("text", "Mostly accurate", required=True, max_length=200),
    "definition": Field("text", "The claim is correct but needs clarification.", required=True),
    "colour": Field("text", '"#1a7f37"', required=True),
    "rating": Field("int", "4"),
}

TOPIC_FIELDS = {
    "slug": Field("slug", "troops", required=True),
    "name": Field("text", "Troops and deployment", required=True, max_length=200),
    "description": Field("text", "Who sends soldiers where."),
}

ORGANIZATION_FIELDS = {
    "name": Field("text", "Factsite Desk", required=True, max_length=200),
    "url": Field("text", "https://example.org/"),
    "logo": Field("text", "logo.png"),
}

FUNDER_FIELDS = {
    "name": Field("text", "Example Foundation", required=True, max_length=200),
    "amount": Field("text", "€40,000", max_length=100),
    "period": Field("text", "2026", max_length=100),
    "url": Field("text", "https://example.org/foundation"),
}

FUNDING_FIELDS = {
    "statement": Field("text", "The desk is funded by its readers' donations and the grants below.",
                       max_length=3000),
    "funders": Field("records", "[{name: Example Foundation, amount: €40,000, period: 2026}]",
                     fields=FUNDER_FIELDS),
}

SITE_FIELDS = {
    "title": Field("text", "Coalition Claims Check", required=True, max_length=200),
    "tagline": Field("text", "Checking what was said about the security guarantees", max_length=500),
    "language": Field("text", "en"),
    "base_url": Field("text", "https://owner.github.io/repo/", required=True),
    "custom_domain": Field("text", "checks.example.org"),
    "organization": Field("record", "{name: Factsite Desk, url: https://example.org/}",
                          required=True, fields=ORGANIZATION_FIELDS),
    "contact_email": Field("text", "corrections@example.org", required=True, max_length=MAX_EMAIL),
    # The site's repository on GitHub, owner/name: readers then report errors and suggest claims
    # through its issue forms (.github/ISSUE_TEMPLATE/). The Pages workflow passes it itself.
    "repository": Field("text", "owner/repo", max_length=200),
    # Who owns and runs the publication, its stand on parties, and how it is funded: shown on
    # every page that includes "organization", and asked for by `factsite check --ifcn`.
    "ownership": Field("text", "Factsite Desk is a project of the Example Trust, a registered charity.",
                       max_length=3000),
    "nonpartisanship": Field("text", "We do not support any party or candidate, and check claims from all sides.",
                             max_length=3000),
    "funding": Field("record", "{statement: The desk is self-funded.}", fields=FUNDING_FIELDS),
    "data_license": Field("text", "https://creativecommons.org/licenses/by/4.0/", max_length=500),
    "verdicts": Field("records", "{slug: accurate, label: Accurate, definition: ..., colour: \"#1a7f37\", rating: 5}",
                      required=True, fields=VERDICT_FIELDS, max_items=1000),
    "topics": Field("records", "{slug: troops, name: Troops and deployment}", fields=TOPIC_FIELDS, max_items=1000),
    # The languages the site is published in, the default first, each other with its texts (languages.py).
    "languages": Field("records", "[{code: en, name: English}, {code: uk, name: Українська, title: ...}]",
                       fields=LANGUAGE_FIELDS, max_items=50),
}

MIN_CONTRAST = 4.5  # WCAG 2.2 AA for normal text: white badge text on the verdict colour


def load_config(content_dir: Path, problems: Problems, base_url: str | None = None,
                repository: str | None = None) -> SiteConfig | None:
    """The site settings, or None when `site.yml` cannot be read at all. ``base_url`` and
    ``repository``, when given, replace what site.yml says."""
    path = content_dir / "site.yml"
    if not path.is_file():
        problems.error(path, None, "the site settings file is missing",
                       "create content/site.yml with the site's title, base_url and verdicts")
        return None
    doc = read_yaml_file(path, problems)
    if doc is None:
        return None
    values = check_fields(doc, SITE_FIELDS, problems)
    domain = _custom_domain(doc, values["custom_domain"], problems)
    _check_base_urls(doc, values["base_url"], base_url, problems)
    organization = _organization(doc, values["organization"], problems)
    _check_email(doc, values["contact_email"], problems)
    repository = _repository(doc, values["repository"], repository, problems)
    verdicts, topics = with_icons(_verdicts(doc, values["verdicts"], problems)), _topics(doc, values["topics"], problems)
    language = values["language"] or "en"
    if not DEFAULT_CODE.fullmatch(language):
        problems.error(doc.path, doc.line("language"), f'"{language[:50]}" is not a language code',
                       "write the language's code as <html lang> writes it, e.g. language: en or language: en-GB")
        language = "en"
    languages, translations = site_languages(doc, language, values["languages"], verdicts, topics,
                                             {**values, "organization_name": organization.name}, problems)
    return SiteConfig(
        title=values["title"] or "",
        tagline=values["tagline"] or "",
        language=language,
        base_url=_site_url(base_url, domain, values["base_url"]),
        custom_domain=domain.lower() if domain else None,
        organization=organization,
        contact_email=values["contact_email"] or "",
        verdicts=verdicts,
        topics=topics,
        path=path,
        repository=repository,
        ownership=values["ownership"],
        nonpartisanship=values["nonpartisanship"],
        funding=_funding(doc, values["funding"], problems),
        data_license=_web_address(doc, ("data_license",), values["data_license"], problems),
        languages=languages,
        translations=translations,
    )


def _custom_domain(doc: Document, domain: str | None, problems: Problems) -> str | None:
    """The domain the site is published on, if site.yml gives one that is a domain name."""
    if domain and not re.fullmatch(r"(?=.{1,253}$)([a-z0-9](-*[a-z0-9])*\.)+[a-z]{2,63}", domain.lower()):
        problems.error(doc.path, doc.line("custom_domain"), f'"{domain}" is not a domain name',
                       "write only the domain, without https:// or a path, e.g. custom_domain: checks.example.org")
        return None
    return domain


def _check_base_urls(doc: Document, written: str | None, given: str | None, problems: Problems) -> None:
    """The base URL goes into every page, the feeds and the preview's script: only a plain http(s)
    address is taken, whether it is ``written`` in site.yml or ``given`` with --base-url (the
    one in site.yml is checked even then, so that check and build agree)."""
    for url, line in ((written, doc.line("base_url")), (given, None)):
        problem = base_url_problem(url) if url else None
        if problem:
            message, hint = problem
            problems.error(doc.path, line, f'the base URL "{url[:200]}"{" (--base-url)" * (line is None)} {message}',
                           hint)


def _site_url(given: str | None, domain: str | None, written: str | None) -> str:
    """Where the site is published, ending in "/": --base-url, else the custom domain, else site.yml's base_url."""
    url = given or (domain and f"https://{domain.lower()}/") or written or "http://localhost/"
    return url if url.endswith("/") else url + "/"


def _organization(doc: Document, values: dict | None, problems: Problems) -> Organization:
    """Who publishes the site; an address that is not a web address (or, for the logo, a static file) left out."""
    organization = values or {"name": "", "url": None, "logo": None}
    url, logo = organization["url"], organization["logo"]
    if url and not is_web_address(url):
        problems.error(doc.path, doc.line("organization", "url"), "the organization's url must start with https://",
                       "write the full address, e.g. url: https://example.org/")
        url = None
    if logo and not (is_web_address(logo) or re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9._/-]*", logo)):
        problems.error(doc.path, doc.line("organization", "logo"),
                       "the organization's logo must be a full https:// address or a file under static/",
                       "write it like logo: logo.svg (for static/logo.svg) or logo: https://example.org/logo.png")
        logo = None
    return Organization(organization["name"] or "", url, logo)


_REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")


def _repository(doc: Document, written: str | None, given: str | None, problems: Problems) -> str | None:
    """The GitHub repository, owner/name: ``given`` (--repository) or site.yml's."""
    for name, line, example in ((given, None, "--repository owner/repo"),
                                (written, doc.line("repository"), "repository: owner/repo")):
        if name and not (_REPOSITORY.fullmatch(name) and name.split("/")[1] not in (".", "..")):
            problems.error(doc.path, line, f'"{name[:200]}"{" (--repository)" * (line is None)} is not a GitHub '
                           "repository's name", f"write it as owner/name, e.g. {example}")
            return None
    return given or written


def _funding(doc: Document, values: dict | None, problems: Problems) -> Funding | None:
    if values is None:
        return None
    funders = [Funder(entry["name"], entry["amount"], entry["period"],
                      _web_address(doc, ("funding", "funders", index, "url"), entry["url"], problems,
                                   f'the url of the funder "{entry["name"]}"'))
               for index, entry in values["funders"] if entry["name"]]
    return Funding(values["statement"], funders)


def _web_address(doc: Document, where: tuple, url: str | None, problems: Problems, what: str = "") -> str | None:
    """``url`` if it is an http(s) address; else None, after saying so (of ``what``, or the field)."""
    if url and not is_web_address(url):
        problems.error(doc.path, doc.line(*where), (what or f'"{where[-1]}"') + " must be a full web address",
                       f"write it like {where[-1]}: https://example.org/")
        return None
    return url


def _check_email(doc: Document, email: str | None, problems: Problems) -> None:
    if email and not is_email_address(email):
        problems.error(doc.path, doc.line("contact_email"), f'"{email}" is not an email address',
                       "write it like contact_email: corrections@example.org")


MAX_BASE_URL = 2000  # characters
_BASE_URL_HINT = "write it like https://owner.github.io/repo/"
_PLAIN_HINT = ("write only the address, like https://owner.github.io/repo/: letters, digits and - . _ ~ / "
               "(a domain with other letters in its xn-- form, other characters of the path as %XX)")
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?|\[[0-9a-f:.]+\]",
                   re.IGNORECASE)
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def base_url_problem(url: str) -> tuple[str, str] | None:
    """Why ``url`` is not a plain http(s) base URL, and what to write (None if it is one): no
    quotes, spaces, angle brackets, user name or password, query or fragment, or "." or ".."
    part, so that it stays the same wherever a page, a feed or a script holds it."""
    if len(url) > MAX_BASE_URL:
        return f"is {len(url)} characters long (at most {MAX_BASE_URL})", _BASE_URL_HINT
    scheme, _, rest = url.partition("://")
    if scheme.lower() not in ("http", "https") or not rest:
        return "is not a full web address", _BASE_URL_HINT
    other = re.search(r"[^A-Za-z0-9._~:/%\[\]-]", url)
    if other:
        return f"holds the character {other[0]!r}, which a plain web address does not", _PLAIN_HINT
    authority, _, site_path = rest.partition("/")
    parts = re.fullmatch(r"(\[[0-9A-Fa-f:.]+\]|[^:\[\]]*)(?::(.*))?", authority)
    if not parts or not _HOST.fullmatch(parts[1]):
        return f'names the host "{authority}", which is not a domain name or an IP address', _PLAIN_HINT
    port = parts[2]
    if port is not None and not (port.isdigit() and 0 < int(port) < 65536):
        return f'has the port "{port}", which is not a number from 1 to 65535', _PLAIN_HINT
    if {".", ".."} & set(site_path.split("/")) or _PERCENT.search(site_path) or re.search(r"[:\[\]]", site_path):
        return ('has a path with a "." or ".." part, a ":", "[" or "]", or a % not followed by two hex digits',
                _PLAIN_HINT)
    return None


def is_email_address(text: str) -> bool:
    return len(text) <= MAX_EMAIL and _EMAIL.fullmatch(text) is not None


def _verdicts(doc, records, problems: Problems) -> list[Verdict]:
    verdicts: list[Verdict] = []
    for index, values in records:
        if values["slug"] in {v.slug for v in verdicts}:
            problems.error(doc.path, doc.line("verdicts", index, "slug"),
                           f'the verdict "{values["slug"]}" is defined twice', "give each verdict its own slug")
            continue
        colour = values["colour"] or ""
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            problems.error(doc.path, doc.line("verdicts", index, "colour"),
                           f'the colour "{colour}" is not written as #rrggbb', 'write it like colour: "#1a7f37"')
        elif contrast_with_white(colour) < MIN_CONTRAST:
            problems.error(
                doc.path, doc.line("verdicts", index, "colour"),
                f"white text on {colour} is hard to read (contrast {contrast_with_white(colour):.1f}:1, "
                f"needs {MIN_CONTRAST}:1)",
                "choose a darker colour",
            )
        if None in (values["slug"], values["label"]):
            continue
        verdicts.append(Verdict(values["slug"], values["label"], values["definition"] or "",
                                colour.lower(), values["rating"]))
    return verdicts


def with_icons(verdicts: list[Verdict]) -> list[Verdict]:
    """Give each verdict a badge shape from its place on the scale: best a tick, worst a cross."""
    rated = sorted((v for v in verdicts if v.rating is not None), key=lambda v: -v.rating)
    for rank, verdict in enumerate(rated):
        if rank == 0:
            verdict.icon = "check"
        elif rank == len(rated) - 1:
            verdict.icon = "cross"
        elif rank == 1 and len(rated) >= 4:
            verdict.icon = "mostly"
        elif rank == len(rated) - 2:
            verdict.icon = "warning"
        else:
            verdict.icon = "info"
    return verdicts


def _topics(doc, records, problems: Problems) -> list[Topic]:
    topics: list[Topic] = []
    for index, values in records:
        if values["slug"] in {t.slug for t in topics}:
            problems.error(doc.path, doc.line("topics", index, "slug"),
                           f'the topic "{values["slug"]}" is defined twice', "give each topic its own slug")
        elif values["slug"] and values["name"]:
            topics.append(Topic(values["slug"], values["name"], values["description"] or ""))
    return sorted(topics, key=lambda t: t.name.lower())


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio between white and ``colour`` (#rrggbb)."""
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)
