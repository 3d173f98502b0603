"""ESC/POS command parsing for the printer simulator: bytes in, a list of actions out.

Only what tickets use is interpreted (text, raster images, native QR, feeds, cut, status-related commands);
other known commands are skipped by their length; unknown ones are reported so tests notice.
"""

from __future__ import annotations

from dataclasses import dataclass

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10

# Commands with a fixed number of parameter bytes, keyed by (prefix, command byte).
_FIXED: dict[tuple[int, int], int] = {
    **{(ESC, c): 1 for c in b"!EG-MtR{V SUrcV%"},
    (ESC, ord("=")): 1,
    (ESC, ord("2")): 0,
    (ESC, ord("<")): 0,
    (ESC, ord("$")): 2,
    (ESC, ord("\\")): 2,
    (ESC, ord("p")): 3,
    (ESC, ord("c")): 2,
    **{(GS, c): 1 for c in b"BHhwfbPI"},
    (GS, ord("L")): 2,
    (GS, ord("W")): 2,
    (GS, ord("$")): 2,
    **{(FS, c): 1 for c in b"C!W-"},
    (FS, ord("&")): 0,
    (FS, ord(".")): 0,
    (FS, ord("S")): 2,
    (DLE, 0x05): 1,  # DLE ENQ n
}


@dataclass(frozen=True)
class Action:
    kind: str  # init, align, text, lf, feed_lines, feed_dots, line_spacing, raster, graphics_store,
    # graphics_print, qr_set, qr_store, qr_print, cut, asb, process_id, kanji, char_size, realtime, skip, unknown
    args: tuple[int, ...] = ()
    data: bytes = b""


def _le(lo: int, hi: int) -> int:
    return lo | (hi << 8)


def parse(buf: bytes | bytearray, pos: int, kanji: bool) -> tuple[int, Action] | None:
    """Parse one command or text run at ``pos``; returns (bytes consumed, action) or None if incomplete."""
    n = len(buf)
    b = buf[pos]
    if b == 0x0A:
        return 1, Action("lf")
    if b in (0x0D, 0x00, 0x11, 0x13):
        return 1, Action("skip")
    if b == 0x09:
        return 1, Action("text", data=b" ")
    if b in (ESC, GS, FS, DLE):
        return _parse_command(buf, pos, n)
    if b < 0x20:
        return 1, Action("unknown", (b,))
    # Text run up to the next control byte; in Kanji mode keep Shift_JIS double-byte pairs together.
    end = pos
    while end < n and buf[end] >= 0x20:
        if kanji and (0x81 <= buf[end] <= 0x9F or 0xE0 <= buf[end] <= 0xFC):
            if end + 1 >= n:
                break
            end += 2
        else:
            end += 1
    if end == pos:
        return None
    return end - pos, Action("text", data=bytes(buf[pos:end]))


def _parse_command(buf: bytes | bytearray, pos: int, n: int) -> tuple[int, Action] | None:
    if pos + 1 >= n:
        return None
    prefix, cmd = buf[pos], buf[pos + 1]

    def need(k: int) -> bool:
        return pos + k <= n

    if prefix == DLE:
        if cmd == 0x04:  # DLE EOT n: answered on reception (real-time); nothing to print
            return (3, Action("realtime")) if need(3) else None
        if cmd == 0x14:  # DLE DC4 fn ...
            if not need(3):
                return None
            fn = buf[pos + 2]
            length = 10 if fn == 8 else 5
            return (length, Action("realtime")) if need(length) else None
        if cmd == 0x05:
            return (3, Action("realtime")) if need(3) else None
        return 1, Action("unknown", (prefix,))
    if prefix == ESC:
        if cmd == ord("@"):
            return 2, Action("init")
        if cmd in (ord("a"), ord("d"), ord("J"), ord("3")):
            if not need(3):
                return None
            kind = {ord("a"): "align", ord("d"): "feed_lines", ord("J"): "feed_dots", ord("3"): "line_spacing"}[cmd]
            return 3, Action(kind, (buf[pos + 2],))
        if cmd == ord("2"):
            return 2, Action("line_spacing", (-1,))
        if cmd == ord("*"):  # column bit image: m nL nH data
            if not need(5):
                return None
            m, width = buf[pos + 2], _le(buf[pos + 3], buf[pos + 4])
            size = 5 + width * (3 if m in (32, 33) else 1)
            return (size, Action("unknown", (prefix, cmd))) if need(size) else None
    if prefix == GS:
        if cmd == ord("v"):  # GS v 0 m xL xH yL yH data
            if not need(8):
                return None
            m = buf[pos + 3]
            width_bytes, height = _le(buf[pos + 4], buf[pos + 5]), _le(buf[pos + 6], buf[pos + 7])
            size = 8 + width_bytes * height
            if not need(size):
                return None
            return size, Action("raster", (width_bytes, height, m), bytes(buf[pos + 8 : pos + size]))
        if cmd == ord("("):
            return _parse_gs_paren(buf, pos, n)
        if cmd == ord("V"):
            if not need(3):
                return None
            m = buf[pos + 2]
            if m in (0, 1, 48, 49):
                return 3, Action("cut", (m % 48,))
            return (4, Action("cut", ((m + 1) % 2, buf[pos + 3]))) if need(4) else None
        if cmd == ord("!"):
            return (3, Action("char_size", (buf[pos + 2],))) if need(3) else None
        if cmd == ord("a"):
            return (3, Action("asb", (buf[pos + 2],))) if need(3) else None
        if cmd == ord("r"):
            return (3, Action("transmit_status", (buf[pos + 2],))) if need(3) else None
        if cmd == ord("k"):  # barcode: m < 65 NUL-terminated, else m n data
            if not need(4):
                return None
            m = buf[pos + 2]
            if m < 65:
                end = bytes(buf).find(b"\x00", pos + 3)
                return (end + 1 - pos, Action("skip")) if end >= 0 else None
            size = 4 + buf[pos + 3]
            return (size, Action("skip")) if need(size) else None
    if prefix == FS and cmd in (ord("&"), ord(".")):
        return 2, Action("kanji", (1 if cmd == ord("&") else 0,))
    if prefix == FS and cmd == ord("!"):
        return (3, Action("kanji_size", (buf[pos + 2],))) if need(3) else None
    params = _FIXED.get((prefix, cmd))
    if params is not None:
        return (2 + params, Action("skip")) if need(2 + params) else None
    return 2, Action("unknown", (prefix, cmd))


def _parse_gs_paren(buf: bytes | bytearray, pos: int, n: int) -> tuple[int, Action] | None:
    if pos + 5 > n:
        return None
    fn_class = buf[pos + 2]
    length = _le(buf[pos + 3], buf[pos + 4])
    size = 5 + length
    if pos + size > n:
        return None
    body = bytes(buf[pos + 5 : pos + size])
    if fn_class == ord("k") and len(body) >= 2 and body[0] == ord("1"):  # 2D code, cn = '1' = QR
        fn = body[1]
        if fn == 80:  # store data: cn fn m data
            return size, Action("qr_store", (), body[3:])
        if fn == 81:
            return size, Action("qr_print")
        if fn in (65, 67, 69) and len(body) >= 3:
            return size, Action("qr_set", (fn, body[2]))
        return size, Action("skip")
    if fn_class == ord("L") and len(body) >= 2:
        fn = body[1]
        if fn == 0x70 and len(body) >= 10:  # store raster graphics: m fn a bx by c xL xH yL yH data
            width, height = _le(body[6], body[7]), _le(body[8], body[9])
            return size, Action("graphics_store", (width, height), body[10:])
        if fn in (0x32, 0x02):
            return size, Action("graphics_print")
        return size, Action("skip")
    if fn_class == ord("H") and len(body) >= 6 and body[0] == 48:  # process ID: fn m d1..d4
        return size, Action("process_id", (), body[2:6])
    return size, Action("skip")
