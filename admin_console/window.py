"""The admin console's main window: tabs for device tiles, alerts and statistics; only switches and refreshes.

Tiles and alerts refresh every few seconds (heartbeats are not events) and at once when an ``alert.*`` event
arrives on the stream. All server I/O runs through ``run_task``; a lost server shows in the status bar.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from admin_console.alerts_view import AlertsView
from admin_console.operations_view import OperationsView
from admin_console.stats_view import StatsView
from admin_console.tiles_view import TilesView
from qt_common.event_bridge import EventBridge
from qt_common.tasks import run_task
from queueing import api_models as m
from queueing.admin_client import AdminClient

log = logging.getLogger(__name__)

REFRESH_MS = 3000


class AdminWindow(QMainWindow):
    refreshed = Signal()

    def __init__(
        self,
        client: AdminClient,
        events: EventBridge | None = None,
        *,
        refresh_ms: int = REFRESH_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.events = events
        self.setWindowTitle("窓口 管理コンソール / Madoguchi admin")
        self.resize(1200, 800)
        self.tabs = QTabWidget()
        self.tiles = TilesView()
        self.alerts = AlertsView()
        self.stats = StatsView(client)
        self.operations = OperationsView(client)
        self.tabs.addTab(self.tiles, "機器 / Devices")
        self.tabs.addTab(self.alerts, "警報 / Alerts")
        self.tabs.addTab(self.stats, "統計 / Statistics")
        self.tabs.addTab(self.operations, "運用 / Operations")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)
        self.link = QLabel("")
        self.statusBar().addPermanentWidget(self.link)
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.refresh)
        if events is not None:
            events.event_received.connect(self._on_event)
            events.connection_changed.connect(self._on_connection)

    def start(self) -> None:
        if self.events is not None:
            self.events.start()
        self._timer.start()
        self.refresh()
        client = self.client
        run_task(lambda: client.hall().hall_day, self._set_hall_day, lambda _e: None, parent=self)

    def stop(self) -> None:
        self._timer.stop()
        if self.events is not None:
            self.events.stop()

    def closeEvent(self, event: Any) -> None:
        self.stop()
        super().closeEvent(event)

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.operations:
            self.operations.refresh()

    def _set_hall_day(self, day: str) -> None:
        date = QDate.fromString(day, "yyyy-MM-dd")
        self.stats.day_from.setDate(date)
        self.stats.day_to.setDate(date)
        self.stats.refresh()

    def refresh(self) -> None:
        if self._busy:
            return
        self._busy = True
        client = self.client
        run_task(lambda: (client.tiles(), client.alerts()), self._show, self._failed, parent=self)

    def _show(self, result: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
        self._busy = False
        tiles, alerts = result
        self.tiles.set_tiles(tiles)
        self.alerts.set_alerts(alerts)
        red = sum(t["state"] == "red" for t in tiles)
        amber = sum(t["state"] == "amber" for t in tiles)
        self.tabs.setTabText(1, f"警報 / Alerts ({len(alerts)})" if alerts else "警報 / Alerts")
        self.statusBar().showMessage(f"機器 {len(tiles)} 台 / devices · 異常 {red} · 注意 {amber}")
        self.refreshed.emit()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.statusBar().showMessage(f"サーバーに接続できません / Server unreachable ({type(exc).__name__})")

    def _on_event(self, event: m.Event) -> None:
        if event.type.startswith("alert."):
            if event.type in ("alert.raised", "alert.cleared"):
                self.alerts.add_event(event)
            self.refresh()
        elif event.type in ("day.rolled", "forms.purged"):
            self.statusBar().showMessage(f"{event.type} {event.at}")

    def _on_connection(self, up: bool) -> None:
        self.link.setText("● 接続中 / live" if up else "○ 再接続中 / reconnecting")
