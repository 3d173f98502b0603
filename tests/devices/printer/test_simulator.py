from __future__ import annotations

import json
import socket

from madoguchi.devices.printer.escpos_output import build_kanji_text_job
from madoguchi.devices.printer.printer_url import parse_printer_url
from madoguchi.devices.printer.profiles import get_profile
from madoguchi.devices.printer.sim_harness import RunningSimulator
from madoguchi.devices.printer.sim_links import ControlServer
from madoguchi.devices.printer.simulator import SimState, SimulatedPrinter
from madoguchi.devices.printer.ticket_layout import TicketContent
from madoguchi.devices.printer.transports import open_transport


def test_text_and_kanji_mode_are_decoded(sim: RunningSimulator, content: TicketContent) -> None:
    job = build_kanji_text_job(content, get_profile("TM-T20II"))
    with open_transport(parse_printer_url(sim.url)) as transport:
        transport.write(b"\x1b@Hello printer\n" + job.data, 5)
    printed = sim.printer.wait_for_jobs(1)[0]
    assert printed.texts[0] == "Hello printer"
    assert content.number in printed.texts and content.service_name_ja in printed.texts
    assert printed.qr_payloads == [content.status_url]
    assert printed.unknown_commands == []


def test_unknown_commands_are_reported() -> None:
    printer = SimulatedPrinter(384)
    printer.start()
    try:
        printer.receive(b"\x1d\xee" + b"\x1dV\x00")
        job = printer.wait_for_jobs(1)[0]
        assert job.unknown_commands == ["1d ee"]
    finally:
        printer.stop()


def test_clear_buffers_discards_a_paused_job() -> None:
    printer = SimulatedPrinter(384, state=SimState.PAPER_OUT)
    printer.start()
    try:
        printer.receive(b"\x1b@abc\n\x1dV\x00")
        assert printer.snapshot()["buffered_bytes"] == 9
        printer.receive(b"\x10\x14\x08\x01\x03\x14\x01\x06\x02\x08")
        assert printer.snapshot()["buffered_bytes"] == 0
    finally:
        printer.stop()


def test_control_commands_over_the_control_port() -> None:
    printer = SimulatedPrinter()
    control = ControlServer(printer)
    control.start()
    try:
        with socket.create_connection(("127.0.0.1", control.port), timeout=5) as conn:
            conn.sendall(b"state cover_open\nspeed 250\nbogus\n")
            with conn.makefile("r", encoding="utf-8", newline="\n") as stream:
                first, _, third = (stream.readline() for _ in range(3))
        assert first.startswith("ok ") and json.loads(first[3:])["state"] == "cover_open"
        assert printer.state is SimState.COVER_OPEN
        assert third.startswith("error:")
    finally:
        control.stop()


def test_apply_command_rejects_unknown_states() -> None:
    assert SimulatedPrinter().apply_command("state exploded").startswith("error:")
