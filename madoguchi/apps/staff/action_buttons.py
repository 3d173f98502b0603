"""The big action buttons of the staff console, each with its keyboard shortcut written on it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from madoguchi.core import api_models as m
from madoguchi.qt.scaled_font import set_scaled_font
from madoguchi.translations.catalog import translate


@dataclass(frozen=True)
class ActionSpec:
    name: str
    msgid: str
    key: str
    #: ticket states in which the button makes sense (None: only when no ticket is active)
    states: frozenset[str] | None


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("call_next", "staff.call_next", "F1", None),
    ActionSpec("recall", "staff.recall", "F2", frozenset({"called"})),
    ActionSpec("start", "staff.start", "F3", frozenset({"called"})),
    ActionSpec("done", "staff.done", "F4", frozenset({"called", "serving"})),
    ActionSpec("no_show", "staff.no_show", "F5", frozenset({"called"})),
    ActionSpec("transfer", "staff.transfer", "F6", frozenset({"called", "serving"})),
    ActionSpec("cancel", "staff.cancel", "F8", frozenset({"called", "serving"})),
)


class ActionButtons(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        for i, spec in enumerate(ACTIONS):
            b = QPushButton(f"{translate('ja', spec.msgid)}\n[{spec.key}]")
            b.setObjectName(f"action_{spec.name}")
            b.setShortcut(QKeySequence(spec.key))
            b.setMinimumHeight(72)
            set_scaled_font(b, 1.5, bold=True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the console (code reader, shortcuts)
            colour = "background: #1565c0; color: white;" if spec.name == "call_next" else ""
            b.setStyleSheet(
                f"QPushButton {{ {colour} }}QPushButton:disabled {{ background: #d6d6d6; color: #8a8a8a; }}"
            )
            self.buttons[spec.name] = b
            if spec.name == "call_next":
                grid.addWidget(b, 0, 0, 1, 2)
            else:
                grid.addWidget(b, 1 + (i - 1) // 2, (i - 1) % 2)

    def update_enabled(self, current: m.TicketView | None, *, usable: bool) -> None:
        for spec in ACTIONS:
            if spec.states is None:
                ok = current is None
            else:
                ok = current is not None and current.state in spec.states
            self.buttons[spec.name].setEnabled(usable and ok)
