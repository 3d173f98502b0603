"""The day's reservations where staff and the manager look: the staff console's 予約 tab (its counter's
procedures only) and the admin console's 予約 tab (any day), against a real server with a booking made on /book
and one imported."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from pytestqt.qtbot import QtBot

from madoguchi.apps.admin.window import AdminWindow
from madoguchi.client.admin_client import AdminClient
from madoguchi.client.local_server import HallServerProcess
from madoguchi.translations.catalog import translate
from tests.support.qt_apps import login, make_console


def _book_online(srv: HallServerProcess, service: str, day: str) -> str:
    with httpx.Client(base_url=srv.base_url) as http:
        page = http.get(f"/book/{service}", params={"day": day, "lang": "ja"}).text
        slot = re.findall(r'name="slot" id="slot-([\d:]+)"', page)[-1]
        request_id = re.findall(r'name="request_id" value="([^"]+)"', page)[0]
        made = http.post(f"/book/{service}", data={"day": day, "slot": slot, "request_id": request_id})
        assert made.status_code == 303
        return slot


def test_staff_and_admin_see_the_days_reservations(
    qtbot: QtBot, hall_server: HallServerProcess, shots_dir: Path
) -> None:
    srv = hall_server
    day = srv.client("kiosk-1").hall().hall_day
    booked_slot = _book_online(srv, "tennyu", day)
    srv.client("admin-1").create_reservation("kokuho", day, "16:00")  # counter 9's procedure, not counter 4's

    console = make_console(srv, 4)
    qtbot.addWidget(console)
    console.show()
    login(console)
    qtbot.waitUntil(lambda: console.controller.session is not None and console.controller.hall is not None)
    console.counter_screen.tabs.setCurrentWidget(console.reservations)
    table = console.reservations.table
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=10000)
    cells = [table.item(0, c).text() for c in range(table.columnCount())]
    assert cells[0].startswith(booked_slot) and cells[1] == "転入届"
    assert cells[3] == translate("ja", "reservations.source.web") and cells[4] == translate(
        "ja", "reservations.state.booked"
    )
    console.grab().save(str(shots_dir / "staff-reservations-tab.png"))

    admin = AdminWindow(AdminClient(srv.base_url, srv.tokens["admin-1"]), heartbeat_seconds=None, language="en")
    qtbot.addWidget(admin)
    admin.show()
    admin.start()
    admin.tabs.setCurrentWidget(admin.reservations)
    admin.reservations.set_day(day)
    admin_table = admin.reservations.table.table
    qtbot.waitUntil(lambda: admin_table.rowCount() == 2, timeout=10000)
    sources = {admin_table.item(r, 3).text() for r in range(2)}
    assert sources == {"Booked online", "Imported"}
    assert "booked 2" in admin.reservations.table.summary.text()
    admin.grab().save(str(shots_dir / "admin-reservations-tab.png"))
    admin.stop()
