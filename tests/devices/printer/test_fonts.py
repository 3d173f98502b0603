from __future__ import annotations

import tracemalloc

import pytest
from fontTools.ttLib import TTFont

from madoguchi.devices.printer.fonts import FontFace, _coverage, covers, font_chain


def _faces() -> list[FontFace]:
    return sorted({face for lang in ("ja", "ko", "zh-Hans", "ne") for face in font_chain(lang)}, key=str)


@pytest.mark.parametrize("face", [f for f in _faces() if not f.path.endswith(".ttc")], ids=str)
def test_coverage_is_what_fonttools_reads_from_the_cmap(face: FontFace) -> None:
    # Only for the small fonts: fontTools reading a CJK cmap is the cost this code avoids.
    font = TTFont(face.path, fontNumber=face.index, lazy=True)
    try:
        expected = set(font.getBestCmap() or {})
    finally:
        font.close()
    coverage = _coverage(face)
    assert len(coverage) == len(expected)
    assert all(code in coverage for code in expected)


def test_cjk_coverage_is_read_without_parsing_the_glyph_outlines() -> None:
    face = font_chain("ko", bold=True)[0]
    assert face.path.endswith(".ttc")
    _coverage.cache_clear()
    tracemalloc.start()
    try:
        coverage = _coverage(face)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The CFF-parsing way peaked at ~75 MB of Python objects per face; the raw cmap is a few hundred KB.
    assert peak < 4 * 2**20
    assert len(coverage) > 40000
    assert all(covers(face, c) for c in "한국어 日本語 ひらがな ABC")
    assert not covers(face, "न")  # Devanagari comes from its own font
