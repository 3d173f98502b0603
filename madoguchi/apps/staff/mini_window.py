"""Always-on-top mini mode for counters with little screen room: the current number (and which step of a visit),
the main actions, each with the same key as on the full console (F1 call next, F2 recall, F4 done, F5 no-show),
and after Done on a visit's step, where the resident goes next."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from madoguchi.apps.staff.visit_route import position, step_mark
from madoguchi.core import api_models as m
from madoguchi.qt.scaled_font import set_scaled_font
from madoguchi.translations.catalog import translate

#: (name, message id, key, states the button makes sense in; None: only with no ticket)
MINI_ACTIONS: tuple[tuple[str, str, str, frozenset[str] | None], ...] = (
    ("call_next", "staff.call_next", "F1", None),
    ("recall", "staff.recall", "F2", frozenset({"called"})),
    ("done", "staff.done", "F4", frozenset({"called", "serving"})),
    ("no_show", "staff.no_show", "F5", frozenset({"called"})),
)


class MiniWindow(QWidget):
    expand_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle(translate("ja", "staff.mini_mode"))
        self.number = QLabel("—")
        self.number.setObjectName("mini_number")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_scaled_font(self.number, 3.3, bold=True)
        self.banner = QLabel(translate("ja", "staff.server_unreachable"))
        self.banner.setStyleSheet("background: #b00020; color: white; padding: 4px;")
        self.banner.hide()
        self.state = QLabel()
        self.state.setObjectName("mini_state")
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.step = QLabel()
        self.step.setObjectName("mini_step")
        self.step.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.step.hide()
        self.next_step = QLabel()
        self.next_step.setObjectName("mini_next_step")
        self.next_step.setTextFormat(Qt.TextFormat.PlainText)
        self.next_step.setWordWrap(True)
        self.next_step.setStyleSheet("background: #e3f2e5; color: #12361a; font-weight: bold; padding: 4px;")
        self.next_step.hide()
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for i, (name, msgid, key, _states) in enumerate(MINI_ACTIONS):
            b = QPushButton(f"{translate('ja', msgid)} [{key}]")
            b.setObjectName(f"mini_{name}")
            # the window's own shortcut: the full console's buttons are hidden while this one shows
            b.setShortcut(QKeySequence(key))
            b.setMinimumHeight(48)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            set_scaled_font(b, 1.35, bold=True)
            self.buttons[name] = b
            grid.addWidget(b, i // 2, i % 2)
        self.call_next = self.buttons["call_next"]
        self.expand = QPushButton("⤢ " + translate("ja", "staff.full_mode"))
        self.expand.setObjectName("mini_expand")
        self.expand.clicked.connect(self.expand_requested.emit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.number)
        layout.addWidget(self.step)
        layout.addWidget(self.state)
        layout.addWidget(self.next_step)
        layout.addLayout(grid)
        layout.addWidget(self.expand)
        self.resize(340, 260)

    def set_current(self, ticket: m.TicketView | None) -> None:
        self.number.setText(ticket.number if ticket else "—")
        where = position(ticket.route) if ticket is not None else None
        self.step.setText(step_mark(*where) if where else "")
        self.step.setVisible(where is not None)
        if ticket is not None:
            self.next_step.hide()  # the next resident is here

    def show_next_step(self, text: str) -> None:
        """Where a visit's resident goes next (after Done on a step with more to come)."""
        self.next_step.setText(text)
        self.next_step.show()

    def set_state_text(self, text: str) -> None:
        self.state.setText(text)

    def update_enabled(self, current: m.TicketView | None, *, usable: bool) -> None:
        for name, _msgid, _key, states in MINI_ACTIONS:
            ok = current is None if states is None else current is not None and current.state in states
            self.buttons[name].setEnabled(usable and ok)

    def set_reachable(self, up: bool) -> None:
        self.banner.setVisible(not up)
