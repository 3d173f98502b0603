"""The counter's state, and the buttons that change it: open, a break (with its reason), closed.

The state is the server's (``CounterQueue.state``): the wait estimates count only open counters, and the board
shows which counters are on a break or closed. Calling someone opens the counter again by itself.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from madoguchi.qt.scaled_font import set_scaled_font
from madoguchi.translations.catalog import translate

#: the break reasons a clerk chooses from (``madoguchi.server.counter_states.BREAK_REASONS``)
BREAK_REASONS = ("lunch", "rest", "meeting", "errand", "other")
_COLOURS = {"open": "#1b5e20", "break": "#8a4b00", "closed": "#5f6368"}


class CounterStateBar(QWidget):
    state_requested = Signal(str, object)  # state, break reason or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = "closed"
        self.reason: str | None = None
        self.label = QLabel()
        self.label.setObjectName("counter_state")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        set_scaled_font(self.label, 1.4, bold=True)
        self.open_button = QPushButton(translate("ja", "staff.counter.open"))
        self.open_button.setObjectName("state_open")
        self.reason_box = QComboBox()
        self.reason_box.setObjectName("break_reason")
        self.reason_box.setAccessibleName(translate("ja", "staff.counter.break_reason"))
        for r in BREAK_REASONS:
            self.reason_box.addItem(translate("ja", f"staff.break.{r}"), r)
        self.break_button = QPushButton(translate("ja", "staff.counter.break"))
        self.break_button.setObjectName("state_break")
        self.close_button = QPushButton(translate("ja", "staff.counter.close"))
        self.close_button.setObjectName("state_closed")
        for b in (self.open_button, self.break_button, self.close_button):
            b.setMinimumHeight(36)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the console (code reader, shortcuts)
        self.open_button.clicked.connect(lambda: self.state_requested.emit("open", None))
        self.break_button.clicked.connect(
            lambda: self.state_requested.emit("break", str(self.reason_box.currentData()))
        )
        self.close_button.clicked.connect(lambda: self.state_requested.emit("closed", None))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.open_button)
        row.addWidget(self.reason_box)
        row.addWidget(self.break_button)
        row.addWidget(self.close_button)
        self.set_state("closed", None)

    def text(self) -> str:
        if self.state == "break" and self.reason:
            state = translate(
                "ja", "staff.counter.on_break_because", reason=translate("ja", f"staff.break.{self.reason}")
            )
        else:
            state = translate("ja", f"staff.counter.state.{self.state}")
        return translate("ja", "staff.counter.state_line", state=state)

    def set_state(self, state: str, reason: str | None) -> None:
        self.state, self.reason = state, reason
        self.label.setText(self.text())
        colour = _COLOURS.get(state, "#5f6368")
        self.label.setStyleSheet(f"color: {colour};")
        self.open_button.setEnabled(state != "open")
        self.break_button.setEnabled(state != "break")
        self.close_button.setEnabled(state != "closed")

    def set_usable(self, usable: bool, has_ticket: bool) -> None:
        """Breaks and closing wait for the ticket in hand to be finished (the server says so too)."""
        self.open_button.setEnabled(usable and self.state != "open")
        self.break_button.setEnabled(usable and not has_ticket)
        self.reason_box.setEnabled(usable and not has_ticket)
        self.close_button.setEnabled(usable and not has_ticket and self.state != "closed")
