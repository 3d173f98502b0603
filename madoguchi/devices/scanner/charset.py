"""Bytes of a 2D code → text: the declared ECI when present, else UTF-8 if valid, else Shift_JIS (cp932).

Japanese codes are often Shift_JIS in byte mode without ECI, or kanji mode; OpenCV's text API turns them into
Latin-1 mojibake. We never return mojibake: bytes that fit no rule give ``text=None`` (binary content).

One refinement of "UTF-8 if valid": short half-width katakana in Shift_JIS (``ﾃｽ`` = C3 BD) is also valid UTF-8
(``ý``). Real Japanese UTF-8 uses 3-byte sequences; when the UTF-8 reading holds only 2-byte (Latin/Greek/
Cyrillic) characters and the cp932 reading is Japanese through and through, cp932 wins.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# ECI designator → Python codec (AIM ECI assignments used by QR, Data Matrix, Aztec, PDF417).
ECI_CODECS: dict[int, str] = {
    0: "cp437",
    1: "latin-1",
    2: "cp437",
    3: "latin-1",
    4: "iso8859-2",
    5: "iso8859-3",
    6: "iso8859-4",
    7: "iso8859-5",
    8: "iso8859-6",
    9: "iso8859-7",
    10: "iso8859-8",
    11: "iso8859-9",
    12: "iso8859-10",
    13: "iso8859-11",
    15: "iso8859-13",
    16: "iso8859-14",
    17: "iso8859-15",
    18: "iso8859-16",
    20: "cp932",
    21: "cp1250",
    22: "cp1251",
    23: "cp1252",
    24: "cp1256",
    25: "utf-16-be",
    26: "utf-8",
    27: "ascii",
    28: "big5",
    29: "gb18030",
    30: "euc-kr",
    32: "gb18030",
    33: "utf-16-le",
    34: "utf-32-be",
    35: "utf-32-le",
    170: "ascii",
}
ECI_BINARY = 899

_ECI_MARK = re.compile(rb"\\(\\|\d{6})")


@dataclass(frozen=True)
class DecodedText:
    """``text`` is None when the bytes are not text in any charset we accept; ``charset`` says how we read it."""

    text: str | None
    charset: str


def _printable(text: str) -> bool:
    # C0/C1 controls other than tab/CR/LF mean we picked the wrong charset (or the content is binary).
    return all(ch in "\t\r\n" or unicodedata.category(ch) != "Cc" for ch in text)


def _is_japanese(ch: str) -> bool:
    o = ord(ch)
    return (
        o < 0x80
        or 0x3000 <= o <= 0x30FF  # punctuation, hiragana, katakana
        or 0x4E00 <= o <= 0x9FFF  # CJK ideographs
        or 0xFF00 <= o <= 0xFFEF  # full-width forms, half-width katakana
    )


def _utf8_is_latin_lookalike(text: str) -> bool:
    """Only ASCII and 2-byte UTF-8 characters (U+0080–U+07FF), at least one of the latter."""
    return all(ord(ch) < 0x800 for ch in text) and any(ord(ch) >= 0x80 for ch in text)


def guess(data: bytes) -> DecodedText:
    """Text of bytes that carry no ECI: UTF-8 if valid, else cp932 (Shift_JIS), else binary."""
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if utf8 is not None and _utf8_is_latin_lookalike(utf8):
        try:
            sjis = data.decode("cp932")
        except UnicodeDecodeError:
            sjis = None
        if sjis is not None and all(_is_japanese(ch) for ch in sjis) and _printable(sjis):
            return DecodedText(sjis, "shift_jis")
    if utf8 is not None and _printable(utf8):
        return DecodedText(utf8, "utf-8")
    try:
        sjis = data.decode("cp932")
    except UnicodeDecodeError:
        return DecodedText(None, "binary")
    if _printable(sjis):
        return DecodedText(sjis, "shift_jis")
    return DecodedText(None, "binary")


def _decode_declared(data: bytes, eci: int) -> DecodedText:
    codec = ECI_CODECS.get(eci)
    if codec is None:
        return guess(data)  # binary (899) or unknown designator: the bytes speak for themselves
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return guess(data)
    if not _printable(text):
        return DecodedText(None, "binary")
    return DecodedText(text, f"eci:{eci}")


def split_eci(bytes_eci: bytes) -> list[tuple[int | None, bytes]]:
    """Segments of an ECI-protocol byte stream (``\\000020`` markers, ``\\\\`` for a backslash).

    The first segment has designator None when the data starts before any marker.
    """
    segments: list[tuple[int | None, bytearray]] = [(None, bytearray())]
    pos = 0
    for m in _ECI_MARK.finditer(bytes_eci):
        segments[-1][1].extend(bytes_eci[pos : m.start()])
        if m.group(1) == b"\\":
            segments[-1][1].extend(b"\\")
        else:
            segments.append((int(m.group(1)), bytearray()))
        pos = m.end()
    segments[-1][1].extend(bytes_eci[pos:])
    return [(eci, bytes(buf)) for eci, buf in segments if buf or eci is not None]


def decode_with_eci(bytes_eci: bytes) -> DecodedText:
    """Text of a stream in the ECI protocol (as zxing-cpp's ``TextMode.HexECI`` gives it, identifier removed)."""
    parts: list[str] = []
    charsets: list[str] = []
    for eci, data in split_eci(bytes_eci):
        if not data:
            continue
        decoded = guess(data) if eci is None else _decode_declared(data, eci)
        if decoded.text is None:
            return DecodedText(None, "binary")
        parts.append(decoded.text)
        charsets.append(decoded.charset)
    charset = charsets[0] if len(set(charsets)) == 1 else "mixed"
    return DecodedText("".join(parts), charset if charsets else "utf-8")


def decode_payload(raw: bytes, bytes_eci: bytes | None) -> DecodedText:
    """Text of a decoded symbol: ``bytes_eci`` (with markers) when the symbol declared ECI, else ``raw``."""
    if bytes_eci is not None:
        return decode_with_eci(bytes_eci)
    return guess(raw)
