"""QR symbols built from explicit segments (byte, kanji, ECI) for the simulator, tests and bench.

Japanese codes in the field come in forms that common generators cannot produce on request: Shift_JIS in byte
mode without an ECI header, kanji mode, or byte mode behind an ECI designator. The ``qrcode`` package draws the
symbol (Reed-Solomon, masking); this module writes the data bit stream itself so each form is exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import qrcode
from qrcode import base as qr_base
from qrcode import util as qr_util

_EC_LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}
_MODE_ECI = 0b0111


@dataclass(frozen=True)
class ByteSegment:
    data: bytes


@dataclass(frozen=True)
class KanjiSegment:
    """Shift_JIS double-byte characters (two bytes each) written in QR kanji mode (13 bits a character)."""

    sjis: bytes


@dataclass(frozen=True)
class EciSegment:
    """ECI designator, e.g. 20 = Shift_JIS, 26 = UTF-8 (only designators below 128 are needed here)."""

    designator: int


Segment = ByteSegment | KanjiSegment | EciSegment


def kanji_segment(text: str) -> KanjiSegment:
    """Text that consists only of Shift_JIS double-byte characters, as a kanji-mode segment."""
    sjis = text.encode("shift_jis")
    if len(sjis) != 2 * len(text):
        raise ValueError("kanji mode holds double-byte Shift_JIS characters only")
    return KanjiSegment(sjis)


def _write(buffer: qr_util.BitBuffer, segments: list[Segment], version: int) -> None:
    sizes = qr_util.mode_sizes_for_version(version)
    for seg in segments:
        if isinstance(seg, EciSegment):
            buffer.put(_MODE_ECI, 4)
            buffer.put(seg.designator, 8)
        elif isinstance(seg, ByteSegment):
            buffer.put(qr_util.MODE_8BIT_BYTE, 4)
            buffer.put(len(seg.data), sizes[qr_util.MODE_8BIT_BYTE])
            for b in seg.data:
                buffer.put(b, 8)
        else:
            buffer.put(qr_util.MODE_KANJI, 4)
            buffer.put(len(seg.sjis) // 2, sizes[qr_util.MODE_KANJI])
            for i in range(0, len(seg.sjis), 2):
                code = (seg.sjis[i] << 8) | seg.sjis[i + 1]
                code -= 0x8140 if code <= 0x9FFC else 0xC140
                buffer.put((code >> 8) * 0xC0 + (code & 0xFF), 13)


def _codewords(segments: list[Segment], version: int, ec: int) -> list[int] | None:
    buffer = qr_util.BitBuffer()
    _write(buffer, segments, version)
    rs_blocks = qr_base.rs_blocks(version, ec)
    bit_limit = sum(block.data_count * 8 for block in rs_blocks)
    if len(buffer) > bit_limit:
        return None
    for _ in range(min(bit_limit - len(buffer), 4)):
        buffer.put_bit(False)
    while len(buffer) % 8:
        buffer.put_bit(False)
    for i in range((bit_limit - len(buffer)) // 8):
        buffer.put(qr_util.PAD0 if i % 2 == 0 else qr_util.PAD1, 8)
    return list(qr_util.create_bytes(buffer, rs_blocks))


def qr_modules(segments: list[Segment], ec_level: str = "M", border: int = 4) -> np.ndarray:
    """The symbol as a bool matrix (True = dark), quiet zone of ``border`` modules included."""
    ec = _EC_LEVELS[ec_level]
    for version in range(1, 41):
        data = _codewords(segments, version, ec)
        if data is None:
            continue
        qr = qrcode.QRCode(version=version, error_correction=ec, border=border)
        qr.data_cache = data  # our own bit stream; qrcode only places, masks and draws it
        qr.make(fit=False)
        return np.array(qr.get_matrix(), dtype=bool)
    raise ValueError("data does not fit in a QR code")


def qr_image(segments: list[Segment], module_px: int = 8, ec_level: str = "M", border: int = 4) -> np.ndarray:
    """A grayscale uint8 image (white paper, black modules) of the symbol."""
    modules = qr_modules(segments, ec_level, border)
    img = np.where(modules, 0, 255).astype(np.uint8)
    return np.kron(img, np.ones((module_px, module_px), dtype=np.uint8))


def text_qr_image(text: str, module_px: int = 8, ec_level: str = "M") -> np.ndarray:
    """The everyday case: UTF-8 text in byte mode without ECI (what phones and most generators write)."""
    return qr_image([ByteSegment(text.encode("utf-8"))], module_px, ec_level)
