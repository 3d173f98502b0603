"""Continuous checks while the day runs: server RSS from /proc, and tickets left in ``called`` too long.

The database is opened read-only (``mode=ro``): the soak only looks, the server owns every write.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from madoguchi.core.child_process import descendants
from madoguchi.core.process_memory import rss_kb


@dataclass(frozen=True)
class RssSample:
    wall: float
    pid: int
    rss_kb: int


@dataclass
class MonitorRecord:
    rss: list[RssSample] = field(default_factory=list)
    #: ticket id → (number, seconds in ``called`` when first seen stuck)
    stuck_called: dict[int, tuple[str, float]] = field(default_factory=dict)
    checks: int = 0
    db_errors: int = 0


def open_readonly(db_path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


class Monitor(threading.Thread):
    def __init__(
        self,
        db_path: Path,
        server_pid: Callable[[], int | None],
        stuck_after_s: float,
        every_s: float,
        age: Callable[[float], float] | None = None,
    ) -> None:
        super().__init__(name="soak-monitor", daemon=True)
        self.db_path = db_path
        self.server_pid = server_pid
        self.stuck_after_s = stuck_after_s
        self.every_s = every_s
        #: seconds since a server time stamp (the server's clock may run ahead after the clock jump)
        self.age = age or (lambda ts: time.time() - ts)
        self.record = MonitorRecord()
        self._halt = threading.Event()

    def stop(self) -> None:
        self._halt.set()
        self.join(10)

    def check_stuck(self, conn: sqlite3.Connection) -> None:
        rows = conn.execute("SELECT id, number, called_at FROM tickets WHERE state = 'called'").fetchall()
        for r in rows:
            age = self.age(float(r["called_at"]))
            if age > self.stuck_after_s:
                self.record.stuck_called.setdefault(int(r["id"]), (str(r["number"]), age))
        self.record.checks += 1

    def run(self) -> None:
        conn: sqlite3.Connection | None = None
        while not self._halt.wait(self.every_s):
            pid = self.server_pid()
            if pid is not None:
                for each in (pid, *descendants(pid)):  # the server and anything it started
                    rss = rss_kb(each)
                    if rss is not None:
                        self.record.rss.append(RssSample(time.time(), each, rss))
            try:
                if conn is None:
                    conn = open_readonly(self.db_path)
                self.check_stuck(conn)
            except sqlite3.Error:
                self.record.db_errors += 1
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()
