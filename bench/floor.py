"""The Python floor: the bare read + YAML + Markdown + Jinja + write loop, nothing else.

    python bench/floor.py CONTENT_DIR OUT_DIR [--processes N]

What any Python generator must at least do for each claim file: read it, parse
its front matter with the C YAML loader, convert its Markdown with the same
extensions as factsite, render it through a minimal Jinja template and write
the page. factsite's build is measured against it by bench/build.py.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import time
from pathlib import Path

import jinja2
import markdown
import yaml

TEMPLATE = jinja2.Environment(autoescape=True).from_string(
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>{{ meta.title }}</title></head>"
    "<body><h1>{{ meta.title }}</h1><blockquote>{{ meta.claim }}</blockquote>{{ body }}</body></html>"
)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_md = None


def build_one(task: tuple[Path, Path]) -> None:
    global _md
    if _md is None:  # one Markdown instance per process
        _md = markdown.Markdown(extensions=["extra", "sane_lists"])
    path, out = task
    text = path.read_text("utf-8")
    _, front, body = text.split("---\n", 2)
    meta = yaml.load(front, Loader=LOADER)
    html = TEMPLATE.render(meta=meta, body=jinja2.utils.markupsafe.Markup(_md.reset().convert(body)))
    target = out / path.stem / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, "utf-8")


def run(content: Path, out: Path, processes: int) -> float:
    tasks = [(path, out) for path in sorted((content / "claims").glob("*.md"))]
    started = time.perf_counter()
    if processes == 1:
        for task in tasks:
            build_one(task)
    else:
        with mp.get_context("fork").Pool(processes) as pool:
            pool.map(build_one, tasks, chunksize=40)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("content", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    print(f"{run(args.content, args.out, args.processes):.2f}")


if __name__ == "__main__":
    main()
