"""The fuzz pass over Markdown bodies: how long `factsite check`'s work on one body can take.

    python bench/fuzz_markdown.py                  # every adversarial body, and 200 random ones
    python bench/fuzz_markdown.py --random 1000 --seed 7
    python bench/fuzz_markdown.py --only '[a](' --only '<a '

For each body it times what `factsite check` does with an analysis: the limits of
factsite/read/markdown_limits.py, and for a body they accept, converting it to safe HTML
(markup.MarkdownRenderer) and noting the links it holds (links.WrittenLinks), as the render
does. The bodies:

  adversarial  each construct that some parser could read again and again (an unclosed "[",
               "[a](", "<![CDATA[", "<a ", an abbreviation, a footnote, a nested quote or list
               ...), repeated until the body is at the size limit, and at half of it, alone
               and between words;
  random       lines drawn from every construct, with prefixes that nest them, up to the limit.

It prints the slowest bodies and the worst seconds per KB of input, and exits with status 1
if any body the limits accept took more than LIMIT_SECONDS (2 s), as issue 18 requires.
A body the limits refuse costs only their linear check, which is timed too.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from factsite.checks.links import WrittenLinks  # noqa: E402
from factsite.read.markdown_limits import MAX_BLOCK, MAX_CHARACTERS, refusals  # noqa: E402
from factsite.render.markup import MarkdownRenderer  # noqa: E402

LIMIT_SECONDS = 2.0

# Each construct, as it would be repeated: openers never closed, closers, definitions, nesting.
CONSTRUCTS = [
    "[", "]", "(", ")", "![", "[a](", "[a](b", "[a](<b", "[a](b \"", "[a](b 'c", "[a][", "[a][b", "[a]",
    "[^", "[^1]", "[^1]: x\n", "x[^1] ", "*[A]: b\n", "A ", "[a]: /b\n", "[a] ", "[a](b) ", "![a](b) ",
    "<", "<a ", "<a x=\"", "<a x='", "<a x=", "<![CDATA[", "<![CDATA[x]]>", "<!--", "<!-- x -->", "<?", "<!x",
    "</", "</a", "<http://", "<https://a.b/", "<a@b.c", "<div>", "</div>", "<div>\n", "<div markdown=\"1\">\n",
    "<span>", "<b>", "&", "&amp;", "&#", "\\", "\\[", "`", "``", "` `", "*", "**", "_", "__", "*a", "_a", "**a",
    "***a", "*a*", "_a_", "~~", "{", "{: #x}", "{#x}", "|", "| a ", "a|b\n", "> ", ">", "- ", "* ", "1. ", "    ",
    "\t", ": ", "a\n: b\n", "#", "# a\n", "a\n===\n", "---\n", "```\n", "~~~\n", "  \n", "\n", "a  \n",
    "[[", "]]", "[a]([", "([", "[(", "[a](b)(", "<a>[", "`[`", "[`]`", "<b>]</b>",
    "<a b=\">\"", "<a b='>'", "```x\n", "~~~ python\n", "````\n", "```{a}}\n", "```hl_lines=\"\n", "```hl_lines='1\n", "\"\n", "'\n",
]
# Prefixes and separators that change how a construct is read.
AROUND = ["", "x ", "\n", "\n\n", "- ", "> ", "    "]
# Lines for random bodies: the constructs, and ordinary text around them.
LINES = CONSTRUCTS + ["Plain words in a sentence.", "A [link](/claims/x/) and **bold**.", "| a | b |", "|---|---|",
                      "- an item", "1. a step", "> a quote", "```python", "print('x')", "Term", ": Definition.",
                      "*[HTML]: Hyper Text Markup Language", "HTML here.", "A note.[^n]", "[^n]: The note.", ""]
PREFIXES = ["", "", "", "> ", "- ", "1. ", "    ", "  ", "> > ", "\t", ": "]


def adversarial(only: list[str]) -> list[tuple[str, str]]:
    """(name, body): each construct repeated to the size limit and to half of it, alone and between words."""
    bodies = []
    for construct in only or CONSTRUCTS:
        for around in AROUND:
            unit = around + construct
            for size in (MAX_CHARACTERS // 2, MAX_CHARACTERS):
                bodies.append((f"{unit!r} x {size // len(unit)}", (unit * (size // len(unit)))[:size]))
            # Blocks as long as they may be, between blank lines, up to the size limit.
            block = (unit * (MAX_BLOCK // len(unit) + 1))[:MAX_BLOCK - 1].replace("\n\n", "\n") + "\n\n"
            bodies.append((f"{unit!r} in blocks of {MAX_BLOCK - 1:,}", (block * (MAX_CHARACTERS // len(block)))))
    return bodies


def random_bodies(count: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    bodies = []
    for number in range(count):
        size = rng.choice([1_000, 10_000, MAX_CHARACTERS // 2, MAX_CHARACTERS])
        parts, length = [], 0
        runs = rng.random() < 0.5  # half of them repeat a few lines many times
        choices = rng.sample(LINES, 3) if runs else LINES
        while length < size:
            line = rng.choice(PREFIXES) * rng.choice([1, 1, 1, 2, 5]) + rng.choice(choices) + rng.choice(
                ["\n", "\n", "\n\n", " "])
            parts.append(line)
            length += len(line)
        bodies.append((f"random #{number} (seed {seed})", "".join(parts)[:size]))
    return bodies


def check_work(renderer: MarkdownRenderer, body: str) -> tuple[float, bool]:
    """Seconds of what check does with ``body``, and whether the limits accepted it."""
    started = time.perf_counter()
    refused = refusals(body)
    if not refused:
        renderer(body)
        WrittenLinks.found(Path("claim.md"), "https://example.org/claims/x/", body, 1, renderer.last_links)
    return time.perf_counter() - started, not refused


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--random", type=int, default=200, help="how many random bodies (default 200)")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--only", action="append", default=[], help="only this construct (repeatable)")
    parser.add_argument("--show", type=int, default=15, help="how many of the slowest bodies to list")
    options = parser.parse_args()

    renderer = MarkdownRenderer("/")
    bodies = adversarial(options.only) + ([] if options.only else random_bodies(options.random, options.seed))
    results = []
    started = time.perf_counter()
    for name, body in bodies:
        seconds, accepted = check_work(renderer, body)
        results.append((seconds, seconds / max(len(body.encode()) / 1024, 0.001), accepted, len(body), name))
    results.sort(reverse=True)
    accepted = [r for r in results if r[2]]
    print(f"{len(bodies)} bodies ({len(accepted)} accepted, {len(bodies) - len(accepted)} refused by the limits) "
          f"in {time.perf_counter() - started:.0f} s; size limit {MAX_CHARACTERS:,} characters\n")
    print(f"{'seconds':>8} {'s/KB':>8}  {'accepted':8} {'chars':>7}  body")
    for seconds, per_kb, ok, length, name in results[:options.show]:
        print(f"{seconds:8.3f} {per_kb:8.4f}  {'yes' if ok else 'refused':8} {length:7,}  {name[:70]}")
    worst_kb = max(results, key=lambda r: r[1])
    print(f"\nworst seconds per KB: {worst_kb[1]:.4f} ({worst_kb[4][:60]}, {worst_kb[0]:.3f} s)")
    slow = [r for r in accepted if r[0] > LIMIT_SECONDS]
    worst = max((r[0] for r in accepted), default=0.0)
    print(f"slowest accepted body: {worst:.3f} s (limit {LIMIT_SECONDS} s); slowest refusal: "
          f"{max((r[0] for r in results if not r[2]), default=0.0):.3f} s")
    for seconds, _, _, length, name in slow:
        print(f"TOO SLOW: {seconds:.2f} s for {name} ({length:,} characters)")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
