"""The invariant checks themselves find what they are meant to find (synthetic records, no processes)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from madoguchi.apps.soak import invariants as inv
from madoguchi.apps.soak.boards import BoardRecord, SeenCall
from madoguchi.apps.soak.clockjump import DayRollRecord, ServerTime
from madoguchi.apps.soak.faults import FaultRun
from madoguchi.apps.soak.monitor import Monitor, MonitorRecord, RssSample
from madoguchi.apps.soak.plan import Fault
from madoguchi.apps.soak.staff import Holding, StaffRecord


def _db(
    events: list[tuple[str, int | None, int | None]], tickets: list[tuple[int, str, str, str]]
) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    conn.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, at REAL, type TEXT, ticket_id INTEGER, counter INTEGER)")
    conn.execute("CREATE TABLE tickets (id INTEGER PRIMARY KEY, number TEXT, day TEXT, state TEXT, called_at REAL)")
    conn.executemany("INSERT INTO events (at, type, ticket_id, counter) VALUES (0, ?, ?, ?)", events)
    conn.executemany("INSERT INTO tickets (id, number, day, state) VALUES (?, ?, ?, ?)", tickets)
    return conn


def test_a_ticket_called_by_two_counters_is_found() -> None:
    conn = _db([("ticket.called", 1, 3), ("ticket.called", 1, 4)], [(1, "A-001", "d", "called")])
    assert len(inv.calls_exclusive(conn, []).violations) == 1


def test_a_normal_life_cycle_passes() -> None:
    events = [
        ("ticket.issued", 1, None),
        ("ticket.called", 1, 3),
        ("ticket.recalled", 1, 3),
        ("ticket.serving", 1, 3),
        ("ticket.transferred", 1, 3),
        ("ticket.called", 1, 4),
        ("ticket.done", 1, 4),
    ]
    assert inv.calls_exclusive(_db(events, []), []).ok


def test_staff_holding_the_same_ticket_at_once_is_found() -> None:
    a = StaffRecord(3, [Holding(7, 3, 10.0, 20.0)])
    b = StaffRecord(4, [Holding(7, 4, 15.0, 25.0)])
    assert len(inv.calls_exclusive(_db([], []), [a, b]).violations) == 1
    c = StaffRecord(4, [Holding(7, 4, 21.0, 25.0)])  # after a transfer: fine
    assert inv.calls_exclusive(_db([], []), [a, c]).ok


def test_a_board_missing_a_call_or_out_of_order_is_found() -> None:
    conn = _db([("ticket.called", 1, 3), ("ticket.issued", 2, None), ("ticket.called", 2, 4)], [])
    good = BoardRecord("b", 0, [SeenCall(1, 1, 3, "ticket.called", 0), SeenCall(3, 2, 4, "ticket.called", 0)])
    missing = BoardRecord("b", 0, [SeenCall(3, 2, 4, "ticket.called", 0)])
    swapped = BoardRecord("b", 0, [SeenCall(3, 2, 4, "ticket.called", 0), SeenCall(1, 1, 3, "ticket.called", 0)])
    assert inv.boards_in_order(conn, [good]).ok
    assert not inv.boards_in_order(conn, [missing]).ok
    assert not inv.boards_in_order(conn, [swapped]).ok


def test_shown_tickets_must_exist_with_their_number() -> None:
    conn = _db([], [(1, "A-001", "d", "waiting")])
    journals = {
        "k": [
            {"ev": "shown", "id": 1, "number": "A-001", "day": "d"},
            {"ev": "shown", "id": 2, "number": "A-002", "day": "d"},
        ]
    }
    assert len(inv.shown_tickets(conn, journals).violations) == 1
    twice = {
        "k": [
            {"ev": "shown", "id": 1, "number": "A-001", "day": "d"},
            {"ev": "shown", "id": 5, "number": "A-001", "day": "d"},
        ]
    }
    assert len(inv.unique_numbers(conn, twice).violations) == 1


def test_stuck_called_at_the_end_is_found() -> None:
    conn = _db([], [(1, "A-001", "d", "called")])
    assert len(inv.nothing_stuck(conn, MonitorRecord(), 60).violations) == 1


def test_rss_growth_after_warm_up() -> None:
    flat = [RssSample(100.0 + i, 1, 100_000 + (30_000 if i < 5 else 0)) for i in range(120)]
    growing = [RssSample(100.0 + i, 2, 100_000 + i * 500) for i in range(120)]
    short = [RssSample(100.0 + i, 3, 100_000 + i * 5000) for i in range(10)]
    check, figures = inv.rss_growth(flat + growing + short)
    assert check.checked == 2
    assert len(check.violations) == 1 and "pid 2" in check.violations[0]
    assert any(f["pid"] == 3 and f["growth"] != f["growth"] for f in figures)  # NaN: too short to judge


def test_error_lines_need_a_fault(tmp_path: Path) -> None:
    now = time.time()
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now))
    log = tmp_path / "server.log"
    log.write_text(
        f"{stamp},000 INFO x: fine\n{stamp},100 ERROR madoguchi.server.device_health: alert raised\n"
        "Traceback (most recent call last):\n",
        encoding="utf-8",
    )
    assert len(inv.errors_explained([log], [], 5).violations) == 2
    fault = FaultRun(Fault("paper_out", "kiosk-1", 0), start=now - 1, end=now, ok=True)
    explained = inv.errors_explained([log], [fault], 5)
    assert explained.ok and "paper_out 2" in explained.note


def test_personal_data_in_a_log_is_found(tmp_path: Path) -> None:
    log = tmp_path / "kiosk.log"
    log.write_text("ticket 5 issued for 平塚　花子\n", encoding="utf-8")
    assert not inv.no_personal_data([log]).ok


def _day_db(tmp_path: Path) -> tuple[sqlite3.Connection, Path]:
    path = tmp_path / "hall.sqlite3"
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    conn.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, at REAL, type TEXT, ticket_id INTEGER, counter INTEGER)")
    conn.execute("CREATE TABLE tickets (id INTEGER PRIMARY KEY, number TEXT, day TEXT, state TEXT)")
    conn.execute("CREATE TABLE forms (ticket_id INTEGER PRIMARY KEY, ciphertext BLOB)")
    conn.executemany(
        "INSERT INTO tickets VALUES (?, ?, ?, ?)",
        [(1, "A-001", "d1", "expired"), (2, "A-001", "d2", "done"), (3, "A-002", "d2", "done")],
    )
    conn.executemany(
        "INSERT INTO events (id, at, type, ticket_id, counter) VALUES (?, 0, ?, ?, ?)",
        [(1, "ticket.called", 1, 3), (2, "day.rolled", None, None), (3, "ticket.called", 2, 3)],
    )
    conn.commit()
    return conn, path


def _rolled() -> DayRollRecord:
    return DayRollRecord(
        jumped=True,
        old_day="d1",
        new_day="d2",
        rolled=True,
        roll_event_id=2,
        old_forms_before=1,
        samples=[b"old-day-ciphertext-0001"],
        forms_left_after_roll=0,
        key_left_after_roll=False,
        open_left_after_roll=0,
    )


def test_a_clean_day_roll_passes(tmp_path: Path) -> None:
    conn, path = _day_db(tmp_path)
    journals = {"k": [{"ev": "shown", "id": 2, "number": "A-001", "day": "d2"}]}
    board = BoardRecord("b", 0, [SeenCall(3, 2, 3, "ticket.called", 0)])
    check = inv.day_roll(conn, _rolled(), journals, [board], [path], tmp_path / "keys")
    assert check.ok, check.violations
    assert check.checked >= 10


def test_day_roll_finds_old_forms_keys_bytes_and_numbering(tmp_path: Path) -> None:
    conn, path = _day_db(tmp_path)
    conn.execute("INSERT INTO forms VALUES (1, ?)", (b"old-day-ciphertext-0001",))  # an old-day form survived
    conn.execute("UPDATE tickets SET number = 'A-003' WHERE id = 3")  # A-002 skipped on the new day
    conn.execute("INSERT INTO tickets VALUES (4, 'B-007', 'd1', 'called')")  # an old ticket never closed
    conn.commit()
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "forms-d1.key").write_bytes(b"k")
    rec = _rolled()
    rec.key_left_after_roll = True
    check = inv.day_roll(conn, rec, {"k": []}, [BoardRecord("b", 0, [])], [path], tmp_path / "keys")
    text = "\n".join(check.violations)
    for expected in (
        "key file of d1",
        "form records of days before d2",
        "key files of old days",
        "ciphertexts still in the database files",
        "still open at the end",
        "A on d2",
        "no kiosk showed",
        "b saw no call after the day roll",
    ):
        assert expected in text


def test_no_roll_after_the_jump_is_a_violation(tmp_path: Path) -> None:
    conn, path = _day_db(tmp_path)
    rec = DayRollRecord(jumped=True, old_day="d1")
    assert not inv.day_roll(conn, rec, {}, [], [path], tmp_path).ok
    assert inv.day_roll(conn, DayRollRecord(), {}, [], [path], tmp_path).checked == 0  # no jump, nothing to say


def test_server_time_undoes_the_clock_offset() -> None:
    st = ServerTime()
    st.shift(1000.0, 3600.0)
    assert st.to_wall(990.0) == 990.0  # before the jump
    assert st.to_wall(1002.0) == 1002.0  # after the file was written, before the server read it
    assert st.to_wall(1000.5 + 3600) == 1000.5
    assert st.to_wall(1000.5 + 3600, ref=1000.6) == 1000.5
    assert st.to_wall(999.0, ref=1000.6) == 999.0
    assert st.age(990.0, now=1010.0) == 20.0
    assert st.age(1005.0 + 3600, now=1010.0) == 5.0


def test_the_monitor_ages_called_tickets_on_the_server_clock(tmp_path: Path) -> None:
    st = ServerTime()
    now = time.time()
    st.shift(now - 10, 7200.0)
    conn = _db([], [(1, "A-001", "d", "called"), (2, "A-002", "d", "called")])
    conn.execute("UPDATE tickets SET called_at = ? WHERE id = 1", (now - 5 + 7200,))  # called after the jump
    conn.execute("UPDATE tickets SET called_at = ? WHERE id = 2", (now - 120 + 7200,))  # and long ago
    monitor = Monitor(tmp_path / "x.sqlite3", lambda: None, 60.0, 1.0, age=st.age)
    monitor.check_stuck(conn)
    assert list(monitor.record.stuck_called) == [2]
