"""The addresses of an edition's pages: links within it, to the files every edition shares, to
the same page in the other editions (whose topic and claimant pages have names of their own),
and to the site's issue forms. A part of the Renderer, which gives the attributes used here."""

from __future__ import annotations

import functools
import re
from urllib.parse import urlencode

from ..model.editions import renamed, renamed_pages
from ..model.search_parts import INDEX_FOLDER
from ..read.theme import theme_files
from .templating import STYLESHEET, join_url

# "claimants/x" in a link to that page (a slug is letters, digits and hyphens): wherever renamed()
# would rename a link, this finds it, backslashes too (the Markdown stage reads them as slashes).
LINKED_PAGE = re.compile(r"(?:claimants|topics)[/\\][\w-]+")


class Addresses:
    """Needs ``base_path``, ``prefix`` (the edition's: "" or "uk/"), ``site``, ``editions`` (every
    edition's renderer, the default's first) and ``static_dir``."""

    def url(self, path: str = "") -> str:
        """A link from anywhere on the site to ``path`` in this edition."""
        return self.base_path + self.prefix + path

    def root_url(self, path: str = "") -> str:
        """A link to a file every edition shares (a stylesheet, the search index)."""
        return self.base_path + path

    def absolute_url(self, path: str = "") -> str:
        return join_url(self.site.config.base_url, self.prefix + path)

    def alternates(self, path: str) -> list[dict[str, str]]:
        """The page at ``path`` in every edition (itself included): code, name and address."""
        shared = self.shared_path(path)
        return [{"code": e.site.config.language, "name": language.name, "url": e.absolute_url(e.own_path(shared)),
                 "href": e.url(e.own_path(shared))} for e, language in zip(self.editions, self.site.config.languages)]

    @functools.cached_property
    def renamed_pages(self) -> dict[str, str]:
        """Each of the default edition's topic and claimant pages by its address here (none
        for the default edition itself, whose pages have their own names)."""
        return renamed_pages(self.site, self.editions[0].site) if self.prefix else {}

    @functools.cached_property
    def own_names(self) -> dict[str, str]:
        """The same, the other way round: each of those pages here by its address in the default edition."""
        return {shared: own for own, shared in self.renamed_pages.items()}

    @functools.cached_property
    def renamed_links(self) -> dict[str, str]:
        """Where a link written from the site's root to a topic's or claimant's page leads in
        this edition, wherever that is another address (edition_path), by the shared address
        without its last slash ("claimants/x"), as linked_pages finds it: "shared\x1fown", both
        halves, as a page linking there changes if either does."""
        return {shared[:-1]: f"{shared}\x1f{own}" for shared, own in self.own_names.items()}

    def links_renamed(self, markdown: str) -> tuple[str, ...]:
        """Those of renamed_links that ``markdown`` may link to, for the fingerprint of its page."""
        named = self.renamed_links
        return tuple(sorted(named[name] for name in linked_pages(markdown) if name in named)) if named else ()

    def shared_path(self, path: str) -> str:
        """The default edition's address of this edition's page at ``path``."""
        return renamed(path, self.renamed_pages)

    @functools.cached_property
    def shared_files(self) -> set[str]:
        """The files only the default edition writes, which every edition links to."""
        return {relative for relative, _ in theme_files(self.static_dir)} | {
            STYLESHEET, "claims.json", "sitemap.xml", "robots.txt", "404.html", "CNAME"}

    def own_path(self, path: str) -> str:
        """This edition's address of the default edition's page at ``path``."""
        return renamed(path, self.own_names)

    def issue_form(self, template: str, **fields: str) -> str | None:
        """The address of a new issue on the site's GitHub repository, from one of its issue forms
        (.github/ISSUE_TEMPLATE/<template>.yml), with ``fields`` filled in; None without a repository."""
        repository = self.site.config.repository
        if not repository:
            return None
        return f"https://github.com/{repository}/issues/new?" + urlencode({"template": f"{template}.yml", **fields})


def linked_pages(markdown: str) -> set[str]:
    """Each topic's and claimant's page that ``markdown`` may link to, as "claimants/x"."""
    if "claimants" not in markdown and "topics" not in markdown:  # (most analyses: no need to look further)
        return set()
    return {name.replace("\\", "/") for name in LINKED_PAGE.findall(markdown)}


def edition_path(prefix: str, shared_files: set[str], names: dict[str, str], path: str) -> str:
    """Where a link written from the site's root ("about/", "topics/troops/") leads in the edition
    under ``prefix``: to the same page there (under its name there, ``names``), or to a file every
    edition shares."""
    file = path.partition("#")[0].partition("?")[0]
    if file in shared_files or file.startswith(INDEX_FOLDER + "/"):
        return path
    return prefix + renamed(path, names)
