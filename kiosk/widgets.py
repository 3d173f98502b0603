"""Small building blocks shared by the screens: big buttons, labels with a role, the numeric pad."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget


def big_button(text: str = "", kind: str = "secondary", on_click: Callable[[], None] | None = None) -> QPushButton:
    button = QPushButton(text)
    button.setProperty("kind", kind)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    if on_click is not None:
        button.clicked.connect(on_click)
    return button


def text_label(text: str = "", role: str = "", center: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        label.setProperty("role", role)
    if center:
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class RichButton(QPushButton):
    """A big button holding several wrapped lines in different styles (a QPushButton cannot wrap text)."""

    def __init__(self, roles: tuple[str, ...] = ("strong", "small", "strong"), icon: QWidget | None = None) -> None:
        super().__init__()
        self.setProperty("kind", "service")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 16, 6)
        row.setSpacing(12)
        if icon is not None:
            row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        box = QVBoxLayout()
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        row.addLayout(box, 1)
        self.lines: list[QLabel] = []
        for role in roles:
            label = text_label(role=role)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            box.addWidget(label)
            self.lines.append(label)

    def set_lines(self, *texts: str) -> None:
        for label, text in zip(self.lines, texts + ("",) * len(self.lines), strict=False):
            label.setText(text)
            label.setVisible(bool(text))
        self.setAccessibleName(" ".join(t for t in texts if t))

    def text(self) -> str:
        return "\n".join(label.text() for label in self.lines if label.text())

    def sizeHint(self):  # type: ignore[no-untyped-def]
        return self.layout().sizeHint()

    def minimumSizeHint(self):  # type: ignore[no-untyped-def]
        return self.layout().minimumSize()


class NumberPad(QWidget):
    """Digits 1-9, then "clear", 0, "delete": the same fixed layout every time (no scrambling for the PIN)."""

    digit = Signal(str)
    delete = Signal()
    clear_all = Signal()

    LAYOUT = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "⌫")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setSpacing(16)
        self.keys: dict[str, QPushButton] = {}
        for i, key in enumerate(self.LAYOUT):
            button = big_button(key, "key")
            button.setAccessibleName({"C": "clear", "⌫": "delete"}.get(key, key))
            button.clicked.connect(lambda _=False, k=key: self._pressed(k))
            grid.addWidget(button, i // 3, i % 3)
            self.keys[key] = button

    def _pressed(self, key: str) -> None:
        if key == "C":
            self.clear_all.emit()
        elif key == "⌫":
            self.delete.emit()
        else:
            self.digit.emit(key)
