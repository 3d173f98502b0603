"""Font discovery and per-script font chains, so every shipped language renders without tofu.

Noto Sans CJK covers Japanese, Chinese, Korean and Latin including Vietnamese; it has no Devanagari, so Nepali
lines fall back to Noto Sans Devanagari. On Debian these come from ``fonts-noto-cjk`` and ``fonts-noto-core``
(IPAex Gothic is the fallback when Noto CJK is not installed). On Windows the same Noto files are used when
installed (for all users or per user), otherwise the fonts Windows 10/11 ship: Yu Gothic, Meiryo or MS Gothic
(Japanese), Malgun Gothic (Korean), Microsoft YaHei (Chinese), Nirmala UI (Devanagari), Segoe UI (Latin).
``MADOGUCHI_FONT_DIR`` names a folder searched first, for fonts shipped with an installation.
Text is split into runs, each drawn with the first font of the language's chain that has all of the run's
characters.
"""

from __future__ import annotations

import bisect
import functools
import os
import struct
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

from madoguchi.devices.printer.errors import PrinterError, PrinterErrorReason

FONT_DIR_VARIABLE = "MADOGUCHI_FONT_DIR"
_DEBIAN_DIRS = (
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/opentype/ipaexfont-gothic"),
)
# Collection indices inside NotoSansCJK-*.ttc
_CJK_INDEX = {"ja": 0, "ko": 1, "zh-Hans": 2}
# Font files of Windows 10/11 by script, (regular, bold); the first of each group that exists is used.
_WINDOWS_JA = (("YuGothR.ttc", "YuGothB.ttc"), ("meiryo.ttc", "meiryob.ttc"), ("msgothic.ttc", "msgothic.ttc"))
_WINDOWS_KO = (("malgun.ttf", "malgunbd.ttf"),)
_WINDOWS_ZH = (("msyh.ttc", "msyhbd.ttc"),)
_WINDOWS_DEVANAGARI = (("Nirmala.ttc", "Nirmala.ttc"), ("Nirmala.ttf", "NirmalaB.ttf"))
_WINDOWS_LATIN = (("segoeui.ttf", "segoeuib.ttf"), ("arial.ttf", "arialbd.ttf"))


@dataclass(frozen=True)
class FontFace:
    path: str
    index: int = 0

    @property
    def exists(self) -> bool:
        return Path(self.path).is_file()


def font_dirs(platform: str = sys.platform, environ: Mapping[str, str] = os.environ) -> tuple[Path, ...]:
    """Folders searched for ticket fonts, in order."""
    dirs: list[Path] = []
    if environ.get(FONT_DIR_VARIABLE):
        dirs.append(Path(environ[FONT_DIR_VARIABLE]))
    if platform == "win32":
        dirs.append(Path(environ.get("WINDIR") or environ.get("SystemRoot") or r"C:\Windows") / "Fonts")
        if environ.get("LOCALAPPDATA"):  # fonts a user installed "for me only"
            dirs.append(Path(environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    else:
        dirs.extend(_DEBIAN_DIRS)
    return tuple(dirs)


def _first(dirs: Sequence[Path], name: str, index: int = 0) -> FontFace | None:
    for folder in dirs:
        face = FontFace(str(folder / name), index)
        if face.exists:
            return face
    return None


def _windows(dirs: Sequence[Path], groups: Sequence[tuple[str, str]], bold: bool) -> list[FontFace | None]:
    return [_first(dirs, bold_name if bold else regular) for regular, bold_name in groups]


def chain_in(dirs: Sequence[Path], language: str, bold: bool = False) -> tuple[FontFace, ...]:
    """Fonts to try, in order, for text in ``language``, looking only in ``dirs``."""
    weight = "Bold" if bold else "Regular"
    cjk_name = f"NotoSansCJK-{weight}.ttc"
    native = {"ko": _WINDOWS_KO, "zh-Hans": _WINDOWS_ZH}.get(language, ())
    cjk = [
        _first(dirs, cjk_name, _CJK_INDEX.get(language, 0)),
        _first(dirs, cjk_name, 0),
        *_windows(dirs, native, bold),
        *_windows(dirs, _WINDOWS_JA, bold),
        _first(dirs, "ipaexg.ttf"),
    ]
    devanagari = [_first(dirs, f"NotoSansDevanagari-{weight}.ttf"), *_windows(dirs, _WINDOWS_DEVANAGARI, bold)]
    latin = [_first(dirs, f"NotoSans-{weight}.ttf"), *_windows(dirs, _WINDOWS_LATIN, bold)]
    # Devanagari first for Nepali so that a Nepali line keeps one font for its shaping clusters.
    candidates = devanagari + cjk + latin if language == "ne" else cjk + devanagari + latin
    chain: list[FontFace] = []
    for face in candidates:
        if face is not None and face not in chain:
            chain.append(face)
    return tuple(chain)


@functools.lru_cache(maxsize=64)
def font_chain(language: str, bold: bool = False) -> tuple[FontFace, ...]:
    """Fonts to try, in order, for text in ``language`` (a shipped language code such as ``pt-BR``)."""
    chain = chain_in(font_dirs(), language, bold)
    if not chain:
        hint = "Noto Sans CJK, or Yu Gothic" if sys.platform == "win32" else "fonts-noto-cjk"
        raise PrinterError(PrinterErrorReason.NOT_SUPPORTED, f"no ticket font installed ({hint})")
    return chain


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
