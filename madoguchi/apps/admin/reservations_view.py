"""The admin console's 予約 tab: any day's bookings (/book) and imported reservations."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QVBoxLayout, QWidget

from madoguchi.apps.admin.texts import AdminTexts
from madoguchi.client.admin_client import AdminClient
from madoguchi.core import api_models as m
from madoguchi.qt.reservations_table import ReservationsTable
from madoguchi.qt.tasks import run_task


class ReservationsView(QWidget):
    def __init__(self, client: AdminClient, texts: AdminTexts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.names: dict[str, str] = {}
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setDate(QDate.currentDate())
        self.table = ReservationsTable(texts, lambda sid: self.names.get(sid, sid))
        self.table.controls.insertWidget(1, self.day)
        self.table.refresh_requested.connect(self.refresh)
        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.lang = texts.lang
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def set_day(self, day: str) -> None:
        self.day.setDate(QDate.fromString(day, "yyyy-MM-dd"))

    def refresh(self) -> None:
        client, day, lang = self.client, self.day.date().toString("yyyy-MM-dd"), self.lang

        def load() -> tuple[m.ReservationDay, dict[str, str]]:
            names = {s.id: s.name.get(lang, s.name.get("ja", s.id)) for s in client.hall().services}
            return client.reservations(day), names

        run_task(load, self._show, lambda _e: None, parent=self)

    def _show(self, result: tuple[m.ReservationDay, dict[str, str]]) -> None:
        day, self.names = result
        if day.date == self.day.date().toString("yyyy-MM-dd"):  # an answer for a day since left is dropped
            self.table.set_day(day)
