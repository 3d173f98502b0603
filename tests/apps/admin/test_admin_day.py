"""The manager's day on the admin console against a real hall server (its clock on a rehearsal offset): the hall
now, alerts acknowledged and muted, tiles with whole device names and office hours, statistics per counter and
per clerk with service levels and names, refreshed by themselves, and the SQLite export. Screenshots of each.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils
from PySide6.QtWidgets import QLabel, QTableWidget
from pytestqt.qtbot import QtBot

from madoguchi.apps.admin.window import AdminWindow
from madoguchi.client.admin_client import AdminClient
from madoguchi.client.local_server import DEFAULT_DEVICES, HallServerProcess
from madoguchi.core import api_models as m
from madoguchi.qt.event_bridge import EventBridge
from madoguchi.translations.catalog import translator
from tests.support.halls import open_all_day
from tests.support.rehearsal_clock import TOKYO, move_hall_clock, write_offset

LONG_NAME = "kiosk-north-entrance-ground-floor-2"
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60]")


def _next_weekday_ten() -> dt.datetime:
    now = dt.datetime.now(TOKYO)
    at = dt.datetime.combine(now.date(), dt.time(10, 0), tzinfo=TOKYO)
    while at < now + dt.timedelta(minutes=5) or at.weekday() > 4:
        at += dt.timedelta(days=1)
    return at


class Hall:
    def __init__(self, srv: HallServerProcess, offset: Path, start: dt.datetime) -> None:
        self.srv, self.offset, self.start = srv, offset, start


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hall]:
    folder = tmp_path_factory.mktemp("admin-day")
    offset = folder / "clock-offset"
    start = _next_weekday_ten()
    write_offset(offset, start)
    srv = HallServerProcess(
        folder / "data",
        config_path=open_all_day(folder, opening='{ start = "08:30", end = "17:15" }'),
        devices=(*DEFAULT_DEVICES, (LONG_NAME, "kiosk", None)),
        extra_args=("--clock-offset-file", str(offset)),
    ).start()
    yield Hall(srv, offset, start)
    srv.stop()


def _window(qtbot: QtBot, srv: HallServerProcess, lang: str = "ja") -> AdminWindow:
    token = srv.tokens["admin-1"]
    window = AdminWindow(
        AdminClient(srv.base_url, token), EventBridge(srv.base_url, token, since=0), refresh_ms=500, language=lang
    )
    qtbot.addWidget(window)
    window.resize(1280, 820)
    window.show()
    window.start()
    return window


def _cells(table: QTableWidget) -> list[list[str]]:
    return [
        [table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_hall_now(qtbot: QtBot, hall: Hall, shots_dir: Path, lang: str) -> None:
    srv = hall.srv
    t = translator(lang)
    kiosk = srv.client("kiosk-1")
    for _ in range(3):
        kiosk.issue("tennyu")
    at_4 = srv.staff_client(4, staff_id="staff1")
    at_5 = srv.staff_client(5, staff_id="staff2")
    at_5.set_counter_state(5, "break", "lunch")
    called = at_4.call_next(4)
    assert called is not None
    window = _window(qtbot, srv, lang)
    try:
        live = window.live
        qtbot.waitUntil(lambda: live.state_of(5) == "break" and live.state_of(4) == "open", timeout=15000)
        rows = {r[0]: r for r in _cells(live.counters)}
        four = rows[t("admin.live.counter_no", counter=4)]
        assert four[1] == t("admin.counter_state.open") and four[2] == "STAFF1" and four[3] == called.number
        five = rows[t("admin.live.counter_no", counter=5)]
        assert five[1] == t(
            "admin.live.break_because", state=t("admin.counter_state.break"), reason=t("admin.break.lunch")
        )
        services = {r[0]: r for r in _cells(live.services)}
        name = "転入届" if lang == "ja" else "Moving in (from another city)"
        with srv.client("admin-1") as admin:
            waiting = next(x.waiting for x in admin.services() if x.id == "tennyu")
        assert services[name][1] == str(waiting)  # by its name, never "tennyu"
        closed = services["児童手当" if lang == "ja" else "Child allowance"]  # its own hours: not open at 10:00
        assert closed[4] == t("admin.live.no") and closed[3] == "—"  # no ticket to issue, no estimate to give
        assert services[name][3] != "—"  # open: its estimate
        window.tabs.setCurrentWidget(live)
        qtbot.wait(50)
        window.grab().save(str(shots_dir / f"{lang}-hall-now.png"))
        # a change at a counter reaches the tab by the event stream
        at_5.set_counter_state(5, "open")
        qtbot.waitUntil(lambda: live.state_of(5) == "open", timeout=10000)
        if lang == "en":
            shown = [x for row in _cells(live.services) + _cells(live.counters) for x in row] + [live.summary.text()]
            assert [x for x in shown if _JAPANESE.search(x)] == []
    finally:
        window.stop()
        at_4.done(called.id, 4)
        for c in (at_4, at_5):
            c.logout()
            c.close()


def test_alerts_acknowledged_and_muted_and_whole_names(qtbot: QtBot, hall: Hall, shots_dir: Path) -> None:
    srv = hall.srv
    with srv.client(LONG_NAME) as kiosk:
        kiosk.heartbeat(m.DeviceHealth(printer=m.PrinterHealth(status="PAPER_OUT")))
    t = translator("ja")
    window = _window(qtbot, srv)
    try:
        view = window.alerts
        qtbot.waitUntil(lambda: any(a["device"] == LONG_NAME for a in view.alerts), timeout=15000)
        alert = next(a for a in view.alerts if a["device"] == LONG_NAME)
        # the device's whole name, on the tile and in the table
        tile = window.tiles.tiles[LONG_NAME]
        window.tabs.setCurrentIndex(0)
        qtbot.waitUntil(lambda: tile.isVisible() and tile.name.width() > 0, timeout=5000)
        label: QLabel = tile.name
        assert label.text() == LONG_NAME and label.wordWrap()
        # wrapped over lines, none cut off (once the layout has given the label its height)
        qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()), timeout=5000)
        assert label.heightForWidth(label.width()) > label.fontMetrics().height()
        window.tiles.ensureWidgetVisible(tile)
        qtbot.wait(50)
        window.grab().save(str(shots_dir / "tiles-whole-names.png"))

        window.tabs.setCurrentWidget(view)
        assert view.select_alert(alert["id"])
        qtbot.waitUntil(view.ack_button.isEnabled)
        view.ack_button.click()
        qtbot.waitUntil(
            lambda: any(a["id"] == alert["id"] and a.get("acknowledged_by") == "admin-1" for a in view.alerts),
            timeout=15000,
        )
        view.select_alert(alert["id"])
        view.mute_for.setCurrentIndex(view.mute_for.findData(60))
        qtbot.waitUntil(view.mute_button.isEnabled)
        view.mute_button.click()
        qtbot.waitUntil(lambda: any(a["id"] == alert["id"] and a.get("muted") for a in view.alerts), timeout=15000)
        row = next(r for r in _cells(view.table) if r[1] == LONG_NAME)
        assert t("admin.alerts.muted") in row[4] and "admin-1" in row[4]
        needed = view.table.fontMetrics().horizontalAdvance(LONG_NAME)
        qtbot.waitUntil(lambda: view.table.columnWidth(1) >= needed, timeout=5000)  # the column fits the name
        qtbot.waitUntil(lambda: t("admin.tile.muted") in tile.quiet.text(), timeout=15000)
        window.grab().save(str(shots_dir / "alerts-acknowledged-muted.png"))
        view.select_alert(alert["id"])
        qtbot.waitUntil(view.unmute_button.isEnabled)
        view.unmute_button.click()
        qtbot.waitUntil(lambda: not any(a.get("muted") for a in view.alerts), timeout=15000)
    finally:
        window.stop()
        with srv.client(LONG_NAME) as kiosk:
            kiosk.heartbeat(m.DeviceHealth(printer=m.PrinterHealth(status="OK")))


def test_statistics_per_counter_and_clerk_refreshed_by_themselves(
    qtbot: QtBot, hall: Hall, shots_dir: Path, tmp_path: Path
) -> None:
    srv = hall.srv
    t = translator("ja")
    kiosk = srv.client("kiosk-2")
    clerk = srv.staff_client(12, staff_id="staff3")
    for i in range(2):  # each served for about ten minutes by the hall clock
        kiosk.issue("zei_shomei")
        served = clerk.call_next(12)
        assert served is not None
        clerk.start(served.id, 12)
        move_hall_clock(hall.offset, hall.start + dt.timedelta(minutes=10 * (i + 1)))
        clerk.done(served.id, 12)
    window = _window(qtbot, srv)
    try:
        stats = window.stats
        stats._auto_timer.setInterval(300)
        window.tabs.setCurrentWidget(stats)
        qtbot.waitUntil(lambda: stats.breakdown is not None, timeout=15000)
        staff_rows = {r[0]: r for r in _cells(stats.per_staff)}
        assert staff_rows["STAFF3"][1] == "2"  # served, by the clerk's name
        assert 9.0 <= float(staff_rows["STAFF3"][2]) <= 10.0  # mean service time (minutes)
        assert 9.0 <= float(staff_rows["STAFF3"][3]) <= 10.0  # p90
        counter_rows = {r[0]: r for r in _cells(stats.per_counter)}
        assert counter_rows[t("admin.live.counter_no", counter=12)][1] == "2"
        level = {r[0]: r for r in _cells(stats.service_level)}
        assert level["税証明"][2] == t("admin.stats.minutes_value", minutes=20)
        assert "zei_shomei" not in stats.waits.categories and "税証明" in stats.waits.categories
        stats.pages.setCurrentIndex(1)
        qtbot.wait(50)
        window.grab().save(str(shots_dir / "statistics-service-level.png"))
        stats.pages.setCurrentIndex(2)
        qtbot.wait(50)
        window.grab().save(str(shots_dir / "statistics-per-counter.png"))
        stats.pages.setCurrentIndex(3)
        qtbot.wait(50)
        window.grab().save(str(shots_dir / "statistics-per-clerk.png"))
        # nobody presses refresh: the figures follow the hall
        kiosk.issue("zei_shomei")
        third = clerk.call_next(12)
        assert third is not None
        clerk.done(third.id, 12)
        qtbot.waitUntil(lambda: {r[0]: r for r in _cells(stats.per_staff)}["STAFF3"][1] == "3", timeout=15000)

        target = tmp_path / "statistics.sqlite3"
        with qtbot.waitSignal(stats.exported, timeout=15000):
            stats.export_database_to("statistics", target)
        db = sqlite_utils.Database(target)
        assert db.table("tickets").count >= 3 and "service_level" in db.view_names()
        db.close()
    finally:
        window.stop()
        clerk.logout()
        clerk.close()


def test_devices_off_outside_office_hours(qtbot: QtBot, hall: Hall, shots_dir: Path) -> None:
    srv = hall.srv
    for name in ("kiosk-3", "board-1"):
        with srv.client(name) as device:
            device.heartbeat(m.DeviceHealth(app_version="1.0"))
    window = _window(qtbot, srv)
    try:
        qtbot.waitUntil(lambda: window.tiles.state_of("kiosk-3") == "green", timeout=15000)
        # evening: everything switched off after the hall closed at 17:15
        move_hall_clock(hall.offset, hall.start.replace(hour=21))
        t = translator("ja")
        qtbot.waitUntil(lambda: window.tiles.state_of("kiosk-3") == "grey", timeout=15000)
        assert window.tiles.tiles["board-1"].quiet.text() == t("admin.tile.off_hours")
        window.tabs.setCurrentIndex(0)
        qtbot.wait(50)
        window.grab().save(str(shots_dir / "tiles-off-hours.png"))
        with AdminClient(srv.base_url, srv.tokens["admin-1"]) as admin:
            assert not [a for a in admin.alerts() if a["code"] == "device.offline"]
    finally:
        window.stop()


def test_the_hall_now_and_the_statistics_in_large_text(
    qtbot: QtBot, hall: Hall, shots_dir: Path, large_text: None
) -> None:
    """English at the desktop's 150 % text: the summary is whole and the console still fits its default size."""
    window = _window(qtbot, hall.srv, "en")
    try:
        live = window.live
        qtbot.waitUntil(lambda: live.services.rowCount() > 0 and live.summary.text() != "", timeout=15000)
        window.tabs.setCurrentWidget(live)
        qtbot.wait(50)
        summary = live.summary
        # not cut off (once the layout has given the label its width)
        qtbot.waitUntil(lambda: summary.width() >= summary.fontMetrics().horizontalAdvance(summary.text()))
        assert window.minimumSizeHint().width() <= 1280
        window.grab().save(str(shots_dir / "en-hall-now-large-text.png"))
        window.tabs.setCurrentWidget(window.stats)
        qtbot.waitUntil(lambda: window.stats.breakdown is not None, timeout=15000)
        window.stats.pages.setCurrentIndex(3)
        qtbot.wait(50)
        window.grab().save(str(shots_dir / "en-statistics-per-clerk-large-text.png"))
    finally:
        window.stop()
