"""How fast factsite builds N claims, against the bare Python floor and the targets of issue 19.

    python bench/build.py                          # N = 1000 and 10000 (minutes; wants a quiet machine)
    python bench/build.py --sizes 200              # a quick run, as CI does
    python bench/build.py --sizes 2000 --shape real   # one corpus shape only (default: both)
    python bench/build.py --workdir /tmp/fs-bench --reuse   # keep the corpora and reuse them next time

For each shape and N, bench/corpus.py writes a deterministic corpus of N claims into
WORKDIR/<shape>-N/ (content/, templates/ and static/; the default WORKDIR is a temporary
folder, deleted at the end): "synthetic", long generated analyses citing many sources, or
"real", the repository's own claims copied to N, sharing a handful of sources and claimants.
Every build is a real subprocess, `python -m factsite build --out site ...`, run in that
folder with SOURCE_DATE_EPOCH unset. The rows (seconds unless stated):

  1  floor, 1 process: bench/floor.py's bare read + YAML + Markdown + Jinja + write loop
  2  floor, 2 processes: the same loop on two forked workers
  3  cold full build: site/ and .factsite-cache/ moved aside (see set_aside), then a build
     with cards and search
  4  cold build with --no-cards --no-search (site/ and .factsite-cache/ moved aside first)
  5  rebuild, nothing changed: row 4's build again
  6  rebuild after one claim is edited, with row 4's flags: each of bench/edits.py's
     CLAIM_EDITS of the middle claim (a paragraph appended to its analysis; its title; its
     topics; its claimant; its verdict, with the correction saying so), each undone and
     built again before the next run, but the verdict: a verdict cannot go back without a
     correction, so each run changes it again and site/ is moved aside after the last
  7  factsite serve, a real `python -m factsite serve` on 127.0.0.1 (bench/preview.py): its
     first build, from starting it to the middle claim's page served; then each of
     bench/edits.py's PREVIEW_EDITS (row 6's and a claim file added, and one deleted), timed
     from saving the file to the served page showing it; and the server's peak memory
  8  share cards, in this process: ms per card (200 drawn with factsite.render.cards.claim_card) and
     that figure times N, on one core
  3b row 3's build again (cards, search) after one claim's analysis is edited: an incremental
     build, which makes again that claim's pages and the part of the search index holding it
  9  search index alone: every part of it (factsite/output/search.py), on a copy of row 3's site

They run in the order 1, then 2 and 4 in turn, 5, 6, 7, 3, 3b, 9, 8. Rows 2, 4, 5, 6 and 7's
edits are each run TIMES (3) times and show their median, with every run's time after
"runs:" (own times for rows 2 and 4, which are compared on them; wall times for the rest,
which are judged on them): this machine's speed drifts by a third within an hour, and rows 2
and 4 are measured in turn so that both meet the same machine and the same disk (one that
has just taken row 3's cards and index makes files slower). Row 7's first build starts, as
row 4 does, without site/ and .factsite-cache/.

Columns: "own" is the time the program reports itself (floor.run()'s return value; the build's
last line, "... in X s"), "wall" is measured here, from starting the subprocess to its exit
(or, for the preview, from saving a file to the page showing it), so it includes interpreter
start-up and imports. Targets are judged on wall time, what an editor waits for; the floor
ratios compare own times, because floor.run() leaves start-up out too. "peak MB" is
ru_maxrss from os.wait4: the largest single process among the build and the children it
waited for (its workers, Pagefind); for the preview, bench/preview.py says how. Every target
missed is printed again at the end; the bench fails only when something did not work (a
build, or an edit that never showed).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import preview  # noqa: E402
from bench.corpus import SHAPES, copy_theme  # noqa: E402
from bench.edits import CLAIM_EDITS, PREVIEW_EDITS, Edit, claim_edit  # noqa: E402

FLOOR = REPO / "bench" / "floor.py"
CACHE = ".factsite-cache"
QUICK = ("--no-cards", "--no-search")
CARDS_DRAWN = 200
TIMES = 3  # runs of each row that is compared or judged, by its median

# The targets.
FLOOR_RATIO = 1.25        # cold --no-cards --no-search build / two-process floor
REBUILD_UNCHANGED = 0.5   # s
REBUILD_ONE_CLAIM = 1.0   # s, pages only
SERVE_ONE_CLAIM = 0.3     # s, from saving the file to the page showing it
SERVE_FIRST_RATIO = 1.2   # the preview's first build / row 4's cold build, wall times
CARD_MS = 15.0            # ms per card
PEAK_MB = 400.0           # every row's, the preview's too

# What each edit is called in the table.
EDITED = {"analysis": "an analysis edited", "title": "a title edited", "topics": "new topics",
          "claimant": "another claimant", "verdict": "a verdict and correction",
          "new claim": "a claim file added", "deleted claim": "a claim file deleted"}
MISSED: list[str] = []  # every target missed, printed again at the end


class BenchError(Exception):
    """A build or tool failed; the message has its output."""


# Running things ------------------------------------------------------------


def subprocess_env() -> dict[str, str]:
    """The environment without SOURCE_DATE_EPOCH, with this checkout's factsite first on the path."""
    # PYTHONDONTWRITEBYTECODE goes too: an installed factsite has its modules compiled once,
    # not at every start (which costs about 0.1 s of each rebuild where the variable is set).
    env = {key: value for key, value in os.environ.items()
           if key not in ("SOURCE_DATE_EPOCH", "PYTHONDONTWRITEBYTECODE")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


@dataclass
class Run:
    wall: float
    peak_mb: float
    stdout: str
    own: float | None = None  # the seconds the program reports itself
    cpu: tuple[float, float] = (0.0, 0.0)  # user and system CPU seconds, its children's included


def reported_seconds(stdout: str) -> float | None:
    """The seconds on the build's last line ("... into site in 0.81 s, 0 warnings."), read leniently."""
    found = re.findall(r"\bin ([0-9.]+) s\b", stdout)
    return float(found[-1]) if found else None


def run_measured(command: list[str], cwd: Path) -> Run:
    """Run ``command`` in ``cwd``; its wall time and the peak memory of it or its largest child."""
    os.sync()  # the last run's files are on disk before this one starts, not written back during it
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=subprocess_env(), stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait for it again
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise BenchError(f"`{' '.join(command)}` in {cwd} exited with {process.returncode}:\n{stdout}{stderr}")
    peak_kb = usage.ru_maxrss / 1024 if sys.platform == "darwin" else usage.ru_maxrss  # bytes on macOS
    return Run(wall, peak_kb / 1024, stdout, reported_seconds(stdout), (usage.ru_utime, usage.ru_stime))


@contextmanager
def working_directory(path: Path):
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


# The corpus ----------------------------------------------------------------


def corpus(shape: str, n: int, workdir: Path, reuse: bool) -> Path:
    """WORKDIR/<shape>-N, written unless --reuse finds it complete (its theme is refreshed then)."""
    root = workdir / f"{shape}-{n}"
    claims = root / "content" / "claims"
    for left in root.glob(".set-aside-*"):  # by a run that was killed
        shutil.rmtree(left, ignore_errors=True)
    if reuse and claims.is_dir() and sum(1 for path in claims.rglob("*.md") if "." not in path.stem) == n:
        copy_theme(root)  # the theme may have changed since
        print(f"Reusing the {shape} corpus of {n} claims in {root}")
        return root
    started = time.perf_counter()
    SHAPES[shape](n, root)
    print(f"Wrote {n} claims of the {shape} shape into {root} in {time.perf_counter() - started:.1f} s")
    return root


# The measurements ----------------------------------------------------------


def floor(root: Path, processes: int) -> Run:
    """bench/floor.py's run() on the corpus, in its own process; own time = run()'s return value.

    It writes into the corpus folder, beside the builds' site/: where on the disk files are
    made can change the time the system spends making them several-fold (seen on ext4)."""
    out = root / f"floor-{processes}"
    set_aside(out)
    result = run_measured([sys.executable, str(FLOOR), "content", str(out), "--processes", str(processes)], root)
    set_aside(out)
    result.own = float(result.stdout.split()[-1])  # floor.py prints only run()'s seconds
    return result


def clear_build(root: Path) -> None:
    for name in ("site", CACHE):
        set_aside(root / name)


# Nothing is deleted until the end: on ext4 without a journal, a file made within minutes of
# tens of thousands being deleted costs the system several times as much (the kernel steps
# over every inode deleted since the disk last wrote its table), which made the build measured
# after the last one was deleted pay up to 20 s that the floor did not. The price is disk
# space: a few GB at 10,000 claims, until the run ends (or, if it is killed, the next run
# with --reuse, which deletes what the last one left).
SET_ASIDE: list[Path] = []


def set_aside(path: Path) -> None:
    """Move ``path``, if it exists, out of the way, to be deleted at the end of the run."""
    if path.exists():
        aside = path.with_name(f".set-aside-{os.getpid()}-{len(SET_ASIDE)}")
        path.rename(aside)
        SET_ASIDE.append(aside)


def delete_set_aside() -> None:
    while SET_ASIDE:
        shutil.rmtree(SET_ASIDE.pop(), ignore_errors=True)


def build(root: Path, *flags: str) -> Run:
    return run_measured([sys.executable, "-m", "factsite", "build", "--out", "site", *flags], root)


def built_page(root: Path, url: str) -> tuple[int, str]:
    """The page at ``url`` in site/, as the preview would serve it: its status and text."""
    page = root / "site" / url / "index.html"
    return (200, page.read_text("utf-8")) if page.is_file() else (404, "")


def rebuilds_after(kind: str, root: Path, notes: list[str]) -> list[Run]:
    """TIMES rebuilds, each after an edit ``kind`` of the middle claim; the claim is put back."""
    runs: list[Run] = []
    edits: list[Edit] = []
    try:
        for run in range(1, TIMES + 1):
            edits.append(edit := claim_edit(kind, root, run))
            edit.save()
            runs.append(build(root, *QUICK))
            if not edit.shown(*built_page(root, edit.url)):
                notes.append(f"row 6 ({EDITED[kind]}): site/{edit.url} does not show the edit")
            if kind != "verdict":
                edit.undo()
                build(root, *QUICK)  # back to the unedited site
    finally:
        if edits:
            edits[0].undo()
    if kind == "verdict":  # each run changed the last one's verdict; site/ knows only the last
        clear_build(root)
    return runs


INDEX_COPY = """
import sys
from pathlib import Path
from bench.search_cost import claim_pages
from factsite.model.search_parts import search_shards
from factsite.output.search import build_search_index
site = Path(sys.argv[1])
build_search_index(site, search_shards(claim_pages(site)))
"""


def search_index(root: Path) -> Run:
    """The search index alone (every part, one Pagefind run after another, as a build makes it),
    on a copy of the built site with its index removed (site/ is untouched)."""
    copy = root / "site-copy"
    set_aside(copy)
    site = root / "site"
    shutil.copytree(site, copy, ignore=lambda folder, names: ["pagefind"] if Path(folder) == site else [])
    try:
        return run_measured([sys.executable, "-c", INDEX_COPY, str(copy)], root)
    finally:
        set_aside(copy)


def card_ms(root: Path) -> float:
    """Milliseconds per share card, over CARDS_DRAWN claims spread across the site."""
    from factsite.engine import Project, read_site
    from factsite.render.cards import claim_card

    with working_directory(root):
        site, _ = read_site(Project.at(Path(".")))
    claims = site.claims
    picked = [claims[i * len(claims) // CARDS_DRAWN] for i in range(CARDS_DRAWN)]
    claim_card(claims[0], site.config)  # loads the fonts once, as a build does
    started = time.perf_counter()
    for claim in picked:
        claim_card(claim, site.config)
    return (time.perf_counter() - started) / CARDS_DRAWN * 1000


def median_of(runs: list, by: str = "own") -> tuple:
    """The run (a Run, or a Row of the preview's) with the median ``by`` time ("own", or "wall"
    for a row judged on it), and every run's."""
    times = [getattr(run, by) for run in runs]
    return sorted(runs, key=lambda run: getattr(run, by))[len(runs) // 2], times


# The report ----------------------------------------------------------------


@dataclass
class Row:
    number: str
    what: str
    own: float | None = None
    wall: float | None = None
    unit: str = "s"
    target: float | None = None  # wall (or own, when there is no wall) must stay below it
    peak_mb: float | None = None
    cpu: tuple[float, float] | None = None  # user and system CPU seconds
    runs: list[float] | None = None  # every run's wall (own) time, when the row is their median

    def verdict(self) -> str:
        value = self.wall if self.wall is not None else self.own
        if self.target is None or value is None:
            return ""
        return "PASS" if value < self.target else "MISS"

    def memory(self) -> str:
        if self.peak_mb is None:
            return ""
        return f"{self.peak_mb:7.0f}  {'PASS' if self.peak_mb < PEAK_MB else 'MISS'}"


def figure(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{value:.1f} ms" if unit == "ms" else f"{value:.2f} s"


def print_table(title: str, rows: list[Row]) -> None:
    print(f"\n{title:<45}own       wall   target        peak MB (< {PEAK_MB:.0f})")
    for row in rows:
        target = f"< {figure(row.target, row.unit)}" if row.target is not None else ""
        runs = f"   runs: {' '.join(f'{run:.2f}' for run in row.runs)}" if row.runs else ""
        print(f"{row.number:>3}  {row.what:<39}{figure(row.own, row.unit):>9}  {figure(row.wall, row.unit):>9}  "
              f"{target:<9} {row.verdict():<4}  {row.memory():<13}{runs}".rstrip())
        if row.verdict() == "MISS":
            MISSED.append(f"{title}: {row.what}, {figure(row.wall if row.wall is not None else row.own, row.unit)}"
                          f" (target < {figure(row.target, row.unit)})")
        if "MISS" in row.memory():
            MISSED.append(f"{title}: {row.what}, peak {row.peak_mb:.0f} MB (target < {PEAK_MB:.0f} MB)")


def ratio(top: Row, bottom: Row) -> tuple[float, float]:
    """top / bottom on own times (wall when a build did not report its own), and on wall times."""
    own_top = top.own if top.own is not None else top.wall
    own_bottom = bottom.own if bottom.own is not None else bottom.wall
    return own_top / own_bottom, top.wall / bottom.wall


def print_ratios(title: str, rows: dict[str, Row]) -> None:
    print("\n     ratios, on own times (wall times in brackets)")

    def judged(what: str, value: float, target: float) -> str:
        if value <= target:
            return f"target <= {target}  PASS"
        MISSED.append(f"{title}: {what}, {value:.2f} (target <= {target})")
        return f"target <= {target}  MISS"

    quick, quick_wall = ratio(rows["4"], rows["2"])
    print(f"     {'cold build vs two-process floor (4 / 2)':<46}{quick:6.2f}  ({quick_wall:.2f})   "
          + judged("cold build vs two-process floor", quick, FLOOR_RATIO))
    full, full_wall = ratio(rows["3"], rows["2"])
    print(f"     {'full cold build vs two-process floor (3 / 2)':<46}{full:6.2f}  ({full_wall:.2f})")
    first = rows["7"].wall / rows["4"].wall  # the preview reports no time of its own
    print(f"     {'serve first build vs cold build (7 / 4)':<46}{'':6}  ({first:.2f})   "
          + judged("serve first build vs cold build, wall", first, SERVE_FIRST_RATIO))
    # Where a ratio comes from: the program's own work (user) and the kernel's for it (system).
    cpu = ", ".join(f"{what} {rows[key].cpu[0]:.1f} + {rows[key].cpu[1]:.1f}"
                    for key, what in (("2", "floor"), ("4", "cold build (4)")))
    print(f"     CPU seconds, user + system: {cpu}")


def bench_size(shape: str, n: int, workdir: Path, reuse: bool) -> None:
    root = corpus(shape, n, workdir, reuse)
    notes: list[str] = []
    rows: dict[str, Row] = {}

    def add(number: str, what: str, run: Run | None = None, runs: list[float] | None = None,
            memory: bool = False, **fields) -> None:
        if run is not None:
            fields = {"own": run.own, "wall": run.wall, "cpu": run.cpu, "runs": runs,
                      **({"peak_mb": run.peak_mb} if memory else {}), **fields}
        elif runs is not None:
            fields["runs"] = runs
        key = next(number + suffix for suffix in ("", *"bcdefghij") if number + suffix not in rows)
        rows[key] = Row(number, what, **fields)

    add("1", "floor, 1 process", floor(root, 1))
    # Rows 2 and 4, whose ratio the issue sets, are measured in turn, TIMES times, and each is
    # the median of its runs: this machine's speed drifts by a third within an hour, and a
    # disk that has just taken row 3's cards and index makes files slower than one that has not.
    floors, cold = [], []
    for _ in range(TIMES):
        floors.append(floor(root, 2))
        clear_build(root)
        cold.append(build(root, *QUICK))
    add("2", "floor, 2 processes", *median_of(floors))
    add("4", "cold build --no-cards --no-search", *median_of(cold), memory=True)
    # The rebuilds after row 4's last build; each edit is made and undone TIMES times.
    add("5", "rebuild, nothing changed", *median_of([build(root, *QUICK) for _ in range(TIMES)], by="wall"),
        memory=True, target=REBUILD_UNCHANGED)
    for kind in CLAIM_EDITS:
        add("6", f"rebuild, {EDITED[kind]}", *median_of(rebuilds_after(kind, root, notes), by="wall"),
            memory=True, target=REBUILD_ONE_CLAIM)

    clear_build(root)  # the preview's first build starts as row 4's did
    try:
        served = preview.measure(root, subprocess_env(), TIMES)
    except preview.PreviewError as error:
        raise BenchError(f"factsite serve in {root}: {error}") from None
    add("7", "serve, first build", wall=served.first)
    for kind in PREVIEW_EDITS:
        runs = served.edits[kind]
        add("7", f"serve, {EDITED[kind]}", wall=sorted(runs)[len(runs) // 2], runs=runs, target=SERVE_ONE_CLAIM)
    add("7", "serve, peak over the session", peak_mb=served.peak_mb)

    clear_build(root)
    add("3", "cold full build (cards, search)", build(root), memory=True)
    search = search_index(root)  # on a copy of row 3's site
    edit = claim_edit("analysis", root)
    edit.save()
    try:
        add("3", "row 3 again, an analysis edited", build(root), memory=True)
        if not edit.shown(*built_page(root, edit.url)):
            notes.append(f"row 3b: site/{edit.url} does not show the edit: the rebuild missed it")
    finally:
        edit.undo()

    per_card = card_ms(root)  # in this process, last: it holds a whole site
    add("8", f"share card ({CARDS_DRAWN} drawn)", own=per_card, unit="ms", target=CARD_MS)
    add("8", f"share cards, all {n} on one core", own=per_card * n / 1000)
    add("9", "search index alone, every part", search, memory=True)

    title = f"N = {n} claims, {shape} corpus"
    print_table(title, sorted(rows.values(), key=lambda row: int(row.number)))  # stable: 3 before 3b
    print_ratios(title, rows)
    for note in notes:
        print(f"     warning: {note}")
    if notes:
        raise BenchError("an edit did not show on its page (see the warnings above)")


def machine() -> None:
    def version(distribution: str) -> str:
        try:
            return metadata.version(distribution)
        except metadata.PackageNotFoundError:
            return "not installed"

    import yaml

    pagefind = subprocess.run([sys.executable, "-m", "pagefind", "--version"], capture_output=True, text=True)
    commit = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True, text=True)
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count()
    print(f"Machine: {os.cpu_count()} CPUs ({usable} usable), {platform.platform()}")
    print(f"Python {platform.python_version()} ({platform.python_implementation()}), "
          f"factsite at {commit.stdout.strip() or 'unknown commit'}")
    print(f"markdown {version('Markdown')}, jinja2 {version('Jinja2')}, pyyaml {version('PyYAML')} "
          f"(C loader {'available' if getattr(yaml, '__with_libyaml__', False) else 'NOT available'}), "
          f"pillow {version('pillow')}, {pagefind.stdout.strip() or 'pagefind: ' + pagefind.stderr.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="corpus sizes (claims)")
    parser.add_argument("--workdir", type=Path, help="where the corpora go (default: a temporary folder)")
    parser.add_argument("--shape", choices=(*sorted(SHAPES), "both"), default="both",
                        help="the corpus: synthetic, real (the repository's claims copied to N) or both (default)")
    parser.add_argument("--reuse", action="store_true", help="reuse a corpus already in --workdir for the same N")
    args = parser.parse_args()
    shapes = ["synthetic", "real"] if args.shape == "both" else [args.shape]

    os.environ.pop("SOURCE_DATE_EPOCH", None)  # the in-process rows read it too
    machine()
    workdir = args.workdir.resolve() if args.workdir else Path(tempfile.mkdtemp(prefix="factsite-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        for n in args.sizes:
            for shape in shapes:
                print()
                bench_size(shape, n, workdir, args.reuse)
        print("\nTargets missed:" if MISSED else "\nEvery target met.")
        for missed in MISSED:
            print(f"     {missed}")
    except BenchError as error:
        sys.exit(f"\nerror: {error}")
    finally:
        delete_set_aside()
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
