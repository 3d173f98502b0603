"""The staff console's working screen: the counter's state, queue and waiting list, current ticket, action
buttons with undo, alerts, scan, form, conversation."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from madoguchi.apps.staff.action_buttons import ActionButtons
from madoguchi.apps.staff.counter_state_bar import CounterStateBar
from madoguchi.apps.staff.current_ticket import CurrentTicketPanel
from madoguchi.apps.staff.form_sheet import FormSheet
from madoguchi.apps.staff.queue_panel import QueuePanel
from madoguchi.apps.staff.undo_bar import UndoBar
from madoguchi.apps.staff.waiting_list import WaitingListPanel, marks
from madoguchi.core import api_models as m
from madoguchi.qt.calls_panel import CallsPanel
from madoguchi.translations.catalog import translate


class CounterScreen(QWidget):
    def __init__(self, service_name: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service_name = service_name
        self.banner = QLabel(translate("ja", "staff.server_unreachable"))
        self.banner.setObjectName("unreachable_banner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setStyleSheet("background: #b00020; color: white; font-size: 18px; padding: 8px;")
        self.banner.hide()
        self.status = QLabel()
        self.status.setObjectName("status_line")
        self.status.setStyleSheet("color: #8a4b00; font-size: 15px;")
        self.state_bar = CounterStateBar()
        self.queue = QueuePanel(service_name)
        self.waiting = WaitingListPanel(service_name)
        self.current = CurrentTicketPanel(service_name)
        self.action_buttons = ActionButtons()
        self.undo_bar = UndoBar()
        #: where a visit's resident goes next, once the clerk has pressed Done on a step with more to come
        self.next_step = QLabel()
        self.next_step.setObjectName("next_step")
        self.next_step.setTextFormat(Qt.TextFormat.PlainText)
        self.next_step.setWordWrap(True)
        self.next_step.setStyleSheet(
            "background: #e3f2e5; color: #12361a; border: 2px solid #2e7d32; font-size: 17px; font-weight: bold;"
            " padding: 8px;"
        )
        self.next_step.hide()
        self.calls = CallsPanel(lambda msgid, **params: translate("ja", msgid, **params))
        self.calls.setMaximumHeight(120)
        self.alerts = self.calls.list
        self.scan_field = QLineEdit()
        self.scan_field.setObjectName("scan_field")
        self.scan_field.setPlaceholderText(translate("ja", "staff.scan.placeholder"))
        self.scanned_label = QLabel()
        self.scanned_label.setTextFormat(Qt.TextFormat.PlainText)
        self.scanned_label.setWordWrap(True)
        self.call_scanned = QPushButton(translate("ja", "staff.scan.call_here"))
        self.call_scanned.hide()
        # a no-show who came late, scanned at the counter: back in the queue by the hall's rule
        self.put_back_scanned = QPushButton(translate("ja", "staff.put_back"))
        self.put_back_scanned.setObjectName("put_back_scanned")
        self.put_back_scanned.hide()
        self.scanned_ticket: m.TicketView | None = None
        self.mini_button = QPushButton(translate("ja", "staff.mini_mode"))
        self.logout_button = QPushButton(translate("ja", "staff.logout"))
        self.form = FormSheet()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.form, translate("ja", "staff.form_data.heading"))

        left = QVBoxLayout()
        left.addWidget(self.queue, 1)
        left.addWidget(self.waiting, 4)
        alerts_heading = QLabel(translate("ja", "staff.alerts.heading"))
        alerts_heading.setStyleSheet("font-weight: bold;")
        left.addWidget(alerts_heading)
        left.addWidget(self.calls)
        left.addWidget(self.scan_field)
        left.addWidget(self.scanned_label)
        left.addWidget(self.call_scanned)
        left.addWidget(self.put_back_scanned)
        tools = QHBoxLayout()
        tools.addWidget(self.mini_button)
        tools.addWidget(self.logout_button)
        left.addLayout(tools)
        center = QVBoxLayout()
        center.addWidget(self.current)
        center.addWidget(self.action_buttons)
        center.addWidget(self.undo_bar)
        center.addWidget(self.next_step)
        center.addWidget(self.status)
        center.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(center, 4)
        body.addWidget(self.tabs, 5)
        self.status.setWordWrap(True)
        outer = QVBoxLayout(self)
        outer.addWidget(self.banner)
        outer.addWidget(self.state_bar)
        outer.addLayout(body, 1)

    def set_reachable(self, up: bool) -> None:
        self.banner.setVisible(not up)

    def add_alert(self, event: m.Event) -> None:
        self.calls.add_event(event)

    def show_scanned(self, ticket: m.TicketView | None) -> None:
        self.scanned_ticket = ticket
        if ticket is None:
            self.scanned_label.setText("")
            self.call_scanned.hide()
            self.put_back_scanned.hide()
            return
        state = translate("ja", f"staff.state.{ticket.state}")
        where = f" ・ {translate('ja', 'board.counter', counter=str(ticket.counter))}" if ticket.counter else ""
        extra = marks(ticket, self.current.staff_name)
        extra = f" ・ {extra}" if extra else ""
        text = f"{ticket.number} ・ {self.service_name(ticket.service_id)} ・ {state}{where}{extra}"
        if ticket.state == "no_show":
            text += "\n" + translate("ja", "staff.scan.late_arrival")
        self.scanned_label.setText(text)
        self.call_scanned.setVisible(ticket.state == "waiting")
        self.put_back_scanned.setVisible(ticket.state == "no_show")
