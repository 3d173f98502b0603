"""Measure, wrap and draw one line of mixed-script text with per-run fonts (see ``fonts``).

Lines break where ``madoguchi.translations.line_breaking`` allows: at Japanese and Chinese phrase boundaries
and at spaces, never before 。」・ー (kinsoku); a phrase wider than the paper is cut between characters.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from PIL import ImageDraw, ImageFont

from madoguchi.devices.printer.fonts import FontFace, font_chain, load_font, split_runs
from madoguchi.translations.line_breaking import characters, pieces


@dataclass(frozen=True)
class TextStyle:
    language: str
    size: int
    bold: bool = False

    def chain(self) -> tuple[FontFace, ...]:
        return font_chain(self.language, self.bold)

    def primary(self) -> ImageFont.FreeTypeFont:
        return load_font(self.chain()[0], self.size)


@functools.lru_cache(maxsize=4096)
def measure(text: str, style: TextStyle) -> float:
    return sum(load_font(face, style.size).getlength(run) for face, run in split_runs(text, style.chain()))


def _line_box(style: TextStyle) -> tuple[int, int]:
    """(baseline below the line's top, line height). CJK fonts declare ~1.45 em of ascent and descent for a
    ~1 em glyph box: lines of 1.3 em keep the ticket short without touching. Devanagari keeps its metrics
    (vowel signs reach far above the headline and below the baseline)."""
    ascent, descent = style.primary().getmetrics()
    natural = (ascent, int((ascent + descent) * 1.08))
    if style.language == "ne":
        return natural
    return min(ascent, round(1.02 * style.size)), min(natural[1], round(1.3 * style.size))


def line_height(style: TextStyle) -> int:
    return _line_box(style)[1]


def baseline_offset(style: TextStyle) -> int:
    """How far below a line's top ``draw_line`` puts the baseline."""
    return _line_box(style)[0]


def wrap(text: str, style: TextStyle, max_width: int) -> list[str]:
    """Greedy wrap into lines no wider than ``max_width``, breaking only where the language allows.

    Piece widths are summed instead of re-measuring each candidate line: shaping is the slow part.
    """
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        if measure(paragraph, style) <= max_width:
            lines.append(paragraph)
            continue
        line, width = "", 0.0
        queue = pieces(paragraph, style.language)
        while queue:
            piece = queue.pop(0)
            piece_width = measure(piece, style)
            if width + piece_width <= max_width or (not line.strip() and piece.isspace()):
                line, width = line + piece, width + piece_width
                continue
            if piece.isspace():
                lines.append(line.rstrip())
                line, width = "", 0.0
                continue
            if line.strip() and piece_width <= max_width:
                lines.append(line.rstrip())
                line, width = piece, piece_width
                continue
            # Wider than a whole line: on a line of its own, cut between characters (kinsoku still holds).
            if line.strip():
                lines.append(line.rstrip())
                line, width = "", 0.0
            units = characters(piece)
            if len(units) == 1:
                lines.append(piece)
                continue
            cut = ""
            for unit in units:
                if cut and measure(cut + unit, style) > max_width:
                    lines.append(cut)
                    cut = ""
                cut += unit
            line, width = cut, measure(cut, style)
        lines.append(line.rstrip())
    return lines


def draw_line(draw: ImageDraw.ImageDraw, text: str, style: TextStyle, y_top: int, width: int, fill: int = 0) -> int:
    """Draw ``text`` centred in ``width`` with its top at ``y_top``; returns the y below the line."""
    baseline = y_top + _line_box(style)[0]
    x = (width - measure(text, style)) / 2
    for face, run in split_runs(text, style.chain()):
        font = load_font(face, style.size)
        draw.text((x, baseline), run, font=font, fill=fill, anchor="ls")
        x += font.getlength(run)
    return y_top + line_height(style)


def draw_wrapped(
    draw: ImageDraw.ImageDraw, text: str, style: TextStyle, y_top: int, width: int, margin: int, fill: int = 0
) -> int:
    y = y_top
    for line in wrap(text, style, width - 2 * margin):
        y = draw_line(draw, line, style, y, width, fill)
    return y
