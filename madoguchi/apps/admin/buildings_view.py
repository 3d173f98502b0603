"""Several buildings in one tab: a tile per building (reachable or not, devices red and amber, alerts, waiting,
counters open) and each building's figures of the day with their sum.

Every building is asked on its own background task, so one out of reach (the link between buildings down) shows
as such while the others go on refreshing; its server goes on serving its own hall all the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from madoguchi.apps.admin.texts import AdminTexts
from madoguchi.client.admin_client import AdminClient
from madoguchi.client.buildings import (
    BuildingStatus,
    Figures,
    TicketLine,
    building_lines,
    client_for,
    figures_with_sum,
    poll_building,
)
from madoguchi.core.buildings import Building
from madoguchi.qt.scaled_font import set_scaled_font
from madoguchi.qt.tasks import run_task

REFRESH_MS = 5000
FIGURES_EVERY = 6  # figures (heavier: every ticket of the day) once per this many refreshes
_COLOURS = {"ok": "#c8f0c8", "amber": "#ffe08a", "red": "#ff9c9c", "unreachable": "#bdbdbd"}


class BuildingTile(QFrame):
    def __init__(self, texts: AdminTexts, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = texts
        self.building = name
        self.setObjectName(f"building-{name}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(260)
        layout = QVBoxLayout(self)
        self.name = QLabel(name)
        self.name.setWordWrap(True)
        set_scaled_font(self.name, 1.5, bold=True)
        self.link = QLabel()
        self.link.setObjectName("building_link")
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.alerts = QLabel()
        self.alerts.setWordWrap(True)
        for w in (self.name, self.link, self.body, self.alerts):
            w.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(w)
        self.status: BuildingStatus | None = None
        self.link.setText(self.t("admin.buildings.checking"))
        self.colour = "unreachable"
        #: when the building last answered (None: not since this console started)
        self.last_reached: float | None = None

    def show_status(self, status: BuildingStatus) -> None:
        t = self.t
        self.status = status
        if not status.reachable:
            self.colour = "unreachable"
            if self.last_reached is None:
                self.link.setText(t("admin.buildings.never_reached"))
            else:
                when = dt.datetime.fromtimestamp(self.last_reached).strftime("%H:%M:%S")
                self.link.setText(t("admin.buildings.unreachable", time=when))
            self.body.setText(t("admin.buildings.alone"))
            self.alerts.setText("")
        else:
            self.last_reached = status.checked_at
            self.colour = "red" if status.red else "amber" if status.amber else "ok"
            self.link.setText(t("admin.buildings.reachable", day=status.hall_day))
            self.body.setText(
                t(
                    "admin.buildings.body",
                    devices=status.devices,
                    red=status.red,
                    amber=status.amber,
                    waiting=status.waiting,
                    open=status.counters_open,
                    on_break=status.counters_break,
                )
            )
            lines = [f"{a['device']}: {t.problem(str(a['code']), str(a.get('message', '')))}" for a in status.alerts]
            self.alerts.setText("\n".join(lines[:6]) if lines else t("admin.buildings.no_alerts"))
        self.setStyleSheet(
            f"BuildingTile {{ background: {_COLOURS[self.colour]}; border: 1px solid #777; border-radius: 6px; }}"
        )


class BuildingsView(QWidget):
    refreshed = Signal(str)  # a building's name, after its answer (or its failure)
    figures_shown = Signal()

    def __init__(
        self,
        buildings: Sequence[Building],
        texts: AdminTexts,
        *,
        refresh_ms: int = REFRESH_MS,
        clients: dict[str, AdminClient] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.t = t = texts
        self.buildings = list(buildings)
        self.names = [b.label(t.lang) for b in self.buildings]
        self.clients = clients or {name: client_for(b) for name, b in zip(self.names, self.buildings, strict=True)}
        self.tiles: dict[str, BuildingTile] = {}
        self.statuses: dict[str, BuildingStatus] = {}
        self.lines: dict[str, list[TicketLine] | None] = {}
        self.figures: list[Figures] = []
        grid = QGridLayout()
        for i, name in enumerate(self.names):
            tile = BuildingTile(t, name)
            self.tiles[name] = tile
            grid.addWidget(tile, i // 3, i % 3)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        heading = QLabel(t("admin.buildings.figures"))
        heading.setStyleSheet("font-weight: 700;")
        layout.addWidget(heading)
        columns = ("building", "tickets", "called", "served", "wait_mean", "wait_p90", "service_p90", "within")
        self.table = QTableWidget(0, len(columns))
        self.table.setObjectName("buildings_figures")
        self.table.setHorizontalHeaderLabels([t(f"admin.buildings.col.{c}") for c in columns])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self._busy: set[str] = set()
        self._rounds = 0
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.refresh)
        self._show_figures()  # every building listed from the start, each "checking" until it answers

    def start(self) -> None:
        self._timer.start()
        self.refresh()

    def stop(self) -> None:
        self._timer.stop()

    def close_clients(self) -> None:
        for client in self.clients.values():
            client.close()

    def refresh(self) -> None:
        with_figures = self._rounds % FIGURES_EVERY == 0 or len(self.lines) < len(self.names)
        self._rounds += 1
        for name in self.names:
            if name in self._busy:
                continue  # still waiting for that building: never pile requests up on a slow link
            self._busy.add(name)
            client = self.clients[name]

            def ask(
                name: str = name, client: AdminClient = client
            ) -> tuple[BuildingStatus, list[TicketLine] | None, bool]:
                status = poll_building(name, client)
                lines: list[TicketLine] | None = None
                if status.reachable and with_figures:
                    try:
                        lines = building_lines(client, status.hall_day, status.hall_day)
                    except Exception:  # the building went away between the two questions
                        lines = None
                return status, lines, with_figures

            run_task(ask, self._answered, self._asking_failed(name), parent=self)

    def _asking_failed(self, name: str) -> Callable[[BaseException], None]:
        return lambda _exc: self._busy.discard(name)

    def _answered(self, result: tuple[BuildingStatus, list[TicketLine] | None, bool]) -> None:
        status, lines, with_figures = result
        self._busy.discard(status.name)
        self.statuses[status.name] = status
        self.tiles[status.name].show_status(status)
        if with_figures or not status.reachable:
            self.lines[status.name] = lines if status.reachable else None
            self._show_figures()
        self.refreshed.emit(status.name)

    def _show_figures(self) -> None:
        t = self.t
        per = [(name, self.lines.get(name)) for name in self.names]
        self.figures = figures_with_sum(per, t("admin.buildings.total"))
        self.table.setRowCount(len(self.figures))
        self.table.clearSpans()
        for r, f in enumerate(self.figures):
            if not f.reachable:
                # not asked yet (the console just started) is not out of reach
                why = "admin.buildings.not_in_total" if f.name in self.statuses else "admin.buildings.checking"
                cells = [f.name, t(why), "", "", "", "", "", ""]
            else:
                cells = [
                    f.name,
                    str(f.tickets),
                    str(f.called),
                    str(f.served),
                    "—" if f.wait_mean_min is None else f"{f.wait_mean_min:.1f}",
                    "—" if f.wait_p90_min is None else f"{f.wait_p90_min:.1f}",
                    "—" if f.service_p90_min is None else f"{f.service_p90_min:.1f}",
                    "—" if f.within_target_share is None else f"{f.within_target_share * 100:.0f}%",
                ]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
            if not f.reachable:  # the reason across the figures it stands for, not widening one column
                self.table.setSpan(r, 1, 1, len(cells) - 1)
        self.figures_shown.emit()
