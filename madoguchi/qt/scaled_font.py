"""Emphasised text sized relative to the application font, so the desktop's large-text setting enlarges it too
(a stylesheet's ``font-size: 18px`` would stay 18 px while everything around it grows)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget


def set_scaled_font(widget: QWidget, scale: float, *, bold: bool = False) -> None:
    """``widget``'s font: the application font times ``scale`` (1.5 ≈ 18 px on a 9 pt desktop)."""
    font = QApplication.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    widget.setFont(font)
