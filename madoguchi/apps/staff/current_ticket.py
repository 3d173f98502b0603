"""The ticket being served: number, service, language, state, its marks (priority, reservation, sent to this
counter or clerk, which step of a visit), a running timer since it was called, and a visit's whole route."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from madoguchi.apps.staff.route_panel import RoutePanel
from madoguchi.apps.staff.waiting_list import marks
from madoguchi.core import api_models as m
from madoguchi.translations.catalog import translate
from madoguchi.translations.languages import codes, language


def language_name(code: str) -> str:
    if code not in codes():
        return code
    return language(code).native_name


class CurrentTicketPanel(QWidget):
    def __init__(self, service_name: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service_name = service_name
        self.staff_name: Callable[[str], str] = str
        self.ticket: m.TicketView | None = None
        self.number = QLabel()
        self.number.setObjectName("current_number")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setStyleSheet("font-size: 64px; font-weight: bold;")
        self.details = QLabel()
        self.details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details.setStyleSheet("font-size: 16px;")
        #: priority, reservation and "sent to" marks, where the clerk looks first
        self.marks = QLabel()
        self.marks.setObjectName("current_marks")
        self.marks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.marks.setWordWrap(True)
        self.marks.setStyleSheet("font-size: 16px; font-weight: bold; color: #8a1c00;")
        self.timer = QLabel()
        self.timer.setObjectName("current_timer")
        self.timer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.timer.setStyleSheet("font-size: 28px; font-family: monospace;")
        self.route = RoutePanel(service_name, self)
        layout = QVBoxLayout(self)
        heading = QLabel(translate("ja", "staff.current.heading"))
        heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(heading)
        ticket = QVBoxLayout()
        ticket.addWidget(self.number)
        ticket.addWidget(self.details)
        ticket.addWidget(self.marks)
        ticket.addWidget(self.timer)
        ticket.addStretch(1)
        beside = QHBoxLayout()  # a visit's route beside the number: the panel stays as tall as without one
        beside.addLayout(ticket, 2)
        beside.addWidget(self.route.steps, 3)
        layout.addLayout(beside)
        layout.addWidget(self.route.tools)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_timer)
        self.set_ticket(None)

    def set_ticket(self, ticket: m.TicketView | None) -> None:
        self.ticket = ticket
        self.route.set_route(ticket)
        if ticket is None:
            self.number.setText("—")
            self.details.setText(translate("ja", "staff.no_current"))
            self.marks.setText("")
            self.timer.setText("")
            self._tick.stop()
            return
        self.number.setText(ticket.number)
        state = translate("ja", f"staff.state.{ticket.state}")
        lang = language_name(ticket.language)
        recalls = f" ・ {translate('ja', 'staff.recalls', count=ticket.recalls)}" if ticket.recalls else ""
        # beside a route, two lines of their own (a wrapped label is squeezed by the layout)
        joint = "\n" if ticket.route else " ・ "
        self.details.setText(f"{self.service_name(ticket.service_id)}{joint}{lang} ・ {state}{recalls}")
        self.marks.setText(marks(ticket, self.staff_name))
        self._update_timer()
        self._tick.start()

    def _update_timer(self) -> None:
        t = self.ticket
        if t is None or not t.called_at:
            self.timer.setText("")
            return
        try:
            called = dt.datetime.fromisoformat(t.called_at)
        except ValueError:
            return
        seconds = max(0, int((dt.datetime.now(called.tzinfo) - called).total_seconds()))
        self.timer.setText(f"{seconds // 60:02d}:{seconds % 60:02d}")
