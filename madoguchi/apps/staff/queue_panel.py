"""The counter's queue per service: how many wait and for how long the oldest has waited."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from madoguchi.core import api_models as m
from madoguchi.translations.catalog import translate

#: services a counter's queue shows without scrolling (a counter serves a handful)
SHOWN_ROWS = 6


class QueuePanel(QWidget):
    def __init__(self, service_name: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service_name = service_name
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [
                translate("ja", "staff.queue.service"),
                translate("ja", "staff.queue.waiting"),
                translate("ja", "staff.queue.oldest"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):  # the figures are never cut off, at any text size
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(translate("ja", "staff.queue.heading"))
        heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(heading)
        layout.addWidget(self.table)

    def set_queue(self, queue: m.CounterQueue) -> None:
        self.table.setRowCount(len(queue.services))
        for row, s in enumerate(queue.services):
            wait = translate("ja", "staff.queue.minutes", minutes=round(s.oldest_wait_min)) if s.waiting else "—"
            for col, text in enumerate(
                (self.service_name(s.service_id), translate("ja", "staff.queue.count", count=s.waiting), wait)
            ):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self._fit_rows()

    def _fit_rows(self) -> None:
        """Tall enough for every service of the counter (up to SHOWN_ROWS) so the list below cannot squeeze it."""
        t = self.table
        rows = min(t.rowCount(), SHOWN_ROWS)
        rows_height = sum(t.rowHeight(r) for r in range(rows))
        t.setMinimumHeight(t.horizontalHeader().sizeHint().height() + rows_height + 2 * t.frameWidth())

    def waiting_of(self, service_id: str) -> str:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.text() == self.service_name(service_id):
                count = self.table.item(row, 1)
                return count.text() if count else ""
        return ""
