"""Active alerts (from the server) above a running log of raised / cleared alerts (from the event stream)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QListWidget, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from madoguchi.apps.admin.texts import AdminTexts
from madoguchi.core import api_models as m

_COLUMNS = ("time", "device", "severity", "problem")
_COLOUR = {"red": QColor("#ffb3b3"), "amber": QColor("#ffe7a3")}
HISTORY_LIMIT = 500


class AlertsView(QWidget):
    def __init__(self, texts: AdminTexts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = texts
        layout = QVBoxLayout(self)
        self.active_label = QLabel(texts("admin.alerts.active"))
        layout.addWidget(self.active_label)
        self.table = QTableWidget(0, len(_COLUMNS))
        self.table.setHorizontalHeaderLabels([texts(f"admin.alerts.column.{c}") for c in _COLUMNS])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table, 2)
        self.history_label = QLabel(texts("admin.alerts.history"))
        layout.addWidget(self.history_label)
        self.history = QListWidget()
        layout.addWidget(self.history, 1)

    def set_alerts(self, alerts: list[dict[str, Any]]) -> None:
        self.table.setRowCount(len(alerts))
        for row, a in enumerate(alerts):
            # the server adds "at" in the hall's time zone; the epoch is a fallback in this PC's zone
            at = str(a["at"])[11:19] if a.get("at") else dt.datetime.fromtimestamp(float(a["raised_at"])).strftime("%X")
            severity = self.t.state(str(a["severity"]))
            cells = [at, str(a["device"]), severity, self.t.problem(str(a["code"]), str(a.get("message", "")))]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if a["severity"] in _COLOUR:
                    item.setBackground(_COLOUR[a["severity"]])
                self.table.setItem(row, col, item)

    def add_event(self, event: m.Event) -> None:
        """An ``alert.raised`` / ``alert.cleared`` event from the stream, newest first."""
        mark = "▲" if event.type == "alert.raised" else "✓"
        code = str(event.data.get("code", ""))
        self.history.insertItem(0, f"{event.at[11:19]} {mark} {event.data.get('device', '')}: {self.t.problem(code)}")
        while self.history.count() > HISTORY_LIMIT:
            self.history.takeItem(self.history.count() - 1)
