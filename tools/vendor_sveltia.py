"""Copy Sveltia CMS's ES-module build into static/admin/sveltia/, which the build publishes at
/admin/sveltia/ (render/admin.py writes /admin/ itself around it).

To update (pin the exact version; nothing is fetched at build time or by the browser):

    npm install --prefix /tmp/sveltia --ignore-scripts --no-save @sveltia/cms@0.221.1
    python tools/vendor_sveltia.py /tmp/sveltia/node_modules/@sveltia/cms

then build, run tests/test_cms.py and tests/test_cms_browser.py, and commit the folder.

Why npm/ and not dist/: dist/sveltia-cms.js fetches its fonts from cdn.jsdelivr.net and asks
unpkg.com for updates; npm/ loads its fonts from its own assets/ and asks nothing
(docs/reviews/cms-trial/REPORT.md). What is left out, and why:
- source maps (*.map): for debugging Sveltia itself, 10 MB;
- the WebAssembly image codecs (assets/*.wasm, heic-worker, chunks/heic*, chunks/webp_enc*):
  they convert HEIC uploads and encode WebP, which /admin/'s policy blocks anyway (no
  'wasm-unsafe-eval'); editors upload no images through the CMS;
- locales/ (the interface in other languages): npm/index.js imports them as JSON modules
  without an import attribute, which browsers refuse, so they could not load; the
  interface is in English.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "static" / "admin" / "sveltia"
LEFT_OUT = ("*.map", "*.wasm", "heic*", "webp_enc*")


def vendor(package: Path, target: Path = TARGET) -> str:
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    if meta.get("name") != "@sveltia/cms":
        raise SystemExit(f"{package} is not @sveltia/cms")
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(package / "npm", target, ignore=shutil.ignore_patterns(*LEFT_OUT))
    shutil.copy(package / "LICENSE.txt", target / "LICENSE.txt")  # MIT; the fonts' OFL texts are in assets/
    version = meta["version"]
    (target / "VERSION").write_text(
        f"{meta['name']} {version} ({meta.get('license', '?')}), its npm/ build; LICENSE.txt is its licence.\n"
        f"Copied by tools/vendor_sveltia.py, which says how to update it:\n"
        f"npm install --prefix /tmp/sveltia --ignore-scripts --no-save {meta['name']}@{version}\n",
        encoding="utf-8")
    return version


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    print("vendored @sveltia/cms", vendor(Path(sys.argv[1])), "into", TARGET)
