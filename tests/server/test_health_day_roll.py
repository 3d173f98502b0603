"""Daily operations: the day roll closes old tickets, purges form data verifiably and restarts numbering."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from madoguchi.core import api_models as m
from madoguchi.core.config import HallConfig
from madoguchi.server.hall_service import HallService
from madoguchi.server.security import FormCipher
from madoguchi.server.store import Store

FORM = {"name": "山田 太郎", "address": "東京都千代田区1-1", "birth_date": "1950-01-01"}


def test_day_roll_purges_forms_and_restarts_numbering(
    tmp_path: Path, store: Store, hall_config: HallConfig, clock: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    hall = HallService(hall_config, store, FormCipher(tmp_path / "keys"), clock=clock)
    hall.roll_day()
    first_day = hall.engine.today()
    issued = [
        hall.issue(m.IssueRequest(service_id="juminhyo", request_id=f"req-{i:04d}", form=FORM), "kiosk-1")
        for i in range(3)
    ]
    assert [t.ticket.number for t in issued] == ["A-001", "A-002", "A-003"]
    assert store.form_count() == 3
    assert list((tmp_path / "keys").glob(f"*{first_day}*"))

    clock.advance(days=1)  # past the configured day reset
    purged = hall.roll_day()
    assert purged == 3
    assert store.form_count() == 0
    assert not list((tmp_path / "keys").glob(f"*{first_day}*"))  # nothing left that could decrypt them
    old = [store.ticket(t.ticket.id) for t in issued]
    assert {t.state for t in old if t is not None} == {"expired"}
    rolled = [e for e in store.events_since(0, 1000) if e.type == "day.rolled"][-1]
    assert rolled.data["purged"] == 3 and rolled.data["expired"] == 3
    assert "3 form records purged" in caplog.text
    # the purged plaintext is not in the database file any more (secure_delete + checkpoint)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = Path(store.path).read_bytes()
    assert "山田".encode() not in raw and b"1950-01-01" not in raw
    assert not any("山田" in r.getMessage() for r in caplog.records)

    again = hall.issue(m.IssueRequest(service_id="juminhyo", request_id="req-next"), "kiosk-1")
    assert again.ticket.number == "A-001" and again.ticket.day != first_day
    assert hall.roll_day() == 0  # once per day
