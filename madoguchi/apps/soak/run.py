"""The soak run: start the hall, play the day with faults, drain, stop, check invariants, write the report."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from madoguchi.apps.soak import invariants as inv
from madoguchi.apps.soak.boards import BoardRecorder, QtBoardProc, WaitingSampler
from madoguchi.apps.soak.clockjump import ClockJump, DayRollRecord, ServerTime
from madoguchi.apps.soak.disk import TinyDisk
from madoguchi.apps.soak.faults import FaultInjector, FaultRun
from madoguchi.apps.soak.kiosk_proc import Journal
from madoguchi.apps.soak.monitor import Monitor, open_readonly
from madoguchi.apps.soak.plan import STAFFED_COUNTERS, Fault, KioskPlan, SimClock, fault_schedule, make_arrivals
from madoguchi.apps.soak.staff import ScriptedStaff
from madoguchi.client.hall_client import HallClient
from madoguchi.client.local_server import STAFF_PASSWORD, HallServerProcess, counter_pc, free_port
from madoguchi.core.config import EXAMPLE_CONFIG, load_config
from madoguchi.core.logging_setup import guarded

log = logging.getLogger(__name__)

KIOSKS = ("kiosk-1", "kiosk-2", "kiosk-3")
BOARDS = ("board-1", "board-2")
STUCK_CALLED_SIM_MIN = 20.0  # recall → no-show takes ~3 simulated minutes; 20 means "forgotten"
OUTAGE_WALL_S = 1.0  # how long a killed process stays dead before it is restarted
SERVER_START_TIMEOUT_S = 90.0  # a loaded 2-core CI machine needs >10 s to import and start the server
READY_TIMEOUT_S = 180.0


@dataclass(frozen=True)
class SoakSettings:
    minutes: float
    speed: float
    out_dir: Path
    seed: int = 13
    volume: float = 1.0
    disk_full: bool = True
    clock_jump: bool = True
    config_path: Path = EXAMPLE_CONFIG


@dataclass
class SoakResult:
    settings: SoakSettings
    clock: SimClock
    wall_s: float
    journals: dict[str, list[dict[str, Any]]]
    staff: list[Any]
    boards: list[Any]
    monitor: Any
    faults: list[FaultRun]
    invariants: list[inv.Invariant]
    rss_figures: list[dict[str, float]]
    logs: list[Path]
    db_path: Path
    drained: bool
    day_roll: DayRollRecord = field(default_factory=DayRollRecord)
    server_time: ServerTime = field(default_factory=ServerTime)
    #: (wall time, tickets waiting) for the timeline
    waiting: list[tuple[float, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def violations(self) -> int:
        return sum(len(i.violations) for i in self.invariants)


def _soak_config(settings: SoakSettings, path: Path) -> Path:
    """The example hall with the per-kiosk issue limit scaled by the compression (it counts real minutes)."""
    text = settings.config_path.read_text(encoding="utf-8")
    limit = min(1000, max(30, int(30 * settings.speed)))
    text = re.sub(r"(?m)^issue_rate_per_minute = \d+", f"issue_rate_per_minute = {limit}", text)
    path.write_text(text, encoding="utf-8")
    return path


def _wait_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def printer_control(port: int, command: str) -> str:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall((command + "\n").encode())
        return s.makefile("r", encoding="utf-8").readline().strip()


class PrinterSims:
    """One ``madoguchi printer-sim`` process per kiosk, each with a control port for the faults."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.ports: dict[str, tuple[int, int]] = {}

    def start(self, kiosks: tuple[str, ...]) -> None:
        for k in kiosks:
            port, control = free_port(), free_port()
            log_file = (self.out_dir / f"printer-{k}.log").open("ab")
            self.procs[k] = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "madoguchi",
                    "printer-sim",
                    "--port",
                    str(port),
                    "--control-port",
                    str(control),
                ],
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
            log_file.close()
            self.ports[k] = (port, control)
        for port, control in self.ports.values():
            _wait_port(port)
            _wait_port(control)

    def url(self, kiosk: str) -> str:
        return f"tcp://127.0.0.1:{self.ports[kiosk][0]}?profile=TM-T20II"

    def control(self, kiosk: str, command: str) -> str:
        return printer_control(self.ports[kiosk][1], command)

    def stop(self) -> None:
        for p in self.procs.values():
            p.terminate()
        for p in self.procs.values():
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()


class KioskProcs:
    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.plans: dict[str, Path] = {}
        self.starts: dict[str, int] = {}

    def launch(self, name: str, plan: KioskPlan) -> None:
        path = self.out_dir / f"{name}.plan.json"
        plan.save(path)
        self.plans[name] = path
        self._spawn(name)

    def _spawn(self, name: str) -> None:
        log_file = (self.out_dir / f"{name}.log").open("ab")
        self.procs[name] = subprocess.Popen(
            [sys.executable, "-m", "madoguchi.apps.soak.kiosk_proc", str(self.plans[name])],
            stdin=subprocess.PIPE,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        log_file.close()
        self.starts[name] = self.starts.get(name, 0) + 1

    def kill_and_restart(self, name: str) -> str:
        p = self.procs[name]
        p.kill()
        p.wait(10)
        time.sleep(OUTAGE_WALL_S)
        self._spawn(name)
        return f"{name} SIGKILLed (pid {p.pid}) and restarted after {OUTAGE_WALL_S:g} s"

    def wait_ready(self, names: tuple[str, ...], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for name in names:
            journal = self.out_dir / f"{name}.journal.jsonl"
            while not any(r.get("ev") == "ready" for r in Journal.read(journal)):
                if time.monotonic() > deadline or self.procs[name].poll() is not None:
                    raise RuntimeError(f"{name} did not get ready; see {self.out_dir / (name + '.log')}")
                time.sleep(0.2)

    def finished(self, name: str) -> bool:
        return any(r.get("ev") == "finished" for r in Journal.read(self.out_dir / f"{name}.journal.jsonl"))

    def stop(self) -> None:
        for p in self.procs.values():
            stdin: IO[bytes] | None = p.stdin
            if stdin is not None:
                try:
                    stdin.close()
                except OSError:
                    pass
        for p in self.procs.values():
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)


def _quietly(step: Callable[[], object]) -> None:
    try:
        step()
    except Exception:
        log.exception("soak clean-up step failed")


def _minutes(start: dt.time, end: dt.time) -> tuple[float, float]:
    return (start.hour * 60 + start.minute, end.hour * 60 + end.minute)


def _provision(srv: HallServerProcess, staff_count: int) -> None:
    """The harness's devices (a PC per counter), a login per staffed counter, and a second board."""
    srv.devices = (*srv.devices, ("board-2", "display", None))
    srv.staff_ids = tuple(f"staff{i}" for i in range(1, max(staff_count, 3) + 1))
    srv.provision()


def run_soak(settings: SoakSettings) -> SoakResult:
    out = settings.out_dir
    out.mkdir(parents=True, exist_ok=True)
    handler = guarded(logging.FileHandler(out / "soak.log", encoding="utf-8"))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request would drown the report's logs
    try:
        return _run(settings, out)
    finally:
        root.removeHandler(handler)
        handler.close()


def _run(settings: SoakSettings, out: Path) -> SoakResult:
    config_path = _soak_config(settings, out / "hall.soak.toml")
    config = load_config(config_path)
    disk = TinyDisk(out / "hall")
    notes: list[str] = []
    if not settings.disk_full:
        notes.append("Disk briefly full: disabled for this run.")
    elif not disk.mount():
        notes.append(f"Disk briefly full: skipped ({disk.reason}).")
    if not settings.clock_jump:
        notes.append("Clock jump over the day roll: disabled for this run.")
    # the server's clock is the system clock plus the offset in this file, which only the clock jump writes
    offset_file = out / "clock-offset"
    # the server log stays outside the small disk: a full disk must not swallow the errors it causes
    srv = HallServerProcess(
        out / "hall",
        config_path=config_path,
        log_path=out / "server.log",
        extra_args=("--clock-offset-file", str(offset_file)),
    )
    jump = ClockJump(offset_file, srv.db_path, srv.data_dir / "keys", config.hall.timezone, config.hall.day_reset)
    jump.prepare()
    try:
        _provision(srv, len(STAFFED_COUNTERS))
    except BaseException:
        disk.copy_out_and_unmount(out / "hall-after")
        raise
    #: the pid of the server while it is up and serving (None while it is down or starting): RSS is sampled then
    server_pid: dict[str, int | None] = {"pid": None}
    stop_run = FaultRun(Fault("planned_stop", "server", 0.0))
    printers = PrinterSims(out)
    kiosks = KioskProcs(out)
    staff: list[ScriptedStaff] = []
    boards: list[BoardRecorder] = []
    qt_board: QtBoardProc | None = None
    sampler: WaitingSampler | None = None
    injector: FaultInjector | None = None
    monitor: Monitor | None = None
    drained = False
    try:
        srv.start(timeout=SERVER_START_TIMEOUT_S)
        server_pid["pid"] = srv.proc.pid if srv.proc else None
        printers.start(KIOSKS)
        start_id = srv.client("board-1").health().last_event_id
        qt_board = QtBoardProc("board-1", srv.base_url, srv.tokens["board-1"], start_id, out).start()
        boards = [BoardRecorder("board-2", srv.base_url, srv.tokens["board-2"], start_id).start()]
        sampler = WaitingSampler(srv.base_url, srv.tokens["admin-1"])
        sampler.start()
        means = {s.id: s.mean_service_min for s in config.services}
        clients = []
        for i, counter in enumerate(STAFFED_COUNTERS, start=1):
            c = HallClient(srv.base_url, srv.tokens[counter_pc(counter)], timeout=3.0)
            c.login(f"staff{i}", STAFF_PASSWORD, counter)
            clients.append((c, counter))
        card_services = {s.id for s in config.services if s.card_autofill}
        arrivals = make_arrivals(settings.minutes, KIOSKS, card_services, settings.seed, settings.volume)
        schedule = fault_schedule(settings.minutes, disk_full=disk.mounted, clock_jump=settings.clock_jump)
        card_pull = next((f.at_min for f in schedule if f.kind == "card_pull"), None)
        go_file = out / "go"
        go_file.unlink(missing_ok=True)
        for k in KIOSKS:
            kiosks.launch(
                k,
                KioskPlan(
                    name=k,
                    token=srv.tokens[k],
                    base_url=srv.base_url,
                    printer_url=printers.url(k),
                    wall0=0.0,
                    speed=settings.speed,
                    journal=str(out / f"{k}.journal.jsonl"),
                    arrivals=[a for a in arrivals if a.kiosk == k],
                    card_pull_at_min=card_pull if k == "kiosk-3" else None,
                    go_file=str(go_file),
                    config_path=str(config_path),
                    codes_dir=str(out / "codes"),
                ),
            )
        kiosks.wait_ready(KIOSKS, READY_TIMEOUT_S)
        qt_board.wait_ready(READY_TIMEOUT_S)
        clock = SimClock(time.time() + 0.5, settings.speed)
        tmp = go_file.with_suffix(".tmp")
        tmp.write_text(repr(clock.wall0))
        tmp.rename(go_file)  # atomic: a kiosk never reads half a number
        for i, (c, counter) in enumerate(clients):
            breaks = [_minutes(b.start, b.end) for b in config.counter(counter).breaks]
            login = functools.partial(c.login, f"staff{i + 1}", STAFF_PASSWORD, counter)
            s = ScriptedStaff(c, counter, means, breaks, clock, settings.seed * 100 + i, login)
            staff.append(s)
            s.start()
        # a server restart takes seconds of wall time whatever the compression: allow for two of them
        stuck_s = max(clock.wall_seconds(STUCK_CALLED_SIM_MIN), 2 * SERVER_START_TIMEOUT_S)
        monitor = Monitor(srv.db_path, lambda: server_pid["pid"], stuck_s, 0.5, age=jump.server_time.age)
        monitor.start()
        injector = FaultInjector(
            schedule, _actions(srv, server_pid, printers, kiosks, boards, disk, clock, jump), clock
        ).start()

        # ------------------------------------------------------------------ the day
        day_end = clock.wall_for(clock.start_min + settings.minutes)
        while time.time() < day_end:
            time.sleep(0.5)
        injector.join(120)
        deadline = time.time() + 60
        while time.time() < deadline and not all(kiosks.finished(k) for k in KIOSKS):
            time.sleep(0.5)
        # ------------------------------------------------------------------ drain: serve who still waits
        for s in staff:
            s.draining.set()
        drain_deadline = time.time() + max(30.0, clock.wall_seconds(settings.minutes) * 0.5)
        conn = open_readonly(srv.db_path)
        try:
            while time.time() < drain_deadline:
                open_count = conn.execute(
                    "SELECT COUNT(*) FROM tickets WHERE state IN ('waiting', 'called', 'serving')"
                ).fetchone()[0]
                if open_count == 0:
                    drained = True
                    break
                time.sleep(0.5)
        finally:
            conn.close()
        for s in staff:
            s.stop_event.set()
        for s in staff:
            s.join(70)
        time.sleep(1.0)  # the last calls on their way to the boards
    finally:
        # every step on its own: one failing clean-up must not leave processes or a mount behind
        steps: list[Callable[[], object]] = []
        if monitor is not None:
            steps.append(monitor.stop)
        if injector is not None:
            steps.append(injector.stop)
        if sampler is not None:
            steps.append(sampler.stop)
        if qt_board is not None:
            steps.append(qt_board.stop)
        steps += [b.stop for b in boards] + [kiosks.stop] + [s.client.close for s in staff]
        for step in steps:
            _quietly(step)
        server_pid["pid"] = None
        stop_run.start = time.time()
        _quietly(srv.stop)
        stop_run.end = time.time()
        stop_run.ok = srv.proc is None or srv.proc.poll() is not None
        stop_run.detail = "planned stop (SIGTERM) at the end of the run: an operation, not a fault"
        _quietly(printers.stop)
        db_path = disk.copy_out_and_unmount(out / "hall-after") / srv.db_path.name if disk.mounted else srv.db_path
    wall_s = time.time() - clock.wall0
    journals = {k: Journal.read(out / f"{k}.journal.jsonl") for k in KIOSKS}
    logs = [out / "server.log", out / "soak.log", out / "board-1.log", *(out / f"{k}.log" for k in KIOSKS)]
    assert monitor is not None and injector is not None and qt_board is not None
    board_records = [qt_board.read_record(), *(b.record for b in boards)]
    stop_run.fault = Fault("planned_stop", "server", round(clock.sim_min(stop_run.start), 2))
    runs = [*injector.runs, stop_run]
    conn = open_readonly(db_path)
    try:
        rss_inv, rss_fig = inv.rss_growth(monitor.record.rss)
        checks = [
            inv.shown_tickets(conn, journals),
            inv.unique_numbers(conn, journals),
            inv.calls_exclusive(conn, [s.record for s in staff]),
            inv.boards_in_order(conn, board_records),
            inv.nothing_stuck(conn, monitor.record, stuck_s),
            rss_inv,
            inv.errors_explained(logs, runs, grace_s=max(5.0, clock.wall_seconds(2.0))),
            inv.no_personal_data(logs),
            inv.day_roll(
                conn,
                jump.record,
                journals,
                board_records,
                [db_path, db_path.with_name(db_path.name + "-wal")],
                db_path.parent / "keys",
            ),
        ]
    finally:
        conn.close()
    return SoakResult(
        settings,
        clock,
        wall_s,
        journals,
        [s.record for s in staff],
        board_records,
        monitor.record,
        runs,
        checks,
        rss_fig,
        logs,
        db_path,
        drained,
        jump.record,
        jump.server_time,
        sampler.samples if sampler is not None else [],
        notes,
    )


def _actions(
    srv: HallServerProcess,
    server_pid: dict[str, int | None],
    printers: PrinterSims,
    kiosks: KioskProcs,
    boards: list[BoardRecorder],
    disk: TinyDisk,
    clock: SimClock,
    jump: ClockJump,
) -> dict[str, Any]:
    def printer_state(state: str) -> Any:
        def act(f: Fault) -> str:
            printers.control(f.target, f"state {state}")
            time.sleep(clock.wall_seconds(f.duration_min))
            printers.control(f.target, "state ok")
            return f"{f.target} printer {state} for {f.duration_min:g} sim min"

        return act

    def server_kill(f: Fault) -> str:
        pid = srv.proc.pid if srv.proc else 0
        t0 = time.time()
        server_pid["pid"] = None
        srv.kill()
        time.sleep(OUTAGE_WALL_S)
        srv.start(timeout=SERVER_START_TIMEOUT_S)
        server_pid["pid"] = srv.proc.pid if srv.proc else None
        return f"server pid {pid} SIGKILLed; back after {time.time() - t0:.1f} s wall"

    def board_cut(f: Fault) -> str:
        board = next(b for b in boards if b.record.name == f.target)
        board.cut()
        cut_s = max(clock.wall_seconds(f.duration_min), 2.0)
        time.sleep(cut_s)
        board.reconnect()
        return f"{f.target} offline {cut_s:.1f} s wall, resumed after event {board.last_id}"

    def kiosk_kill(f: Fault) -> str:
        return kiosks.kill_and_restart(f.target)

    def disk_full(f: Fault) -> str:
        disk.truncate_wal(srv.db_path)
        written = disk.fill()
        hold = max(clock.wall_seconds(f.duration_min), 5.0)
        try:
            time.sleep(hold)
        finally:
            disk.free()
        return f"WAL truncated, database disk full ({written} MB filler) for {hold:.1f} s wall"

    def card_pull(f: Fault) -> str:
        return f"armed in {f.target}: the next card read after {f.at_min:.0f} min loses the card mid-read"

    return {
        "paper_out": printer_state("paper_out"),
        "cover_open": printer_state("cover_open"),
        "server_kill": server_kill,
        "board_cut": board_cut,
        "kiosk_kill": kiosk_kill,
        "card_pull": card_pull,
        "disk_full": disk_full,
        "clock_jump": jump.act,
    }
