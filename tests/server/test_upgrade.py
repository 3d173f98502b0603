"""A hall folder written by the release of 2026-11-29 opens in this release (tests/data/hall-2026-11-29)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import sqlite3
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from madoguchi.client.admin_client import AdminClient
from madoguchi.client.hall_client import new_request_id
from madoguchi.client.local_server import HallServerProcess
from madoguchi.server.security import SCRYPT_N
from tests.support.paths import REPO

pytestmark = pytest.mark.timeout(120)

OLD_HALL = REPO / "tests" / "data" / "hall-2026-11-29"


def _offset_to_the_next_day(day: str) -> int:
    """Seconds that put the hall clock on the day after ``day``, mid-morning (0 once that is past)."""
    target = dt.datetime.combine(dt.date.fromisoformat(day) + dt.timedelta(days=1), dt.time(10, 0))
    target = target.replace(tzinfo=ZoneInfo("Asia/Tokyo"))
    return max(0, int((target - dt.datetime.now(dt.UTC)).total_seconds()))


def test_the_last_releases_hall_opens_and_rolls_its_day(tmp_path: Path) -> None:
    manifest = json.loads((OLD_HALL / "manifest.json").read_text(encoding="utf-8"))
    data = tmp_path / "data"
    shutil.copytree(OLD_HALL / "data", data)
    assert (data / "hall.sqlite3-wal").stat().st_size > 0  # its last writes are still only in the WAL
    old_day = manifest["day"]
    offset = tmp_path / "clock-offset"
    offset.write_text(str(_offset_to_the_next_day(old_day)), encoding="utf-8")
    srv = HallServerProcess(data, tokens=dict(manifest["tokens"]), extra_args=("--clock-offset-file", str(offset)))
    with srv:
        # device tokens made by the old release still authenticate, every role
        kiosk, board = srv.client("kiosk-1"), srv.client("board-1")
        today = kiosk.hall().hall_day
        assert today > old_day
        assert board.board().last_event_id > 0
        admin = AdminClient(srv.base_url, manifest["tokens"]["admin-1"])
        assert {d["name"] for d in admin.devices()} >= set(manifest["tokens"])
        # the staff member still logs in with the old password
        staff = srv.client("staff-pc-1")
        with contextlib.closing(sqlite3.connect(f"file:{data / 'hall.sqlite3'}?mode=ro", uri=True)) as before:
            assert before.execute("SELECT password_hash FROM staff").fetchone()[0].startswith("scrypt$16384$")
        staff.login("suzuki", manifest["staff"]["suzuki"], 1)
        # history and statistics are kept
        stats = admin.statistics(old_day, old_day, by="day")
        assert [g["tickets"] for g in stats["groups"]] == [3]
        # the day roll did what it always does: open tickets of the old day closed, its forms and key gone
        assert staff.call_next(1) is None
        assert kiosk.issue("juminhyo", request_id=new_request_id()).ticket.number == "A-001"
        deadline = time.monotonic() + 10
        while list((data / "keys").glob(f"forms-{old_day}.key")) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not list((data / "keys").glob(f"forms-{old_day}.key"))
    # a clean stop (SIGTERM: uvicorn ends by the signal it caught, which systemd counts as clean) leaves no WAL
    assert srv.proc is not None and srv.proc.returncode in (0, -15)
    assert not (data / "hall.sqlite3-wal").exists()
    conn = sqlite3.connect(data / "hall.sqlite3")
    try:
        states = dict(conn.execute("SELECT number, state FROM tickets WHERE day = ?", (old_day,)).fetchall())
        assert states == {manifest["tickets"]["served"]: "done", manifest["tickets"]["serving"]: "expired",
                          manifest["tickets"]["waiting"]: "expired"}  # fmt: skip
        assert conn.execute("SELECT count(*) FROM forms").fetchone()[0] == 0
        assert conn.execute("SELECT action FROM audit").fetchall() == [("form.view",), ("staff.login",)]
        # the old release's weaker password hash was made again at the login, with today's parameters
        stored = conn.execute("SELECT password_hash FROM staff WHERE staff_id = 'suzuki'").fetchone()[0]
        assert stored.startswith(f"scrypt${SCRYPT_N}$8$1$")
        # its staff PC, which had a session at counter 1, is bound to counter 1
        assert conn.execute("SELECT counter FROM devices WHERE name = 'staff-pc-1'").fetchone() == (1,)
        reference = conn.execute("SELECT code FROM reservations").fetchone()[0]
        assert reference == manifest["reservation"]["reference"]
    finally:
        conn.close()
