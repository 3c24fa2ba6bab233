"""Lighthouse scores and page weight of the built site, as a reader's phone sees it.

    npm install --prefix bench          # Lighthouse 12, once
    python bench/lighthouse.py          # builds content/, serves it on 127.0.0.1, prints figures

Runs Lighthouse (mobile preset, the default) with Debian's Chromium on the index
and a claim page and prints the four category scores; then prints, for every
claim page, its HTML plus the stylesheet compressed with gzip (what a server
sends), against the 14 KB that fit in the first round trip.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.serving import serve  # noqa: E402

LIGHTHOUSE = REPO / "bench" / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
BUDGET = 14 * 1024


def lighthouse(url: str, lighthouse_bin: str) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as profile:
        report = Path(profile) / "report.json"
        env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
        subprocess.run([lighthouse_bin, url, "--quiet", "--output=json", f"--output-path={report}",
                        f"--only-categories={','.join(CATEGORIES)}",
                        f"--chrome-flags={CHROME_FLAGS} --user-data-dir={profile}/chrome"],
                       check=True, env=env)
        categories = json.loads(report.read_text())["categories"]
    return {name: round(categories[name]["score"] * 100) for name in CATEGORIES}


def compressed(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lighthouse", default=str(LIGHTHOUSE), help="the lighthouse command")
    parser.add_argument("--skip-lighthouse", action="store_true", help="print the page weights only")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        with serve(out, "/") as port:
            base = f"http://127.0.0.1:{port}/"
            subprocess.run([sys.executable, "build.py", "--base-url", base, "--out", str(out)],
                           cwd=REPO, check=True, capture_output=True)
            if not args.skip_lighthouse:
                print(f"Lighthouse 12, mobile preset ({', '.join(CATEGORIES)}):")
                for name, path in (("index", ""), ("claim page", "claims/eram-missile-delivery/")):
                    scores = lighthouse(base + path, args.lighthouse)
                    print(f"  {name:<11} " + "  ".join(f"{k} {v:>3}" for k, v in scores.items()))

        css = compressed((out / "site.css").read_bytes())
        pages = sorted(out.glob("claims/*/index.html"))
        sizes = {p.parent.name: compressed(p.read_bytes()) + css for p in pages}
        worst = max(sizes, key=sizes.get)
        print(f"\nClaim page HTML + CSS, gzip level 6 (budget {BUDGET / 1024:.0f} KB, {len(pages)} pages):")
        print(f"  stylesheet       {css / 1024:6.1f} KB")
        print(f"  largest page     {sizes[worst] / 1024:6.1f} KB  ({worst})")
        print(f"  smallest page    {min(sizes.values()) / 1024:6.1f} KB")
        over = [name for name, size in sizes.items() if size > BUDGET]
        print(f"  over budget      {len(over)}" + (f": {', '.join(over)}" if over else ""))


if __name__ == "__main__":
    main()
