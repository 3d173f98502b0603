"""The admin console against a real server: tiles by health, alerts, statistics charts, CSV export; screenshots."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pytestqt.qtbot import QtBot

from admin_console.window import AdminWindow
from qt_common.event_bridge import EventBridge
from queueing import api_models as m
from queueing.admin_client import AdminClient
from queueing.testing import HallServerProcess


def _heartbeats(srv: HallServerProcess) -> None:
    ok = m.PrinterHealth(status="OK")
    states = {
        "kiosk-1": m.DeviceHealth(app_version="1.0", printer=m.PrinterHealth(status="PAPER_LOW"), camera_ok=True),
        "kiosk-2": m.DeviceHealth(app_version="1.0", printer=m.PrinterHealth(status="PAPER_OUT")),
        "kiosk-3": m.DeviceHealth(app_version="1.0", printer=ok, card_reader_present=True, camera_ok=True),
        "staff-pc-1": m.DeviceHealth(app_version="1.0"),
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
    staff = srv.staff_client(2, device="staff-pc-2", staff_id="staff2")
    try:
        for _ in range(2):
            t = staff.call_next(2)
            assert t is not None
            staff.start(t.id, 2)
            staff.done(t.id, 2)
    finally:
        staff.close()


def test_tiles_alerts_statistics_and_export(
    qtbot: QtBot, hall_server: HallServerProcess, shots_dir: Path, tmp_path: Path
) -> None:
    _heartbeats(hall_server)
    _traffic(hall_server)
    token = hall_server.tokens["admin-1"]
    window = AdminWindow(
        AdminClient(hall_server.base_url, token), EventBridge(hall_server.base_url, token, since=0), refresh_ms=500
    )
    qtbot.addWidget(window)
    window.resize(1280, 820)
    window.show()
    window.start()
    try:
        qtbot.waitUntil(lambda: window.tiles.state_of("kiosk-2") == "red", timeout=15_000)
        assert window.tiles.state_of("kiosk-1") == "amber"
        assert window.tiles.state_of("kiosk-3") == "green"
        assert window.tiles.state_of("admin-1") == "grey"
        window.tabs.setCurrentWidget(window.tiles)
        qtbot.wait(50)
        assert window.grab().save(str(shots_dir / "tiles.png"))

        qtbot.waitUntil(lambda: window.alerts.table.rowCount() >= 2, timeout=15_000)
        qtbot.waitUntil(lambda: window.alerts.history.count() >= 2, timeout=15_000)  # from the event stream
        codes = {window.alerts.table.item(r, 3).text() for r in range(window.alerts.table.rowCount())}
        assert any("Paper out" in c for c in codes) and any("Paper low" in c for c in codes)
        window.tabs.setCurrentWidget(window.alerts)
        qtbot.wait(50)
        assert window.grab().save(str(shots_dir / "alerts.png"))

        qtbot.waitUntil(lambda: window.stats.last is not None, timeout=15_000)
        window.tabs.setCurrentWidget(window.stats)
        by_hour, by_service = window.stats.last  # type: ignore[misc]
        assert sum(g["tickets"] for g in by_service["groups"]) >= 4
        assert sum(window.stats.per_hour.values["発券 / Tickets"]) == sum(g["tickets"] for g in by_hour["groups"])
        qtbot.wait(100)
        assert window.grab().save(str(shots_dir / "statistics.png"))

        with qtbot.waitSignal(window.operations.loaded, timeout=15_000):
            window.tabs.setCurrentWidget(window.operations)
        with qtbot.waitSignal(window.operations.loaded, timeout=15_000):
            window.operations.reload_config()
        assert "applied" in window.operations.message.text()
        assert window.operations.last is not None and window.operations.last["config_errors"] == []
        window.operations.backup_now()
        qtbot.waitUntil(lambda: "Backup started" in window.operations.message.text(), timeout=15_000)

        for _ in range(60):  # the backup runs on the server's worker thread; look again now and then
            if window.operations.backups.count():
                break
            with qtbot.waitSignal(window.operations.loaded, timeout=15_000):
                window.operations.refresh()
            qtbot.wait(200)
        assert window.operations.backups.item(0).text().startswith("hall-")
        assert window.grab().save(str(shots_dir / "operations.png"))

        target = tmp_path / "tickets.csv"
        with qtbot.waitSignal(window.stats.exported, timeout=15_000):
            window.stats.export_to("tickets", target)
        rows = list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8-sig"), newline="")))
        assert len(rows) == sum(g["tickets"] for g in by_service["groups"])
    finally:
        window.stop()
