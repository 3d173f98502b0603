"""'Place your card': a card sliding onto the reader, until the reader sees a My Number card."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QTimer
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.widgets import text_label


class CardAnimation(QWidget):
    """A reader (dark slab) and a card moving down onto it, in a loop."""

    def __init__(self) -> None:
        super().__init__()
        self.setMinimumHeight(320)
        self.phase = 0.0
        self.timer = QTimer(self)
        self.timer.setInterval(50)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.phase = (self.phase + 0.025) % 1.0
        self.update()

    def paintEvent(self, event: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        text = self.palette().windowText().color()
        reader = QRectF(w / 2 - 200, h - 110, 400, 90)
        p.setPen(QPen(text, 4))
        p.setBrush(QColor("#444444"))
        p.drawRoundedRect(reader, 16, 16)
        drop = min(1.0, self.phase * 1.6)
        top = 10 + drop * (h - 110 - 200 - 10)
        card = QRectF(w / 2 - 160, top, 320, 200)
        p.setBrush(QColor("#F7C6D9"))
        p.drawRoundedRect(card, 18, 18)
        p.setBrush(QColor("#FFFFFF"))
        p.drawRect(QRectF(card.left() + 20, card.top() + 40, 90, 110))
        p.setPen(QPen(text, 6))
        for i in range(3):
            y = card.top() + 60 + i * 35
            p.drawLine(int(card.left() + 130), int(y), int(card.right() - 20), int(y))
        p.end()


class CardPlaceScreen(Screen):
    name = "card_place"

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        self.title = text_label(role="title", center=True)
        self.error = text_label(role="error", center=True)
        self.error.hide()
        self.animation = CardAnimation()
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.animation, 1)
        self._error_id: str | None = None

    def show_error(self, msgid: str | None) -> None:
        self._error_id = msgid
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.t("kiosk.card.place"))
        if self._error_id:
            self.error.setText(self.t(self._error_id))
        self.error.setVisible(bool(self._error_id))

    def enter(self) -> None:
        self.animation.timer.start()

    def leave(self) -> None:
        self.animation.timer.stop()

    def clear(self) -> None:
        self.show_error(None)

    def speech_text(self) -> str:
        return self.t("kiosk.card.place")
