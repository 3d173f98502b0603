"""What a kiosk asks of the server beyond a ticket: taking back a request it gave up on, and a call for help
that a person answers."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from madoguchi.apps.kiosk.demo_material import always_open_config
from madoguchi.client.hall_client import NotAuthorized, NotFound
from madoguchi.client.local_server import HallServerProcess
from madoguchi.core import api_models as m


@pytest.fixture
def server(tmp_path: Path) -> Iterator[HallServerProcess]:
    """Open all day: a check-in must work at any hour the test runs."""
    srv = HallServerProcess(tmp_path / "server", config_path=always_open_config(tmp_path / "config")).start()
    yield srv
    srv.stop()


def _events(server: HallServerProcess, kind: str) -> list[m.Event]:
    with sqlite3.connect(f"file:{server.db_path}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT id, at, type, ticket_id, counter, data FROM events WHERE type = ?", (kind,))
        return [
            m.Event(id=r[0], at=str(r[1]), type=r[2], ticket_id=r[3], counter=r[4], data=json.loads(r[5])) for r in rows
        ]


def test_a_kiosk_withdraws_its_own_request(server: HallServerProcess) -> None:
    with server.client("kiosk-1") as kiosk, server.client("kiosk-2") as other:
        issued = kiosk.issue("inkan", request_id="withdraw-test-0001")
        # another kiosk cannot take it back: request ids are per kiosk
        assert other.withdraw("withdraw-test-0001").status == "not_found"
        result = kiosk.withdraw("withdraw-test-0001")
        assert result.status == "cancelled" and result.number == issued.ticket.number
        assert kiosk.ticket_status(issued.token).state == "cancelled"
        # again: nothing left to cancel, and the same request id still names the cancelled ticket (never a new one)
        assert kiosk.withdraw("withdraw-test-0001").status == "kept"
        again = kiosk.issue("inkan", request_id="withdraw-test-0001")
        assert again.ticket.id == issued.ticket.id and again.ticket.state == "cancelled"
        # a request the server never stored
        assert kiosk.withdraw("withdraw-test-never").status == "not_found"
    cancelled = [e for e in _events(server, "ticket.cancelled") if e.ticket_id == issued.ticket.id]
    assert len(cancelled) == 1 and cancelled[0].data["by"] == "kiosk"


def test_a_withdrawn_check_in_frees_the_reservation(server: HallServerProcess) -> None:
    now = dt.datetime.now(ZoneInfo("Asia/Tokyo"))
    with server.client("admin-1") as admin, server.client("kiosk-1") as kiosk:
        made = admin.create_reservation("koseki", now.date().isoformat(), now.strftime("%H:%M"))
        first = kiosk.check_in(made.checkin_code, request_id="withdraw-checkin-1")
        assert kiosk.withdraw("withdraw-checkin-1").status == "cancelled"
        second = kiosk.check_in(made.checkin_code, request_id="withdraw-checkin-2")
        assert second.ticket.id != first.ticket.id and second.ticket.state == "waiting"


def test_withdraw_needs_a_kiosk(server: HallServerProcess) -> None:
    with server.client("board-1") as board, pytest.raises(NotAuthorized):
        board.withdraw("withdraw-test-0002")


def test_a_call_for_help_says_who_can_see_it_and_who_answered(server: HallServerProcess) -> None:
    with server.client("kiosk-1") as kiosk, server.client("kiosk-2") as other:
        call = kiosk.call_staff("procedures", "vi")
        assert call.watching == 0 and not call.acknowledged  # no staff console is logged in anywhere
        with server.staff_client(3) as staff:
            staff.heartbeat(m.DeviceHealth(app_version="test"))
            call = kiosk.call_staff("procedures", "vi")
            assert call.watching == 1
            with pytest.raises(NotFound):
                other.call_status(call.call_id)  # a kiosk follows only its own calls
            assert not kiosk.call_status(call.call_id).acknowledged
            answered = staff.acknowledge_call(call.call_id)
            assert answered.acknowledged and answered.counter == 3
            status = kiosk.call_status(call.call_id)
            assert status.acknowledged and status.counter == 3
            with server.client("admin-1") as admin:
                assert admin.acknowledge_call(call.call_id).counter == 3  # the first answer stands
                late = admin.acknowledge_call(kiosk.call_staff("welcome", "ja").call_id)
                assert late.acknowledged and late.counter is None
            with pytest.raises(NotAuthorized):
                kiosk.acknowledge_call(call.call_id)  # a kiosk cannot answer its own call
    acks = _events(server, "alert.call_staff_ack")
    assert len(acks) == 2
    assert (acks[0].data["call_id"], acks[0].counter, acks[0].data["device"]) == (call.call_id, 3, "kiosk-1")
