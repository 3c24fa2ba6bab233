"""A deterministic corpus of N claims in factsite's own format, of one of two shapes.

    python bench/corpus.py 1000 /tmp/corpus-1000               # writes /tmp/corpus-1000/content/
    python bench/corpus.py --shape real 1000 /tmp/real-1000

synthetic (the default): each claim has 500-700 words of varied Markdown (headings, lists,
emphasis, links, quotes, the odd table), 3-5 of N/5 sources, 1-3 of 20 topics, related
claims, and one in ten has corrections.

real: the repository's own claims (content/claims) copied until there are N, with its
sources and their text copies, pages and site.yml: short analyses (240-350 words), 2-8
citations each with a quote the build verifies against a text copy, and the few sources
and claimants of the repository (five and nine today) shared by every copy, so that each
carries thousands of claims at N = 10,000. Copy K of a claim is named <slug>-<K:05d>; its related claims and its links to
claims are those of copy K (or of copy 0, for the last, incomplete copy), its aliases get
the same suffix, its dates are spread over the years like the synthetic corpus's, and one
copy in ten gains a correction. From copy 1 on, the claim's last word is the number K, and it is
marked as a paraphrase, so that no two files check the same words from the same source, which
factsite warns about (the warning, 10,000 times, would be what the bench timed). Other fields
are copied as they are.

The same shape and N always give the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
from pathlib import Path

import yaml

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
        lines = ["---", f"title: Claim number {i}", f'claim: "{sentence(rng, 4, 7)}"', "claim_wording: paraphrase",
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
    copy_theme(root)
    return root


def copy_theme(root: Path) -> None:
    """The repository's templates/ and static/, in place of any older copy."""
    for folder in ("templates", "static"):
        target = root / folder
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(REPO / folder, target)


# The real shape -------------------------------------------------------------

FRONT_MATTER = re.compile(r"\A---\r?\n(.*?\r?\n)---\r?\n(.*)\Z", re.DOTALL)
CLAIM_LINK = re.compile(r"/claims/([a-z0-9-]+)/")
SPREAD_DAYS = 2000  # the copies' publication dates run from START over this many days, as the synthetic ones
START = dt.date(2020, 1, 1)
CORRECTION = "An earlier version of this fact-check gave one of the figures it quotes wrongly."


def split_front_matter(text: str) -> tuple[dict, str]:
    """A claim file's front matter (parsed) and its analysis."""
    found = FRONT_MATTER.match(text)
    if not found:
        raise ValueError("no front matter between two --- lines")
    return yaml.load(found.group(1), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), found.group(2)


def join_front_matter(front: dict, body: str) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(front, Dumper=dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    return f"---\n{text}---\n{body}"


def shifted(value, days: int):
    return value + dt.timedelta(days=days) if isinstance(value, dt.date) else value


def real_copy(front: dict, body: str, number: int, n: int, copy: int, slug_of) -> str:
    """Claim ``number`` of ``n``, of copy ``copy``: its original's ``front`` and ``body`` with the
    claims it names (``slug_of(slug)``: that claim in the same copy), aliases, dates and
    corrections its own. Fields this does not know are copied as they are."""
    front = dict(front)
    suffix = f"-{copy:05d}"
    if copy and isinstance(front.get("claim"), str):  # not the same claim checked again (see above)
        words = front["claim"].split()  # its last word for the copy's number: no longer than the original
        front["claim"], front["claim_wording"] = " ".join(words[:-1] + [str(copy)]), "paraphrase"
    if isinstance(front.get("related"), list):
        front["related"] = [slug_of(slug) for slug in front["related"]]
    if isinstance(front.get("aliases"), list):
        front["aliases"] = [f"{alias}{suffix}" for alias in front["aliases"]]
    elif isinstance(front.get("aliases"), str):
        front["aliases"] += suffix
    published = START + dt.timedelta(days=number * SPREAD_DAYS // max(n, 1))
    # Every date moves with the publication date, so that they keep their order.
    days = (published - front["published"]).days if isinstance(front.get("published"), dt.date) else 0
    for key in ("published", "updated", "claim_date"):
        if key in front:
            front[key] = shifted(front[key], days)
    corrections = [dict(entry, date=shifted(entry.get("date"), days)) if isinstance(entry, dict) else entry
                   for entry in front.get("corrections") or []]
    if number % 10 == 7 and not corrections:
        corrections = [{"date": published + dt.timedelta(days=3), "note": CORRECTION}]
    if corrections:
        front["corrections"] = corrections
    text = join_front_matter(front, body)
    return CLAIM_LINK.sub(lambda link: f"/claims/{slug_of(link.group(1))}/", text)


def translated_copy(text: str, slug_of) -> str:
    """A translation, for its claim's copy: its links to the copies, and without the corrections,
    which the copy's dates no longer match (the copy's own notes are shown instead), nor the
    claim's wording, which the original gives (see real_copy)."""
    front, body = split_front_matter(text)
    front.pop("corrections", None)
    front.pop("claim_wording", None)
    return CLAIM_LINK.sub(lambda link: f"/claims/{slug_of(link.group(1))}/", join_front_matter(front, body))


def write_real_corpus(n: int, root: Path, translated: bool = True) -> Path:
    """The repository's content, its claims copied to ``n`` (see the module's docstring);
    ``translated``: in every language it has (else in its first alone, to measure what the others cost)."""
    content = root / "content"
    if content.exists():
        shutil.rmtree(content)
    source = REPO / "content"
    shutil.copytree(source, content, ignore=lambda folder, names: ["claims"] if Path(folder) == source else [])
    originals = sorted(path for path in (source / "claims").rglob("*.md") if "." not in path.stem)
    # Each claim's translations (<slug>.<lang>.md) are copied with it: the site in every language it has.
    translations = {path: sorted(path.parent.glob(f"{path.stem}.*.md")) if translated else [] for path in originals}
    if not translated:
        for path in content.rglob("*.*.*"):  # a page's or source's translation: <name>.<language>.<ending>
            path.unlink()
        settings = content / "site.yml"
        text = settings.read_text("utf-8")
        cut = text.find("\n# The languages") if "\n# The languages" in text else text.find("\nlanguages:")
        settings.write_text(text[:cut] + "\n" if cut >= 0 else text, "utf-8")
    index = {path.stem: number for number, path in enumerate(originals)}
    parsed = [split_front_matter(path.read_text("utf-8")) for path in originals]
    for number in range(n):
        copy, which = divmod(number, len(originals))

        def slug_of(slug: str, copy: int = copy) -> str:
            """``slug``'s claim in this copy, or in copy 0 when this one (the last) stops before it."""
            if slug not in index:
                return slug  # not one of the repository's claims: left as it is
            own = copy if copy * len(originals) + index[slug] < n else 0
            return f"{slug}-{own:05d}"

        original = originals[which]
        folder = content / "claims" / original.parent.relative_to(source / "claims")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{original.stem}-{copy:05d}.md").write_text(real_copy(*parsed[which], number, n, copy, slug_of),
                                                              "utf-8")
        for translation in translations[original]:
            language = translation.stem.rsplit(".", 1)[1]
            (folder / f"{original.stem}-{copy:05d}.{language}.md").write_text(
                translated_copy(translation.read_text("utf-8"), slug_of), "utf-8")
    copy_theme(root)
    return root


SHAPES = {"synthetic": write_corpus, "real": write_real_corpus,
          "real-one-language": lambda n, root: write_real_corpus(n, root, translated=False)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="how many claims")
    parser.add_argument("root", type=Path, help="folder to write content/, templates/ and static/ into")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="synthetic",
                        help="synthetic (the default), or the repository's own claims copied to N")
    args = parser.parse_args()
    SHAPES[args.shape](args.n, args.root)
    print(f"Wrote {args.n} claims of the {args.shape} shape into {args.root / 'content'}")


if __name__ == "__main__":
    main()
