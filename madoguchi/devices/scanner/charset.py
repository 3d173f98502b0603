"""Bytes of a 2D code → text, never a wrong one: the declared ECI, else UTF-8, else Shift_JIS or Latin-1 where
the bytes read as that and as nothing else, else no text (``text=None``: an unknown charset, said so).

Without an ECI the bytes do not say their charset. Valid UTF-8 is UTF-8 (the bytes of other charsets are almost
never valid UTF-8). Bytes that are not UTF-8 are Shift_JIS (cp932; Japanese codes, kanji mode) when they read
as Japanese text, and ISO-8859-1 (the QR standard's default) when they read as Latin words; when they read as
both or neither (Greek or Cyrillic in a single-byte charset, binary data), the result is "unknown" rather than a
guess: ``José`` never comes back as ``Josﾃｩ``, nor ``Málaga`` as ``M疝aga``. Control characters are kept (GS1
and ISO 15434 payloads carry GS/RS separators); they no longer make a text "binary".

One ambiguity is left to the caller: a few half-width katakana in Shift_JIS are also valid UTF-8 for a lone
Latin, Greek or Cyrillic letter (``ﾃｽ`` = C3 BD = ``ý``). A text whose letters beyond ASCII stand in words of
their own (not inside a word with ASCII letters, as accents do) and whose Shift_JIS reading is all ASCII and
half-width katakana is reported unknown: ``ﾃｱﾃｱﾃｱ A-015`` never comes back as ``ñññ A-015``.
"""

from __future__ import annotations

import re
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


_HALF_KANA = re.compile(r"[\uff61-\uff9f]")


def _is_japanese(ch: str) -> bool:
    """A character Shift_JIS text is made of: ASCII, JIS symbols and kana, kanji, full- and half-width forms."""
    o = ord(ch)
    return (
        o < 0x80
        or ch in "¥‾§¨°±´¶×÷"  # JIS X 0208 symbols outside the blocks below
        or 0x2010 <= o <= 0x266F  # punctuation, arrows, maths, box drawing, ①, ★ …
        or 0x3000 <= o <= 0x30FF  # CJK punctuation, hiragana, katakana
        or 0x4E00 <= o <= 0x9FFF  # CJK ideographs
        or 0xF929 <= o <= 0xFA2D  # IBM extension ideographs (cp932)
        or 0xFF01 <= o <= 0xFFEF  # full-width forms, half-width katakana
    )


def _sjis_units(data: bytes) -> list[tuple[bytes, str]] | None:
    """The bytes as Shift_JIS characters, each with the bytes it came from; None when not cp932."""
    units: list[tuple[bytes, str]] = []
    i = 0
    while i < len(data):
        b = data[i]
        size = 2 if 0x81 <= b <= 0x9F or 0xE0 <= b <= 0xFC else 1
        chunk = data[i : i + size]
        try:
            units.append((chunk, chunk.decode("cp932")))
        except UnicodeDecodeError:
            return None
        i += size
    return units


def _ascii_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _reads_as_japanese(data: bytes) -> str | None:
    """The Shift_JIS text when the bytes read as Japanese; None when they do not, or when they read like a
    Latin-1 text misread: an accented letter's byte that swallowed the next letter (``M疝aga`` for
    ``Málaga``, ``S縺 Jo縺`` for ``São João``), a lone half-width kana by a Latin letter (``ｱLVARO``), or
    half-width katakana glued to a rare kanji (Greek or Cyrillic bytes: ``ｱ蝓ｨ``)."""
    units = _sjis_units(data)
    if units is None:
        return None
    text = "".join(ch for _, ch in units)
    if not all(_is_japanese(ch) for ch in text):
        return None
    chars = [ch for _, ch in units]
    for i, (raw, ch) in enumerate(units):
        if ord(ch) < 0x80:
            continue
        before = chars[i - 1] if i else ""
        after = chars[i + 1] if i + 1 < len(chars) else ""
        if _ascii_letter(before) and _ascii_letter(after):
            return None
        if len(raw) == 2 and 0xE0 <= raw[0] <= 0xEF and _ascii_letter(chr(raw[1])) and _ascii_letter(before):
            return None
        if _HALF_KANA.match(ch):
            # Greek and Cyrillic letters of the ISO 8859 charsets fall on half-width kana and on rare kanji
            # (lead bytes E0–FC); everyday kanji (lead 88–9F) next to half-width kana are real Japanese.
            if any(
                len(r) == 2 and r[0] >= 0xE0
                for r in (units[i - 1][0] if i else b"", units[i + 1][0] if i + 1 < len(units) else b"")
            ):
                return None
            alone = not _HALF_KANA.match(before) and not _HALF_KANA.match(after)
            if alone and (_ascii_letter(before) or _ascii_letter(after)):
                return None
    return text


#: besides accented letters, what Latin-1 text shows outside ASCII: ordinals, degrees, Spanish and French marks
_LATIN_MARKS = frozenset("ºª°¿¡«»·")


def _reads_as_latin(text: str) -> bool:
    """ISO-8859-1 text: nothing beyond ASCII but letters (and a few marks), each accented letter in a word
    that has ASCII letters too (``Málaga``, ``JOSÉ``)."""
    extra = [ch for ch in text if not ch.isascii()]
    if not extra or not all((ch.isalpha() and ch not in "ªº") or ch in _LATIN_MARKS for ch in extra):
        return False
    return all(any(ch.isascii() for ch in word) for word in re.findall(r"[^\W\d_]+", text))


def _lone_letters_or_half_width_kana(data: bytes, utf8: str) -> bool:
    """``ﾃｽ`` or ``ý``, ``ﾃｱﾃｱ A-015`` or ``ññ A-015``: valid UTF-8 whose letters beyond ASCII stand in words of
    their own (a Latin text has them inside words with ASCII letters: ``España``), all half-width katakana in
    Shift_JIS."""
    if all(ch.isascii() for ch in utf8):
        return False
    if any(not w.isascii() and any(_ascii_letter(ch) for ch in w) for w in re.findall(r"[^\W\d_]+", utf8)):
        return False
    try:
        sjis = data.decode("cp932")
    except UnicodeDecodeError:
        return False
    return all(ch.isascii() or _HALF_KANA.match(ch) for ch in sjis)


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def guess(data: bytes) -> DecodedText:
    """Text of bytes that carry no ECI (see the module's rules); ``text=None`` when the charset is unknown."""
    utf8 = _try(data, "utf-8")
    if utf8 is not None:
        if _lone_letters_or_half_width_kana(data, utf8):
            return DecodedText(None, "ambiguous")
        return DecodedText(utf8, "utf-8")
    sjis = _reads_as_japanese(data)
    latin_text = data.decode("latin-1")
    latin = _reads_as_latin(latin_text)
    if sjis is not None and not latin:
        return DecodedText(sjis, "shift_jis")
    if latin and sjis is None:
        return DecodedText(latin_text, "iso-8859-1")
    return DecodedText(None, "ambiguous" if sjis is not None else "binary")


def _decode_declared(data: bytes, eci: int) -> DecodedText:
    codec = ECI_CODECS.get(eci)
    if codec is None:
        return guess(data)  # binary (899) or unknown designator: the bytes speak for themselves
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return guess(data)  # a mislabelled charset: the bytes may still speak for themselves
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
