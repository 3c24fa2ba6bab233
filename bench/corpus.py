"""A synthetic, deterministic corpus of N claims in factsite's own format.

    python bench/corpus.py 1000 /tmp/corpus-1000     # writes /tmp/corpus-1000/content/

Each claim has 500-700 words of varied Markdown (headings, lists, emphasis, links,
quotes, the odd table), 3-5 cited sources, 1-3 of 20 topics, related claims, and
one in ten has corrections. The same N always gives the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORDS = """the a of to in and that for on with as by at from report minister said government agreed
troops force security guarantees ceasefire summit leaders coalition pledge funding billion million
missiles delivery defence defense budget figures official statement source document data survey
claim claimed according analysis evidence record records published shows showed compared increase
decrease percent year years month week country countries nations border frontline support training
equipment sanctions energy oil gas exports imports loan assets frozen reconstruction monitoring
verification talks negotiations parliament vote votes election campaign spokesperson agency office
ministry treasury contract contracts production produced delivered announced confirmed denied
reported estimated according rather than although however because while since before after during
between against without within several many few most some each every other another new first last
""".split()
VERDICTS = [("accurate", "Accurate", "#1a7f37", 5), ("mostly-accurate", "Mostly accurate", "#55702a", 4),
            ("missing-context", "Missing context", "#7a5800", 3), ("misleading", "Misleading", "#9c4400", 2),
            ("false", "False", "#b42318", 1), ("unproven", "Unproven", "#4b5563", None)]
TOPICS = [f"topic-{i:02d}" for i in range(20)]


def sentence(rng: random.Random, low: int = 8, high: int = 22) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))


def body(rng: random.Random, slugs: list[str], target_words: int) -> str:
    parts: list[str] = []
    words = 0
    while words < target_words:
        kind = rng.random()
        if kind < 0.55:
            text = paragraph(rng)
            if rng.random() < 0.3:
                text += f" See [a related check](/claims/{rng.choice(slugs)}/)."
            if rng.random() < 0.4:
                text = text.replace(" the ", " **the** ", 1).replace(" a ", " *a* ", 1)
        elif kind < 0.7:
            text = "\n".join(f"- {sentence(rng, 5, 12)}" for _ in range(rng.randint(3, 5)))
        elif kind < 0.8:
            text = f"## {sentence(rng, 3, 6)[:-1]}"
        elif kind < 0.9:
            text = "> " + sentence(rng, 10, 20)
        elif kind < 0.95:
            text = "1. " + sentence(rng, 5, 10) + "\n2. " + sentence(rng, 5, 10)
        else:
            rows = "\n".join(f"| {rng.randint(2000, 2025)} | {rng.randint(1, 999)} |" for _ in range(4))
            text = "| year | figure |\n| --- | --- |\n" + rows
        parts.append(text)
        words += len(text.split())
    return "\n\n".join(parts) + "\n"


def site_yml() -> str:
    lines = ["title: Synthetic Check", "tagline: A benchmark corpus", "language: en",
             "base_url: https://example.org/", "organization:", "  name: Bench Desk",
             "contact_email: bench@example.org", "verdicts:"]
    for slug, label, colour, rating in VERDICTS:
        lines += [f'  - slug: "{slug}"', f'    label: "{label}"', f"    definition: When the claim is {label.lower()}.",
                  f'    colour: "{colour}"'] + ([f"    rating: {rating}"] if rating else [])
    lines.append("topics:")
    for topic in TOPICS:
        lines += [f"  - slug: {topic}", f"    name: Topic {topic[-2:]}"]
    return "\n".join(lines) + "\n"


def write_corpus(n: int, root: Path, seed: int = 1) -> Path:
    rng = random.Random(seed)
    content = root / "content"
    if content.exists():
        shutil.rmtree(content)
    for folder in ("claims", "sources", "pages"):
        (content / folder).mkdir(parents=True)
    (content / "site.yml").write_text(site_yml())

    source_ids = [f"source-{i:05d}" for i in range(max(10, n // 5))]
    for sid in source_ids:
        (content / "sources" / f"{sid}.yml").write_text(
            f"title: Report {sid}\npublisher: Outlet {rng.randint(1, 50)}\nkind: news report\n"
            f"url: https://example.com/{sid}\narchive_url: https://archive.example.com/{sid}\n")

    slugs = [f"claim-{i:05d}" for i in range(n)]
    start = dt.date(2020, 1, 1)
    for i, slug in enumerate(slugs):
        verdict = rng.choice(VERDICTS)[0]
        cited = rng.sample(source_ids, rng.randint(3, 5))
        published = start + dt.timedelta(days=i * 2000 // max(n, 1))
        lines = ["---", f"title: Claim number {i}", f'claim: "{sentence(rng, 4, 7)}"',
                 f"claimant: Person {rng.randint(1, max(2, n // 20))}", f"appeared_in: {cited[0]}",
                 f'verdict: "{verdict}"', f"summary: {sentence(rng, 15, 30)}",
                 f"topics: [{', '.join(rng.sample(TOPICS, rng.randint(1, 3)))}]", "sources:"]
        for sid in cited:
            lines += [f"  - source: {sid}", f"    quote: {sentence(rng, 6, 12)}",
                      f"    stance: {rng.choice(['supports', 'contradicts', 'context'])}"]
        lines.append(f"published: {published.isoformat()}")
        if rng.random() < 0.1:
            lines += ["corrections:", f"  - date: {(published + dt.timedelta(days=3)).isoformat()}",
                      f"    note: {sentence(rng, 6, 12)}"]
        related = rng.sample(slugs[max(0, i - 50):i] or slugs[1:2], min(rng.randint(0, 3), max(1, min(i, 50))))
        related = [r for r in related if r != slug]
        lines += [f"related: [{', '.join(related)}]", "---"]
        text = "\n".join(lines) + "\n" + body(rng, slugs, rng.randint(500, 700))
        (content / "claims" / f"{slug}.md").write_text(text)

    for slug, title, extra in (("about", "About", ""), ("methodology", "Methodology", "includes: [verdict-scale]\n"),
                               ("corrections", "Corrections", "includes: [corrections-log]\n")):
        (content / "pages" / f"{slug}.md").write_text(f"---\ntitle: {title}\n{extra}---\n{paragraph(rng)}\n")
    for folder in ("templates", "static"):
        target = root / folder
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(REPO / folder, target)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="how many claims")
    parser.add_argument("root", type=Path, help="folder to write content/, templates/ and static/ into")
    args = parser.parse_args()
    write_corpus(args.n, args.root)
    print(f"Wrote {args.n} claims into {args.root / 'content'}")


if __name__ == "__main__":
    main()
