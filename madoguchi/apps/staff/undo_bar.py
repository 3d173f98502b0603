"""A no-show or a cancel just done, with a few seconds to take it back (Ctrl+Z)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from madoguchi.core import api_models as m
from madoguchi.qt.scaled_font import set_scaled_font
from madoguchi.translations.catalog import translate


class UndoBar(QFrame):
    undo_requested = Signal(int)  # ticket id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undo_bar")
        self.setStyleSheet("QFrame#undo_bar { background: #fff3cd; border: 1px solid #8a6d00; border-radius: 4px; }")
        self.ticket: m.TicketView | None = None
        self.remaining = 0
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        set_scaled_font(self.label, 1.35)
        self.button = QPushButton(translate("ja", "staff.undo") + " [Ctrl+Z]")
        self.button.setObjectName("undo")
        self.button.setShortcut(QKeySequence("Ctrl+Z"))
        self.button.setMinimumHeight(40)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self._undo)
        row = QHBoxLayout(self)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self._action = ""
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self.hide()

    def offer(self, ticket: m.TicketView, action: str, seconds: int) -> None:
        self.ticket, self._action, self.remaining = ticket, action, seconds
        self._show_text()
        self.button.setEnabled(True)
        self.show()
        self._timer.start()

    def _show_text(self) -> None:
        if self.ticket is None:
            return
        done = translate("ja", f"staff.undo.{self._action}", number=self.ticket.number)
        self.label.setText(f"{done}  {translate('ja', 'staff.undo.seconds_left', seconds=self.remaining)}")

    def _tick(self) -> None:
        self.remaining -= 1
        if self.remaining <= 0:
            self.withdraw()
            return
        self._show_text()

    def _undo(self) -> None:
        if self.ticket is not None and self.isVisible():
            self.undo_requested.emit(self.ticket.id)
            self.withdraw()

    def withdraw(self) -> None:
        self._timer.stop()
        self.ticket = None
        self.hide()
