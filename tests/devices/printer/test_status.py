from __future__ import annotations

import pytest

from madoguchi.devices.printer.connection import PrinterConnection
from madoguchi.devices.printer.printer_url import parse_printer_url
from madoguchi.devices.printer.replies import AutoStatus, Garbage, ProcessIdReply, Reply, ReplyParser, StatusByte
from madoguchi.devices.printer.sim_harness import RunningSimulator
from madoguchi.devices.printer.simulator import DLE_EOT_REPLIES, SimState
from madoguchi.devices.printer.status import PrinterStatus, ReplyLink, interpret_asb, interpret_dle_eot, query_status
from madoguchi.devices.printer.transports import open_transport

EXPECTED = {
    SimState.OK: PrinterStatus.OK,
    SimState.NEAR_END: PrinterStatus.PAPER_LOW,
    SimState.PAPER_OUT: PrinterStatus.PAPER_OUT,
    SimState.COVER_OPEN: PrinterStatus.COVER_OPEN,
    SimState.CUTTER_ERROR: PrinterStatus.CUTTER_ERROR,
    SimState.SILENT: PrinterStatus.OFFLINE,
}


@pytest.mark.parametrize("state", list(DLE_EOT_REPLIES))
def test_dle_eot_bytes_map_to_status(state: SimState) -> None:
    assert interpret_dle_eot(*DLE_EOT_REPLIES[state]).status is EXPECTED[state]


def test_asb_maps_to_status() -> None:
    assert interpret_asb(bytes((0x10, 0, 0, 0))).status is PrinterStatus.OK
    assert interpret_asb(bytes((0x10, 0, 0x03, 0))).status is PrinterStatus.PAPER_LOW
    assert interpret_asb(bytes((0x18, 0, 0x0C, 0))).status is PrinterStatus.PAPER_OUT
    assert interpret_asb(bytes((0x38, 0, 0, 0))).status is PrinterStatus.COVER_OPEN
    assert interpret_asb(bytes((0x18, 0x08, 0, 0))).status is PrinterStatus.CUTTER_ERROR


def test_reply_parser_tells_messages_apart_across_reads() -> None:
    parser = ReplyParser()
    assert parser.feed(b"\x12\x10\x00") == [StatusByte(0x12)]
    assert parser.feed(b"\x03\x00\x37\x22") == [AutoStatus(b"\x10\x00\x03\x00")]
    assert parser.feed(b"0042\x00\x13\xff") == [ProcessIdReply("0042"), Garbage(0xFF)]


@pytest.mark.parametrize("state", list(SimState))
def test_each_state_through_the_network_path(sim: RunningSimulator, state: SimState) -> None:
    sim.printer.set_state(state)
    with open_transport(parse_printer_url(sim.url)) as transport:
        report = PrinterConnection(transport).query_status(timeout=0.5)
    assert report.status is EXPECTED[state]


@pytest.mark.parametrize("state", list(SimState))
def test_each_state_through_a_serial_path(serial_sim: RunningSimulator, state: SimState) -> None:
    serial_sim.printer.set_state(state)
    with open_transport(parse_printer_url(serial_sim.url)) as transport:
        report = PrinterConnection(transport).query_status(timeout=0.5)
    assert report.status is EXPECTED[state]


def test_silent_printer_is_offline_never_paper_adequate(serial_sim: RunningSimulator) -> None:
    serial_sim.printer.set_state(SimState.SILENT)
    with open_transport(parse_printer_url(serial_sim.url)) as transport:
        report = PrinterConnection(transport).query_status(timeout=0.3)
    assert report.status is PrinterStatus.OFFLINE
    assert "no reply" in report.detail
    assert not report.status.can_print


class ScriptedLink(ReplyLink):
    """Hand-written stub: answers each write with the next scripted bytes."""

    def __init__(self, answers: list[bytes], stale: bytes = b"") -> None:
        self.answers = answers
        self.parser = ReplyParser()
        self.pending = stale
        self.sent: list[bytes] = []
        self.stashed: list[Reply] = []

    def write(self, data: bytes) -> None:
        self.sent.append(data)
        self.pending += self.answers.pop(0) if self.answers else b""

    def read_replies(self, timeout: float) -> list[Reply]:
        data, self.pending = self.pending, b""
        return self.parser.feed(data)

    def stash(self, reply: Reply) -> None:
        self.stashed.append(reply)


def test_stale_status_bytes_are_drained_first() -> None:
    link = ScriptedLink([b"\x12", b"\x12", b"\x12", b"\x12"], stale=b"\x1a\x10\x00\x00\x00")
    report = query_status(link, timeout=0.2)
    assert report.status is PrinterStatus.OK
    assert link.sent == [b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x03", b"\x10\x04\x04"]
    assert link.stashed == [AutoStatus(b"\x10\x00\x00\x00")]


def test_invalid_reply_is_unknown() -> None:
    link = ScriptedLink([b"\xff", b"", b"", b""])
    report = query_status(link, timeout=0.2)
    assert report.status is PrinterStatus.UNKNOWN
    assert "ff" in report.detail


def test_reply_that_stops_half_way_is_unknown() -> None:
    link = ScriptedLink([b"\x12", b"\x12"])
    assert query_status(link, timeout=0.2).status is PrinterStatus.UNKNOWN


def test_dle_eot_split_across_packets_is_answered_once(sim: RunningSimulator) -> None:
    with open_transport(parse_printer_url(sim.url)) as transport:
        transport.write(b"\x10", 1.0)
        transport.write(b"\x04\x04", 1.0)
        conn = PrinterConnection(transport)
        replies = conn.read_replies(1.0)
        replies += conn.read_replies(0.2)
    assert replies == [StatusByte(0x12)]
