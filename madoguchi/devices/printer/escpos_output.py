"""Build the ESC/POS bytes of one print job with python-escpos (image fragments, native QR, partial cut).

Everything is built into a ``Dummy`` printer first, so the transport only ever writes a finished byte string
and status queries never land in the middle of a job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image

from madoguchi.devices.printer.errors import PrinterError, PrinterErrorReason
from madoguchi.devices.printer.escpos_loader import dummy_printer
from madoguchi.devices.printer.profiles import PrinterProfile
from madoguchi.devices.printer.ticket_layout import QrPlacement, RenderedTicket, TicketContent

if TYPE_CHECKING:
    from escpos.printer import Dummy

ESC_INIT = b"\x1b@"
ALIGN_LEFT = b"\x1ba\x00"
ALIGN_CENTER = b"\x1ba\x01"


@dataclass(frozen=True)
class JobOptions:
    """How to print. ``fragment_height`` must be a multiple of 24 (some models garble other heights)."""

    fragment_height: int = 240
    image_impl: str = "bitImageRaster"  # or "graphics" (GS ( L) for models that mis-print GS v 0
    native_qr: bool | None = None  # None: follow the profile
    kanji_text: bool = False  # text mode for verified Japanese-model EPSON printers only

    def __post_init__(self) -> None:
        if self.fragment_height <= 0 or self.fragment_height % 24:
            raise ValueError("fragment_height must be a positive multiple of 24")
        if self.image_impl not in {"bitImageRaster", "graphics"}:
            raise ValueError("image_impl must be bitImageRaster or graphics")


@dataclass(frozen=True)
class JobBytes:
    data: bytes
    ack_id: str | None  # the GS ( H process id the printer echoes when everything is printed
    height_dots: int


def process_id_command(ack_id: str) -> bytes:
    """``GS ( H`` fn 48: the printer answers ``37 22 <id> 00`` after printing all data before it."""
    if len(ack_id) != 4 or not all(0x30 <= ord(c) <= 0x39 for c in ack_id):
        raise ValueError("ack_id must be 4 ASCII digits")
    return b"\x1d(H\x06\x00\x30\x30" + ack_id.encode("ascii")


def _printer(profile: PrinterProfile) -> Dummy:
    return dummy_printer(profile.escpos_profile)


_INVERT = bytes(255 - i for i in range(256))


def _raster_fragment(fragment: Image.Image) -> bytes:
    """``GS v 0`` for a mode "1" image: PIL packs 1 = white, ESC/POS wants 1 = black, both MSB first.

    Same bytes as python-escpos's ``image(impl="bitImageRaster")``, without its four image-mode conversions
    per fragment (a quarter of a ticket's CPU time); widths are whole bytes (profiles are multiples of 8).
    """
    width_bytes = (fragment.width + 7) // 8
    padded = fragment
    if fragment.width % 8:
        padded = Image.new("1", (width_bytes * 8, fragment.height), 1)
        padded.paste(fragment, (0, 0))
    header = b"\x1dv0\x00" + width_bytes.to_bytes(2, "little") + fragment.height.to_bytes(2, "little")
    return header + padded.tobytes().translate(_INVERT)


def _send_image(printer: Dummy, image: Image.Image, options: JobOptions) -> None:
    if image.height == 0:
        return
    for top in range(0, image.height, options.fragment_height):
        fragment = image.crop((0, top, image.width, min(image.height, top + options.fragment_height)))
        if options.image_impl == "bitImageRaster" and fragment.mode == "1":
            printer._raw(_raster_fragment(fragment))
        else:
            printer.image(fragment, impl=options.image_impl, fragment_height=options.fragment_height)


def _band_holds_only_the_qr(image: Image.Image, qr: QrPlacement) -> bool:
    """A native QR replaces the whole band of rows, so anything else drawn beside it (a frame) forbids it."""
    band = image.crop((0, qr.top, image.width, qr.top + qr.size)).convert("L")
    band.paste(255, (qr.left, 0, qr.left + qr.size, qr.size))
    return band.getextrema() == (255, 255)


def _finish(printer: Dummy, profile: PrinterProfile, ack_id: str | None) -> None:
    if printer.profile.supports("paperPartCut") or printer.profile.supports("paperFullCut"):
        # GS V 66/65 n: the printer feeds exactly to its own cutting position, then cuts; python-escpos's
        # cut() feeds a fixed 6 lines instead (~25 mm of blank paper per ticket).
        printer._raw(b"\x1dV" + (b"B" if profile.partial_cut else b"A") + b"\x00")
    else:
        # Cutter-less printer: feed past the tear bar. GS V 0 is ignored by such printers and still marks
        # the end of the ticket for the simulator and for models sold with an optional cutter.
        printer._raw(b"\x1bd\x04\x1dV\x00")
    if ack_id is not None and profile.process_id_response:
        printer._raw(process_id_command(ack_id))


def build_ticket_job(
    ticket: RenderedTicket, profile: PrinterProfile, options: JobOptions | None = None, ack_id: str | None = None
) -> JobBytes:
    """Bytes for a rendered ticket; the QR goes native (``GS ( k``) when the profile and options allow."""
    options = options or JobOptions()
    image = ticket.image
    if image.width > profile.width_dots:
        raise PrinterError(PrinterErrorReason.IMAGE_TOO_WIDE, f"{image.width} > {profile.width_dots} dots")
    native = profile.native_qr if options.native_qr is None else (options.native_qr and profile.native_qr)
    printer = _printer(profile)
    printer._raw(ESC_INIT + ALIGN_LEFT)
    qr = ticket.qr
    if native and qr is not None and _band_holds_only_the_qr(image, qr):
        _send_image(printer, image.crop((0, 0, image.width, qr.top)), options)
        printer._raw(ALIGN_CENTER)
        printer.qr(qr.payload, ec=int(qr.ec), size=qr.module_px, native=True)
        printer._raw(ALIGN_LEFT)
        _send_image(printer, image.crop((0, qr.top + qr.size, image.width, image.height)), options)
    else:
        _send_image(printer, image, options)
    _finish(printer, profile, ack_id)
    return JobBytes(printer.output, ack_id if profile.process_id_response else None, image.height)


#: GS ! / FS ! size: double height only
_TALL = 0x01
#: the printer's ROM font: 24 dots per full-width character, 12 per half-width one
_ROM_FULL = 24


def _rom_lines(text: str, width_dots: int, scale: int) -> list[str]:
    """``text`` in lines of the ROM font that fit ``width_dots``, broken at phrase boundaries."""
    import unicodedata

    from madoguchi.translations.line_breaking import characters, pieces

    def width(s: str) -> int:
        return sum(_ROM_FULL if unicodedata.east_asian_width(c) in "WF" else _ROM_FULL // 2 for c in s) * scale

    lines, line = [], ""
    queue = pieces(text, "ja")
    while queue:
        piece = queue.pop(0)
        if width(line + piece) <= width_dots:
            line += piece
        elif width(piece) > width_dots and len(characters(piece)) > 1:
            queue[:0] = characters(piece)
        else:
            if line.strip():
                lines.append(line.rstrip())
            line = "" if piece.isspace() else piece
    if line.strip():
        lines.append(line.rstrip())
    return lines


def build_kanji_text_job(
    content: TicketContent, profile: PrinterProfile, ack_id: str | None = None, reprint: bool = False
) -> JobBytes:
    """Japanese ticket as printer text (Shift_JIS + ``FS &`` Kanji mode): ~0.3 KB instead of ~50 KB.

    Only for Japanese-model EPSON printers with a Kanji ROM, verified by the installer; other models print
    garbage. Lines in the resident's language that Shift_JIS cannot encode are left out.
    """
    printer = _printer(profile)
    out = bytearray(ESC_INIT + b"\x1cC\x01" + b"\x1c&" + ALIGN_CENTER)  # FS C 1: Shift_JIS; FS &: Kanji on

    def line(text: str, size: int = 0x00) -> None:
        if not text:
            return
        try:
            text.encode("cp932")
        except UnicodeEncodeError:
            return
        # Wrapped here, at phrase boundaries: the printer itself would cut a word wherever the line ends.
        kanji_size = (0x04 if size & 0xF0 else 0) | (0x08 if size & 0x0F else 0)  # FS !: double width, height
        for part in _rom_lines(text, profile.width_dots, (size >> 4) + 1):
            encoded = part.encode("cp932")
            out.extend(b"\x1d!" + bytes([size]) + b"\x1c!" + bytes([kanji_size]) + encoded + b"\n")

    if reprint:
        line(content.reprint_label, 0x11)
    line(content.hall_name)
    line(content.number_label)
    line(content.number, 0x77)  # 8x width and height
    line(content.service_name_ja, 0x11)
    if content.service_name_local != content.service_name_ja:
        line(content.service_name_local, _TALL)
    line(content.people_ahead, _TALL)
    line(content.estimate, 0x11)
    line(content.wait_area, 0x11)
    out.extend(b"\x1d!\x00\x1c!\x00")
    printer._raw(bytes(out))
    if content.status_url and profile.native_qr:
        printer.qr(content.status_url, ec=1, size=max(3, round(0.6 * profile.dots_per_mm)), native=True)
    out = bytearray()
    for text in (content.qr_caption, content.guidance, content.issued_at):
        line(text, _TALL)  # the ROM font is 24 dots (3 mm): double height makes guidance 6 mm high
    printer._raw(bytes(out) + b"\x1d!\x00\x1c!\x00\x1c." + ALIGN_LEFT)  # FS .: Kanji mode off
    _finish(printer, profile, ack_id)
    return JobBytes(printer.output, ack_id if profile.process_id_response else None, 0)
