"""``madoguchi server --clock-offset-file``: a day-roll rehearsal on a shifted clock, in a real server process."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from madoguchi.client.hall_client import SessionExpired, new_request_id
from madoguchi.client.local_server import HallServerProcess
from madoguchi.core.hall_time import next_reset

pytestmark = pytest.mark.timeout(120)
FORM = {"name": "予行　花子", "address": "みどり市予行町1-1", "birth_date": "1960-06-06", "copies": 1}


def test_moving_the_offset_past_the_reset_rolls_the_day(tmp_path: Path) -> None:
    offset_file = tmp_path / "clock-offset"
    srv = HallServerProcess(tmp_path / "srv", extra_args=("--clock-offset-file", str(offset_file)))
    with srv:
        kiosk = srv.client("kiosk-1")
        staff = srv.staff_client(1)
        first_day = kiosk.hall().hall_day
        old = kiosk.issue("juminhyo", request_id=new_request_id(), form=FORM).ticket
        called = staff.call_next(1)
        assert called is not None and called.id == old.id
        assert list((srv.data_dir / "keys").glob(f"forms-{first_day}.key"))

        now = dt.datetime.now(ZoneInfo("Asia/Tokyo"))
        target = next_reset(now, dt.time(3, 0), at_least=dt.timedelta(minutes=5)) + dt.timedelta(seconds=30)
        offset_file.write_text(f"{(target - now).total_seconds():.0f}\n")

        deadline = time.monotonic() + 20
        while kiosk.hall().hall_day == first_day and time.monotonic() < deadline:
            time.sleep(0.2)
        new_day = kiosk.hall().hall_day
        assert new_day > first_day
        # the staff session ends with its day (at the roll, which follows the clock within a second)
        with pytest.raises(SessionExpired):
            while time.monotonic() < deadline:
                staff.ticket(old.id)
                time.sleep(0.2)
        # the called ticket of the old day is closed, its form and the day's key are gone (the first session
        # may have ended as idle on the moved clock before the roll: a login then still ends at the roll)
        state = None
        while state != "expired" and time.monotonic() < deadline + 10:
            try:
                staff = srv.staff_client(1)
                state = staff.ticket(old.id).state
            except SessionExpired:
                pass
            time.sleep(0.2)
        assert state == "expired"
        conn = sqlite3.connect(f"file:{srv.db_path}?mode=ro", uri=True)
        try:
            assert conn.execute("SELECT count(*) FROM forms").fetchone()[0] == 0
            # the day rolled once
            rolls = conn.execute(
                "SELECT count(*) FROM events WHERE type = 'day.rolled' AND json_extract(data, '$.day') = ?", (new_day,)
            ).fetchone()[0]
            assert rolls == 1
        finally:
            conn.close()
        assert not list((srv.data_dir / "keys").glob(f"forms-{first_day}.key"))
        # numbering restarts on the new day
        fresh = kiosk.issue("juminhyo", request_id=new_request_id()).ticket
        assert (fresh.number, fresh.day) == ("A-001", new_day)
        # a server restarted mid-rehearsal (a crash, a deploy) reads the offset again: still the new day
        srv.restart()
        assert kiosk.hall().hall_day == new_day
        assert kiosk.issue("juminhyo", request_id=new_request_id()).ticket.number == "A-002"

        # the rehearsal ends: the clock is the system clock again, a day behind; the hall day never goes back
        offset_file.unlink()
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            assert kiosk.hall().hall_day == new_day
            time.sleep(0.2)
        assert kiosk.issue("juminhyo", request_id=new_request_id()).ticket.day == new_day
    log = srv.log_path.read_text(encoding="utf-8") if srv.log_path is not None else ""
    assert "rehearsal clock" in log and "the hall day stays" in log
