"""The admin console against a real server, in Japanese and in English: tiles by health, alerts, statistics
charts, CSV export; every text from the catalogs in the one chosen language; screenshots per language."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from PySide6.QtCharts import QChartView
from PySide6.QtWidgets import QAbstractButton, QLabel, QListWidget, QPlainTextEdit, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from madoguchi.apps.admin.window import AdminWindow
from madoguchi.client.admin_client import AdminClient
from madoguchi.client.local_server import HallServerProcess
from madoguchi.core import api_models as m
from madoguchi.qt.event_bridge import EventBridge
from madoguchi.translations.catalog import default_catalogs, translator

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60]")


def _heartbeats(srv: HallServerProcess) -> None:
    ok = m.PrinterHealth(status="OK")
    states = {
        "kiosk-1": m.DeviceHealth(app_version="1.0", printer=m.PrinterHealth(status="PAPER_LOW"), camera_ok=True),
        "kiosk-2": m.DeviceHealth(app_version="1.0", printer=m.PrinterHealth(status="PAPER_OUT")),
        "kiosk-3": m.DeviceHealth(app_version="1.0", printer=ok, card_reader_present=True, camera_ok=True),
        "counter-pc-1": m.DeviceHealth(app_version="1.0"),
        "board-1": m.DeviceHealth(app_version="1.0", free_disk_mb=12_000),
    }
    for name, health in states.items():
        with srv.client(name) as c:
            c.heartbeat(health)


def _traffic(srv: HallServerProcess) -> None:
    with srv.client("kiosk-3") as kiosk:
        for i, (sid, source, lang) in enumerate(
            [
                ("juminhyo", "touch", "ja"),
                ("juminhyo", "card", "en"),
                ("inkan", "code", "vi"),
                ("koseki", "touch", "ja"),
            ]
        ):
            kiosk.issue(sid, source=source, language=lang, request_id=f"admin-test-{i:03d}")  # type: ignore[arg-type]
    staff = srv.staff_client(2, staff_id="staff2")
    try:
        for _ in range(2):
            t = staff.call_next(2)
            assert t is not None
            staff.start(t.id, 2)
            staff.done(t.id, 2)
    finally:
        staff.close()


def _shown_texts(window: AdminWindow) -> list[str]:
    """Every text the console shows: title, tabs, labels, buttons, tables, lists, charts, status bar."""
    texts = [window.windowTitle(), window.statusBar().currentMessage()]
    texts += [window.tabs.tabText(i) for i in range(window.tabs.count())]
    for widget in window.findChildren(QWidget):
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QListWidget):
            texts += [widget.item(i).text() for i in range(widget.count())]
        elif isinstance(widget, QTableWidget):
            texts += [widget.horizontalHeaderItem(c).text() for c in range(widget.columnCount())]
            texts += [widget.item(r, c).text() for r in range(widget.rowCount()) for c in range(widget.columnCount())]
        elif isinstance(widget, QChartView):
            chart = widget.chart()
            texts.append(chart.title())
            texts += [axis.titleText() for axis in chart.axes()]
            texts += [bar_set.label() for series in chart.series() for bar_set in series.barSets()]
    return [t for t in texts if t]


def _check_one_language(window: AdminWindow, lang: str) -> None:
    """No "日本語 / English" pairs: in English no Japanese at all, in Japanese none of the English admin texts."""
    shown = _shown_texts(window)
    if lang == "en":
        assert [t for t in shown if _JAPANESE.search(t)] == []
        return
    english = [
        text
        for msgid, text in default_catalogs().messages("en").items()
        if msgid.startswith("admin.") and "{" not in text and len(text) >= 4 and text != "hall.toml"
    ]
    assert [(t, e) for t in shown for e in english if e in t] == []


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_tiles_alerts_statistics_and_export(
    qtbot: QtBot, hall_server: HallServerProcess, shots_dir: Path, tmp_path: Path, lang: str
) -> None:
    t = translator(lang)  # straight from the catalogs, not through the console's own helper
    _heartbeats(hall_server)
    _traffic(hall_server)
    token = hall_server.tokens["admin-1"]
    window = AdminWindow(
        AdminClient(hall_server.base_url, token),
        EventBridge(hall_server.base_url, token, since=0),
        refresh_ms=500,
        language=lang,
    )
    qtbot.addWidget(window)
    window.resize(1280, 820)
    window.show()
    window.start()
    try:
        qtbot.waitUntil(lambda: window.tiles.state_of("kiosk-2") == "red", timeout=15_000)
        assert window.tiles.state_of("kiosk-1") == "amber"
        assert window.tiles.state_of("kiosk-3") == "green"
        assert window.tiles.state_of("counter-pc-2") == "grey"  # never sent a heartbeat (the admin console itself does)
        assert window.windowTitle() == t("admin.window.title")
        assert [window.tabs.tabText(i) for i in (0, 2, 3)] == [
            t("admin.tab.devices"),
            t("admin.tab.statistics"),
            t("admin.tab.operations"),
        ]
        tile = window.tiles.tiles["kiosk-2"]
        assert (tile.role.text(), tile.state.text()) == (t("admin.role.kiosk"), t("admin.state.red"))
        assert t("admin.problem.printer.paper_out") in tile.problems.text().split("\n")
        assert window.tiles.tiles["kiosk-1"].state.text() == t("admin.state.amber")
        assert window.tiles.tiles["counter-pc-2"].state.text() == t("admin.state.grey")
        window.tabs.setCurrentWidget(window.tiles)
        qtbot.wait(50)
        assert window.grab().save(str(shots_dir / f"{lang}-tiles.png"))

        qtbot.waitUntil(lambda: window.alerts.table.rowCount() >= 2, timeout=15_000)
        qtbot.waitUntil(lambda: window.alerts.history.count() >= 2, timeout=15_000)  # from the event stream
        problems = {window.alerts.table.item(r, 3).text() for r in range(window.alerts.table.rowCount())}
        assert {t("admin.problem.printer.paper_out"), t("admin.problem.printer.paper_low")} <= problems
        table = window.alerts.table
        headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        columns = ("time", "device", "severity", "problem", "status")  # status: acknowledged, muted
        assert headers == [t(f"admin.alerts.column.{c}") for c in columns]
        qtbot.waitUntil(lambda: window.tabs.tabText(1) == t("admin.tab.alerts_count", count=table.rowCount()))

        def summary() -> str:
            states = [w.state_value for w in window.tiles.tiles.values()]
            return t("admin.status.summary", devices=len(states), red=states.count("red"), amber=states.count("amber"))

        qtbot.waitUntil(lambda: window.statusBar().currentMessage() == summary(), timeout=15_000)
        window.tabs.setCurrentWidget(window.alerts)
        qtbot.wait(50)
        assert window.grab().save(str(shots_dir / f"{lang}-alerts.png"))

        qtbot.waitUntil(lambda: window.stats.last is not None, timeout=15_000)
        window.tabs.setCurrentWidget(window.stats)
        by_hour, by_service = window.stats.last  # type: ignore[misc]
        assert sum(g["tickets"] for g in by_service["groups"]) >= 4
        tickets = t("admin.stats.series.tickets")
        assert sum(window.stats.per_hour.values[tickets]) == sum(g["tickets"] for g in by_hour["groups"])
        assert list(window.stats.waits.values) == [t("admin.stats.series.p50"), t("admin.stats.series.p90")]
        assert window.stats.per_hour.chart().title() == t("admin.stats.chart.per_hour")
        assert window.stats.export_buttons["open-data"].text() == t(
            "admin.stats.export", name=t("admin.export.open_data")
        )
        q = by_service["estimate_quality"]
        within = "—" if q["within_range_share"] is None else f"{q['within_range_share'] * 100:.0f}%"
        error = "—" if q["mean_error_min"] is None else f"{q['mean_error_min']:g}"
        total = sum(g["tickets"] for g in by_service["groups"])
        assert window.stats.summary.text() == t("admin.stats.summary", total=total, within=within, error=error)
        qtbot.wait(100)
        assert window.grab().save(str(shots_dir / f"{lang}-statistics.png"))

        with qtbot.waitSignal(window.operations.loaded, timeout=15_000):
            window.tabs.setCurrentWidget(window.operations)
        with qtbot.waitSignal(window.operations.loaded, timeout=15_000):
            window.operations.reload_config()
        assert window.operations.message.text() == t("admin.ops.config_applied")
        assert window.operations.config_errors.toPlainText() == t("admin.ops.no_errors")
        assert window.operations.last is not None and window.operations.last["config_errors"] == []
        window.operations.backup_now()
        qtbot.waitUntil(lambda: window.operations.message.text() == t("admin.ops.backup_started"), timeout=15_000)

        for _ in range(60):  # the backup runs on the server's worker thread; look again now and then
            if window.operations.backups.count():
                break
            with qtbot.waitSignal(window.operations.loaded, timeout=15_000):
                window.operations.refresh()
            qtbot.wait(200)
        assert window.operations.backups.item(0).text().startswith("hall-")
        assert window.grab().save(str(shots_dir / f"{lang}-operations.png"))
        _check_one_language(window, lang)

        target = tmp_path / "tickets.csv"
        with qtbot.waitSignal(window.stats.exported, timeout=15_000):
            window.stats.export_to("tickets", target)
        rows = list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8-sig"), newline="")))
        assert len(rows) == sum(g["tickets"] for g in by_service["groups"])
    finally:
        window.stop()
