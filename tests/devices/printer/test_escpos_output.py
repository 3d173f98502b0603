from __future__ import annotations

import re

import pytest
from PIL import Image

from madoguchi.devices.printer.errors import PrinterError, PrinterErrorReason
from madoguchi.devices.printer.escpos_output import (
    JobOptions,
    build_kanji_text_job,
    build_ticket_job,
    process_id_command,
)
from madoguchi.devices.printer.profiles import get_profile
from madoguchi.devices.printer.ticket_layout import RenderedTicket, TicketContent, TicketKind, render_ticket

GS_V0 = re.compile(rb"\x1dv0\x00(..)(..)", re.DOTALL)


def _raster_heights(data: bytes) -> list[int]:
    heights, pos = [], 0
    while (m := GS_V0.search(data, pos)) is not None:
        width_bytes, height = int.from_bytes(m.group(1), "little"), int.from_bytes(m.group(2), "little")
        heights.append(height)
        pos = m.end() + width_bytes * height
    return heights


def test_image_is_sent_in_fragments_of_safe_height(content: TicketContent) -> None:
    ticket = render_ticket(content, get_profile("58mm"))
    job = build_ticket_job(ticket, get_profile("58mm"), JobOptions(fragment_height=96))
    heights = _raster_heights(job.data)
    assert sum(heights) == ticket.image.height
    assert all(h == 96 for h in heights[:-1]) and 0 < heights[-1] <= 96
    assert b"\x1d(k" not in job.data  # 58 mm profile: QR as pixels
    assert job.ack_id is None  # generic 58 mm printers have no process-ID reply


def test_native_qr_replaces_the_qr_pixels(content: TicketContent) -> None:
    profile = get_profile("TM-T20II")
    ticket = render_ticket(content, profile)
    native = build_ticket_job(ticket, profile, ack_id="0042")
    as_image = build_ticket_job(ticket, profile, JobOptions(native_qr=False), ack_id="0042")
    assert content.status_url.encode() in native.data
    assert b"\x1d(k" in native.data and b"\x1d(k" not in as_image.data
    assert len(native.data) < len(as_image.data)
    assert ticket.qr is not None
    assert sum(_raster_heights(native.data)) == ticket.image.height - ticket.qr.size
    assert b"\x1dVB\x00" in native.data  # feed to the cutter, partial cut
    assert native.data.endswith(process_id_command("0042"))
    assert native.data.startswith(b"\x1b@")


def test_fragment_height_must_be_a_multiple_of_24() -> None:
    with pytest.raises(ValueError, match="multiple of 24"):
        JobOptions(fragment_height=100)


def test_never_sends_an_image_wider_than_the_paper(content: TicketContent) -> None:
    wide = render_ticket(content, get_profile("TM-T20II"))
    with pytest.raises(PrinterError) as info:
        build_ticket_job(wide, get_profile("TM-T88V"))
    assert info.value.reason is PrinterErrorReason.IMAGE_TOO_WIDE


def test_graphics_implementation(content: TicketContent) -> None:
    profile = get_profile("TM-T88V")
    job = build_ticket_job(render_ticket(content, profile), profile, JobOptions(image_impl="graphics"))
    assert b"\x1d(L" in job.data and b"\x1dv0" not in job.data


def test_kanji_text_job_uses_shift_jis_and_kanji_mode() -> None:
    content = TicketContent(
        "みどり市役所",
        "A-015",
        "住民票の写し",
        "",
        "あなたの前に 3 人",
        "約 20〜30分",
        "https://x.jp/t/1",
        "10:15",
        "お待ちください",
    )
    job = build_kanji_text_job(content, get_profile("TM-T20II"), ack_id="0001")
    assert "住民票の写し".encode("cp932") in job.data
    assert b"\x1c&" in job.data and b"\x1cC\x01" in job.data
    assert "住民票".encode("gb18030") not in job.data
    assert len(job.data) < 1000


def test_empty_band_is_skipped() -> None:
    image = Image.new("1", (384, 48), 1)
    ticket = RenderedTicket(image, TicketKind.TICKET, None)
    job = build_ticket_job(ticket, get_profile("58mm"))
    assert _raster_heights(job.data) == [48]


def test_own_raster_bytes_equal_python_escpos(content: TicketContent) -> None:
    from escpos.printer import Dummy

    profile = get_profile("TM-T88V")
    image = render_ticket(content, profile).image.crop((0, 0, 512, 240))
    reference = Dummy(profile="TM-T88V")
    reference.image(image, impl="bitImageRaster")
    ours = build_ticket_job(RenderedTicket(image, TicketKind.TICKET, None), profile, JobOptions())
    assert reference.output in ours.data
