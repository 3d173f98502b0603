"""Furigana in Qt: a small label widget that draws ruby, and a rich-text fallback for plain QLabels.

Qt's rich text ignores ``<ruby>`` (it prints ``漢字かんじ`` inline), so :class:`RubyLabel` lays out and paints
the readings itself, centred above their kanji, wrapping at the widget width. Where a plain ``QLabel`` must be
used, :func:`qt_rich_text` gives ``漢字<small>（かんじ）</small>``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from translations.furigana import Segment, readings

RUBY_SCALE = 0.5  # furigana at half the base size, as on printed Japanese forms


def qt_rich_text(segments: str | Sequence[Segment]) -> str:
    """Rich text for a plain QLabel: readings in smaller type in brackets after the word."""
    items = readings(segments) if isinstance(segments, str) else segments
    return "".join(f"{html.escape(s)}<small>（{html.escape(r)}）</small>" if r else html.escape(s) for s, r in items)


class RubyLabel(QWidget):
    """Text with furigana drawn above kanji; wraps like a word-wrapped QLabel."""

    def __init__(self, segments: str | Sequence[Segment] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._segments: list[Segment] = []
        self._alignment = Qt.AlignmentFlag.AlignLeft
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setSegments(segments)

    def setSegments(self, segments: str | Sequence[Segment]) -> None:
        self._segments = readings(segments) if isinstance(segments, str) else list(segments)
        self.updateGeometry()
        self.update()

    def segments(self) -> list[Segment]:
        return list(self._segments)

    def text(self) -> str:
        return "".join(surface for surface, _ in self._segments)

    def setAlignment(self, alignment: Qt.AlignmentFlag) -> None:
        self._alignment = alignment
        self.update()

    # ---- layout ----------------------------------------------------------------------------------------

    def _ruby_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(1.0, font.pointSizeF() * RUBY_SCALE))
        return font

    def _boxes(self) -> list[tuple[str, str | None, float]]:
        """Boxes to place: a kanji word with its reading, or a space-separated word of plain text."""
        base, ruby = QFontMetricsF(self.font()), QFontMetricsF(self._ruby_font())
        boxes: list[tuple[str, str | None, float]] = []
        for surface, reading in self._segments:
            if reading:
                width = max(base.horizontalAdvance(surface), ruby.horizontalAdvance(reading))
                boxes.append((surface, reading, width))
            else:
                # Easy Japanese is written with spaces between phrases: prefer breaking there.
                boxes.extend((word, None, base.horizontalAdvance(word)) for word in re.findall(r"\S+|\s", surface))
        return boxes

    def _lines(self, width: float) -> list[list[tuple[str, str | None, float]]]:
        lines: list[list[tuple[str, str | None, float]]] = [[]]
        used = 0.0
        metrics = QFontMetricsF(self.font())
        boxes = self._boxes()
        while boxes:
            box = boxes.pop(0)
            too_long = box[2] > width or not lines[-1]
            if box[1] is None and len(box[0]) > 1 and box[2] > width - used and too_long:
                # A word longer than a line: break between characters, as Japanese allows.
                boxes[:0] = [(ch, None, metrics.horizontalAdvance(ch)) for ch in box[0]]
                continue
            if box[0] == "\n":
                lines.append([])
                used = 0.0
                continue
            if lines[-1] and used + box[2] > width:
                lines.append([])
                used = 0.0
                if box[0] == " ":
                    continue
            lines[-1].append(box)
            used += box[2]
        return lines

    def _line_height(self) -> float:
        return QFontMetricsF(self.font()).height() + QFontMetricsF(self._ruby_font()).height()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return int(len(self._lines(max(1.0, float(width)))) * self._line_height() + 1)

    def sizeHint(self) -> QSize:
        width = sum(box[2] for box in self._boxes())
        return QSize(int(width) + 1, int(self._line_height()) + 1)

    def minimumSizeHint(self) -> QSize:
        return QSize(int(QFontMetricsF(self.font()).height() * 2), int(self._line_height()) + 1)

    # ---- painting --------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().windowText().color())
        base_font, ruby_font = self.font(), self._ruby_font()
        ruby_metrics, base_metrics = QFontMetricsF(ruby_font), QFontMetricsF(base_font)
        y = 0.0
        for line in self._lines(float(self.width())):
            line_width = sum(box[2] for box in line)
            x = {
                Qt.AlignmentFlag.AlignHCenter: (self.width() - line_width) / 2,
                Qt.AlignmentFlag.AlignRight: self.width() - line_width,
            }.get(self._alignment, 0.0)
            for surface, reading, width in line:
                if reading:
                    painter.setFont(ruby_font)
                    painter.drawText(QRectF(x, y, width, ruby_metrics.height()), Qt.AlignmentFlag.AlignHCenter, reading)
                painter.setFont(base_font)
                surface_width = base_metrics.horizontalAdvance(surface)
                baseline = y + ruby_metrics.height() + base_metrics.ascent()
                painter.drawText(QPointF(x + (width - surface_width) / 2, baseline), surface)
                x += width
            y += self._line_height()
        painter.end()
