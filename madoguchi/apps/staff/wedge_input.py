"""USB code readers that act as a keyboard: collect a burst of keys ending in Enter as one scanned line.

Installed as an event filter on the staff console; keys are taken only while no text field has focus, so typing a
phrase or a password is never swallowed. A camera scanner can feed ``line_scanned`` the same way.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit

_TEXT_WIDGETS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox, QComboBox)
MAX_LINE = 512


class WedgeCollector(QObject):
    line_scanned = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._buffer: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if isinstance(QApplication.focusWidget(), _TEXT_WIDGETS):
            return False
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not self._buffer:
                return False
            line, self._buffer = "".join(self._buffer), []
            self.line_scanned.emit(line)
            return True
        text = event.text()
        if (
            text
            and text.isprintable()
            and not event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        ):
            if len(self._buffer) < MAX_LINE:
                self._buffer.append(text)
            return True
        return False
