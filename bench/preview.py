"""`factsite serve` measured from outside, as an editor meets it.

The bench starts `python -m factsite serve` on a free port of 127.0.0.1 in the corpus
folder, and times, with its own clock:

- the first build: from starting the process to the middle claim's page being served;
- each edit of bench/edits.py's PREVIEW_EDITS: from saving the file to the page showing the
  edit, TIMES runs each. The bench listens to the event stream the preview's pages reload
  from, as a browser does, and asks for the page after each "reload" (and every quarter of a
  second besides, in case a reload is missed); each edit is then undone, and the bench waits
  until the page is back and the preview has been quiet for a moment;
- its peak memory: the largest VmHWM (/proc/<pid>/status) of the server, or the largest sum of
  the proportional set sizes (Pss, /proc/<pid>/smaps_rollup) of it and its workers sampled ten
  times a second, if that is larger. Pss, not resident memory: the first build's workers are
  forked, and share the server's pages until they write to them; resident memory would count
  each shared page once in every process, Pss counts it once in all.
"""

from __future__ import annotations

import http.client
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from bench.edits import PREVIEW_EDITS, claim_edit, middle_claim

EVENTS = "__factsite/events"  # the preview's live-reload stream (factsite/commands/serve.py)
FIRST_BUILD_TIMEOUT = 900.0  # s
EDIT_TIMEOUT = 120.0  # s: the edit is reported as not shown after this
QUIET = 0.3  # s without a reload before the next edit
POLL = 0.25  # s between asking for the page when no reload came


class PreviewError(Exception):
    """The preview failed, or never showed an edit; the message has its log."""


@dataclass
class PreviewTimes:
    first: float  # s, from starting the process to the first page
    edits: dict[str, list[float]] = field(default_factory=dict)  # kind -> the seconds of each run
    peak_mb: float = 0.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def base_path(root: Path) -> str:
    config = yaml.safe_load((root / "content" / "site.yml").read_text("utf-8"))
    path = urlsplit(str(config.get("base_url") or "/")).path or "/"
    return path if path.endswith("/") else path + "/"


class Server:
    """A `factsite serve` process and what the bench sees of it."""

    def __init__(self, root: Path, env: dict[str, str]):
        self.port = free_port()
        self.base = base_path(root)
        self.log = tempfile.TemporaryFile("w+")
        self.started = time.perf_counter()
        self.process = subprocess.Popen([sys.executable, "-m", "factsite", "serve", "--port", str(self.port)],
                                        cwd=root, env=env, stdout=self.log, stderr=subprocess.STDOUT, text=True)
        self.reloads = 0
        self.reloaded = threading.Condition()
        self.events: http.client.HTTPResponse | None = None  # the event stream, if the preview has one
        self.peak = Peak(self.process.pid)

    def get(self, url: str, timeout: float = 30.0) -> tuple[int, str]:
        """The status and text of the page at ``url`` (under the site root)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", self.base + url)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def first_page(self, url: str) -> float:
        """Seconds from the start to ``url`` being served (the first build)."""
        while time.perf_counter() - self.started < FIRST_BUILD_TIMEOUT:
            self.check_running()
            try:
                status = self.get(url, timeout=FIRST_BUILD_TIMEOUT)[0]
            except OSError:  # not listening yet
                status = None
            if status == 200:
                return time.perf_counter() - self.started
            if status == 500:  # the preview's page of mistakes
                raise self.failure("the preview's first build failed")
            time.sleep(0.02)
        raise self.failure(f"the preview did not serve {url} within {FIRST_BUILD_TIMEOUT:.0f} s")

    def listen(self) -> None:
        """Count the reloads the event stream announces, in a thread, as a browser's page would."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=None)
        connection.request("GET", self.base + EVENTS)
        response = connection.getresponse()
        if response.status != 200:
            connection.close()
            return
        self.events = response

        def read() -> None:  # until the server ends, and its stream with it
            try:
                for line in response:
                    if line.strip() == b"data: reload":
                        with self.reloaded:
                            self.reloads += 1
                            self.reloaded.notify_all()
            except (OSError, ValueError):
                pass

        threading.Thread(target=read, daemon=True).start()

    def wait_for(self, url: str, wanted, timeout: float = EDIT_TIMEOUT) -> float:
        """The clock's time when the page at ``url`` first satisfies ``wanted(status, page)``."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            seen = self.reloads
            status, page = self.get(url)
            if wanted(status, page):
                return time.perf_counter()
            self.check_running()
            with self.reloaded:
                self.reloaded.wait_for(lambda: self.reloads != seen, timeout=POLL if self.events else 0.05)
        raise self.failure(f"the preview's {url} did not show the change within {timeout:.0f} s")

    def quiet(self) -> None:
        """Wait until no reload has come for QUIET seconds: the preview is done with the last save."""
        if self.events is None:
            time.sleep(1.0)
            return
        while True:
            seen = self.reloads
            with self.reloaded:
                if not self.reloaded.wait_for(lambda: self.reloads != seen, timeout=QUIET):
                    return

    def check_running(self) -> None:
        if self.process.poll() is not None:
            raise self.failure(f"factsite serve exited with {self.process.returncode}")

    def failure(self, message: str) -> PreviewError:
        self.log.seek(0)
        return PreviewError(f"{message}; its output:\n{self.log.read()[-4000:]}")

    def stop(self) -> None:
        self.peak.stop()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # as Ctrl+C
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class Peak:
    """The most memory a process and its children held, sampled in a thread."""

    def __init__(self, pid: int):
        self.pid = pid
        self.most_kb = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self) -> None:
        while not self.stopping.wait(0.1):
            tree = [self.pid, *descendants(self.pid)]
            self.most_kb = max(self.most_kb, status_kb(self.pid, "VmHWM"), sum(pss_kb(pid) for pid in tree))

    def stop(self) -> None:
        self.most_kb = max(self.most_kb, status_kb(self.pid, "VmHWM"))
        self.stopping.set()
        self.thread.join()

    @property
    def mb(self) -> float:
        return self.most_kb / 1024


def pss_kb(pid: int) -> int:
    """The process's proportional set size: its own pages, and its share of those it shares."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def descendants(pid: int) -> list[int]:
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found += [int(child), *descendants(int(child))]
    except OSError:
        pass
    return found


def measure(root: Path, env: dict[str, str], times: int) -> PreviewTimes:
    """The preview's first build and each edit's time until shown, ``times`` runs of each."""
    server = Server(root, env)
    try:
        claim_page = f"claims/{middle_claim(root).stem}/"
        result = PreviewTimes(server.first_page(claim_page))
        server.listen()
        server.quiet()
        for kind in PREVIEW_EDITS:
            result.edits[kind] = []
            for run in range(1, times + 1):
                edit = claim_edit(kind, root, run)
                if edit.shown(*server.get(edit.url)):
                    raise PreviewError(f"the page {edit.url} shows the {kind} edit before it is made")
                try:
                    saved = time.perf_counter()
                    edit.save()
                    result.edits[kind].append(server.wait_for(edit.url, edit.shown) - saved)
                finally:
                    edit.undo()
                server.wait_for(edit.url, edit.undone)
                server.quiet()
        server.peak.stop()
        result.peak_mb = server.peak.mb
        return result
    finally:
        server.stop()
