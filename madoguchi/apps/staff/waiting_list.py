"""Who waits for this counter, in the order Call next takes them, with their waits and marks; and the no-shows
that may still be put back (a late arrival). A clerk can call one of them here, or mark a priority need."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
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

from madoguchi.apps.staff.visit_route import position, step_mark
from madoguchi.core import api_models as m
from madoguchi.translations.catalog import translate

#: the needs a clerk may mark (``madoguchi.server.engine.PRIORITY_NEEDS``)
PRIORITY_NEEDS = ("wheelchair", "pregnancy", "infant", "health", "other")


def marks(t: m.WaitingTicket | m.TicketView, staff_name: Callable[[str], str] = str) -> str:
    """Which step of a visit (2/3), priority, reservation and "sent to" marks, in words."""
    out = []
    where = visit_step(t)
    if where is not None:
        out.append(step_mark(*where))
    if t.priority_need:
        need = t.priority_need if t.priority_need in PRIORITY_NEEDS else "other"
        out.append(translate("ja", "staff.mark.priority", need=translate("ja", f"staff.priority.{need}")))
    if t.reservation:
        out.append(translate("ja", "staff.mark.reservation"))
    if t.target_counter is not None:
        out.append(translate("ja", "staff.mark.for_counter", counter=str(t.target_counter)))
    if t.target_staff is not None:
        out.append(translate("ja", "staff.mark.for_staff", name=staff_name(t.target_staff)))
    return " ・ ".join(out)


def visit_step(t: m.WaitingTicket | m.TicketView) -> tuple[int, int] | None:
    """(step, steps) of a visit's ticket; None for a ticket of one procedure."""
    if isinstance(t, m.TicketView):
        return position(t.route)
    if t.step is not None and t.steps:
        return t.step, t.steps
    return None


def _table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    for c in range(len(columns) - 1):  # the figures fit their contents; the marks take the rest of the width
        header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(len(columns) - 1, QHeaderView.ResizeMode.Stretch)
    return table


class WaitingListPanel(QWidget):
    call_requested = Signal(int)  # ticket id
    priority_requested = Signal(int, object)  # ticket id, need or None
    put_back_requested = Signal(int)  # ticket id of a no-show

    def __init__(self, service_name: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service_name = service_name
        self.staff_name: Callable[[str], str] = str
        self.listing: m.WaitingList | None = None
        heading = QLabel(translate("ja", "staff.waiting.heading"))
        heading.setStyleSheet("font-weight: bold;")
        self.table = _table(
            [
                translate("ja", "staff.waiting.number"),
                translate("ja", "staff.queue.service"),
                translate("ja", "staff.waiting.waited"),
                translate("ja", "staff.waiting.marks"),
            ]
        )
        self.table.setObjectName("waiting_table")
        self.table.setAccessibleName(translate("ja", "staff.waiting.heading"))
        self.call_button = QPushButton(translate("ja", "staff.waiting.call_this"))
        self.call_button.setObjectName("call_selected")
        self.need_box = QComboBox()
        self.need_box.setAccessibleName(translate("ja", "staff.waiting.set_priority"))
        self.need_box.addItem(translate("ja", "staff.priority.none"), None)
        for need in PRIORITY_NEEDS:
            self.need_box.addItem(translate("ja", f"staff.priority.{need}"), need)
        self.priority_button = QPushButton(translate("ja", "staff.waiting.set_priority"))
        self.priority_button.setObjectName("set_priority")
        self.no_show_heading = QLabel(translate("ja", "staff.waiting.no_shows"))
        self.no_show_heading.setStyleSheet("font-weight: bold;")
        self.no_shows = _table(
            [
                translate("ja", "staff.waiting.number"),
                translate("ja", "staff.queue.service"),
                translate("ja", "staff.waiting.since_no_show"),
                translate("ja", "staff.waiting.marks"),
            ]
        )
        self.no_shows.setObjectName("no_show_table")
        self.no_shows.setMaximumHeight(100)
        self.put_back_button = QPushButton(translate("ja", "staff.put_back"))
        self.put_back_button.setObjectName("put_back")
        for b in (self.call_button, self.priority_button, self.put_back_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.call_button.clicked.connect(self._call)
        self.priority_button.clicked.connect(self._priority)
        self.put_back_button.clicked.connect(self._put_back)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.no_shows.itemSelectionChanged.connect(self._update_buttons)
        tools = QHBoxLayout()
        tools.addWidget(self.call_button)
        tools.addWidget(self.need_box)
        tools.addWidget(self.priority_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(tools)
        layout.addWidget(self.no_show_heading)
        layout.addWidget(self.no_shows)
        layout.addWidget(self.put_back_button)
        self._can_call = False
        self._usable = False
        self._update_buttons()

    def set_list(self, listing: m.WaitingList) -> None:
        selected = self.selected_id()
        self.listing = listing
        self._fill(self.table, listing.waiting, "staff.queue.minutes")
        self._fill(self.no_shows, listing.no_shows, "staff.waiting.minutes_ago")
        self.no_show_heading.setVisible(bool(listing.late_arrival_within_min))
        self.no_shows.setVisible(bool(listing.late_arrival_within_min))
        self.put_back_button.setVisible(bool(listing.late_arrival_within_min))
        if selected is not None:
            self.select(selected)
        self._update_buttons()

    def _fill(self, table: QTableWidget, rows: list[m.WaitingTicket], minutes_id: str) -> None:
        table.setRowCount(len(rows))
        for r, t in enumerate(rows):
            cells = (
                t.number,
                self.service_name(t.service_id),
                translate("ja", minutes_id, minutes=round(t.waited_min)),
                marks(t, self.staff_name),
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, t.id)
                table.setItem(r, c, item)

    def _selected(self, table: QTableWidget) -> int | None:
        rows = table.selectionModel().selectedRows()
        if not rows:
            return None
        item = table.item(rows[0].row(), 0)
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def selected_id(self) -> int | None:
        return self._selected(self.table)

    def select(self, ticket_id: int, *, no_show: bool = False) -> bool:
        table = self.no_shows if no_show else self.table
        for r in range(table.rowCount()):
            item = table.item(r, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == ticket_id:
                table.selectRow(r)
                return True
        return False

    def numbers(self) -> list[str]:
        return [item.text() for r in range(self.table.rowCount()) if (item := self.table.item(r, 0)) is not None]

    def set_usable(self, usable: bool, can_call: bool) -> None:
        self._usable, self._can_call = usable, can_call
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected_id() is not None
        self.call_button.setEnabled(self._usable and self._can_call and chosen)
        self.priority_button.setEnabled(self._usable and chosen)
        self.need_box.setEnabled(self._usable and chosen)
        self.put_back_button.setEnabled(self._usable and self._selected(self.no_shows) is not None)

    def _call(self) -> None:
        chosen = self.selected_id()
        if chosen is not None:
            self.call_requested.emit(chosen)

    def _priority(self) -> None:
        chosen = self.selected_id()
        if chosen is not None:
            self.priority_requested.emit(chosen, self.need_box.currentData())

    def _put_back(self) -> None:
        chosen = self._selected(self.no_shows)
        if chosen is not None:
            self.put_back_requested.emit(chosen)
