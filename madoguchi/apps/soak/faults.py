"""Fault injection on the simulated day's schedule; each fault runs (and recovers) on its own thread.

An action performs one fault and its recovery and returns a short detail; the injector keeps when it started
and ended (wall clock) so error log lines can be matched to the fault that explains them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from madoguchi.apps.soak.plan import Fault, SimClock

log = logging.getLogger(__name__)

FaultAction = Callable[[Fault], str]


@dataclass
class FaultRun:
    fault: Fault
    start: float = 0.0
    end: float = 0.0
    ok: bool = False
    detail: str = ""


class FaultInjector:
    def __init__(self, schedule: list[Fault], actions: dict[str, FaultAction], clock: SimClock) -> None:
        self.runs = [FaultRun(f) for f in schedule]
        self._actions = actions
        self._clock = clock
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._main = threading.Thread(target=self._schedule, name="fault-injector", daemon=True)

    def start(self) -> FaultInjector:
        self._main.start()
        return self

    def _schedule(self) -> None:
        for run in self.runs:
            if self._stop.wait(max(0.0, self._clock.wall_for(run.fault.at_min) - time.time())):
                return
            t = threading.Thread(target=self._execute, args=(run,), name=f"fault-{run.fault.kind}", daemon=True)
            self._threads.append(t)
            t.start()

    def _execute(self, run: FaultRun) -> None:
        run.start = time.time()
        log.info("fault %s on %s injected", run.fault.kind, run.fault.target)
        try:
            run.detail = self._actions[run.fault.kind](run.fault)
            run.ok = True
        except Exception as exc:  # a fault that could not be injected or recovered is a finding, not a crash
            run.detail = f"{type(exc).__name__}: {exc}"
            log.warning("fault %s on %s failed: %s", run.fault.kind, run.fault.target, run.detail)
        run.end = time.time()

    def join(self, timeout: float = 60.0) -> None:
        self._main.join(timeout)
        for t in self._threads:
            t.join(timeout)

    def stop(self) -> None:
        self._stop.set()
        self.join(30)
