"""Furigana in Qt: ruby text carried in plain strings, its layout and painting, and a label widget.

Qt's rich text ignores ``<ruby>`` (it prints ``漢字かんじ`` inline), so ruby (carried in plain strings, see
``madoguchi.translations.ruby_markup``) is laid out and painted here, the reading centred above its kanji,
wrapping at a given width. Where a plain ``QLabel`` must be used, :func:`qt_rich_text` gives
``漢字<small>（かんじ）</small>``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from madoguchi.translations.furigana import Segment, readings

RUBY_SCALE = 0.5  # furigana at half the base size, as on printed Japanese forms
# A reading longer than its kanji (暗証 あんしょう) is first drawn narrower, down to this, before the kanji are
# spaced apart: spaced kanji read as two words.
RUBY_MIN_SQUEEZE = 0.7
NO_LINE_START = frozenset("、。，．）」』】〕！？ー〜・：；％ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")

Box = tuple[str, str | None, float]  # surface, reading, width


def qt_rich_text(segments: str | Sequence[Segment]) -> str:
    """Rich text for a plain QLabel: readings in smaller type in brackets after the word."""
    items = readings(segments) if isinstance(segments, str) else segments
    return "".join(f"{html.escape(s)}<small>（{html.escape(r)}）</small>" if r else html.escape(s) for s, r in items)


# ---- layout and painting ---------------------------------------------------------------------------------


def ruby_font(base: QFont) -> QFont:
    font = QFont(base)
    if base.pixelSize() > 0:  # style sheets set sizes in px; pointSizeF() is then -1
        font.setPixelSize(max(1, round(base.pixelSize() * RUBY_SCALE)))
    else:
        font.setPointSizeF(max(1.0, base.pointSizeF() * RUBY_SCALE))
    return font


class RubyLayout:
    """Lines of ruby boxes for one text in one font; ``size``/``paint`` at a given width."""

    def __init__(self, segments: Sequence[Segment], font: QFont) -> None:
        self.segments = list(segments)
        self.font = QFont(font)
        self.ruby = ruby_font(font)
        self._base_m = QFontMetricsF(self.font)
        self._ruby_m = QFontMetricsF(self.ruby)
        self.boxes = self._boxes()

    def _boxes(self) -> list[Box]:
        """A kanji word with its reading, or a space-separated word of plain text (a line break is its own)."""
        base, ruby = self._base_m, self._ruby_m
        boxes: list[Box] = []
        for surface, reading in self.segments:
            if reading:
                squeezed = ruby.horizontalAdvance(reading) * RUBY_MIN_SQUEEZE
                boxes.append((surface, reading, max(base.horizontalAdvance(surface), squeezed)))
            else:
                # Easy Japanese is written with spaces between phrases: prefer breaking there.
                boxes.extend((word, None, base.horizontalAdvance(word)) for word in re.findall(r"[^\s]+|\s", surface))
        return boxes

    @property
    def line_height(self) -> float:
        """Height of a line with readings (a line without any is only as high as the base text)."""
        return self._base_m.height() + self._ruby_m.height()

    def _height_of(self, line: list[Box]) -> float:
        return self.line_height if any(reading for _, reading, _ in line) else self._base_m.height()

    def lines(self, width: float) -> list[list[Box]]:
        lines: list[list[Box]] = [[]]
        used = 0.0
        boxes = list(self.boxes)
        while boxes:
            box = boxes.pop(0)
            if box[0] == "\n":
                lines.append([])
                used = 0.0
                continue
            if box[1] is None and len(box[0]) > 1 and box[2] > width - used and (box[2] > width or not lines[-1]):
                # A word longer than a line: break between characters, as Japanese allows (not before ー, small
                # kana or closing punctuation, which never start a line).
                pieces: list[str] = []
                for ch in box[0]:
                    if pieces and ch in NO_LINE_START:
                        pieces[-1] += ch
                    else:
                        pieces.append(ch)
                if len(pieces) > 1:
                    boxes[:0] = [(p, None, self._base_m.horizontalAdvance(p)) for p in pieces]
                    continue
            if lines[-1] and used + box[2] > width:
                lines.append([])
                used = 0.0
                if box[0].isspace():
                    continue
            lines[-1].append(box)
            used += box[2]
        return lines

    def natural_width(self) -> float:
        """Width of the widest line when nothing wraps but at explicit line breaks."""
        return max((sum(b[2] for b in line) for line in self.lines(float("inf"))), default=0.0)

    def narrowest_width(self) -> float:
        return max((b[2] for b in self.boxes if not b[0].isspace()), default=0.0)

    def height(self, width: float) -> float:
        return sum(self._height_of(line) for line in self.lines(max(1.0, width)))

    def size(self, width: float | None = None) -> QSize:
        w = self.natural_width() if width is None else width
        return QSize(int(min(w, self.natural_width())) + 1, int(self.height(w)) + 1)

    def paint(self, painter: QPainter, rect: QRectF, alignment: Qt.AlignmentFlag, colour: QColor) -> None:
        painter.save()
        painter.setPen(colour)
        lines = self.lines(max(1.0, rect.width()))
        total = sum(self._height_of(line) for line in lines)
        y = rect.top()
        if alignment & Qt.AlignmentFlag.AlignVCenter:
            y += (rect.height() - total) / 2
        elif alignment & Qt.AlignmentFlag.AlignBottom:
            y += rect.height() - total
        for line in lines:
            band = self._ruby_m.height() if any(reading for _, reading, _ in line) else 0.0
            line_width = sum(box[2] for box in line)
            x = rect.left()
            if alignment & Qt.AlignmentFlag.AlignHCenter:
                x += (rect.width() - line_width) / 2
            elif alignment & Qt.AlignmentFlag.AlignRight:
                x += rect.width() - line_width
            for surface, reading, width in line:
                if reading:
                    painter.setFont(self.ruby)
                    natural = self._ruby_m.horizontalAdvance(reading)
                    squeeze = min(1.0, width / natural) if natural else 1.0
                    painter.save()
                    painter.translate(x + (width - natural * squeeze) / 2, y)
                    painter.scale(squeeze, 1.0)
                    painter.drawText(QPointF(0, self._ruby_m.ascent()), reading)
                    painter.restore()
                painter.setFont(self.font)
                surface_width = self._base_m.horizontalAdvance(surface)
                baseline = y + band + self._base_m.ascent()
                painter.drawText(QPointF(x + (width - surface_width) / 2, baseline), surface)
                x += width
            y += band + self._base_m.height()
        painter.restore()


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

    def _layout(self) -> RubyLayout:
        return RubyLayout(self._segments, self.font())

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return int(self._layout().height(float(width)) + 1)

    def sizeHint(self) -> QSize:
        return self._layout().size()

    def minimumSizeHint(self) -> QSize:
        layout = self._layout()
        return QSize(int(QFontMetricsF(self.font()).height() * 2), int(layout.line_height) + 1)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self._layout().paint(
            painter,
            QRectF(self.rect()),
            self._alignment | Qt.AlignmentFlag.AlignTop,
            self.palette().windowText().color(),
        )
        painter.end()
