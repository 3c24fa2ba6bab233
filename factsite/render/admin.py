"""The editor in the browser, /admin/: Sveltia CMS, kept in static/admin/ (tools/vendor_sveltia.py
copies a pinned release there), with the three files this job writes around it: index.html with
a Content-Security-Policy of its own, init.js, which starts the CMS with the site's stylesheet in
its preview pane, and config.yml, made from site.yml and the content's tables (admin_config.py).

The CMS is third-party code, 3 MB of it: it is neither part of the layout (every page's
fingerprint, worked out on every update of the preview) nor written with the other static
files, but by this one job, for the default edition only. Nothing links to /admin/: editors
bookmark it. It is not in the sitemap, the feeds or the search index, which list claims and pages.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

import yaml

from .. import __version__
from ..digest import digest_of
from ..read.filecache import DocumentCache, settled_or_new
from ..read.theme import read_theme_file, theme_files
from .admin_config import admin_config
from .jobs import Output
from .templating import STYLESHEET

if TYPE_CHECKING:
    from .renderer import Renderer

ADMIN = "admin/"  # the CMS's folder in static/, published as it is at /admin/

# As strict as Sveltia runs under (tests/test_cms_browser.py runs it so, and fails on any violation):
# its own scripts only, never 'unsafe-eval'; inline styles, which its components set on elements;
# data: and blob: for the images, fonts and files it makes in the page; GitHub's API, where it
# reads and writes the repository, and GitHub's avatars, which show who is signed in.
CSP = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https://avatars.githubusercontent.com",
    "font-src 'self' data:",
    "connect-src 'self' blob: data: https://api.github.com",
    "media-src 'self' blob:",
    "worker-src 'self' blob:",
    "frame-src 'self' blob:",
    "manifest-src 'self'",
    "base-uri 'self'",
    "form-action 'none'",
])

INDEX = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: editor</title>
<link rel="cms-config-url" type="application/yaml" href="{admin}config.yml?v={config}">
</head>
<body>
<script type="module" src="{admin}init.js?v={init}"></script>
</body>
</html>
"""

INIT = """// Starts Sveltia CMS (render/admin.py writes this file): the site's stylesheet in the preview pane.
import CMS from "./sveltia/index.js?v={cms}";

CMS.registerPreviewStyle({stylesheet});
CMS.init();
"""


class AdminPages:
    """/admin/: the CMS's files as static/admin/ holds them, and the three made for this site."""

    kind = "admin"

    def __init__(self, renderer: Renderer):
        self.r = renderer

    def keys(self) -> list[str]:
        # One editor for every edition. Without a repository (site.yml's `repository:`, or the
        # build's --repository) the CMS has nowhere to read, nor to open pull requests: it
        # refuses to start, so no /admin/ is written.
        return [""] if self.r.is_default and self.r.site.config.repository else []

    def files(self, key: str = "") -> Iterator[Output]:
        static = self.r.static_dir
        for relative, path in vendored_files(static):
            yield relative, read_theme_file(path, static)
        yield from self.made.items()

    @functools.cached_property
    def made(self) -> dict[str, bytes]:
        """index.html, init.js and config.yml, for the fingerprint and the files alike, made again
        only when what they are made from changes: the settings (the verdicts, topics, languages,
        repository and address), the stylesheet's address and the CMS's files."""
        r, kept = self.r, self.r.kept.admin
        made = kept.computed("made", (r.site.config, r.asset(STYLESHEET), self.vendored_digest), self._made)
        kept.next_update()
        return made

    def _made(self) -> dict[str, bytes]:
        r = self.r
        config = yaml.safe_dump(admin_config(r.site), sort_keys=False,
                                allow_unicode=True, width=120).encode()
        init = INIT.format(cms=self.vendored_digest[:10],
                           stylesheet=json.dumps(r.asset(STYLESHEET))).encode()
        index = INDEX.format(csp=CSP, title=html.escape(r.site.config.title), admin=r.root_url(ADMIN), config=_short(config),
                             init=_short(init)).encode()
        return {ADMIN + "index.html": index, ADMIN + "init.js": init, ADMIN + "config.yml": config}

    def fingerprint(self, key: str = "") -> str:
        """What this job writes: the files it makes, which show everything they are made from
        (site.yml, the stylesheet's digest), the CMS's files, and how this code writes them."""
        from . import renderer  # (which imports this module)

        return digest_of(__version__, renderer.OUTPUT_VERSION, self.vendored_digest,
                         *[part for item in sorted(self.made.items()) for part in item])

    def fingerprints(self) -> dict:
        return {(self.r.job_name(self.kind), key): self.fingerprint(key) for key in self.keys()}

    @functools.cached_property
    def vendored_digest(self) -> str:
        """A digest of the CMS's files, worked out again only when one of them changes: hashing
        3 MB on every update of the preview would cost it 10 ms."""
        static = self.r.static_dir
        files = vendored_files(static)
        inputs = tuple((relative, settled_or_new(DocumentCache.signature(path))) for relative, path in files)
        kept = self.r.kept.vendored
        digest = kept.computed("admin", inputs, lambda: digest_of(*[part for relative, path in files
                                                                   for part in (relative, read_theme_file(path, static))]))
        kept.next_update()
        return digest


def vendored_files(static) -> list:
    """The files of static/admin/, by their path in the site."""
    return [(relative, path) for relative, path in theme_files(static)
            if relative.startswith(ADMIN) and not path.name.startswith(".")]  # hidden: as static_files


def _short(data: bytes) -> str:
    return digest_of(data)[:10]


