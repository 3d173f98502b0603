"""The route of the ticket in hand (a visit of several procedures): every step numbered, its procedure and where it
stands (done, and at which counter; now; to come; skipped; taken off); and the clerk's tools to add a procedure
(next or at the end) or take off one still to come. Shown for every ticket in hand: adding a step makes a
one-procedure ticket a visit."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from madoguchi.core import api_models as m
from madoguchi.translations.catalog import translate

#: the look of a step by its state: text colour, background (None: the table's), bold, struck out
#: (every colour pair keeps a contrast of 4.5:1 or more, WCAG 2.1 AA)
_LOOK: dict[str, tuple[str, str | None, bool, bool]] = {
    "done": ("#1b5e20", None, False, False),
    "current": ("#0d3c78", "#dbe9fb", True, False),
    "pending": ("#202020", None, False, False),
    "skipped": ("#5f5f5f", None, False, True),
    "dropped": ("#5f5f5f", None, False, True),
}
_SIGN = {"done": "✓", "current": "▶", "pending": "・", "skipped": "–", "dropped": "×"}


def state_text(step: m.RouteStep) -> str:
    if step.state == "done" and step.counter is not None:
        return translate("ja", "staff.route.done_at", counter=str(step.counter))
    return translate("ja", f"staff.route.state.{step.state}")


class RoutePanel(QObject):
    """Two pieces the current-ticket panel places: ``steps`` (heading and the steps, beside the number) and
    ``tools`` (a row under both: add a procedure, take one off)."""

    #: service id, position among the steps to come (0 = next) or None (at the end)
    add_requested = Signal(str, object)
    remove_requested = Signal(str)  # service id of a step still to come

    def __init__(self, service_name: Callable[[str], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.steps = QWidget()
        self.steps.setObjectName("route_steps")
        self.tools = QWidget()
        self.tools.setObjectName("route_tools")
        self.service_name = service_name
        self.route: list[m.RouteStep] = []
        self.services: list[str] = []
        #: the procedure of the ticket in hand (a one-procedure ticket has no route yet)
        self._service_now: str | None = None
        self.heading = QLabel(translate("ja", "staff.route.heading"))
        self.heading.setObjectName("route_heading")
        self.heading.setStyleSheet("font-weight: bold;")
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("route_table")
        self.table.setAccessibleName(translate("ja", "staff.route.heading"))
        self.table.setHorizontalHeaderLabels(
            [
                translate("ja", "staff.route.col.step"),
                translate("ja", "staff.route.col.procedure"),
                translate("ja", "staff.route.col.state"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.table.verticalHeader().hide()
        # compact rows: a route of six steps stays in view beside the number
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.service_choice = QComboBox()
        self.service_choice.setObjectName("route_service_choice")
        self.service_choice.setAccessibleName(translate("ja", "staff.route.choose"))
        self.add_next = QPushButton(translate("ja", "staff.route.add_next"))
        self.add_next.setObjectName("route_add_next")
        self.add_last = QPushButton(translate("ja", "staff.route.add_last"))
        self.add_last.setObjectName("route_add_last")
        self.remove = QPushButton(translate("ja", "staff.route.remove"))
        self.remove.setObjectName("route_remove")
        for b in (self.add_next, self.add_last, self.remove):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the console (code reader, shortcuts)
        self.add_next.clicked.connect(lambda: self._add(0))
        self.add_last.clicked.connect(lambda: self._add(None))
        self.remove.clicked.connect(self._remove)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        choose = QLabel(translate("ja", "staff.route.choose"))
        choose.setBuddy(self.service_choice)
        adding = QHBoxLayout(self.tools)
        adding.setContentsMargins(0, 0, 0, 0)
        adding.addWidget(choose)
        adding.addWidget(self.service_choice, 1)
        adding.addWidget(self.add_next)
        adding.addWidget(self.add_last)
        adding.addWidget(self.remove)
        layout = QVBoxLayout(self.steps)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)
        layout.addStretch(1)
        self._usable = False
        self.set_route(None)

    def set_services(self, services: list[m.ServiceInfo]) -> None:
        """The hall's procedures a clerk may add (all of them; the server refuses one twice on the route)."""
        self.services = [s.id for s in services]
        self._fill_choice()

    def _fill_choice(self) -> None:
        chosen = self.service_choice.currentData()
        on_route = {s.service_id for s in self.route if s.state in ("current", "pending")}
        if self._service_now:
            on_route.add(self._service_now)
        self.service_choice.clear()
        for sid in self.services:
            if sid not in on_route:
                self.service_choice.addItem(self.service_name(sid), sid)
        index = self.service_choice.findData(chosen)
        if index >= 0:
            self.service_choice.setCurrentIndex(index)

    def set_route(self, ticket: m.TicketView | None) -> None:
        selected = self.selected_service()
        self.route = list(ticket.route) if ticket is not None else []
        self._service_now = ticket.service_id if ticket is not None else None
        self.tools.setVisible(ticket is not None)
        self.steps.setVisible(bool(self.route))
        self.remove.setVisible(bool(self.route))  # a ticket of one procedure has nothing to take off
        self.table.setRowCount(len(self.route))
        for r, step in enumerate(self.route):
            colour, background, bold, struck = _LOOK.get(step.state, _LOOK["pending"])
            cells = (str(r + 1), self.service_name(step.service_id), f"{_SIGN.get(step.state, '')} {state_text(step)}")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, step.service_id)
                item.setForeground(QBrush(QColor(colour)))
                if background is not None:
                    item.setBackground(QBrush(QColor(background)))
                font = QFont(item.font())
                font.setBold(bold)
                font.setStrikeOut(struck)
                item.setFont(font)
                self.table.setItem(r, c, item)
        self._fit_rows()
        self._fill_choice()
        if selected is not None:
            for r, step in enumerate(self.route):
                if step.service_id == selected and step.state == "pending":
                    self.table.selectRow(r)
        self._update_buttons()

    def _fit_rows(self) -> None:
        """Every step in view without scrolling (a route has a handful)."""
        t = self.table
        rows_height = sum(t.rowHeight(r) for r in range(t.rowCount()))
        t.setFixedHeight(t.horizontalHeader().sizeHint().height() + rows_height + 2 * t.frameWidth())

    def selected_service(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.route):
            return None
        return self.route[rows[0].row()].service_id

    def select(self, service_id: str) -> bool:
        for r, step in enumerate(self.route):
            if step.service_id == service_id:
                self.table.selectRow(r)
                return True
        return False

    def states(self) -> list[tuple[str, str]]:
        """(service id, state) per step, as shown."""
        return [(s.service_id, s.state) for s in self.route]

    def set_usable(self, usable: bool) -> None:
        self._usable = usable
        self._update_buttons()

    def _removable(self) -> bool:
        rows = self.table.selectionModel().selectedRows()
        return bool(rows) and rows[0].row() < len(self.route) and self.route[rows[0].row()].state == "pending"

    def _update_buttons(self) -> None:
        can_add = self._usable and self.service_choice.count() > 0
        self.add_next.setEnabled(can_add)
        self.add_last.setEnabled(can_add)
        self.service_choice.setEnabled(can_add)
        self.remove.setEnabled(self._usable and self._removable())

    def _add(self, at: int | None) -> None:
        service = self.service_choice.currentData()
        if service is not None:
            self.add_requested.emit(str(service), at)

    def _remove(self) -> None:
        if self._removable():
            service = self.selected_service()
            if service is not None:
                self.remove_requested.emit(service)
