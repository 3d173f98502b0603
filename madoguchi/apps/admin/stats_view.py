"""Statistics tab: a day range, charts (tickets per hour, waits per service, estimate errors), CSV exports."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from madoguchi.apps.admin.charts import BarChart
from madoguchi.apps.admin.texts import EXPORT_KINDS, AdminTexts
from madoguchi.client.admin_client import AdminClient
from madoguchi.qt.tasks import run_task

log = logging.getLogger(__name__)


def _bin_label(lo: float | None, hi: float | None) -> str:
    # no "<": category labels are rich text
    return f"{'-∞' if lo is None else f'{lo:g}'}…{'∞' if hi is None else f'{hi:g}'}"


class StatsView(QWidget):
    loaded = Signal()
    exported = Signal(str)  # path written
    failed = Signal(str)

    def __init__(self, client: AdminClient, texts: AdminTexts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.t = texts
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        today = QDate.currentDate()
        self.day_from = QDateEdit(today)
        self.day_to = QDateEdit(today)
        for w in (self.day_from, self.day_to):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
        self.refresh_button = QPushButton(texts("admin.refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.days_label = QLabel(texts("admin.stats.days"))
        bar.addWidget(self.days_label)
        bar.addWidget(self.day_from)
        bar.addWidget(QLabel("–"))
        bar.addWidget(self.day_to)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        self.export_buttons: dict[str, QPushButton] = {}
        for kind in EXPORT_KINDS:
            b = QPushButton(texts("admin.stats.export", name=texts.export(kind)))
            b.clicked.connect(lambda _=False, k=kind: self.ask_export(k))
            self.export_buttons[kind] = b
            bar.addWidget(b)
        layout.addLayout(bar)
        self.summary = QLabel("")
        layout.addWidget(self.summary)
        grid = QGridLayout()
        self.per_hour = BarChart(texts("admin.stats.chart.per_hour"))
        self.waits = BarChart(texts("admin.stats.chart.waits"))
        self.errors = BarChart(texts("admin.stats.chart.errors"))
        grid.addWidget(self.per_hour, 0, 0)
        grid.addWidget(self.waits, 0, 1)
        grid.addWidget(self.errors, 1, 0, 1, 2)
        layout.addLayout(grid, 1)
        self.last: tuple[dict[str, Any], dict[str, Any]] | None = None

    def days(self) -> tuple[str, str]:
        return self.day_from.date().toString("yyyy-MM-dd"), self.day_to.date().toString("yyyy-MM-dd")

    def refresh(self) -> None:
        client, (first, last) = self.client, self.days()

        def fetch() -> tuple[dict[str, Any], dict[str, Any]]:
            return client.statistics(first, last, by="hour"), client.statistics(first, last, by="service")

        self.refresh_button.setEnabled(False)
        run_task(fetch, self._show, self._failed, parent=self)

    def _failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        text = str(getattr(exc, "message_id", type(exc).__name__))
        reason = self.t(text) if self.t.catalogs.has(self.t.lang, text) else text  # server.error.* ids are catalogued
        self.summary.setText(self.t("admin.stats.cannot_load", reason=reason))
        self.failed.emit(text)

    def _show(self, result: tuple[dict[str, Any], dict[str, Any]]) -> None:
        self.refresh_button.setEnabled(True)
        self.last = result
        by_hour, by_service = result
        hours = by_hour["groups"]
        self.per_hour.show_bars(
            [f"{g['key']['hour']:02d}" for g in hours],
            {self.t("admin.stats.series.tickets"): [g["tickets"] for g in hours]},
        )
        services = by_service["groups"]
        self.waits.show_bars(
            [str(g["key"]["service"]) for g in services],
            {
                self.t("admin.stats.series.p50"): [g["wait_p50_min"] or 0 for g in services],
                self.t("admin.stats.series.p90"): [g["wait_p90_min"] or 0 for g in services],
            },
            self.t("admin.stats.minutes"),
        )
        q = by_service["estimate_quality"]
        self.errors.show_bars(
            [_bin_label(lo, hi) for lo, hi, _n in q["bins"]],
            {self.t("admin.stats.series.count"): [n for *_, n in q["bins"]]},
        )
        total = sum(g["tickets"] for g in services)
        share = q["within_range_share"]
        within = "—" if share is None else f"{share * 100:.0f}%"
        error = "—" if q["mean_error_min"] is None else f"{q['mean_error_min']:g}"
        self.summary.setText(self.t("admin.stats.summary", total=total, within=within, error=error))
        self.loaded.emit()

    # ------------------------------------------------------------------ CSV
    def ask_export(self, kind: str) -> None:
        first, last = self.days()
        suggested = f"madoguchi-{kind}-{first}_{last}.csv"
        path, _ = QFileDialog.getSaveFileName(self, self.t.export(kind), suggested, self.t("admin.stats.csv_filter"))
        if path:
            self.export_to(kind, Path(path))

    def export_to(self, kind: str, path: Path, done: Callable[[Path], None] | None = None) -> None:
        client, (first, last) = self.client, self.days()

        def fetch_and_write() -> Path:
            data = client.export_csv(kind, first, last)
            path.write_bytes(data)
            return path

        def ok(p: Path) -> None:
            self.exported.emit(str(p))
            if done is not None:
                done(p)

        run_task(fetch_and_write, ok, self._failed, parent=self)
