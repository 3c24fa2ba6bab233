"""Two commits' previews side by side, one edit at a time: an A/B for a noisy machine.

    python bench/compare.py 5f5849f HEAD                      # N = 10000, real shape, 5 runs
    python bench/compare.py main~3 main --size 2000 --runs 9 --kinds title,"new claim"

On a shared machine the speed of the same code drifts by a third within minutes, so two
commits benched one after the other compare the machine as much as the code. Here each commit
runs a preview (factsite.commands.serve.PreviewServer) in a process of its own, checked out
with `git worktree` into a temporary folder, over its own copy of one bench/corpus.py corpus
(written by this checkout's corpus.py, with each commit's own templates/ and static/, and left
two seconds to settle: the file cache keeps no file changed in the last two, read/filecache.py).
The edits of bench/edits.py's PREVIEW_EDITS are made to each copy in turn, alternating which
commit goes first, and each process reports the CPU seconds of its update, from being told
which files changed to the update done, and its wall seconds until the update is shown (the
preview's own figure: it then writes the files into its folder; no watcher, no browser:
bench/preview.py times those). Each edit is undone and built again before the next (but the verdict's, which
cannot go back without a correction: each run changes it again, on both copies alike).

Prints, for each kind of edit, both commits' median CPU and wall seconds, and every run's CPU
seconds. The first build of each (on every core) is timed too, but both run at once.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.corpus import SHAPES  # noqa: E402
from factsite.read.filecache import DocumentCache  # noqa: E402
from bench.edits import PREVIEW_EDITS, claim_edit  # noqa: E402


def worker(code: str, root: str) -> None:
    """One side: a preview of the factsite in ``code`` over ``root``, updating when told which
    files changed (a JSON list on a line of stdin), answering with the seconds it took."""
    sys.path.insert(0, code)
    from factsite.commands.serve import PreviewServer
    from factsite.engine import Project

    server = PreviewServer(Project.at(Path(root)), port=0, log=log_tracebacks)
    started = time.perf_counter()
    server.engine.cores = None  # every core, as `factsite serve` starts (no other thread runs yet)
    server.rebuild()
    server.engine.cores = 1  # as every later update of `factsite serve`
    print(json.dumps({"first": time.perf_counter() - started}), flush=True)
    for line in sys.stdin:
        cpu = time.process_time()
        server.rebuild(json.loads(line))
        failed = [str(problem) for problem in server.preview.problems] if server.preview.failed else []
        # Wall: until the update is shown (it is then written into the preview's folder: output/held.py).
        print(json.dumps({"wall": server.preview.seconds, "cpu": time.process_time() - cpu, "failed": failed}),
              flush=True)
    server.stop()


def log_tracebacks(text: str) -> None:
    """Of the preview's log, a crash's traceback only, to stderr (not its warnings and timings)."""
    if text.startswith("Traceback"):
        print(text, file=sys.stderr)


class Side:
    """A commit checked out, its corpus, and its preview process. ``cleanup`` hears how to undo
    each step as it is taken, so a step that fails leaves nothing behind."""

    def __init__(self, commit: str, folder: Path, corpus: Path, cleanup: contextlib.ExitStack):
        self.code = folder / "code"
        git = ["git", "-C", str(REPO), "worktree"]
        if subprocess.run([*git, "add", "--detach", "-q", str(self.code), commit]).returncode != 0:
            raise SystemExit(f"cannot check out {commit} (git says why above)")
        cleanup.callback(subprocess.run, [*git, "remove", "--force", str(self.code)])
        self.commit = subprocess.run(["git", "-C", str(self.code), "rev-parse", "--short", "HEAD"], check=True,
                                     capture_output=True, text=True).stdout.strip()
        self.root = folder / "corpus"
        shutil.copytree(corpus / "content", self.root / "content", symlinks=True)
        for theme in ("templates", "static"):  # the commit's own
            shutil.copytree(self.code / theme, self.root / theme, symlinks=True)
        self.cleanup = cleanup
        self.cpu: dict[str, list[float]] = {}
        self.wall: dict[str, list[float]] = {}

    def start(self) -> None:
        """Start the preview, whose first build then begins."""
        self.process = subprocess.Popen([sys.executable, __file__, "--worker", str(self.code), str(self.root)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.cleanup.callback(self.stop)

    def answer(self) -> dict:
        """The worker's next answer (its first build's seconds, or an update's)."""
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"the preview of {self.commit} stopped (its error is above)")
        return json.loads(line)

    def update(self, changed: list[str]) -> dict:
        """Tell the worker which files changed; its update's seconds."""
        self.process.stdin.write(json.dumps(changed) + "\n")
        self.process.stdin.flush()
        answer = self.answer()
        if answer.get("failed"):
            raise SystemExit(f"the preview of {self.commit} failed: {answer['failed'][:3]}")
        return answer

    def edit(self, kind: str, run: int) -> None:
        """Make the edit on this side's corpus, time the update, then undo it."""
        edit = claim_edit(kind, self.root, run)
        changed = sorted({str(edit.path), *map(str, edit.translations)})
        edit.save()
        answer = self.update(changed)
        self.cpu.setdefault(kind, []).append(answer["cpu"])
        self.wall.setdefault(kind, []).append(answer["wall"])
        if kind != "verdict":  # a verdict goes back only with a correction: the next run changes it again
            edit.undo()
            self.update(changed)

    def stop(self) -> None:
        """End the worker: it ends when its input does (or kill it, if it is past answering)."""
        try:
            self.process.stdin.close()
        except BrokenPipeError:  # it has stopped already
            pass
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def compare(commits: list[str], size: int, shape: str, runs: int, kinds: list[str]) -> list[Side]:
    """Each commit's side, once every edit has been timed on both."""
    with tempfile.TemporaryDirectory(prefix="factsite-compare-") as temporary, contextlib.ExitStack() as cleanup:
        folder = Path(temporary)
        SHAPES[shape](size, folder / "corpus")
        sides = [Side(commit, folder / f"side-{number}", folder / "corpus", cleanup)
                 for number, commit in enumerate(commits)]
        # A file changed less than RACY_NS before it is read is not kept by the file cache (its
        # time could hide a change made the same instant), so the first edit would read every
        # file copied just now again: the copies are left to settle first, as an editor's are.
        time.sleep(DocumentCache.RACY_NS / 1e9)
        for side in sides:
            side.start()
        for side in sides:
            print(f"{side.commit}: first build {side.answer()['first']:.2f} s (both at once)", flush=True)
        turn = 0  # who goes first alternates over every run of every kind
        for kind in kinds:
            for run in range(1, runs + 1):
                for side in sides if turn % 2 == 0 else sides[::-1]:
                    side.edit(kind, run)
                turn += 1
        return sides


def report(sides: list[Side], kinds: list[str]) -> None:
    for kind in kinds:
        print(f"{kind:15s}" + "".join(
            f"  {side.commit}: {statistics.median(side.cpu[kind]):.2f} / {statistics.median(side.wall[kind]):.2f}"
            f" ({' '.join(f'{cpu:.2f}' for cpu in side.cpu[kind])})" for side in sides))


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        return worker(sys.argv[2], sys.argv[3])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("commits", nargs=2, help="the two commits (anything git names: a hash, HEAD, a branch)")
    parser.add_argument("--size", type=int, default=10000, help="claims in the corpus")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="real")
    parser.add_argument("--runs", type=int, default=5, help="runs of each kind of edit, on each side")
    parser.add_argument("--kinds", default=",".join(PREVIEW_EDITS), help="which edits, comma-separated")
    args = parser.parse_args()
    kinds = args.kinds.split(",")
    unknown = sorted(set(kinds) - set(PREVIEW_EDITS))
    if unknown:
        parser.error(f"unknown kinds of edit: {', '.join(unknown)} (known: {', '.join(PREVIEW_EDITS)})")
    sides = compare(args.commits, args.size, args.shape, args.runs, kinds)
    subprocess.run(["git", "-C", str(REPO), "worktree", "prune"], check=False)  # once the folders are gone
    print(f"\nN = {args.size} ({args.shape}), {args.runs} runs each; "
          "median CPU / wall seconds of each update, then each run's CPU seconds")
    report(sides, kinds)


if __name__ == "__main__":
    main()
