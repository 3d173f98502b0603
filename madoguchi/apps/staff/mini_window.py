"""Always-on-top mini mode: the current number and Call next, for counters with little screen room."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from madoguchi.core import api_models as m
from madoguchi.translations.catalog import translate


class MiniWindow(QWidget):
    expand_requested = Signal()

    def __init__(self, call_next_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle(translate("ja", "staff.mini_mode"))
        self.number = QLabel("—")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setStyleSheet("font-size: 40px; font-weight: bold;")
        self.banner = QLabel(translate("ja", "staff.server_unreachable"))
        self.banner.setStyleSheet("background: #b00020; color: white; padding: 4px;")
        self.banner.hide()
        self.call_next = QPushButton(call_next_text)
        self.call_next.setMinimumHeight(56)
        self.call_next.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.expand = QPushButton("⤢")
        self.expand.setToolTip(translate("ja", "staff.full_mode"))
        self.expand.clicked.connect(self.expand_requested.emit)
        row = QHBoxLayout()
        row.addWidget(self.call_next, 1)
        row.addWidget(self.expand)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.number)
        layout.addLayout(row)
        self.resize(260, 160)

    def set_current(self, ticket: m.TicketView | None) -> None:
        self.number.setText(ticket.number if ticket else "—")

    def set_reachable(self, up: bool) -> None:
        self.banner.setVisible(not up)
