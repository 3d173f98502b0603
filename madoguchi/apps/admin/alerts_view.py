"""Active alerts (from the server) above a running log of raised / cleared alerts (from the event stream).

An alert can be acknowledged (someone is on it: it stays, marked with who) and a device muted for a while (its
alerts stay listed, marked, and run no mail hook); the view only emits the request, the window sends it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from madoguchi.apps.admin.texts import AdminTexts
from madoguchi.core import api_models as m

_COLUMNS = ("time", "device", "severity", "problem", "status")
_COLOUR = {"red": QColor("#ffb3b3"), "amber": QColor("#ffe7a3")}
_QUIET = QColor("#e8e8e8")
HISTORY_LIMIT = 500
#: how long a mute lasts (minutes), in the order offered
MUTE_CHOICES = (30, 60, 240, 1440)


class AlertsView(QWidget):
    acknowledge_requested = Signal(str)  # alert id
    mute_requested = Signal(str, int)  # device, minutes (0: unmute)

    def __init__(self, texts: AdminTexts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = texts
        self.alerts: list[dict[str, Any]] = []
        layout = QVBoxLayout(self)
        self.active_label = QLabel(texts("admin.alerts.active"))
        layout.addWidget(self.active_label)
        self.table = QTableWidget(0, len(_COLUMNS))
        self.table.setHorizontalHeaderLabels([texts(f"admin.alerts.column.{c}") for c in _COLUMNS])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        layout.addWidget(self.table, 2)
        tools = QHBoxLayout()
        self.ack_button = QPushButton(texts("admin.alerts.acknowledge"))
        self.ack_button.setObjectName("acknowledge_alert")
        self.mute_for = QComboBox()
        self.mute_for.setAccessibleName(texts("admin.alerts.mute_for"))
        for minutes in MUTE_CHOICES:
            self.mute_for.addItem(texts("admin.alerts.minutes", minutes=minutes), minutes)
        self.mute_button = QPushButton(texts("admin.alerts.mute"))
        self.mute_button.setObjectName("mute_device")
        self.unmute_button = QPushButton(texts("admin.alerts.unmute"))
        self.unmute_button.setObjectName("unmute_device")
        for w in (self.ack_button, self.mute_for, self.mute_button, self.unmute_button):
            tools.addWidget(w)
        tools.addStretch(1)
        layout.addLayout(tools)
        self.ack_button.clicked.connect(self._acknowledge)
        self.mute_button.clicked.connect(lambda: self._mute(int(self.mute_for.currentData())))
        self.unmute_button.clicked.connect(lambda: self._mute(0))
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.history_label = QLabel(texts("admin.alerts.history"))
        layout.addWidget(self.history_label)
        self.history = QListWidget()
        layout.addWidget(self.history, 1)
        self._update_buttons()

    def _status(self, a: dict[str, Any]) -> str:
        parts = []
        if a.get("acknowledged_by"):
            at = a.get("acknowledged_at")
            when = dt.datetime.fromtimestamp(float(at)).strftime("%H:%M") if at else ""
            parts.append(self.t("admin.alerts.acknowledged_by", by=a["acknowledged_by"], time=when))
        if a.get("muted"):
            parts.append(self.t("admin.alerts.muted"))
        return " ・ ".join(parts)

    def set_alerts(self, alerts: list[dict[str, Any]]) -> None:
        chosen = self.selected()
        self.alerts = alerts
        self.table.setRowCount(len(alerts))
        for row, a in enumerate(alerts):
            # the server adds "at" in the hall's time zone; the epoch is a fallback in this PC's zone
            at = str(a["at"])[11:19] if a.get("at") else dt.datetime.fromtimestamp(float(a["raised_at"])).strftime("%X")
            severity = self.t.state(str(a["severity"]))
            problem = self.t.problem(str(a["code"]), str(a.get("message", "")))
            cells = [at, str(a["device"]), severity, problem, self._status(a)]
            quiet = bool(a.get("acknowledged_by") or a.get("muted"))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, a["id"])
                item.setToolTip(text)
                if quiet:
                    item.setBackground(_QUIET)
                elif a["severity"] in _COLOUR:
                    item.setBackground(_COLOUR[a["severity"]])
                self.table.setItem(row, col, item)
        if chosen is not None:
            for row, a in enumerate(alerts):
                if a["id"] == chosen["id"]:
                    self.table.selectRow(row)
        self._update_buttons()

    def selected(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.alerts):
            return None
        return self.alerts[rows[0].row()]

    def select_alert(self, alert_id: str) -> bool:
        for row, a in enumerate(self.alerts):
            if a["id"] == alert_id:
                self.table.selectRow(row)
                return True
        return False

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.ack_button.setEnabled(chosen is not None and not chosen.get("acknowledged_by"))
        device_alert = chosen is not None and not str(chosen["device"]).startswith("staff ")
        self.mute_button.setEnabled(device_alert)
        self.mute_for.setEnabled(device_alert)
        self.unmute_button.setEnabled(device_alert and bool(chosen and chosen.get("muted")))

    def _acknowledge(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.acknowledge_requested.emit(str(chosen["id"]))

    def _mute(self, minutes: int) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.mute_requested.emit(str(chosen["device"]), minutes)

    def add_event(self, event: m.Event) -> None:
        """An ``alert.raised`` / ``alert.cleared`` event from the stream, newest first."""
        mark = "▲" if event.type == "alert.raised" else "✓"
        code = str(event.data.get("code", ""))
        self.history.insertItem(0, f"{event.at[11:19]} {mark} {event.data.get('device', '')}: {self.t.problem(code)}")
        while self.history.count() > HISTORY_LIMIT:
            self.history.takeItem(self.history.count() - 1)
