"""Font discovery and per-script font chains, so every shipped language renders without tofu.

Noto Sans CJK (Debian ``fonts-noto-cjk``) covers Japanese, Chinese, Korean and Latin including Vietnamese; it
has no Devanagari, so Nepali lines fall back to Noto Sans Devanagari (``fonts-noto-core``). IPAex Gothic is
the fallback when Noto CJK is not installed. Text is split into runs, each drawn with the first font of the
language's chain that has all of the run's characters.
"""

from __future__ import annotations

import bisect
import functools
import struct
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

from madoguchi.devices.printer.errors import PrinterError, PrinterErrorReason

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


# cmap subtables in fontTools' getBestCmap order: full Unicode first, then the BMP ones.
_CMAP_PREFERENCE = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


@dataclass(frozen=True)
class Coverage:
    """The code points a face maps to a real glyph, as sorted inclusive ranges (a few KB even for CJK)."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def __contains__(self, code_point: int) -> bool:
        i = bisect.bisect_right(self.starts, code_point) - 1
        return i >= 0 and code_point <= self.ends[i]

    def __len__(self) -> int:
        return sum(end - start + 1 for start, end in zip(self.starts, self.ends, strict=True))


@functools.lru_cache(maxsize=32)
def _coverage(face: FontFace) -> Coverage:
    # Only the raw cmap table is read: fontTools' own cmap needs the glyph order, which for a CFF font means
    # parsing the whole CFF table (~35 MB of Python objects per Noto CJK face, kept until a GC pass).
    from fontTools.ttLib.sfnt import SFNTReader

    with open(face.path, "rb") as file:
        data = SFNTReader(file, fontNumber=face.index)["cmap"]
    subtables: dict[tuple[int, int], int] = {}
    for i in range(struct.unpack_from(">H", data, 2)[0]):
        platform, encoding, offset = struct.unpack_from(">HHI", data, 4 + 8 * i)
        subtables.setdefault((platform, encoding), offset)
    for key in _CMAP_PREFERENCE:
        if key in subtables:
            ranges = _cmap_ranges(data, subtables[key])
            if ranges is not None:
                return _merged(ranges)
    return Coverage((), ())


def _cmap_ranges(data: bytes, offset: int) -> list[tuple[int, int]] | None:
    """(first, last) code point ranges mapped to a glyph other than .notdef; None for an unread format."""
    fmt = struct.unpack_from(">H", data, offset)[0]
    if fmt in (12, 13):
        count = struct.unpack_from(">I", data, offset + 12)[0]
        ranges = []
        for start, end, glyph in struct.iter_unpack(">III", data[offset + 16 : offset + 16 + 12 * count]):
            if glyph == 0:  # format 12 counts glyphs up from here, format 13 maps the whole range to it
                start += 1 if fmt == 12 else end - start + 1
            if start <= end:
                ranges.append((start, end))
        return ranges
    if fmt == 4:
        segments = struct.unpack_from(">H", data, offset + 6)[0] // 2
        words = (struct.unpack_from(">H", data, offset + 2)[0] - 14) // 2
        table = struct.unpack_from(f">{words}H", data, offset + 14)
        ends, starts = table[:segments], table[segments + 1 : 2 * segments + 1]
        deltas = table[2 * segments + 1 : 3 * segments + 1]
        range_offsets = table[3 * segments + 1 : 4 * segments + 1]
        glyph_array = table[4 * segments + 1 :]
        codes: set[int] = set()
        for i in range(segments - 1):  # the last segment is the 0xFFFF terminator
            for code in range(starts[i], ends[i] + 1):
                if range_offsets[i] == 0:
                    glyph = (code + deltas[i]) & 0xFFFF
                else:
                    index = range_offsets[i] // 2 + code - starts[i] + i - segments
                    raw = glyph_array[index] if 0 <= index < len(glyph_array) else 0
                    glyph = (raw + deltas[i]) & 0xFFFF if raw else 0
                if glyph:
                    codes.add(code)
        return [(code, code) for code in sorted(codes)]
    if fmt == 6:
        first, count = struct.unpack_from(">HH", data, offset + 6)
        glyphs = struct.unpack_from(f">{count}H", data, offset + 10)
        return [(first + i, first + i) for i, glyph in enumerate(glyphs) if glyph]
    return None


def _merged(ranges: list[tuple[int, int]]) -> Coverage:
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(ranges):
        if ends and start <= ends[-1] + 1:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return Coverage(tuple(starts), tuple(ends))


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
