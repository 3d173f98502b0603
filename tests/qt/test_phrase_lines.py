"""Every kiosk string in every language, laid out at the kiosk's sizes and widths: no word split across lines.

A line may break only where ``line_breaking`` allows (BudouX phrase boundaries, spaces, kinsoku). The one
exception is a phrase wider than the whole line, which is then cut between characters; this test also checks
that such a phrase really is wider than the line.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from PySide6.QtGui import QFont

from madoguchi.qt.ruby_text import RubyLayout
from madoguchi.translations.catalog import default_catalogs, placeholders
from madoguchi.translations.furigana import message_segments
from madoguchi.translations.line_breaking import NO_LINE_END, NO_LINE_START, breaks, pieces
from madoguchi.translations.ruby_markup import plain_text

# Sizes of the kiosk theme and the widths labels get in its layouts: body, small and button text (normal and
# large) in a procedure column, a portrait column, half and whole 1280 and 1920 screens; titles across a screen.
LAYOUTS = [(size, width) for size in (28, 32, 36, 38, 43, 49) for width in (380, 460, 600, 900, 1200, 1800)]
LAYOUTS += [(size, width) for size in (52, 70) for width in (900, 1000, 1200, 1800)]
SAMPLE = {"count": 12, "tries": 2, "seconds": 9, "time": "10:00", "range": "15〜30分", "counter": 3}
SAMPLE |= {"area": "1階 市民課の待合ロビー", "number": "A-015", "service": "住民票の写し", "low": 15, "high": 30}
LATIN_SAMPLE = {"area": "1st floor, Citizens Division waiting area", "service": "Certificate of Residence"}
WHOLE_WORDS = ("交付", "ください", "お待ちください", "まもなく", "0〜10分", "15〜30分", "番号札", "マイナンバーカード")


def _texts(lang: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    catalogs = default_catalogs()
    out = []
    for msgid, source in catalogs.messages("ja").items():
        if not msgid.startswith(("kiosk.", "card.", "printer.", "scanner.", "server.", "wait.", "common.", "phone.")):
            continue
        sample = SAMPLE if lang in ("ja", "ja-easy", "zh-Hans", "ko") else SAMPLE | LATIN_SAMPLE
        params = {name: sample.get(name, "X") for name in placeholders(source)}
        if lang == "ja-easy":
            segments = message_segments(msgid, **params)
        else:
            segments = [(catalogs.translate(lang, msgid, **params), None)]
        out.append((msgid, segments))
    return out


@pytest.mark.parametrize("lang", ["ja", "ja-easy", "zh-Hans", "ko"])
def test_no_kiosk_string_breaks_inside_a_word(qapp: Any, lang: str) -> None:
    checked = fallbacks = 0
    for msgid, segments in _texts(lang):
        text = "".join(s for s, _ in segments)
        allowed = set(breaks(text, "ja" if lang == "ja-easy" else lang))
        allowed |= {m.end() for m in re.finditer(r"\s+", text)}
        for size, width in LAYOUTS:
            font = QFont("Noto Sans CJK JP")
            font.setPixelSize(size)
            layout = RubyLayout(segments, font, lang)
            if True:
                lines = layout.line_texts(float(width))
                assert plain_text("".join(lines)).replace(" ", "") == text.replace(" ", ""), (msgid, lines)
                offset = 0
                for line, following in itertools.pairwise(lines):
                    offset = text.index(following, offset + len(line) - 1) if following else offset
                    checked += 1
                    assert following[:1] not in NO_LINE_START, (lang, msgid, size, width, lines)
                    assert line[-1:] not in NO_LINE_END, (lang, msgid, size, width, lines)
                    if offset not in allowed:
                        # only a phrase wider than the whole line may be cut
                        fallbacks += 1
                        unit = next(p for p, start in _spans(text, lang) if start < offset < start + len(p))
                        unit_width = RubyLayout([(unit, None)], font, lang).natural_width()
                        assert unit_width > width, (lang, msgid, size, width, lines, unit)
                for word in WHOLE_WORDS:
                    if word in text and RubyLayout([(word, None)], font, lang).natural_width() <= width:
                        assert any(word in line for line in lines), (lang, msgid, size, width, word, lines)
    assert checked > 100
    print(f"\n{lang}: {checked} line breaks checked, {fallbacks} inside a phrase wider than its line")


def _spans(text: str, lang: str) -> list[tuple[str, int]]:
    out, pos = [], 0
    for piece in pieces(text, "ja" if lang == "ja-easy" else lang):
        out.append((piece, pos))
        pos += len(piece)
    return out


@pytest.mark.parametrize("lang", ["en", "pt-BR", "es", "vi", "tl", "ne"])
def test_words_of_spaced_scripts_fit_every_kiosk_width(qapp: Any, lang: str) -> None:
    """Qt breaks these at spaces and hyphens only: a wider word would be cut at the label's edge."""
    from PySide6.QtGui import QFontMetricsF

    family = "Noto Sans Devanagari" if lang == "ne" else "Noto Sans CJK JP"
    for msgid, segments in _texts(lang):
        text = segments[0][0]
        for size, width in LAYOUTS:
            font = QFont(family)
            font.setPixelSize(size)
            metrics = QFontMetricsF(font)
            for word in re.split(r"\s+|(?<=-)", text):  # Qt also breaks after a hyphen
                assert metrics.horizontalAdvance(word) <= width, (lang, msgid, size, width, word)
