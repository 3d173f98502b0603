"""A morning rush with everything else a hall does at the same time, against a real hall server process.

16 kiosks issue (some tickets with a form, some reservation check-ins), staff at several counters call, serve,
log out and in again, the administrator reloads the configuration, creates reservations, purges forms and takes
a backup, health checks poll; halfway, the hall day rolls (the server's clock jumps over the reset) and the
database is restored from a backup taken moments before (stop, ``madoguchi admin restore``, start). The kiosks
pause for the restore, as a hall would stop issuing while its operator restores.

``tests/server/test_mixed_load.py`` runs it short; ``bench/mixed_load.py`` long, printing figures per route.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import httpx

from madoguchi.client.admin_client import AdminClient
from madoguchi.client.hall_client import (
    ClientError,
    ServerUnreachable,
    SessionExpired,
    new_request_id,
)
from madoguchi.client.local_server import DEFAULT_DEVICES, HallServerProcess, counter_pc
from madoguchi.core.config import EXAMPLE_CONFIG
from madoguchi.core.hall_time import next_reset

T = TypeVar("T")

KIOSKS = 16
COUNTERS = (1, 2, 3, 4, 5, 6)
FORM = {"name": "負荷　試験", "address": "みどり市負荷町1-1", "birth_date": "1975-05-05", "copies": 1}
#: a request slower than this is a stall (the issue's bar)
SLOW_S = 2.0
#: except a login: scrypt at OWASP's parameters takes a quarter of a second of CPU on purpose, and a few clerks
#: logging in at once on two busy cores wait for each other
SLOW_LOGIN_S = 4.0


@dataclass
class LoadReport:
    seconds: float = 0.0
    #: route → seconds per answered request
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    server_errors: list[str] = field(default_factory=list)
    #: (device, request id) → ticket id, for every ticket a kiosk was told it has
    acknowledged: dict[tuple[str, str], int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    restarts: int = 0
    day_rolls: int = 0
    unexpected_exits: int = 0
    #: acknowledged tickets found stored exactly once (``check``)
    stored_once: int = 0
    notes: list[str] = field(default_factory=list)

    def slow(self) -> list[tuple[str, float]]:
        return [
            (route, s)
            for route, values in self.latencies.items()
            for s in values
            if s > (SLOW_LOGIN_S if route == "login" else SLOW_S)
        ]

    def table(self) -> str:
        lines = [f"{'route':<28} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}"]
        for route in sorted(self.latencies):
            values = sorted(self.latencies[route])
            if not values:
                continue
            p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
            lines.append(
                f"{route:<28} {len(values):>6} {statistics.median(values) * 1000:>8.1f} {p99 * 1000:>8.1f} "
                f"{values[-1] * 1000:>8.1f}"
            )
        return "\n".join(lines)


def load_config(folder: Path) -> Path:
    """The example hall, with room for a rush (per-kiosk limit), automatic backups and a file to reload."""
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    text = text.replace("issue_rate_per_minute = 30", "issue_rate_per_minute = 600")
    text = text.replace('backup_dir = ""', f'backup_dir = "{folder / "backups"}"')
    path = folder / "hall.toml"
    path.write_text(text, encoding="utf-8")
    return path


def load_server(folder: Path) -> HallServerProcess:
    devices = (*DEFAULT_DEVICES, *((f"rush-kiosk-{i}", "kiosk", None) for i in range(KIOSKS)))
    return HallServerProcess(
        folder / "data",
        config_path=load_config(folder),
        devices=devices,
        staff_ids=tuple(f"rush{c}" for c in COUNTERS),
        extra_args=("--clock-offset-file", str(folder / "clock-offset")),
    )


class MixedLoad:
    def __init__(self, srv: HallServerProcess, folder: Path, seconds: float, *, seed: int = 7) -> None:
        self.srv = srv
        self.folder = folder
        self.seconds = seconds
        self.report = LoadReport()
        self.rng = random.Random(seed)
        self._stop = threading.Event()
        self._kiosks_may_issue = threading.Event()
        self._kiosks_may_issue.set()
        self._server_down = threading.Event()
        self._lock = threading.Lock()
        self._checkin_codes: list[str] = []

    # ------------------------------------------------------------------ measuring
    def _timed(self, route: str, call: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """One request: its time, a 5xx recorded, any refusal counted; None when it did not succeed."""
        started = time.perf_counter()
        try:
            result = call(*args, **kwargs)
        except ServerUnreachable as exc:
            elapsed = time.perf_counter() - started
            if exc.status is not None and exc.status >= 500:
                with self._lock:
                    self.report.server_errors.append(f"{route}: {exc.status}")
            elif not self._server_down.is_set():
                with self._lock:
                    self.report.refused[f"{route}: unreachable"] += 1
            self._record(route, elapsed)
            return None
        except ClientError as exc:
            self._record(route, time.perf_counter() - started)
            with self._lock:
                self.report.refused[f"{route}: {exc.code or exc.status}"] += 1
            raise
        self._record(route, time.perf_counter() - started)
        return result

    def _record(self, route: str, seconds: float) -> None:
        with self._lock:
            self.report.latencies[route].append(seconds)

    # ------------------------------------------------------------------ the actors
    def _kiosk(self, index: int) -> None:
        device = f"rush-kiosk-{index}"
        client = self.srv.client(device)
        rng = random.Random(index)
        while not self._stop.is_set():
            self._stop.wait(rng.uniform(0.2, 1.2))
            self._kiosks_may_issue.wait()
            request_id = new_request_id()
            with_form = rng.random() < 0.3
            code = None
            with self._lock:
                if self._checkin_codes and rng.random() < 0.2:
                    code = self._checkin_codes.pop()
            # a kiosk retries the same request until it has an answer: never two tickets for one resident
            while not self._stop.is_set():
                try:
                    if code is not None:
                        answer = self._timed("check-in", client.check_in, code, request_id=request_id)
                    else:
                        service = "juminhyo" if rng.random() < 0.6 else "inkan"
                        form = FORM if with_form else None
                        answer = self._timed("issue", client.issue, service, request_id=request_id, form=form)
                except ClientError:
                    break  # refused (a check-in too early, say): the resident takes a normal ticket next time
                if answer is not None:
                    with self._lock:
                        self.report.acknowledged[(device, request_id)] = answer.ticket.id
                    break
                self._stop.wait(0.3)
        client.close()

    def _counter(self, counter: int) -> None:
        client = self.srv.client(counter_pc(counter))
        rng = random.Random(100 + counter)
        logged_in_at = 0.0
        # staff arrive one after the other, as they do; a login costs a quarter of a second of scrypt on purpose
        self._stop.wait(0.7 * counter)
        while not self._stop.is_set():
            try:
                if client.staff_session is None or time.monotonic() - logged_in_at > rng.uniform(15, 25):
                    if client.staff_session is not None:
                        self._timed("logout", client.logout)
                    if self._timed("login", client.login, f"rush{counter}", self.srv.staff_password, counter):
                        logged_in_at = time.monotonic()
                    else:
                        self._stop.wait(0.5)
                    continue
                ticket = self._timed("call-next", client.call_next, counter)
                if ticket is None:
                    self._stop.wait(0.3)
                    continue
                self._stop.wait(rng.uniform(0.05, 0.3))
                self._timed("start", client.start, ticket.id, counter)
                self._timed("done", client.done, ticket.id, counter)
            except SessionExpired:
                # the restore or the day roll ended the session: the clerk notices and logs in again, in a while
                client.staff_session = None
                self._stop.wait(rng.uniform(1.0, 8.0))
            except ClientError as exc:
                if exc.code == "queue.counter_busy":  # the restore brought back a call this counter had open
                    with contextlib.suppress(ClientError):
                        current = client.counter_queue(counter).current
                        if current is not None:
                            client.done(current.id, counter)
                self._stop.wait(0.2)
        client.close()

    def _health(self) -> None:
        with httpx.Client(base_url=self.srv.base_url, timeout=5, trust_env=False) as http:
            while not self._stop.wait(0.2):
                started = time.perf_counter()
                try:
                    r = http.get("/healthz")
                except httpx.TransportError:
                    continue
                self._record("healthz", time.perf_counter() - started)
                if r.status_code >= 500:
                    with self._lock:
                        self.report.server_errors.append(f"healthz: {r.status_code}")

    def _administrator(self) -> None:
        admin = AdminClient(self.srv.base_url, self.srv.tokens["admin-1"])
        config = self.srv.config_path
        original = config.read_text(encoding="utf-8")
        step = 0
        while not self._stop.wait(1.0):
            step += 1
            try:
                if step % 3 == 0:  # a manager edits the file and reloads
                    timeout = 30 + step % 7
                    changed = original.replace("heartbeat_timeout_s = 30", f"heartbeat_timeout_s = {timeout}")
                    config.write_text(changed, encoding="utf-8")
                    self._timed("reload-config", admin.reload_config)
                if step % 2 == 0:  # a booking comes in for now
                    now = dt.datetime.now(ZoneInfo("Asia/Tokyo")) + self._clock_offset()
                    day, slot = now.date().isoformat(), now.strftime("%H:%M")
                    made = self._timed("reservation", admin.create_reservation, "juminhyo", day, slot)
                    if made is not None:
                        with self._lock:
                            self._checkin_codes.append(made.checkin_code)
                if step % 11 == 5:
                    self._timed("purge-forms", admin.purge_forms)
                if step % 13 == 7:
                    self._timed("backup", admin.backup_now)
                if step % 5 == 0:
                    self._timed("statistics", admin.statistics)
            except ClientError:
                pass
        config.write_text(original, encoding="utf-8")
        admin.close()

    # ------------------------------------------------------------------ the two big moments
    def _clock_offset(self) -> dt.timedelta:
        path = self.folder / "clock-offset"
        try:
            return dt.timedelta(seconds=float(path.read_text(encoding="utf-8") or 0))
        except (OSError, ValueError):
            return dt.timedelta(0)

    def roll_the_day(self) -> None:
        """Move the server's clock to just past the next reset (the server re-reads the file)."""
        tz = ZoneInfo("Asia/Tokyo")
        now = dt.datetime.now(tz) + self._clock_offset()
        target = next_reset(now, dt.time(3, 0), at_least=dt.timedelta(minutes=1)) + dt.timedelta(seconds=5)
        offset = (target - dt.datetime.now(tz)).total_seconds()
        (self.folder / "clock-offset").write_text(str(int(offset)), encoding="utf-8")
        self.report.day_rolls += 1

    def restore(self) -> None:
        """Backup now, stop, restore that backup, start again on the same port."""
        self._kiosks_may_issue.clear()
        try:
            time.sleep(1.5)  # the kiosks' requests in flight come back
            admin = AdminClient(self.srv.base_url, self.srv.tokens["admin-1"])
            before = set((self.folder / "backups").glob("hall-*.sqlite3"))
            deadline = time.monotonic() + 30
            while not admin.backup_now() and time.monotonic() < deadline:
                time.sleep(0.2)  # a scheduled backup runs: the next one is ours
            while time.monotonic() < deadline:
                made = set((self.folder / "backups").glob("hall-*.sqlite3")) - before
                if made:
                    break
                time.sleep(0.1)
            admin.close()
            backup = max(made, key=lambda p: p.stat().st_mtime)
            self._server_down.set()
            self.srv.stop()
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "madoguchi",
                    "admin",
                    "--data-dir",
                    str(self.srv.data_dir),
                    "restore",
                    str(backup),
                    "--yes",
                ],
                capture_output=True,
                text=True,
                timeout=60,
            )
            if done.returncode != 0:
                self.report.notes.append(f"restore failed: {done.stderr.strip()[-300:]}")
            self.srv.start()
            self.report.restarts += 1
        finally:
            self._server_down.clear()
            self._kiosks_may_issue.set()

    # ------------------------------------------------------------------ the run
    @contextmanager
    def _actors(self) -> Iterator[None]:
        threads = [threading.Thread(target=self._kiosk, args=(i,), name=f"kiosk-{i}") for i in range(KIOSKS)]
        threads += [threading.Thread(target=self._counter, args=(c,), name=f"counter-{c}") for c in COUNTERS]
        threads += [threading.Thread(target=self._health, name="health")]
        threads += [threading.Thread(target=self._administrator, name="admin")]
        for t in threads:
            t.start()
        try:
            yield
        finally:
            self._stop.set()
            for t in threads:
                t.join(30)

    def run(self) -> LoadReport:
        started = time.monotonic()
        with self._actors():
            self._stop.wait(self.seconds * 0.35)
            self.roll_the_day()
            self._stop.wait(self.seconds * 0.25)
            self.restore()
            self._stop.wait(max(0.0, self.seconds - (time.monotonic() - started)))
        self.report.seconds = time.monotonic() - started
        if self.srv.proc is not None and self.srv.proc.poll() is not None:
            self.report.unexpected_exits += 1
        return self.report


def stored_tickets(db_path: Path) -> dict[tuple[str, str], list[int]]:
    """(device, request id) → the ids of the tickets stored for it (exactly one each, if all is well)."""
    import sqlite3

    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT device, request_id, id FROM tickets WHERE request_id IS NOT NULL").fetchall()
    finally:
        conn.close()
    found: dict[tuple[str, str], list[int]] = defaultdict(list)
    for device, request_id, ticket_id in rows:
        found[(device, request_id)].append(int(ticket_id))
    return found


def check(report: LoadReport, db_path: Path) -> list[str]:
    """What went wrong, in words (empty: every acknowledged ticket stored once, no stall, no 5xx)."""
    problems = []
    stored = stored_tickets(db_path)
    for key, ticket_id in report.acknowledged.items():
        ids = stored.get(key, [])
        if ids == [ticket_id]:
            report.stored_once += 1
        else:
            problems.append(f"acknowledged ticket {ticket_id} stored as {ids}")
    problems += [f"a {route} request took {s:.2f} s" for route, s in report.slow()]
    problems += [f"server error on {e}" for e in report.server_errors]
    if report.unexpected_exits:
        problems.append("the server process ended on its own")
    problems += report.notes
    return problems


def run_and_check(folder: Path, seconds: float) -> tuple[LoadReport, list[str], Any]:
    srv = load_server(folder)
    (folder / "clock-offset").write_text("0", encoding="utf-8")
    with srv:
        report = MixedLoad(srv, folder, seconds).run()
    return report, check(report, srv.db_path), srv
