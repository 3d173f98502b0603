"""Kiosk mode: full screen, no decorations, always on top, no cursor. The only way out is the admin exit
(long-press on the hall name, then the admin PIN); closing by keyboard shortcut is refused by the window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QWidget


def enter_kiosk_mode(window: QWidget) -> None:
    window.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
    window.setCursor(QCursor(Qt.CursorShape.BlankCursor))
    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
    window.showFullScreen()
