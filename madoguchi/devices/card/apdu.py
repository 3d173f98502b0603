"""Command APDUs of the 券面事項入力補助AP, status words, and a channel that handles 61xx / 6Cxx.

Nothing here logs command data: VERIFY commands carry the PIN.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)

TEXT_AP_AID = bytes.fromhex("D392100031000101 0408".replace(" ", ""))
EF_INDIVIDUAL_NUMBER = 0x0001
EF_BASIC_INFO = 0x0002
KEY_PIN = 0x0011
KEY_COLLATION_B = 0x0015

SW_OK = 0x9000
SW_SECURITY_NOT_SATISFIED = 0x6982
SW_FILE_NOT_FOUND = 0x6A82
SW_BLOCKED = 0x6984
SW_AUTH_BLOCKED = 0x6983
SW_WRONG_P1P2 = 0x6A86
SW_FUNCTION_NOT_SUPPORTED = 0x6A81
SW_WRONG_OFFSET = 0x6B00
SW_EOF_WARNING = 0x6282
SW_INS_NOT_SUPPORTED = 0x6D00


class Transport(Protocol):
    """What a pyscard CardConnection offers: send a C-APDU, get (data, sw1, sw2)."""

    def transmit(self, apdu: list[int]) -> tuple[list[int], int, int]: ...


@dataclass(frozen=True)
class Response:
    data: bytes
    sw: int

    @property
    def ok(self) -> bool:
        return self.sw == SW_OK

    @property
    def sw1(self) -> int:
        return self.sw >> 8

    @property
    def sw2(self) -> int:
        return self.sw & 0xFF


def select_df(aid: bytes) -> list[int]:
    # P2=0C: no FCI returned, so the command is case 3 (no Le).
    return [0x00, 0xA4, 0x04, 0x0C, len(aid), *aid]


def select_ef(fid: int) -> list[int]:
    return [0x00, 0xA4, 0x02, 0x0C, 0x02, fid >> 8, fid & 0xFF]


def verify(p2: int, secret: bytes | None) -> list[int]:
    """VERIFY; ``secret=None`` is the no-data query that answers 63Cx and spends no try."""
    if secret is None:
        return [0x00, 0x20, 0x00, p2]
    return [0x00, 0x20, 0x00, p2, len(secret), *secret]


def verify_p2_current() -> int:
    return 0x80


def verify_p2_sfi(sfi: int) -> int:
    return 0x80 | sfi


def read_binary(offset: int, le: int) -> list[int]:
    """READ BINARY of the current EF; ``le`` 1..256 (256 is sent as 00)."""
    if not 0 <= offset <= 0x7FFF or not 1 <= le <= 256:
        raise ValueError("offset or Le out of range")
    return [0x00, 0xB0, offset >> 8, offset & 0xFF, le & 0xFF]


def read_binary_sfi(sfi: int, offset: int, le: int) -> list[int]:
    """READ BINARY with a short EF id in P1: selects the EF too; offset ≤ 255."""
    if not 0 <= offset <= 0xFF or not 1 <= le <= 256 or not 1 <= sfi <= 30:
        raise ValueError("SFI, offset or Le out of range")
    return [0x00, 0xB0, 0x80 | sfi, offset, le & 0xFF]


def get_response(le: int) -> list[int]:
    return [0x00, 0xC0, 0x00, 0x00, le & 0xFF]


class ApduChannel:
    """Sends APDUs over a transport, re-sends on 6Cxx, collects 61xx, and counts what went over the wire."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        self.count = 0

    def _send(self, apdu: list[int]) -> Response:
        self.count += 1
        data, sw1, sw2 = self._transport.transmit(apdu)
        # INS and SW only: the data of a VERIFY is a PIN.
        log.debug("apdu ins=%02X sw=%02X%02X", apdu[1], sw1, sw2)
        return Response(bytes(data), (sw1 << 8) | sw2)

    def transmit(self, apdu: list[int]) -> Response:
        resp = self._send(apdu)
        if resp.sw1 == 0x6C and len(apdu) == 5:
            # Wrong Le: the card tells the right one (00 means 256).
            resp = self._send([*apdu[:4], resp.sw2])
        data = bytearray(resp.data)
        while resp.sw1 == 0x61:
            resp = self._send(get_response(resp.sw2))
            data += resp.data
        return Response(bytes(data), resp.sw)
