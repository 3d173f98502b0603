"""What the simulator decodes from the job bytes is exactly what the layout rendered."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageChops

from madoguchi.devices.printer.connection import PrinterConnection
from madoguchi.devices.printer.escpos_output import JobOptions, build_ticket_job
from madoguchi.devices.printer.printer_url import parse_printer_url
from madoguchi.devices.printer.sim_harness import running_simulator, sample_content
from madoguchi.devices.printer.ticket_layout import RenderedTicket, render_test_page, render_ticket
from madoguchi.devices.printer.transports import open_transport


def _print_through_simulator(
    profile_name: str, ticket_for: str, options: JobOptions, out_dir: Path
) -> tuple[RenderedTicket, Image.Image, list[str]]:
    with running_simulator(profile_name, out_dir=out_dir) as sim:
        url = parse_printer_url(sim.url)
        if ticket_for == "test_page":
            ticket = render_test_page(url.profile, url.describe(), "2026-11-28 10:15", "tcp://sim")
        else:
            ticket = render_ticket(sample_content(ticket_for), url.profile)
        job = build_ticket_job(ticket, url.profile, options, ack_id="0007")
        with open_transport(url) as transport:
            conn = PrinterConnection(transport)
            conn.write(job.data)
            if job.ack_id is not None:
                assert conn.wait_for_process_id(job.ack_id, 10)
        printed = sim.printer.wait_for_jobs(1)[0]
        assert printed.complete and printed.unknown_commands == []
        assert printed.png_path is not None and printed.png_path.is_file()
        return ticket, printed.image, printed.qr_payloads


def _assert_same_pixels(ticket: RenderedTicket, printed: Image.Image) -> None:
    source = ticket.image
    assert printed.width == source.width
    head = printed.crop((0, 0, source.width, source.height))
    assert ImageChops.difference(head.convert("L"), source.convert("L")).getbbox() is None
    # Below the ticket only the feed before the cut: blank paper.
    tail = printed.crop((0, source.height, printed.width, printed.height))
    assert tail.height == 0 or tail.getextrema() == (1, 1)


@pytest.mark.parametrize(
    ("profile", "language", "options"),
    [
        ("TM-T20II", "ja", JobOptions()),  # native QR
        ("TM-T88V", "ne", JobOptions()),  # native QR, 512 dots
        ("58mm", "ko", JobOptions(fragment_height=96)),  # QR as image
        ("TM-T20II", "vi", JobOptions(native_qr=False, image_impl="graphics")),  # GS ( L
    ],
)
def test_simulator_image_equals_rendered_image(
    profile: str, language: str, options: JobOptions, printer_artifacts: Path
) -> None:
    out = printer_artifacts / f"roundtrip-{profile}-{language}"
    ticket, printed, payloads = _print_through_simulator(profile, language, options, out)
    _assert_same_pixels(ticket, printed)
    native = options.native_qr is not False and profile != "58mm"
    assert payloads == ([sample_content(language).status_url] if native else [])


def test_native_qr_decodes_to_the_phone_url(printer_artifacts: Path) -> None:
    _, _, payloads = _print_through_simulator("TM-T20II", "en", JobOptions(), printer_artifacts / "roundtrip-qr")
    png = sorted((printer_artifacts / "roundtrip-qr").glob("job-*.png"))[-1]
    found = zxingcpp.read_barcodes(Image.open(png).convert("L"))
    assert [r.text for r in found] == [sample_content("en").status_url] == payloads


def test_test_page_round_trip(printer_artifacts: Path) -> None:
    ticket, printed, _ = _print_through_simulator("TM-T88V", "test_page", JobOptions(), printer_artifacts / "rt-test")
    _assert_same_pixels(ticket, printed)
