"""What readers pay for a search index in parts: one index against parts, in Chromium.

    python bench/search_cost.py SITE [--terms missiles "ceasefire verification"]

SITE is a site built by factsite (with or without its search index; its claim pages are
what is indexed). The claim pages are indexed twice into a temporary folder: as one index,
and in parts as factsite makes them (factsite/output/search.py). Each is served on 127.0.0.1 and
searched in a fresh Chromium page: the first search after the page loads, and the data of
its first 10 results, as the search page shows them. Printed for each: the requests the
server answered, their kilobytes (Pagefind's files are already compressed), and the
milliseconds from loading Pagefind to having the 10 results.

Needs Playwright and Debian's Chromium (`pip install -e .[test]`, `apt-get install chromium`).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from factsite.model import search_parts  # noqa: E402
from factsite.output import search  # noqa: E402
from tests.serving import serve  # noqa: E402


# Loads the parts as static/search.js does, then searches and reads the first 10 results.
SEARCH = """async ([parts, term]) => {
  const started = performance.now();
  const pagefind = await import("/pagefind/1/pagefind.js");
  await pagefind.options({ baseUrl: "/" });
  await Promise.all(parts.map((part) => pagefind.mergeIndex(part, { baseUrl: "/" })));
  const found = await pagefind.search(term);
  await Promise.all(found.results.slice(0, 10).map((result) => result.data()));
  return { ms: performance.now() - started, results: found.results.length };
}"""


def claim_pages(site: Path) -> list[str]:
    """The address of every claim page of a built site, as factsite/output/search.py takes them."""
    return [f"claims/{page.name}/" for page in sorted((site / "claims").iterdir()) if page.is_dir()]


def indexed(site: Path, folder: Path, shards: list[list[str]] | None) -> Path:
    """A folder serving ``site``'s claim pages and an index of them: in ``shards``, or
    (None) one index made as before the parts, by one Pagefind run over every claim page."""
    folder.mkdir(parents=True)
    (folder / "claims").symlink_to(site.resolve() / "claims")
    (folder / "blank.html").write_text("<!doctype html><title>search cost</title>")
    if shards is None:
        subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--glob", "claims/*/index.html",
                        "--output-path", str(folder / search_parts.INDEX_FOLDER / "1"), "--silent"], check=True)
    else:
        search.build_search_index(site, shards, folder / search_parts.INDEX_FOLDER)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--terms", nargs="+", default=["missiles", "ceasefire verification"])
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # the tests' Chromium, started as they start it

    pages = claim_pages(args.site)
    parts = search_parts.search_shards(pages)
    named = f"{len(parts)} part{'s' if len(parts) != 1 else ''}"
    print(f"{len(pages)} claim pages, indexed in {named} (about {search_parts.SHARD_SIZE} pages each)")
    with tempfile.TemporaryDirectory(prefix="search-cost-") as tmp, sync_playwright() as playwright:
        variants = {"one index": indexed(args.site, Path(tmp, "one"), None),
                    named: indexed(args.site, Path(tmp, "parts"), parts)}
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        print(f"\n{'term':<28}{'index':<12}{'requests':>9}{'KB':>8}{'ms':>8}{'results':>9}")
        for term in args.terms:
            for name, folder in variants.items():
                others = [f"/pagefind/{n}/" for n in range(2, len(list((folder / "pagefind").iterdir())) + 1)]
                sizes: list[int] = []
                with serve(folder, sizes=sizes) as port:
                    page = browser.new_page()
                    page.goto(f"http://127.0.0.1:{port}/blank.html")
                    sizes.clear()
                    result = page.evaluate(SEARCH, [others, term])
                    page.close()
                print(f"{term:<28}{name:<12}{len(sizes):>9}{sum(sizes) / 1024:>8.0f}{result['ms']:>8.0f}"
                      f"{result['results']:>9}")
        browser.close()


if __name__ == "__main__":
    main()
