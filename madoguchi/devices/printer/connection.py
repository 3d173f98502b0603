"""A transport plus the reply parser: the object status queries and the print worker talk through."""

from __future__ import annotations

import time
from collections import deque

from madoguchi.devices.printer.errors import PrinterError, PrinterErrorReason
from madoguchi.devices.printer.replies import AutoStatus, ProcessIdReply, Reply, ReplyParser
from madoguchi.devices.printer.status import (
    DEFAULT_STATUS_TIMEOUT_S,
    ReplyLink,
    StatusReport,
    query_status,
)
from madoguchi.devices.printer.transports import Transport

CLEAR_BUFFERS = b"\x10\x14\x08\x01\x03\x14\x01\x06\x02\x08"  # DLE DC4 fn 8: drop receive and print buffers


class PrinterConnection(ReplyLink):
    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self._parser = ReplyParser()
        self._stash: deque[Reply] = deque()

    # ReplyLink
    def write(self, data: bytes, timeout: float = 5.0) -> None:
        self.transport.write(data, timeout)

    def read_replies(self, timeout: float) -> list[Reply]:
        return self._parser.feed(self.transport.read(timeout))

    def stash(self, reply: Reply) -> None:
        self._stash.append(reply)

    def query_status(self, timeout: float = DEFAULT_STATUS_TIMEOUT_S) -> StatusReport:
        if not self.transport.reads_status:
            return self.transport.queue_report()
        # A lost connection raises PrinterError(CONNECTION_LOST): the owner decides whether to reconnect.
        return query_status(self, timeout)

    def take_auto_status(self) -> list[AutoStatus]:
        """ASB messages received so far (stashed or newly arrived), oldest first."""
        for reply in self.read_replies(0.0):
            if isinstance(reply, AutoStatus | ProcessIdReply):
                self._stash.append(reply)
        found = [r for r in self._stash if isinstance(r, AutoStatus)]
        self._stash = deque(r for r in self._stash if not isinstance(r, AutoStatus))
        return found

    def wait_for_process_id(self, ack_id: str, timeout: float) -> bool:
        """True once the printer echoes ``ack_id`` (everything before it printed); False at the deadline."""
        deadline = time.monotonic() + timeout
        while True:
            if any(isinstance(r, ProcessIdReply) and r.ack_id == ack_id for r in self._stash):
                self._stash = deque(r for r in self._stash if not isinstance(r, ProcessIdReply))
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            for reply in self.read_replies(min(remaining, 0.1)):
                if isinstance(reply, AutoStatus | ProcessIdReply):  # stray status bytes are stale by now
                    self._stash.append(reply)

    def clear_printer_buffers(self) -> None:
        try:
            self.transport.write(CLEAR_BUFFERS, 2.0)
        except PrinterError as exc:
            if exc.reason is not PrinterErrorReason.CONNECTION_LOST:
                raise
