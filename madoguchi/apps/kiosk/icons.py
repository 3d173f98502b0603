"""Simple pictograms for the procedure buttons, drawn with QPainter (no image files, no emoji font needed).

One shape per ``Service.icon`` name from hall.toml; an unknown name gets the document. Drawn in the button's
text colour, so high contrast mode needs nothing extra.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QWidget


def _document(p: QPainter, r: QRectF) -> None:
    page = QRectF(r.left() + r.width() * 0.2, r.top(), r.width() * 0.6, r.height())
    p.drawRoundedRect(page, 4, 4)
    for i in range(3):
        y = page.top() + page.height() * (0.3 + 0.2 * i)
        p.drawLine(QPointF(page.left() + 6, y), QPointF(page.right() - 6, y))


def _seal(p: QPainter, r: QRectF) -> None:
    p.drawEllipse(r.adjusted(6, 6, -6, -6))
    p.drawEllipse(r.adjusted(16, 16, -16, -16))


def _people(p: QPainter, r: QRectF, n: int) -> None:
    w = r.width() / n
    for i in range(n):
        cx = r.left() + w * (i + 0.5)
        scale = 1.0 if i < 2 else 0.7
        head = w * 0.22 * scale
        p.drawEllipse(QPointF(cx, r.top() + r.height() * 0.3 + (1 - scale) * 10), head, head)
        body = QRectF(cx - w * 0.3 * scale, r.top() + r.height() * 0.5, w * 0.6 * scale, r.height() * 0.45 * scale)
        p.drawRoundedRect(body, 6, 6)


def _house_arrow(p: QPainter, r: QRectF, direction: str) -> None:
    path = QPainterPath()
    x0, y0, w, h = r.left() + r.width() * 0.45, r.top() + r.height() * 0.2, r.width() * 0.55, r.height() * 0.75
    path.moveTo(x0, y0 + h * 0.35)
    path.lineTo(x0 + w / 2, y0)
    path.lineTo(x0 + w, y0 + h * 0.35)
    path.lineTo(x0 + w, y0 + h)
    path.lineTo(x0, y0 + h)
    path.closeSubpath()
    p.drawPath(path)
    y = r.top() + r.height() * 0.65
    a, b = (r.left(), x0 + w * 0.4) if direction == "in" else (x0 + w * 0.4, r.left())
    if direction == "within":
        a, b = r.left() + 2, x0 - 4
    p.drawLine(QPointF(a, y), QPointF(b, y))
    tip = 1 if b > a else -1
    p.drawLine(QPointF(b, y), QPointF(b - tip * 10, y - 8))
    p.drawLine(QPointF(b, y), QPointF(b - tip * 10, y + 8))


def _card(p: QPainter, r: QRectF) -> None:
    card = r.adjusted(2, r.height() * 0.2, -2, -r.height() * 0.2)
    p.drawRoundedRect(card, 6, 6)
    p.drawEllipse(
        QPointF(card.left() + card.width() * 0.28, card.center().y()), card.height() * 0.2, card.height() * 0.2
    )
    p.drawLine(QPointF(card.center().x(), card.center().y()), QPointF(card.right() - 6, card.center().y()))


def _cross(p: QPainter, r: QRectF) -> None:
    c = r.center()
    arm, width = r.width() * 0.38, r.width() * 0.14
    p.drawRect(QRectF(c.x() - width, c.y() - arm, 2 * width, 2 * arm))
    p.drawRect(QRectF(c.x() - arm, c.y() - width, 2 * arm, 2 * width))


def _coin(p: QPainter, r: QRectF) -> None:
    p.drawEllipse(r.adjusted(4, 4, -4, -4))
    font = p.font()
    font.setPixelSize(int(r.height() * 0.5))
    font.setBold(True)
    p.setFont(font)
    p.drawText(r, Qt.AlignmentFlag.AlignCenter, "¥")


DRAW = {
    "certificate": _document,
    "document": _document,
    "seal": _seal,
    "family": lambda p, r: _people(p, r, 3),
    "child": lambda p, r: _people(p, r, 2),
    "move_in": lambda p, r: _house_arrow(p, r, "in"),
    "move_out": lambda p, r: _house_arrow(p, r, "out"),
    "move_within": lambda p, r: _house_arrow(p, r, "within"),
    "home": lambda p, r: _house_arrow(p, r, "within"),  # a life event about a home (moving)
    "card": _card,
    "health": _cross,
    "tax": _coin,
}


class Pictogram(QWidget):
    #: the theme's button text colour; the window sets it when the display mode changes
    colour_hex = "#0B3A66"

    def __init__(self, name: str, size: int = 64) -> None:
        super().__init__()
        self.name = name
        self.setFixedSize(size, size)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def paintEvent(self, event: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(self.colour_hex if self.isEnabled() else "#3D3D3D")
        p.setPen(QPen(colour, 4))
        p.setBrush(Qt.BrushStyle.NoBrush)
        DRAW.get(self.name, _document)(p, QRectF(4, 4, self.width() - 8, self.height() - 8))
        p.end()
