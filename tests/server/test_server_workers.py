"""Several server worker processes on one port and one database (``madoguchi server --workers 2``).

Ticket numbering, SIGKILL recovery and the day roll with two workers are in test_server_load.py and
test_clock_rehearsal.py; here: what only exists because there are several processes.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from madoguchi.client.hall_client import EventStream, HallClient, RateLimited
from madoguchi.client.local_server import HallServerProcess, free_port
from madoguchi.core import api_models as m
from madoguchi.core.child_process import descendants
from madoguchi.core.config import EXAMPLE_CONFIG
from madoguchi.server.estimates.live import PUBLISHED_META
from madoguchi.server.store import Store
from madoguchi.server.workers import ESTIMATES_NICENESS
from tests.support.paths import REPO

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[HallServerProcess]:
    config = tmp_path / "hall.toml"
    # file watching off: a manual reload must reach every worker by itself
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    config.write_text(text.replace("watch_config = true", "watch_config = false"), encoding="utf-8")
    srv = HallServerProcess(tmp_path / "server", config_path=config, workers=2)
    srv.start()
    yield srv
    srv.stop()


def fresh_clients(srv: HallServerProcess, device: str, n: int) -> list[HallClient]:
    """Clients on new connections: the kernel spreads them over the workers (20 on one worker: 1 in 500,000)."""
    return [srv.client(device) for _ in range(n)]


def thread_niceness(pid: int) -> dict[int, int]:
    """Each thread's niceness by thread id (the first thread's id is the pid), from /proc."""
    found = {}
    for stat in Path(f"/proc/{pid}/task").glob("*/stat"):
        text = stat.read_text()
        found[int(stat.parent.name)] = int(text[text.rindex(")") + 2 :].split()[16])  # field 19; names hold spaces
    return found


def leader_pid(db_path: Path) -> int | None:
    """The process holding the leadership lock, from /proc/locks."""
    try:
        inode = os.stat(f"{db_path}.leader").st_ino
    except FileNotFoundError:
        return None
    for line in Path("/proc/locks").read_text().splitlines():
        parts = line.split()
        if "FLOCK" in parts and parts[-3].split(":")[-1] == str(inode):
            return int(parts[-4])
    return None


def test_workers_die_with_the_supervisor(two_workers: HallServerProcess) -> None:
    assert two_workers.proc is not None
    workers = descendants(two_workers.proc.pid)
    assert len(workers) == 3  # two workers and the estimates process
    two_workers.kill()  # SIGKILL to the supervisor: no clean-up, no orphan keeps serving the port
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{two_workers.base_url}/healthz", timeout=1)
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split(")")[1][:3]


def test_event_stream_carries_what_every_worker_did(two_workers: HallServerProcess) -> None:
    events: list[m.Event] = []
    stream = EventStream(two_workers.base_url, two_workers.tokens["board-1"], events.append, since=None).start()
    try:
        deadline = time.monotonic() + 10
        while not stream.connected and time.monotonic() < deadline:
            time.sleep(0.02)
        issued = [c.issue("juminhyo").ticket for c in fresh_clients(two_workers, "admin-1", 20)]
        deadline = time.monotonic() + 10
        while len([e for e in events if e.type == "ticket.issued"]) < 20 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stream.stop()
    seen = [e.ticket_id for e in events if e.type == "ticket.issued"]
    assert seen == [t.id for t in sorted(issued, key=lambda t: t.id)], "every issue, once, in order"
    assert [e.id for e in events] == sorted({e.id for e in events})
    # numbers are unique and without gaps whichever worker issued them
    assert sorted(t.number for t in issued) == [f"A-{i:03d}" for i in range(1, 21)]


def test_the_rate_limit_counts_a_kiosk_on_every_worker(two_workers: HallServerProcess) -> None:
    issued: list[m.IssuedTicket] = []
    with pytest.raises(RateLimited):
        for _ in range(100):  # a new connection each time: the tickets land on both workers
            with two_workers.client("kiosk-2") as c:
                issued.append(c.issue("inkan"))
    assert len(issued) == 30  # issue_rate_per_minute of the example hall, not 30 per worker
    # a kiosk retrying a request that did get its ticket is answered with that ticket, limit or not
    first = issued[0]
    again = two_workers.client("kiosk-2").issue("inkan", request_id=first_request_id(two_workers, first))
    assert again.ticket.id == first.ticket.id


def first_request_id(srv: HallServerProcess, issued: m.IssuedTicket) -> str:
    store = Store(srv.db_path)
    try:
        row = store.ticket(issued.ticket.id)
    finally:
        store.close()
    assert row is not None and row.request_id is not None
    return row.request_id


def test_the_periodic_jobs_move_to_a_live_worker(two_workers: HallServerProcess) -> None:
    assert two_workers.proc is not None
    deadline = time.monotonic() + 10
    while leader_pid(two_workers.db_path) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    first = leader_pid(two_workers.db_path)
    assert first in descendants(two_workers.proc.pid)
    os.kill(first, signal.SIGKILL)  # the leading worker crashes
    deadline = time.monotonic() + 15
    while leader_pid(two_workers.db_path) in (None, first) and time.monotonic() < deadline:
        time.sleep(0.05)
    second = leader_pid(two_workers.db_path)
    assert second is not None and second != first
    assert second in descendants(two_workers.proc.pid)
    # the supervisor started a replacement: two workers and the estimates process again, and the hall answers
    deadline = time.monotonic() + 15
    while len(descendants(two_workers.proc.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(descendants(two_workers.proc.pid)) == 3
    assert two_workers.client("kiosk-1").issue("juminhyo").ticket.number == "A-001"


def test_a_hung_worker_is_replaced(tmp_path: Path) -> None:
    """A worker whose event loop stops (here: SIGSTOP) still holds its share of the port; the systemd watchdog
    only hears the leader. The supervisor notices the silence and puts a new worker in its place."""
    srv = HallServerProcess(tmp_path / "server", workers=2, extra_args=("--worker-timeout", "3"))
    srv.start()
    try:
        assert srv.proc is not None
        deadline = time.monotonic() + 10
        while leader_pid(srv.db_path) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        leader = leader_pid(srv.db_path)
        # both workers have started (and so beat once): fresh connections land on each
        assert all(c.health().status == "ok" for c in fresh_clients(srv, "admin-1", 12))
        processes = sorted(descendants(srv.proc.pid))  # the two workers, then the estimates process
        (quiet,) = [pid for pid in processes[:2] if pid != leader]
        os.kill(quiet, signal.SIGSTOP)  # hung: alive, silent, holding its connections
        deadline = time.monotonic() + 30
        while quiet in descendants(srv.proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert quiet not in descendants(srv.proc.pid)
        # the healthy ones were left alone all that while, and a new worker joined them
        while len(descendants(srv.proc.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        now = set(descendants(srv.proc.pid))
        assert len(now) == 3 and {p for p in processes if p != quiet} <= now
        # fresh connections land on every worker (the kernel spreads them): all answer
        assert all(c.health().status == "ok" for c in fresh_clients(srv, "admin-1", 12))
        assert srv.log_path is not None and "no sign of life" in srv.log_path.read_text(encoding="utf-8")
    finally:
        srv.stop()


def published_at(db_path: Path) -> float:
    store = Store(db_path)
    try:
        raw = store.get_meta(PUBLISHED_META)
    finally:
        store.close()
    return float(json.loads(raw)["at"]) if raw else 0.0


def test_one_estimates_process_publishes_for_every_worker(two_workers: HallServerProcess) -> None:
    assert two_workers.proc is not None
    kiosks = fresh_clients(two_workers, "admin-1", 10)
    for c in kiosks:
        c.issue("juminhyo")
    deadline = time.monotonic() + 10
    while published_at(two_workers.db_path) < time.time() - 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert published_at(two_workers.db_path) > time.time() - 5, "the table is published about once a second"
    # every worker answers with a range for the ten waiting (what it read is checked in test_published_estimates)
    assert all(s.estimate.high_min > 0 for c in kiosks for s in c.services() if s.id == "juminhyo")
    estimates_pid = max(descendants(two_workers.proc.pid))  # forked last, after the workers
    # once its first table is out, it simulates at a lower priority than the workers' requests, and writes the table
    # (under the hall-wide write lock) from a thread at normal priority
    deadline = time.monotonic() + 5  # lowered once its first table is out
    while thread_niceness(estimates_pid)[estimates_pid] != ESTIMATES_NICENESS and time.monotonic() < deadline:
        time.sleep(0.05)
    niceness = thread_niceness(estimates_pid)
    assert niceness.pop(estimates_pid) == ESTIMATES_NICENESS > 0
    assert niceness and set(niceness.values()) == {0}
    assert set(thread_niceness(min(descendants(two_workers.proc.pid))).values()) == {0}  # a worker
    # the estimates process crashes: the supervisor starts another, and publishing goes on
    os.kill(estimates_pid, signal.SIGKILL)
    deadline = time.monotonic() + 15
    while estimates_pid in descendants(two_workers.proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    killed_at = time.time()
    while published_at(two_workers.db_path) < killed_at and time.monotonic() < deadline:
        time.sleep(0.1)
    assert published_at(two_workers.db_path) >= killed_at


def test_alerts_read_on_any_worker_are_the_leaders(two_workers: HallServerProcess) -> None:
    kiosk = two_workers.client("kiosk-2")
    kiosk.heartbeat(m.DeviceHealth(printer=m.PrinterHealth(status="PAPER_OUT")))
    deadline = time.monotonic() + 15
    answers: list[set[str]] = []
    while time.monotonic() < deadline:
        answers = [
            {f"{a['device']}/{a['code']}" for a in c._request("GET", "/api/v1/admin/alerts")}
            for c in fresh_clients(two_workers, "admin-1", 10)
        ]
        if all("kiosk-2/printer.paper_out" in a for a in answers):
            break
        time.sleep(0.2)
    assert answers and all("kiosk-2/printer.paper_out" in a for a in answers)


def test_a_manual_config_reload_reaches_every_worker(two_workers: HallServerProcess) -> None:
    text = two_workers.config_path.read_text(encoding="utf-8")
    two_workers.config_path.write_text(
        text.replace("本日は転入・転出の手続きが混み合っています。", "本日は午後から窓口が増えます。"), encoding="utf-8"
    )
    admin = two_workers.client("admin-1")
    assert admin._request("POST", "/api/v1/admin/reload-config")["applied"] is True
    deadline = time.monotonic() + 10
    notices: list[str] = []
    while time.monotonic() < deadline:
        notices = [c.hall().notices[0]["ja"] for c in fresh_clients(two_workers, "kiosk-1", 10)]
        if set(notices) == {"本日は午後から窓口が増えます。"}:
            break
        time.sleep(0.2)
    assert set(notices) == {"本日は午後から窓口が増えます。"}


def run_server(config: Path, data_dir: Path, port: int) -> subprocess.CompletedProcess[str]:
    """``madoguchi server --workers 2`` expected to give up (it would otherwise run until the timeout)."""
    command = ["server", "--config", str(config), "--data-dir", str(data_dir), "--port", str(port), "--workers", "2"]
    return subprocess.run(
        [sys.executable, "-m", "madoguchi", *command], capture_output=True, text=True, timeout=60, cwd=REPO
    )


def test_a_second_server_on_the_same_port_is_refused(two_workers: HallServerProcess, tmp_path: Path) -> None:
    other = run_server(two_workers.config_path, tmp_path / "other", two_workers.port)
    assert other.returncode != 0
    assert f"already running on port {two_workers.port}" in other.stderr
    assert "Traceback" not in other.stderr


def test_a_port_taken_by_another_program_is_a_clear_error(tmp_path: Path) -> None:
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        other = run_server(EXAMPLE_CONFIG, tmp_path / "data", port)
    assert other.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in other.stderr
    assert "Traceback" not in other.stderr


# ---------------------------------------------------------------------- the write lock, without a server
COUNT_UP = """
import sys
from madoguchi.server.store import Store
store = Store(sys.argv[1])
for _ in range(int(sys.argv[2])):
    with store.write() as conn:  # read, then write what was read: a lost update would show in the total
        value = int(conn.execute("SELECT value FROM meta WHERE key = 'counter'").fetchone()[0])
        conn.execute("UPDATE meta SET value = ? WHERE key = 'counter'", (str(value + 1),))
"""


def test_writers_of_several_processes_take_turns(tmp_path: Path) -> None:
    db = tmp_path / "hall.sqlite3"
    store = Store(db)
    store.set_meta("counter", "0")
    procs = [subprocess.Popen([sys.executable, "-c", COUNT_UP, str(db), "300"], cwd=REPO) for _ in range(3)]
    other = Store(db)  # a second connection of this process, writing at the same time
    for _ in range(300):
        with other.write() as conn:
            value = int(conn.execute("SELECT value FROM meta WHERE key = 'counter'").fetchone()[0])
            conn.execute("UPDATE meta SET value = ? WHERE key = 'counter'", (str(value + 1),))
    for p in procs:
        assert p.wait(60) == 0
    assert store.get_meta("counter") == "1200"
    other.close()
    store.close()


def test_the_app_built_before_the_fork_opens_nothing(tmp_path: Path, example_config_path: Path) -> None:
    """The supervisor builds the workers' app before forking them: a database connection, a lock file or a thread
    made then would be shared by every worker (SQLite forbids it; a shared flock would let two workers write at
    once). Everything opens on first use, in the worker."""
    import threading

    from madoguchi.core.config import load_config
    from madoguchi.server.workers import ServerLaunch

    def open_files() -> set[str]:
        found = set()
        for fd in os.listdir("/proc/self/fd"):
            try:
                found.add(os.readlink(f"/proc/self/fd/{fd}"))
            except OSError:  # the listing's own descriptor
                pass
        return found

    data = tmp_path / "data"
    data.mkdir()
    launch = ServerLaunch(
        config_path=str(example_config_path),
        db_path=str(data / "hall.db"),
        key_dir=str(data / "keys"),
        public_url="http://127.0.0.1:8700",
        workers=2,
    )
    files, threads = open_files(), set(threading.enumerate())
    app = launch.create_app(load_config(example_config_path), defer_connections=True)
    assert not [f for f in open_files() - files if str(data) in f]
    assert set(threading.enumerate()) == threads
    assert sorted(p.name for p in data.iterdir()) in ([], ["keys"])  # no database, WAL or lock file yet
    assert not app.state.store.connected and not app.state.reader.connected


def test_a_store_connects_on_first_use_when_asked(tmp_path: Path) -> None:
    store = Store(tmp_path / "q.db", connect=False)
    assert not store.connected and not (tmp_path / "q.db").exists()
    assert store.last_event_id() == 0  # opened and migrated here
    assert store.connected and store.schema_version() > 0
    store.close()
    unused = Store(tmp_path / "q.db", connect=False)
    unused.close()
    with pytest.raises(sqlite3.ProgrammingError):
        unused.last_event_id()


def test_heartbeats_cross_the_fork_and_a_new_process_gets_a_grace() -> None:
    from madoguchi.server.worker_liveness import Heartbeats

    beats = Heartbeats(2)
    # never beat yet: silent from its start plus the grace, not from the start
    assert beats.silent_for(0, started_at=100.0, now=130.0, first_beat_grace_s=60) == 0.0
    assert beats.silent_for(0, started_at=100.0, now=200.0, first_beat_grace_s=60) == 40.0
    pid = os.fork()
    if pid == 0:  # the child beats in its slot, into the mapping it shares with us
        beats.slot = 1
        beats.beat()
        os._exit(0)
    os.waitpid(pid, 0)
    assert beats.last(0) == 0.0 and 0 < beats.last(1) <= time.monotonic()
    assert beats.silent_for(1, started_at=beats.last(1) - 1, now=beats.last(1) + 5, first_beat_grace_s=60) == 5.0
