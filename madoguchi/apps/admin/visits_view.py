"""Visits tab: one day's visits of several procedures (one ticket from counter to counter): how many, how many
completed, the time in the hall (mean and p90), visits per life event, and the waits for each procedure's call."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from madoguchi.apps.admin.read_only_table import read_only_table
from madoguchi.apps.admin.texts import AdminTexts
from madoguchi.client.admin_client import AdminClient
from madoguchi.core import api_models as m
from madoguchi.qt.tasks import run_task


def _minutes(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.setItem(r, c, QTableWidgetItem(text))


class VisitsView(QWidget):
    loaded = Signal(object)  # VisitStats
    failed = Signal(str)

    def __init__(
        self,
        client: AdminClient,
        texts: AdminTexts,
        service_name: Callable[[str], str],
        event_name: Callable[[str], str],
        parent: QWidget | None = None,
    ) -> None:
        """``event_name``: a life event's name from the hall's configuration (its id if unknown)."""
        super().__init__(parent)
        self.client = client
        self.t = texts
        self.service_name = service_name
        self.event_name = event_name
        self.last: m.VisitStats | None = None
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setAccessibleName(texts("admin.visits.day"))
        self.refresh_button = QPushButton(texts("admin.refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(texts("admin.visits.day")))
        bar.addWidget(self.day)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        self.summary = QLabel("")
        self.summary.setObjectName("visits_summary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.by_event = read_only_table([texts("admin.visits.col.event"), texts("admin.visits.col.visits")])
        self.by_event.setObjectName("visits_by_event")
        self.by_event.setAccessibleName(texts("admin.visits.by_event"))
        self.steps = read_only_table(
            [
                texts("admin.stats.col.service"),
                texts("admin.visits.col.visits"),
                texts("admin.stats.col.wait_mean"),
                texts("admin.stats.col.wait_p90"),
            ]
        )
        self.steps.setObjectName("visits_steps")
        self.steps.setAccessibleName(texts("admin.visits.per_step"))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        for heading, table, stretch in (
            ("admin.visits.by_event", self.by_event, 1),
            ("admin.visits.per_step", self.steps, 2),
        ):
            label = QLabel(texts(heading))
            label.setStyleSheet("font-weight: bold;")
            label.setBuddy(table)
            layout.addWidget(label)
            layout.addWidget(table, stretch)
        self._loading = False

    def set_day(self, day: str) -> None:
        self.day.setDate(QDate.fromString(day, "yyyy-MM-dd"))

    def refresh(self) -> None:
        if self._loading:
            return
        client, day = self.client, self.day.date().toString("yyyy-MM-dd")
        self._loading = True
        self.refresh_button.setEnabled(False)
        run_task(lambda: client.visit_statistics(day), self._show, self._failed, parent=self)

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        self.refresh_button.setEnabled(True)
        code, said = self.t.cannot_load(exc)
        self.summary.setText(said)
        self.failed.emit(code)

    def _show(self, stats: m.VisitStats) -> None:
        self._loading = False
        self.refresh_button.setEnabled(True)
        self.last = stats
        self.summary.setText(
            self.t(
                "admin.visits.summary",
                visits=stats.visits,
                completed=stats.completed,
                mean=_minutes(stats.in_hall_mean_min),
                p90=_minutes(stats.in_hall_p90_min),
            )
        )
        events = sorted(stats.by_event.items(), key=lambda kv: (-kv[1], kv[0]))
        _fill(
            self.by_event,
            [(self.event_name(e) if e else self.t("admin.visits.staff_route"), str(n)) for e, n in events],
        )
        _fill(
            self.steps,
            [
                (self.service_name(s.service_id), str(s.visits), _minutes(s.wait_mean_min), _minutes(s.wait_p90_min))
                for s in stats.steps
            ],
        )
        self.loaded.emit(stats)
