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

from admin_console.charts import BarChart
from admin_console.texts import EXPORTS
from qt_common.tasks import run_task
from queueing.admin_client import AdminClient

log = logging.getLogger(__name__)


def _bin_label(lo: float | None, hi: float | None) -> str:
    # no "<": category labels are rich text
    return f"{'-∞' if lo is None else f'{lo:g}'}…{'∞' if hi is None else f'{hi:g}'}"


class StatsView(QWidget):
    loaded = Signal()
    exported = Signal(str)  # path written
    failed = Signal(str)

    def __init__(self, client: AdminClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        today = QDate.currentDate()
        self.day_from = QDateEdit(today)
        self.day_to = QDateEdit(today)
        for w in (self.day_from, self.day_to):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
        self.refresh_button = QPushButton("更新 / Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        bar.addWidget(QLabel("期間 / Days"))
        bar.addWidget(self.day_from)
        bar.addWidget(QLabel("–"))
        bar.addWidget(self.day_to)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        self.export_buttons: dict[str, QPushButton] = {}
        for kind, label in EXPORTS.items():
            b = QPushButton(f"CSV: {label}")
            b.clicked.connect(lambda _=False, k=kind: self.ask_export(k))
            self.export_buttons[kind] = b
            bar.addWidget(b)
        layout.addLayout(bar)
        self.summary = QLabel("")
        layout.addWidget(self.summary)
        grid = QGridLayout()
        self.per_hour = BarChart("時間帯別の発券数 / Tickets per hour")
        self.waits = BarChart("窓口業務別の待ち時間 / Wait per service (min)")
        self.errors = BarChart("待ち時間予測の誤差 / Estimate error (real − estimate, min)")
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
        text = getattr(exc, "message_id", type(exc).__name__)
        self.summary.setText(f"取得できません / Cannot load: {text}")
        self.failed.emit(str(text))

    def _show(self, result: tuple[dict[str, Any], dict[str, Any]]) -> None:
        self.refresh_button.setEnabled(True)
        self.last = result
        by_hour, by_service = result
        hours = by_hour["groups"]
        self.per_hour.show_bars(
            [f"{g['key']['hour']:02d}" for g in hours], {"発券 / Tickets": [g["tickets"] for g in hours]}
        )
        services = by_service["groups"]
        self.waits.show_bars(
            [str(g["key"]["service"]) for g in services],
            {
                "p50": [g["wait_p50_min"] or 0 for g in services],
                "p90": [g["wait_p90_min"] or 0 for g in services],
            },
            "min",
        )
        q = by_service["estimate_quality"]
        self.errors.show_bars(
            [_bin_label(lo, hi) for lo, hi, _n in q["bins"]], {"件数 / Tickets": [n for *_, n in q["bins"]]}
        )
        total = sum(g["tickets"] for g in services)
        share = q["within_range_share"]
        within = "—" if share is None else f"{share * 100:.0f}%"
        self.summary.setText(
            f"発券 {total} 件 / {total} tickets · 予測範囲内 / within estimate range: {within} "
            f"· 平均誤差 / mean error: {q['mean_error_min'] if q['mean_error_min'] is not None else '—'} min"
        )
        self.loaded.emit()

    # ------------------------------------------------------------------ CSV
    def ask_export(self, kind: str) -> None:
        first, last = self.days()
        suggested = f"madoguchi-{kind}-{first}_{last}.csv"
        path, _ = QFileDialog.getSaveFileName(self, EXPORTS[kind], suggested, "CSV (*.csv)")
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
