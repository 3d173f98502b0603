"""Printer status of our own: DLE EOT 1-4 with a deadline, validated replies, one honest summary.

python-escpos 3.1 reports "paper adequate" from a silent serial printer and has no cover/cutter API, so the
kiosk relies on this module instead. Silence is OFFLINE, a malformed reply is UNKNOWN, never OK.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from madoguchi.devices.printer.replies import Garbage, Reply, StatusByte

DLE_EOT = b"\x10\x04"
DEFAULT_STATUS_TIMEOUT_S = 2.5


class PrinterStatus(StrEnum):
    OK = "OK"
    PAPER_LOW = "PAPER_LOW"
    PAPER_OUT = "PAPER_OUT"
    COVER_OPEN = "COVER_OPEN"
    CUTTER_ERROR = "CUTTER_ERROR"
    OFFLINE = "OFFLINE"
    UNKNOWN = "UNKNOWN"

    @property
    def can_print(self) -> bool:
        return self in (PrinterStatus.OK, PrinterStatus.PAPER_LOW)

    @property
    def message_id(self) -> str:
        return f"printer.status.{self.value.lower()}"


@dataclass(frozen=True)
class StatusReport:
    status: PrinterStatus
    detail: str = ""
    raw: bytes = field(default=b"", compare=False)

    def to_json_dict(self) -> dict[str, str]:
        return {"status": self.status.value, "detail": self.detail}


def interpret_dle_eot(printer: int, offline: int, error: int, paper: int) -> StatusReport:
    """Map the four DLE EOT bytes (n = 1, 2, 3, 4) to one status; the most serious condition wins."""
    raw = bytes((printer, offline, error, paper))
    if offline & 0x04:
        return StatusReport(PrinterStatus.COVER_OPEN, "cover open", raw)
    if paper & 0x60 or offline & 0x20:
        return StatusReport(PrinterStatus.PAPER_OUT, "paper end", raw)
    if error & 0x08:
        return StatusReport(PrinterStatus.CUTTER_ERROR, "autocutter error", raw)
    if error & 0x20:
        return StatusReport(PrinterStatus.UNKNOWN, "unrecoverable error", raw)
    if error & 0x40:
        return StatusReport(PrinterStatus.OFFLINE, "auto-recoverable error (head temperature?)", raw)
    if printer & 0x08 or offline & 0x40:
        return StatusReport(PrinterStatus.OFFLINE, "printer offline", raw)
    if paper & 0x0C:
        return StatusReport(PrinterStatus.PAPER_LOW, "paper near end", raw)
    return StatusReport(PrinterStatus.OK, "ready", raw)


def interpret_asb(data: bytes) -> StatusReport:
    """Map a 4-byte Automatic Status Back message (EPSON TM layout)."""
    first, second, third = data[0], data[1], data[2]
    if first & 0x20:
        return StatusReport(PrinterStatus.COVER_OPEN, "cover open (ASB)", data)
    if third & 0x0C:
        return StatusReport(PrinterStatus.PAPER_OUT, "paper end (ASB)", data)
    if second & 0x08:
        return StatusReport(PrinterStatus.CUTTER_ERROR, "autocutter error (ASB)", data)
    if second & 0x20:
        return StatusReport(PrinterStatus.UNKNOWN, "unrecoverable error (ASB)", data)
    if first & 0x08 or second & 0x40:
        return StatusReport(PrinterStatus.OFFLINE, "printer offline (ASB)", data)
    if third & 0x03:
        return StatusReport(PrinterStatus.PAPER_LOW, "paper near end (ASB)", data)
    return StatusReport(PrinterStatus.OK, "ready (ASB)", data)


class ReplyLink:
    """What the status query needs from a connection: write bytes, and read parsed replies until a deadline.

    ``read_replies`` returns what arrived within ``timeout`` (possibly nothing); ``stash`` keeps replies that
    were not for the caller (ASB, process IDs) for whoever asks next.
    """

    def write(self, data: bytes) -> None:
        raise NotImplementedError

    def read_replies(self, timeout: float) -> list[Reply]:
        raise NotImplementedError

    def stash(self, reply: Reply) -> None:
        raise NotImplementedError


def query_status(
    link: ReplyLink, timeout: float = DEFAULT_STATUS_TIMEOUT_S, clock: Callable[[], float] = time.monotonic
) -> StatusReport:
    """Send DLE EOT 1..4 one at a time and wait for each reply, all within ``timeout`` seconds in total."""
    deadline = clock() + timeout
    # Drain: a status byte left over from an earlier, timed-out query must not answer this one.
    for reply in link.read_replies(0.0):
        if not isinstance(reply, StatusByte):
            link.stash(reply)
    values: list[int] = []
    garbage: list[int] = []
    for n in (1, 2, 3, 4):
        link.write(DLE_EOT + bytes((n,)))
        got: int | None = None
        while got is None:
            remaining = deadline - clock()
            if remaining <= 0:
                break
            for reply in link.read_replies(min(remaining, 0.25)):
                if isinstance(reply, StatusByte) and got is None:
                    got = reply.value
                elif isinstance(reply, StatusByte | Garbage):
                    garbage.append(reply.value)
                else:
                    link.stash(reply)
        if got is None:
            if not values and not garbage:
                return StatusReport(PrinterStatus.OFFLINE, f"no reply to DLE EOT within {timeout:g} s")
            bad = " ".join(f"{b:02x}" for b in garbage)
            return StatusReport(PrinterStatus.UNKNOWN, f"incomplete or invalid status reply ({bad or 'none'})")
        values.append(got)
    return interpret_dle_eot(*values)
