"""Board header (hall name, clock, link state) and the notices ticker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from madoguchi.apps.board.board_panels import ACCENT, BG, TEXT, font
from madoguchi.translations.catalog import translate

Clock = Callable[[], dt.datetime]


class HeaderBar(QWidget):
    def __init__(self, clock: Clock | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unit = 1.0
        self.hall_name = ""
        self.timezone: ZoneInfo | None = None
        self.connected = True
        self._clock = clock
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.update)
        self._tick.start()

    def set_unit(self, unit: float) -> None:
        self.unit = unit
        self.setFixedHeight(int(96 * unit))

    def now(self) -> dt.datetime:
        if self._clock is not None:
            return self._clock()
        return dt.datetime.now(self.timezone) if self.timezone else dt.datetime.now().astimezone()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), BG)
        u = self.unit
        p.setPen(TEXT)
        p.setFont(font(44 * u, True))
        p.drawText(QRectF(24 * u, 0, self.width() * 0.6, self.height()), Qt.AlignmentFlag.AlignVCenter, self.hall_name)
        now = self.now()
        p.setFont(font(56 * u, True))
        p.drawText(
            QRectF(self.width() * 0.55, 0, self.width() * 0.45 - 24 * u, self.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            now.strftime("%H:%M"),
        )
        if not self.connected:
            # residents need no alarm; a small note tells staff walking by that the board is reconnecting
            p.setPen(ACCENT)
            p.setFont(font(26 * u))
            p.drawText(
                QRectF(self.width() * 0.45, 0, self.width() * 0.3, self.height()),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                translate("ja", "board.reconnecting"),
            )
        p.end()


class Ticker(QWidget):
    """The hall's notices scrolling right to left, Japanese then English, in a loop."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unit = 1.0
        self.text = ""
        #: pixels scrolled since the text entered; it starts already on screen so a glance reads it at once
        self.offset: float | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._timer = QTimer(self)
        self._timer.setInterval(33)
        self._timer.timeout.connect(self._step)
        self._timer.start()

    def set_unit(self, unit: float) -> None:
        self.unit = unit
        self.setFixedHeight(int(72 * unit))

    def set_notices(self, notices: list[dict[str, str]]) -> None:
        parts = []
        for n in notices:
            parts.append(n.get("ja", ""))
            if n.get("en"):
                parts.append(n["en"])
        text = "　　◆　　".join(p for p in parts if p)
        if text != self.text:
            self.text = text
            self.offset = None
        self.setVisible(bool(text))

    def _step(self) -> None:
        if self.text and self.isVisible() and self.offset is not None:
            self.offset += 3 * self.unit
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), ACCENT)
        f = font(40 * self.unit, True)
        p.setFont(f)
        p.setPen(BG)
        width = QFontMetrics(f).horizontalAdvance(self.text + "　　　") or 1
        if self.offset is None:
            self.offset = self.width() - 24 * self.unit
        x = self.width() - (self.offset % (width + self.width()))
        p.drawText(QRectF(x, 0, width, self.height()), Qt.AlignmentFlag.AlignVCenter, self.text)
        p.end()
