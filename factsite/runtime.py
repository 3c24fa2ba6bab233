"""How a build runs in this process: the cycle collector, the cores, the clock, the build date."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import time


@contextlib.contextmanager
def collector_paused():
    """Python's cycle collector off during a build (but see :func:`model_frozen`).

    The site model is hundreds of thousands of objects that live as long as the
    build; every full collection would walk them all again, for nothing. At
    10,000 claims that was half the time of a rebuild.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def model_frozen():
    """The collector on while pages are rendered, for the short-lived cycles that makes,
    but never walking the model, which is frozen (and which forked workers then
    leave shared with the parent process instead of copying it)."""
    enabled = gc.isenabled()
    gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        # What rendering left in cycles (a template's context, which holds the site), collected
        # while the model is frozen, so this walks only what rendering made: else it would keep
        # the whole model alive until a full collection.
        gc.collect()
        if not enabled:
            gc.disable()
        gc.unfreeze()


class Stopwatch:
    """Seconds spent in each phase of a build: `with clock("read"): ...`."""

    def __init__(self):
        self.started = time.perf_counter()
        self.phases: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, phase: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.phases[phase] = self.phases.get(phase, 0.0) + time.perf_counter() - start

    def total(self) -> float:
        return time.perf_counter() - self.started


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def source_date() -> dt.date | None:
    """The date set by SOURCE_DATE_EPOCH (reproducible-builds.org), if any."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return None
