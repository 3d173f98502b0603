"""Several processes on one database file, and a process killed in the middle of issuing."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from madoguchi.core.config import HallConfig
from madoguchi.server.engine import QueueEngine
from madoguchi.server.store import Store
from tests.support.paths import REPO

WORKER = textwrap.dedent(
    """
    import sys
    from madoguchi.core.config import EXAMPLE_CONFIG, load_config
    from madoguchi.server.engine import QueueEngine
    from madoguchi.server.store import Store
    db, mode, arg = sys.argv[1], sys.argv[2], int(sys.argv[3])
    eng = QueueEngine(Store(db), load_config(EXAMPLE_CONFIG))
    if mode == "call":
        while (t := eng.call_next(arg)) is not None:
            print(t.id, flush=True)
            eng.done(t.id, arg)
    else:
        for i in range(arg):
            t = eng.issue("juminhyo").ticket
            print(t.number, flush=True)
    """
)


def spawn(db: Path, mode: str, arg: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(db), mode, str(arg)], stdout=subprocess.PIPE, text=True, cwd=REPO
    )


def test_processes_calling_at_once_never_share_a_ticket(tmp_path: Path, hall_config: HallConfig) -> None:
    db = tmp_path / "hall.sqlite3"
    eng = QueueEngine(Store(db), hall_config)
    for _ in range(150):
        eng.issue("juminhyo")
    procs = [spawn(db, "call", c) for c in (1, 2, 3, 11)]
    ids = [int(line) for p in procs for line in p.communicate(timeout=120)[0].split()]
    assert all(p.returncode == 0 for p in procs)
    assert sorted(ids) == sorted(set(ids)) and len(ids) == 150


def test_processes_issuing_at_once_get_distinct_numbers(tmp_path: Path, hall_config: HallConfig) -> None:
    db = tmp_path / "hall.sqlite3"
    Store(db).close()
    procs = [spawn(db, "issue", 100) for _ in range(4)]
    numbers = [n for p in procs for n in p.communicate(timeout=120)[0].split()]
    assert len(numbers) == 400 and len(set(numbers)) == 400
    assert {f"A-{i:03d}" for i in range(1, 401)} == set(numbers)


def test_sigkill_while_issuing_loses_nothing_acknowledged(tmp_path: Path, hall_config: HallConfig) -> None:
    db = tmp_path / "hall.sqlite3"
    Store(db).close()
    proc = spawn(db, "issue", 100_000)
    assert proc.stdout is not None
    acknowledged = [proc.stdout.readline().strip() for _ in range(300)]
    proc.send_signal(signal.SIGKILL)
    rest, _ = proc.communicate(timeout=30)
    acknowledged += rest.split()  # lines already written before the kill
    store = Store(db)
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = store.conn.execute("SELECT number, id FROM tickets ORDER BY id").fetchall()
    numbers = [r[0] for r in rows]
    assert len(numbers) == len(set(numbers))
    assert set(acknowledged) <= set(numbers)
    # no half-written ticket: the sequence, the tickets and their events agree
    last_seq = store.conn.execute("SELECT last FROM sequences").fetchone()[0]
    assert last_seq == len(numbers)
    issued_events = store.conn.execute("SELECT count(*) FROM events WHERE type = 'ticket.issued'").fetchone()[0]
    assert issued_events == len(numbers)
    # and the engine carries on from where it was
    eng = QueueEngine(store, hall_config)
    assert eng.issue("juminhyo").ticket.number == f"A-{len(numbers) + 1:03d}"
