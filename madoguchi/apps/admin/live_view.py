"""The hall now: every procedure's queue (waiting, the longest wait, the estimate a new ticket gets) and every
counter (open, on a break and why, closed; who is logged in; the number at it). Refreshed on the event stream's
ticket and counter events and every few seconds."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from madoguchi.apps.admin.read_only_table import read_only_table
from madoguchi.apps.admin.texts import AdminTexts
from madoguchi.client.admin_client import AdminClient
from madoguchi.core import api_models as m
from madoguchi.qt.scaled_font import set_scaled_font
from madoguchi.qt.tasks import run_task

#: how long to gather events before asking again (a busy hall sends several a second)
DEBOUNCE_MS = 400
STATE_COLOURS = {"open": QColor("#c8f0c8"), "break": QColor("#ffe08a"), "closed": QColor("#dddddd")}


class LiveView(QWidget):
    loaded = Signal()

    def __init__(
        self,
        client: AdminClient,
        texts: AdminTexts,
        service_name: Callable[[str], str],
        *,
        refresh_ms: int = 5000,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.t = t = texts
        self.service_name = service_name
        self.last: m.HallNow | None = None
        self.summary = QLabel("")
        self.summary.setObjectName("live_summary")
        set_scaled_font(self.summary, 1.35, bold=True)
        self.services = read_only_table(
            [
                t("admin.live.service"),
                t("admin.live.waiting"),
                t("admin.live.oldest"),
                t("admin.live.estimate"),
                t("admin.live.open_now"),
            ]
        )
        self.services.setObjectName("live_services")
        self.counters = read_only_table(
            [t("admin.live.counter"), t("admin.live.state"), t("admin.live.staff"), t("admin.live.current")]
        )
        self.counters.setObjectName("live_counters")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        heading = QLabel(t("admin.live.services_heading"))
        heading.setStyleSheet("font-weight: 700;")
        layout.addWidget(heading)
        layout.addWidget(self.services, 1)
        heading = QLabel(t("admin.live.counters_heading"))
        heading.setStyleSheet("font-weight: 700;")
        layout.addWidget(heading)
        layout.addWidget(self.counters, 1)
        self._busy = False
        self._again = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self._timer.start()
        self.refresh()

    def stop(self) -> None:
        self._timer.stop()
        self._debounce.stop()

    def on_event(self, event: m.Event) -> None:
        if event.type.startswith("ticket.") or event.type in ("counter.state", "day.rolled"):
            self._debounce.start()

    def refresh(self) -> None:
        if self._busy:
            self._again = True
            return
        self._busy = True
        run_task(self.client.live, self._show, self._failed, parent=self)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.summary.setText(self.t("admin.live.unreachable"))

    def _show(self, now: m.HallNow) -> None:
        self._busy = False
        self.last = now
        t = self.t
        self.services.setRowCount(len(now.services))
        for r, s in enumerate(now.services):
            est = s.estimate
            # a procedure closed now issues no ticket: no estimate to give
            estimate = t("admin.live.range", low=round(est.low_min), high=round(est.high_min)) if s.open_now else "—"
            cells = (
                self.service_name(s.id),
                str(s.waiting),
                t("admin.live.minutes", minutes=round(s.oldest_wait_min)) if s.waiting else "—",
                estimate,
                t("admin.live.yes") if s.open_now else t("admin.live.no"),
            )
            for c, text in enumerate(cells):
                self.services.setItem(r, c, QTableWidgetItem(text))
        self.counters.setRowCount(len(now.counters))
        for r, k in enumerate(now.counters):
            state = t(f"admin.counter_state.{k.state}")
            if k.state == "break" and k.reason:
                state = t("admin.live.break_because", state=state, reason=t(f"admin.break.{k.reason}"))
            row = (t("admin.live.counter_no", counter=k.number), state, ", ".join(k.staff), k.current or "—")
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setBackground(STATE_COLOURS.get(k.state, STATE_COLOURS["closed"]))
                item.setData(Qt.ItemDataRole.UserRole, k.state)
                self.counters.setItem(r, c, item)
        states = [k.state for k in now.counters]
        self.summary.setText(
            t(
                "admin.live.summary",
                waiting=sum(s.waiting for s in now.services),
                open=states.count("open"),
                on_break=states.count("break"),
                closed=states.count("closed"),
                time=now.at[11:16],
            )
        )
        self.loaded.emit()
        if self._again:
            self._again = False
            self._debounce.start()

    def state_of(self, counter: int) -> str | None:
        if self.last is None:
            return None
        return next((k.state for k in self.last.counters if k.number == counter), None)
