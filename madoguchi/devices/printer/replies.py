"""Split the byte stream coming back from an ESC/POS printer into the messages we asked for.

Each kind has fixed bits, so they can be told apart in one stream (EPSON "identification of send status"):
DLE EOT reply ``0xx1xx10``; ASB first byte ``0xx1xx00`` followed by three ``0xx0xxxx`` bytes; the ``GS ( H``
process-ID reply ``37 22 d1 d2 d3 d4 00``; XON/XOFF are flow control.
"""

from __future__ import annotations

from dataclasses import dataclass

XON, XOFF = 0x11, 0x13
PROCESS_ID_HEADER = b"\x37\x22"


def is_dle_eot_reply(byte: int) -> bool:
    return byte & 0x93 == 0x12


def is_asb_first(byte: int) -> bool:
    return byte & 0x93 == 0x10


@dataclass(frozen=True)
class StatusByte:
    value: int


@dataclass(frozen=True)
class AutoStatus:
    data: bytes  # 4 bytes


@dataclass(frozen=True)
class ProcessIdReply:
    ack_id: str


@dataclass(frozen=True)
class Garbage:
    value: int


Reply = StatusByte | AutoStatus | ProcessIdReply | Garbage


class ReplyParser:
    """Stateful: messages may arrive split over several reads."""

    def __init__(self) -> None:
        self._pending = bytearray()

    def feed(self, data: bytes) -> list[Reply]:
        self._pending.extend(data)
        out: list[Reply] = []
        buf = self._pending
        while buf:
            first = buf[0]
            if first in (XON, XOFF):
                del buf[0]
            elif first == PROCESS_ID_HEADER[0] and (len(buf) < 2 or buf[1] == PROCESS_ID_HEADER[1]):
                if len(buf) < 7:
                    break
                ack = bytes(buf[2:6])
                out.append(ProcessIdReply(ack.decode("ascii", "replace")) if buf[6] == 0 else Garbage(first))
                del buf[: 7 if buf[6] == 0 else 1]
            elif is_dle_eot_reply(first):
                out.append(StatusByte(first))
                del buf[0]
            elif is_asb_first(first):
                if len(buf) < 4:
                    break
                if all(b & 0x90 == 0 for b in buf[1:4]):
                    out.append(AutoStatus(bytes(buf[:4])))
                    del buf[:4]
                else:
                    out.append(Garbage(first))
                    del buf[0]
            else:
                out.append(Garbage(first))
                del buf[0]
        return out
