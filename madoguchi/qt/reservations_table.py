"""A day's reservations as a table: the staff console's 予約 tab (its counter's procedures) and the admin
console's 予約 tab (any day). Booking numbers, procedures and slots only: a reservation holds no personal data."""

from __future__ import annotations

from collections.abc import Callable, Collection

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from madoguchi.core import api_models as m

Texts = Callable[..., str]
COLUMNS = ("time", "procedure", "reference", "source", "state", "ticket")
STATES = ("booked", "checked_in", "cancelled", "missed")
_GREY = QColor("#6b6b6b")


class ReservationsTable(QWidget):
    """``set_day(day, services)`` shows the day's reservations (of ``services`` only, when given)."""

    refresh_requested = Signal()

    def __init__(self, texts: Texts, service_name: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = texts
        self.service_name = service_name
        self.heading = QLabel(texts("reservations.heading"))
        self.heading.setStyleSheet("font-weight: 700;")
        self.summary = QLabel("")
        self.summary.setObjectName("reservations_summary")
        self.refresh_button = QPushButton(texts("reservations.refresh"))
        self.refresh_button.clicked.connect(self.refresh_requested.emit)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([texts(f"reservations.column.{c}") for c in COLUMNS])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        self.controls = top
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.shown: list[m.ReservationView] = []

    def set_day(self, day: m.ReservationDay, services: Collection[str] | None = None) -> None:
        rows = [r for r in day.reservations if services is None or r.service_id in services]
        self.shown = rows
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            when = f"{r.slot_start}–{r.slot_end}" if r.slot_end else r.slot_start
            cells = (
                when,
                self.service_name(r.service_id),
                r.reference,
                self.t(f"reservations.source.{r.source}") if r.source in ("web", "import") else r.source,
                self.t(f"reservations.state.{r.state}") if r.state in STATES else r.state,
                r.ticket_number or "",
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if r.state in ("cancelled", "missed"):
                    item.setForeground(_GREY)
                self.table.setItem(i, col, item)
        counts = {state: sum(1 for r in rows if r.state == state) for state in STATES}
        self.summary.setText(
            self.t(
                "reservations.summary",
                day=day.date,
                booked=counts["booked"],
                checked_in=counts["checked_in"],
                cancelled=counts["cancelled"],
            )
        )
