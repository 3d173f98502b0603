"""Furigana and phrase-aware line breaking in Qt: text laid out and painted here, and a label widget.

Qt's rich text ignores ``<ruby>`` (it prints ``漢字かんじ`` inline), so ruby (carried in plain strings, see
``madoguchi.translations.ruby_markup``) is laid out and painted here, the reading centred above its kanji.
Qt's own line breaker cuts Japanese and Chinese between any two characters (「交／付」「くだ／さい」) and Korean
inside words, so every CJK text is laid out here too: lines break between the units of
``madoguchi.translations.line_breaking`` (BudouX phrases, words at spaces, kinsoku), a unit wider than a line
falls back to phrases inside it and only then to characters. Where a plain ``QLabel`` must be used,
:func:`qt_rich_text` gives ``漢字<small>（かんじ）</small>``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from madoguchi.translations import line_breaking
from madoguchi.translations.furigana import Segment, readings

RUBY_SCALE = 0.5  # furigana at half the base size, as on printed Japanese forms
# A reading longer than its kanji (暗証 あんしょう) is first drawn narrower, down to this, before the kanji are
# spaced apart: spaced kanji read as two words.
RUBY_MIN_SQUEEZE = 0.7
NO_LINE_START = line_breaking.NO_LINE_START

Box = tuple[str, str | None, float]  # surface, reading, width
Atom = tuple[str, str | None]  # one plain character, or one word with its reading (never split)


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
    """Lines of one text in one font (readings above their kanji), broken where ``line_breaking`` allows.

    ``language`` chooses the break rules: easy Japanese (``ja-easy``) breaks at its spaces first, Japanese and
    Chinese at BudouX phrases, everything else at spaces. Wider than a line, a unit is cut into phrases, then
    between characters (kinsoku), never inside a word that carries a reading.
    """

    def __init__(self, segments: Sequence[Segment], font: QFont, language: str | None = None) -> None:
        self.segments = list(segments)
        self.language = language
        self.font = QFont(font)
        self.ruby = ruby_font(font)
        self._base_m = QFontMetricsF(self.font)
        self._ruby_m = QFontMetricsF(self.ruby)
        self._atoms: list[Atom] = []
        for surface, reading in self.segments:
            if reading:
                self._atoms.append((surface, reading))
            else:
                self._atoms.extend((ch, None) for ch in surface)
        self.units = self._units(self._atoms, 0)

    # ---- units ---------------------------------------------------------------------------------------------

    def _split(self, atoms: list[Atom], cuts: list[str]) -> list[list[Atom]]:
        """``atoms`` cut where the pieces ``cuts`` (whose concatenation is their text) end, except inside a
        word with a reading."""
        out: list[list[Atom]] = []
        ends, pos = set(), 0
        for piece in cuts:
            pos += len(piece)
            ends.add(pos)
        current: list[Atom] = []
        pos = 0
        for atom in atoms:
            current.append(atom)
            pos += len(atom[0])
            if pos in ends:
                out.append(current)
                current = []
        if current:
            out.append(current)
        return out

    def _units(self, atoms: list[Atom], level: int) -> list[list[Atom]]:
        """Level 0: what a line breaks between first; 1: phrases inside a unit; 2: where the script changes;
        3: characters (kinsoku always)."""
        text = "".join(a[0] for a in atoms)
        if level == 0 and self.language == "ja-easy":
            cuts = [c for c in line_breaking.BREAKING_SPACE.split(text) if c]  # easy Japanese: phrases between spaces
        elif level <= 1:
            cuts = line_breaking.pieces(text, self.language)
        elif level == 2:
            cuts = line_breaking.script_runs(text)
        else:
            cuts = line_breaking.characters(text)
        return self._split(atoms, cuts)

    def _boxes(self, atoms: list[Atom]) -> list[Box]:
        boxes: list[Box] = []
        plain = ""
        for surface, reading in atoms:
            if reading:
                if plain:
                    boxes.append((plain, None, self._base_m.horizontalAdvance(plain)))
                    plain = ""
                squeezed = self._ruby_m.horizontalAdvance(reading) * RUBY_MIN_SQUEEZE
                boxes.append((surface, reading, max(self._base_m.horizontalAdvance(surface), squeezed)))
            else:
                plain += surface
        if plain:
            boxes.append((plain, None, self._base_m.horizontalAdvance(plain)))
        return boxes

    def _width(self, atoms: list[Atom]) -> float:
        return sum(box[2] for box in self._boxes(atoms))

    @property
    def boxes(self) -> list[Box]:
        return [box for unit in self.units for box in self._boxes(unit)]

    # ---- lines ---------------------------------------------------------------------------------------------

    @property
    def line_height(self) -> float:
        """Height of a line with readings (a line without any is only as high as the base text)."""
        return self._base_m.height() + self._ruby_m.height()

    @property
    def first_line_height(self) -> float:
        """The least height the text needs: one line, with the ruby band only when there are readings."""
        return self.line_height if any(reading for _, reading in self.segments) else self._base_m.height()

    def _height_of(self, line: list[Box]) -> float:
        return self.line_height if any(reading for _, reading, _ in line) else self._base_m.height()

    def line_units(self, width: float) -> list[list[list[Atom]]]:
        """The units of each line at ``width`` (white space at the ends of lines dropped)."""
        lines: list[list[list[Atom]]] = [[]]
        used = 0.0
        queue: list[tuple[list[Atom], int]] = [(unit, 0) for unit in self.units]
        while queue:
            unit, level = queue.pop(0)
            text = "".join(a[0] for a in unit)
            if "\n" in text:  # an explicit line break: its own unit, as white space
                lines.append([])
                used = 0.0
                continue
            unit_width = self._width(unit)
            if text.isspace():
                if lines[-1] and used + unit_width <= width:
                    lines[-1].append(unit)
                    used += unit_width
                elif lines[-1]:
                    lines.append([])
                    used = 0.0
                continue
            if used + unit_width <= width:
                lines[-1].append(unit)
                used += unit_width
                continue
            if lines[-1]:
                lines.append([])
                used = 0.0
            if unit_width <= width or level >= 3:
                lines[-1].append(unit)
                used += unit_width
                continue
            smaller = self._units(unit, level + 1)
            if len(smaller) == 1:  # nothing finer at this level: try the next
                queue.insert(0, (unit, level + 1))
            else:
                queue[:0] = [(part, level + 1) for part in smaller]
        for line in lines:
            while line and "".join(a[0] for a in line[-1]).isspace():
                line.pop()
        return lines

    def lines(self, width: float) -> list[list[Box]]:
        return [[box for unit in line for box in self._boxes(unit)] for line in self.line_units(width)]

    def line_texts(self, width: float) -> list[str]:
        """The text of each line at ``width`` (tests check where lines break)."""
        return ["".join(a[0] for unit in line for a in unit) for line in self.line_units(width)]

    def natural_width(self) -> float:
        """Width of the widest line when nothing wraps but at explicit line breaks."""
        return max((sum(b[2] for b in line) for line in self.lines(float("inf"))), default=0.0)

    def used_width(self, width: float) -> float:
        """Width of the widest line when wrapped at ``width``."""
        return max((sum(b[2] for b in line) for line in self.lines(max(1.0, width))), default=0.0)

    def narrowest_width(self) -> float:
        """The least width that cuts no word: the widest run of one script inside a phrase (a layout short of
        room may squeeze a label to it; phrases then give way before words do)."""
        runs = [run for unit in self.units for run in self._units(unit, 2)]
        return max((self._width(r) for r in runs if not "".join(a[0] for a in r).isspace()), default=0.0)

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
