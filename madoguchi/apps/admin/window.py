"""The admin console's main window: tabs for device tiles, the hall now, alerts, statistics (with a page for visits
of several procedures), operations, accounts and (given a buildings list) every building; it only switches and
refreshes.

Tiles and alerts refresh every few seconds (heartbeats are not events) and at once when an ``alert.*`` event
arrives on the stream. Calls for help from kiosks appear above the tiles with "on my way". The console sends a
heartbeat of its own, so a kiosk knows whether anyone can see its call. All server I/O runs through
``run_task``; a lost server shows in the status bar.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from madoguchi.apps.admin.accounts_view import AccountsView
from madoguchi.apps.admin.alerts_view import AlertsView
from madoguchi.apps.admin.live_view import LiveView
from madoguchi.apps.admin.operations_view import OperationsView
from madoguchi.apps.admin.reservations_view import ReservationsView
from madoguchi.apps.admin.stats_view import StatsView
from madoguchi.apps.admin.texts import DEFAULT_LANGUAGE, AdminTexts
from madoguchi.apps.admin.tiles_view import TilesView
from madoguchi.apps.admin.visits_view import VisitsView
from madoguchi.client.admin_client import AdminClient
from madoguchi.client.hall_client import STREAM_RESET
from madoguchi.core import api_models as m
from madoguchi.core.buildings import Building
from madoguchi.core.config import LifeEvent
from madoguchi.qt.calls_panel import CallsPanel
from madoguchi.qt.event_bridge import EventBridge
from madoguchi.qt.health_report import AppHeartbeat
from madoguchi.qt.tasks import run_task

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
        language: str = DEFAULT_LANGUAGE,
        heartbeat_seconds: float | None = 5.0,
        buildings: list[Building] | None = None,
        buildings_refresh_ms: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.events = events
        self.hall: m.HallInfo | None = None
        self.t = t = AdminTexts(language)
        self.setWindowTitle(t("admin.window.title"))
        self.resize(1200, 800)
        self.tabs = QTabWidget()
        self.tiles = TilesView(t)
        self.alerts = AlertsView(t)
        self.stats = StatsView(client, t)
        self.visits = VisitsView(client, t, self._service_name, self._event_name)
        self.live = LiveView(client, t, self._service_name, refresh_ms=max(refresh_ms, 1000))
        self.operations = OperationsView(client, t)
        self.accounts = AccountsView(client, t)
        self.reservations = ReservationsView(client, t)
        self.calls_heading = QLabel(t("admin.calls.heading"))
        self.calls_heading.setStyleSheet("font-weight: 700;")
        self.calls = CallsPanel(t)
        self.calls.setMaximumHeight(150)
        self.calls.acknowledge.connect(self.acknowledge_call)
        devices = QWidget()
        column = QVBoxLayout(devices)
        column.addWidget(self.calls_heading)
        column.addWidget(self.calls)
        column.addWidget(self.tiles, 1)
        self.tabs.addTab(devices, t("admin.tab.devices"))
        self.tabs.addTab(self.alerts, t("admin.tab.alerts"))
        self.tabs.addTab(self.stats, t("admin.tab.statistics"))
        self.stats.pages.addTab(self.visits, t("admin.stats.page.visits"))  # one day, its own date
        self.stats.pages.currentChanged.connect(self._stats_page_changed)
        self.tabs.addTab(self.operations, t("admin.tab.operations"))
        self.tabs.addTab(self.accounts, t("admin.tab.accounts"))
        self.tabs.addTab(self.reservations, t("reservations.tab"))
        self.tabs.addTab(self.live, t("admin.tab.live"))
        self.alerts.acknowledge_requested.connect(self.acknowledge_alert)
        self.alerts.mute_requested.connect(self.mute_device)
        self.buildings_view = None
        if buildings:
            from madoguchi.apps.admin.buildings_view import REFRESH_MS, BuildingsView

            self.buildings_view = BuildingsView(buildings, t, refresh_ms=buildings_refresh_ms or REFRESH_MS)
            self.tabs.addTab(self.buildings_view, t("admin.tab.buildings"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)
        help_menu = self.menuBar().addMenu(t("admin.menu.help"))
        self.about_action = help_menu.addAction(t("admin.menu.about"))
        self.about_action.triggered.connect(self.show_about)
        self.link = QLabel("")
        self.statusBar().addPermanentWidget(self.link)
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.refresh)
        self.heartbeat = AppHeartbeat(client, heartbeat_seconds, self) if heartbeat_seconds else None
        if events is not None:
            events.event_received.connect(self._on_event)
            events.connection_changed.connect(self._on_connection)

    def show_about(self) -> None:
        from madoguchi.apps.admin.about_dialog import AboutDialog

        self.about = AboutDialog(self.t, self)
        self.about.open()

    def start(self) -> None:
        if self.events is not None:
            self.events.start()
        self._timer.start()
        if self.heartbeat is not None:
            self.heartbeat.start()
        self.refresh()
        client = self.client
        run_task(client.hall, self._set_hall, lambda _e: None, parent=self)
        if self.buildings_view is not None:
            self.buildings_view.start()

    def stop(self) -> None:
        self._timer.stop()
        self.live.stop()
        self.stats._auto_timer.stop()
        if self.buildings_view is not None:
            self.buildings_view.stop()
        if self.heartbeat is not None:
            self.heartbeat.stop()
        if self.events is not None:
            self.events.stop()

    def _service_name(self, service_id: str) -> str:
        if self.hall is not None:
            for s in self.hall.services:
                if s.id == service_id:
                    return s.name.get(self.t.lang) or s.name.get("ja", service_id)
        return service_id

    def _event_name(self, event_id: str) -> str:
        """A life event's name in the console's language (``[[life_events]]`` of the hall's configuration)."""
        if self.hall is not None:
            for dump in self.hall.life_events:
                if dump.get("id") == event_id:
                    name = LifeEvent.model_validate(dump).name
                    return name.get(self.t.lang) or name.get("ja") or event_id
        return event_id

    def _set_hall(self, hall: m.HallInfo) -> None:
        self.hall = hall
        self.live.start()
        self._set_hall_day(hall.hall_day)

    def closeEvent(self, event: Any) -> None:
        self.stop()
        super().closeEvent(event)

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.operations:
            self.operations.refresh()
        elif self.tabs.currentWidget() is self.accounts:
            self.accounts.refresh()
        elif self.tabs.currentWidget() is self.reservations:
            self.reservations.refresh()

    def _stats_page_changed(self, _index: int) -> None:
        if self.stats.pages.currentWidget() is self.visits:
            self.visits.refresh()

    def _set_hall_day(self, day: str) -> None:
        self.stats.hall_day = day
        date = QDate.fromString(day, "yyyy-MM-dd")
        self.stats.day_from.setDate(date)
        self.stats.day_to.setDate(date)
        self.stats.refresh()
        self.visits.set_day(day)
        self.reservations.set_day(day)

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
        t = self.t
        self.tabs.setTabText(1, t("admin.tab.alerts_count", count=len(alerts)) if alerts else t("admin.tab.alerts"))
        self.statusBar().showMessage(t("admin.status.summary", devices=len(tiles), red=red, amber=amber))
        self.refreshed.emit()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.statusBar().showMessage(self.t("admin.status.unreachable", error=type(exc).__name__))

    def acknowledge_alert(self, alert_id: str) -> None:
        """Someone is on it: the alert stays listed, marked (no new mail)."""
        client = self.client
        run_task(lambda: client.acknowledge_alert(alert_id), lambda _a: self.refresh(), self._failed, parent=self)

    def mute_device(self, device: str, minutes: int) -> None:
        client = self.client
        run_task(lambda: client.mute_device(device, minutes), lambda _r: self.refresh(), self._failed, parent=self)

    def acknowledge_call(self, call_id: int) -> None:
        """ "On my way" from the office: the calling kiosk tells its resident someone is coming."""
        client = self.client
        run_task(lambda: client.acknowledge_call(call_id), None, self._failed, parent=self)

    def _on_event(self, event: m.Event) -> None:
        self.live.on_event(event)
        if event.type in ("alert.call_staff", "alert.call_staff_ack"):
            self.calls.add_event(event)
            return
        if event.type.startswith("alert."):
            if event.type in ("alert.raised", "alert.cleared"):
                self.alerts.add_event(event)
            self.refresh()
        elif event.type == STREAM_RESET:
            self.refresh()
        elif event.type in ("day.rolled", "forms.purged"):
            if event.type == "day.rolled":
                self.stats.hall_day = str(event.data.get("day") or self.stats.hall_day or "")
            msgid = "admin.event.day_rolled" if event.type == "day.rolled" else "admin.event.forms_purged"
            self.statusBar().showMessage(self.t(msgid, time=event.at[11:19]))

    def _on_connection(self, up: bool) -> None:
        self.link.setText(self.t("admin.link.live" if up else "admin.link.reconnecting"))
