"""Font discovery and per-script font chains, so every shipped language renders without tofu.

Noto Sans CJK (Debian ``fonts-noto-cjk``) covers Japanese, Chinese, Korean and Latin including Vietnamese; it
has no Devanagari, so Nepali lines fall back to Noto Sans Devanagari (``fonts-noto-core``). IPAex Gothic is
the fallback when Noto CJK is not installed. Text is split into runs, each drawn with the first font of the
language's chain that has all of the run's characters.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

from printers.errors import PrinterError, PrinterErrorReason

_NOTO = Path("/usr/share/fonts/opentype/noto")
_NOTO_TT = Path("/usr/share/fonts/truetype/noto")
_IPAEX = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
# Collection indices inside NotoSansCJK-*.ttc
_CJK_INDEX = {"ja": 0, "ko": 1, "zh-Hans": 2}


@dataclass(frozen=True)
class FontFace:
    path: str
    index: int = 0

    @property
    def exists(self) -> bool:
        return Path(self.path).is_file()


def _cjk(lang: str, bold: bool) -> FontFace:
    name = "NotoSansCJK-Bold.ttc" if bold else "NotoSansCJK-Regular.ttc"
    return FontFace(str(_NOTO / name), _CJK_INDEX.get(lang, 0))


@functools.lru_cache(maxsize=64)
def font_chain(language: str, bold: bool = False) -> tuple[FontFace, ...]:
    """Fonts to try, in order, for text in ``language`` (a shipped language code such as ``pt-BR``)."""
    weight = "Bold" if bold else "Regular"
    candidates = [
        _cjk(language, bold),
        _cjk("ja", bold),
        FontFace(str(_IPAEX)),
        FontFace(str(_NOTO_TT / f"NotoSansDevanagari-{weight}.ttf")),
        FontFace(str(_NOTO_TT / f"NotoSans-{weight}.ttf")),
    ]
    if language == "ne":
        # Devanagari first so that a Nepali line keeps one font for its shaping clusters.
        candidates.insert(0, candidates.pop(3))
    chain: list[FontFace] = []
    for face in candidates:
        if face.exists and face not in chain:
            chain.append(face)
    if not chain:
        raise PrinterError(PrinterErrorReason.NOT_SUPPORTED, "no ticket font installed (fonts-noto-cjk)")
    return tuple(chain)


@functools.lru_cache(maxsize=32)
def _coverage(face: FontFace) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(face.path, fontNumber=face.index, lazy=True)
    try:
        cmap = font.getBestCmap() or {}
        return frozenset(cmap)
    finally:
        font.close()


def covers(face: FontFace, char: str) -> bool:
    return ord(char) in _coverage(face)


@functools.lru_cache(maxsize=256)
def load_font(face: FontFace, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(face.path, size=size, index=face.index)


def _needs_glyph(char: str) -> bool:
    return not (char.isspace() or unicodedata.category(char) in {"Cc", "Cf"})


def split_runs(text: str, chain: Sequence[FontFace]) -> list[tuple[FontFace, str]]:
    """Split ``text`` into (font, substring) runs; marks and spaces stay with the run before them."""
    runs: list[tuple[FontFace, str]] = []
    current: FontFace | None = None
    buf: list[str] = []
    for char in text:
        sticky = not _needs_glyph(char) or unicodedata.category(char).startswith("M")
        if sticky and current is not None and (not _needs_glyph(char) or covers(current, char)):
            buf.append(char)
            continue
        face = next((f for f in chain if covers(f, char)), chain[0])
        if face != current and buf:
            assert current is not None
            runs.append((current, "".join(buf)))
            buf = []
        current = face
        buf.append(char)
    if buf and current is not None:
        runs.append((current, "".join(buf)))
    return runs


def missing_glyphs(text: str, language: str, bold: bool = False) -> list[str]:
    """Characters of ``text`` that no font of the language's chain has (what would print as tofu)."""
    chain = font_chain(language, bold)
    return [c for c in text if _needs_glyph(c) and not any(covers(f, c) for f in chain)]
