"""Statistics tab: a day range, charts (tickets per hour, waits per service, estimate errors), the service level
against its targets, per counter and per clerk (served, mean and p90 service time), every id shown by its name;
refreshed by itself while the range includes today; CSV and SQLite exports."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from madoguchi.apps.admin.charts import BarChart
from madoguchi.apps.admin.read_only_table import read_only_table
from madoguchi.apps.admin.texts import DATABASE_EXPORT_KINDS, EXPORT_KINDS, AdminTexts
from madoguchi.client.admin_client import AdminClient
from madoguchi.qt.tasks import run_task

log = logging.getLogger(__name__)


#: how often the figures refresh by themselves while the range includes today
AUTO_REFRESH_MS = 60_000
_MET, _MISSED = QColor("#c8f0c8"), QColor("#ffc8c8")


def _bin_label(lo: float | None, hi: float | None) -> str:
    # no "<": category labels are rich text
    return f"{'-∞' if lo is None else f'{lo:g}'}…{'∞' if hi is None else f'{hi:g}'}"


def _minutes(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


class StatsView(QWidget):
    loaded = Signal()
    exported = Signal(str)  # path written
    failed = Signal(str)

    def __init__(
        self,
        client: AdminClient,
        texts: AdminTexts,
        parent: QWidget | None = None,
        *,
        auto_refresh_ms: int = AUTO_REFRESH_MS,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.t = texts
        #: the hall day (set by the window): the figures refresh by themselves while the range reaches it
        self.hall_day: str | None = None
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
        self.auto = QCheckBox(texts("admin.stats.auto_refresh"))
        self.auto.setChecked(True)
        bar.addWidget(self.auto)
        bar.addStretch(1)
        layout.addLayout(bar)
        exports = QHBoxLayout()
        self.export_buttons: dict[str, QPushButton] = {}
        for kind in EXPORT_KINDS:
            b = QPushButton(texts("admin.stats.export", name=texts.export(kind)))
            b.clicked.connect(lambda _=False, k=kind: self.ask_export(k))
            self.export_buttons[kind] = b
            exports.addWidget(b)
        exports.addStretch(1)
        layout.addLayout(exports)
        databases = QHBoxLayout()  # a row of its own: one row of six is wider than the window in easy Japanese
        for kind in DATABASE_EXPORT_KINDS:
            b = QPushButton(texts("admin.stats.export_database", name=texts.database_export(kind)))
            b.setObjectName(f"export_database_{kind}")
            b.clicked.connect(lambda _=False, k=kind: self.ask_export_database(k))
            self.export_buttons[f"{kind}.sqlite"] = b
            databases.addWidget(b)
        databases.addStretch(1)
        layout.addLayout(databases)
        self.summary = QLabel("")
        self.summary.setObjectName("stats_summary")
        layout.addWidget(self.summary)
        self.pages = QTabWidget()
        charts = QWidget()
        grid = QGridLayout(charts)
        self.per_hour = BarChart(texts("admin.stats.chart.per_hour"))
        self.waits = BarChart(texts("admin.stats.chart.waits"))
        self.errors = BarChart(texts("admin.stats.chart.errors"))
        grid.addWidget(self.per_hour, 0, 0)
        grid.addWidget(self.waits, 0, 1)
        grid.addWidget(self.errors, 1, 0, 1, 2)
        self.pages.addTab(charts, texts("admin.stats.page.charts"))
        self.service_level = read_only_table(
            [
                texts("admin.stats.col.service"),
                texts("admin.stats.col.called"),
                texts("admin.stats.col.target"),
                texts("admin.stats.col.within"),
                texts("admin.stats.col.goal"),
                texts("admin.stats.col.wait_p90"),
            ]
        )
        self.service_level.setObjectName("service_level")
        self.pages.addTab(self.service_level, texts("admin.stats.page.service_level"))
        people = [
            texts("admin.stats.col.served"),
            texts("admin.stats.col.service_mean"),
            texts("admin.stats.col.service_p90"),
            texts("admin.stats.col.wait_mean"),
            texts("admin.stats.col.no_shows"),
        ]
        self.per_counter = read_only_table([texts("admin.stats.col.counter"), *people])
        self.per_counter.setObjectName("per_counter")
        self.pages.addTab(self.per_counter, texts("admin.stats.page.counters"))
        self.per_staff = read_only_table([texts("admin.stats.col.staff"), *people])
        self.per_staff.setObjectName("per_staff")
        self.pages.addTab(self.per_staff, texts("admin.stats.page.staff"))
        layout.addWidget(self.pages, 1)
        self.last: tuple[dict[str, Any], dict[str, Any]] | None = None
        #: per counter and per clerk, as the server grouped them
        self.breakdown: tuple[dict[str, Any], dict[str, Any]] | None = None
        self._auto_timer = QTimer(self)
        self._auto_timer.setInterval(auto_refresh_ms)
        self._auto_timer.timeout.connect(self._auto_refresh)
        self._auto_timer.start()
        self._loading = False

    # ------------------------------------------------------------------ names
    def service_name(self, service_id: str, names: dict[str, Any]) -> str:
        texts = (names.get("service") or {}).get(service_id)
        if isinstance(texts, dict):
            return str(texts.get(self.t.lang) or texts.get("ja") or service_id)
        return service_id

    def counter_name(self, counter: Any) -> str:
        return self.t("admin.live.counter_no", counter=counter) if counter is not None else "—"

    def staff_name(self, staff_id: Any, names: dict[str, Any]) -> str:
        return str((names.get("staff") or {}).get(staff_id, staff_id)) if staff_id is not None else "—"

    def _auto_refresh(self) -> None:
        if self.auto.isChecked() and not self._loading and self.isVisible():
            last = self.days()[1]
            if self.hall_day is None or last >= self.hall_day:
                self.refresh()

    def days(self) -> tuple[str, str]:
        return self.day_from.date().toString("yyyy-MM-dd"), self.day_to.date().toString("yyyy-MM-dd")

    def refresh(self) -> None:
        client, (first, last) = self.client, self.days()

        def fetch() -> tuple[dict[str, Any], ...]:
            return tuple(client.statistics(first, last, by=by) for by in ("hour", "service", "counter", "staff"))

        self.refresh_button.setEnabled(False)
        self._loading = True
        run_task(fetch, self._show, self._failed, parent=self)

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        self.refresh_button.setEnabled(True)
        code, said = self.t.cannot_load(exc)
        self.summary.setText(said)
        self.failed.emit(code)

    def _show(self, result: tuple[dict[str, Any], ...]) -> None:
        self._loading = False
        self.refresh_button.setEnabled(True)
        by_hour, by_service, by_counter, by_staff = result
        self.last = (by_hour, by_service)
        self.breakdown = (by_counter, by_staff)
        names = by_service.get("names") or {}
        hours = by_hour["groups"]
        self.per_hour.show_bars(
            [f"{g['key']['hour']:02d}" for g in hours],
            {self.t("admin.stats.series.tickets"): [g["tickets"] for g in hours]},
        )
        services = by_service["groups"]
        self.waits.show_bars(
            [self.service_name(str(g["key"]["service"]), names) for g in services],
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
        self._show_service_level(by_service, names)
        self._show_people(self.per_counter, by_counter["groups"], lambda g: self.counter_name(g["key"]["counter"]))
        self._show_people(self.per_staff, by_staff["groups"], lambda g: self.staff_name(g["key"]["staff"], names))
        self.loaded.emit()

    def _show_service_level(self, by_service: dict[str, Any], names: dict[str, Any]) -> None:
        goal = float(by_service.get("target_share") or 0)
        targets = by_service.get("targets") or {}
        groups = by_service["groups"]
        self.service_level.setRowCount(len(groups))
        for r, g in enumerate(groups):
            sid = str(g["key"]["service"])
            share = g.get("within_target_share")
            target = targets.get(sid)
            cells = (
                self.service_name(sid, names),
                str(g["called"]),
                self.t("admin.stats.minutes_value", minutes=target) if target is not None else "—",
                _share(share),
                _share(goal),
                _minutes(g.get("wait_p90_min")),
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if share is not None and c == 3:
                    item.setBackground(_MET if share >= goal else _MISSED)
                self.service_level.setItem(r, c, item)

    def _show_people(self, table: QTableWidget, groups: list[dict[str, Any]], name: Callable[[Any], str]) -> None:
        rows = [g for g in groups if g["called"]]
        table.setRowCount(len(rows))
        for r, g in enumerate(rows):
            cells = (
                name(g),
                str(g.get("served", 0)),
                _minutes(g.get("service_mean_min")),
                _minutes(g.get("service_p90_min")),
                _minutes(g.get("wait_mean_min")),
                str(g.get("no_shows", 0)),
            )
            for c, text in enumerate(cells):
                table.setItem(r, c, QTableWidgetItem(text))

    # ------------------------------------------------------------------ exports
    def ask_export_database(self, kind: str) -> None:
        first, last = self.days()
        suggested = f"madoguchi-{kind}-{first}_{last}.sqlite3"
        title = self.t.database_export(kind)
        path, _ = QFileDialog.getSaveFileName(self, title, suggested, self.t("admin.stats.sqlite_filter"))
        if path:
            self.export_database_to(kind, Path(path))

    def export_database_to(self, kind: str, path: Path, done: Callable[[Path], None] | None = None) -> None:
        client, (first, last) = self.client, self.days()

        def fetch_and_write() -> Path:
            path.write_bytes(client.export_database(kind, first, last))
            return path

        def ok(p: Path) -> None:
            self.exported.emit(str(p))
            if done is not None:
                done(p)

        run_task(fetch_and_write, ok, self._failed, parent=self)

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
