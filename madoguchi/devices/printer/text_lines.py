"""Measure, wrap and draw one line of mixed-script text with per-run fonts (see ``fonts``)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from PIL import ImageDraw, ImageFont

from madoguchi.devices.printer.fonts import FontFace, font_chain, load_font, split_runs

# CJK ideographs, kana and full-width forms break anywhere; other scripts break at spaces.
_CJK = "\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_TOKEN = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+|\s+")
# Japanese line-breaking rule (kinsoku): these never start a line.
_NO_LINE_START = set("、。，．）」』】〕！？ー〜・：；％")


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


def line_height(style: TextStyle) -> int:
    ascent, descent = style.primary().getmetrics()
    return int((ascent + descent) * 1.08)


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for tok in _TOKEN.findall(text):
        if tokens and tok[0] in _NO_LINE_START:
            tokens[-1] += tok
        else:
            tokens.append(tok)
    return tokens


def wrap(text: str, style: TextStyle, max_width: int) -> list[str]:
    """Greedy wrap into lines no wider than ``max_width`` (a single over-long word is cut by characters).

    Token widths are summed instead of re-measuring each candidate line: shaping is the slow part.
    """
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        if measure(paragraph, style) <= max_width:
            lines.append(paragraph)
            continue
        line, width = "", 0.0
        for tok in _tokens(paragraph):
            tok_width = measure(tok, style)
            if width + tok_width <= max_width or not line.strip():
                line, width = line + tok, width + tok_width
            else:
                lines.append(line.rstrip())
                line = tok.lstrip()
                width = measure(line, style)
            while width > max_width and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and measure(line[:cut], style) > max_width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
                width = measure(line, style)
        lines.append(line.rstrip())
    return lines


def draw_line(draw: ImageDraw.ImageDraw, text: str, style: TextStyle, y_top: int, width: int, fill: int = 0) -> int:
    """Draw ``text`` centred in ``width`` with its top at ``y_top``; returns the y below the line."""
    ascent, _ = style.primary().getmetrics()
    baseline = y_top + ascent
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
