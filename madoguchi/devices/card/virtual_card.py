"""A virtual My Number card: the 券面事項入力補助AP behind vsmartcard-vpcd's socket protocol.

``VirtualMyNumberCard`` answers C-APDUs like the real AP (SELECT, VERIFY with retry counters and lock,
READ BINARY with offsets and Le, 6982 before VERIFY, 6A82 for other applications, 照合番号B).
``VpcdCardClient`` connects it to vpcd: TCP, the card is the client, every message is a 2-byte big-endian
length + payload; 1-byte payloads from vpcd are control codes. Closing the socket = pulling the card.
Nothing here logs APDU data or card contents.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import socket
import threading
import time
from dataclasses import dataclass, field

from madoguchi.devices.card import apdu
from madoguchi.devices.card.basic_info import BasicInfo, Sex, encode_basic_info, encode_individual_number
from madoguchi.devices.card.collation import collation_number_b

log = logging.getLogger(__name__)

VPCD_HOST = "127.0.0.1"
VPCD_PORT = 35963
# Contactless pseudo-ATR of a My Number card (pcsc-tools smartcard_list), and a generic one for "other card".
MYNUMBER_ATR = bytes.fromhex("3B888001000005E0B381A1007F")
OTHER_CARD_ATR = bytes.fromhex("3B8880010000000000000000 09".replace(" ", ""))

_CTRL_OFF, _CTRL_ON, _CTRL_RESET, _CTRL_ATR = 0, 1, 2, 4
PIN_MAX_TRIES = 3
COLLATION_B_MAX_TRIES = 10
EF_CERTIFICATE = 0x0004
EF_AP_BASIC = 0x0005


def _sw(code: int) -> bytes:
    return code.to_bytes(2, "big")


@dataclass
class CardProfile:
    """What is printed on and stored in the virtual card, and how it misbehaves."""

    name: str = "平塚　花子"
    address: str = "神奈川県平塚市浅間町９－１"
    birth_date: datetime.date = datetime.date(1980, 2, 17)
    sex: Sex = Sex.female
    individual_number: str = "123456789018"
    pin: str = "1234"
    tries_left: int = PIN_MAX_TRIES
    expiry_year: int = 2035
    security_code: str = "2285"
    collation_tries_left: int = COLLATION_B_MAX_TRIES
    #: False: the card answers 6A82 to the AP's SELECT (a transport IC card, a bank card, …)
    is_mynumber: bool = True
    #: pull the card when this many C-APDUs have been answered (the next one gets no answer)
    remove_after_apdus: int | None = None
    #: pull the card this many seconds after insertion
    remove_after_seconds: float | None = None
    #: False: READ BINARY / VERIFY with a short EF id answer 6A86 (a card that only knows SELECT EF)
    sfi_supported: bool = True
    #: True: READ BINARY asking past the end answers 6Cxx instead of the short data + 6282
    strict_le: bool = False
    #: answer longer responses in pieces of this size with 61xx (GET RESPONSE), as T=0 cards do
    response_chunk: int | None = None

    def basic_info(self) -> BasicInfo:
        return BasicInfo(self.name, self.address, self.birth_date, self.sex)

    def __repr__(self) -> str:
        return "CardProfile(<personal data hidden>)"


def _pad(data: bytes, unit: int = 32) -> bytes:
    # Files on the card are larger than their TLV; the rest is FF filler.
    size = -(-len(data) // unit) * unit
    return data + b"\xff" * (size - len(data))


@dataclass
class _Security:
    pin: bool = False
    collation_b: bool = False


@dataclass
class VirtualMyNumberCard:
    """The AP's behaviour. Retry counters live in ``profile`` and survive removal, as on a real card."""

    profile: CardProfile
    _selected: bool = False
    _current_ef: int | None = None
    _security: _Security = field(default_factory=_Security)
    _pending: bytes = b""
    #: what the card saw, for tests: EF ids answered by READ BINARY, and VERIFY commands carrying data
    files_read: list[int] = field(default_factory=list)
    verify_attempts: int = 0

    def __repr__(self) -> str:
        return "VirtualMyNumberCard(<personal data hidden>)"

    @property
    def atr(self) -> bytes:
        return MYNUMBER_ATR if self.profile.is_mynumber else OTHER_CARD_ATR

    def reset(self) -> None:
        """Power off/on or reset: selection and security status are lost, retry counters are not."""
        self._selected = False
        self._current_ef = None
        self._security = _Security()
        self._pending = b""

    def _files(self) -> dict[int, bytes]:
        p = self.profile
        return {
            apdu.EF_INDIVIDUAL_NUMBER: encode_individual_number(p.individual_number),
            apdu.EF_BASIC_INFO: _pad(encode_basic_info(p.basic_info())),
            EF_CERTIFICATE: _pad(b"\x7f\x21\x00"),
            EF_AP_BASIC: bytes.fromhex("FF400FDF410104DF420110DF43018000"),
        }

    def _readable(self, ef: int) -> bool:
        if ef == apdu.EF_INDIVIDUAL_NUMBER:
            return self._security.pin
        if ef == apdu.EF_BASIC_INFO:
            return self._security.pin or self._security.collation_b
        return True

    def process(self, command: bytes) -> bytes:
        """Answer one C-APDU with ``data || SW1 SW2``."""
        if len(command) < 4:
            return _sw(0x6700)
        cla, ins, p1, p2 = command[:4]
        body = command[4:]
        if cla != 0x00:
            return _sw(0x6E00)
        if ins == 0xC0:
            return self._get_response(body)
        self._pending = b""
        if ins == 0xA4:
            return self._select(p1, body)
        if ins == 0x20:
            return self._verify(p1, p2, body)
        if ins == 0xB0:
            return self._chunked(self._read_binary(p1, p2, body))
        return _sw(0x6D00)

    def _chunked(self, response: bytes) -> bytes:
        n = self.profile.response_chunk
        data = response[:-2]
        if n is None or len(data) <= n:
            return response
        self._pending = response
        return self._get_response(bytes([n]))

    def _get_response(self, body: bytes) -> bytes:
        if not self._pending or len(body) != 1:
            return _sw(0x6985)
        n = body[0] or 256
        data, sw = self._pending[:-2], self._pending[-2:]
        part, rest = data[:n], data[n:]
        if rest:
            self._pending = rest + sw
            return part + bytes([0x61, min(len(rest), 256) & 0xFF])
        self._pending = b""
        return part + sw

    def _select(self, p1: int, body: bytes) -> bytes:
        if not body or body[0] != len(body) - 1:
            return _sw(0x6700)
        name = body[1:]
        if p1 == 0x04:
            if self.profile.is_mynumber and name == apdu.TEXT_AP_AID:
                self.reset()
                self._selected = True
                return _sw(apdu.SW_OK)
            return _sw(apdu.SW_FILE_NOT_FOUND)
        if p1 == 0x02 and len(name) == 2:
            fid = int.from_bytes(name, "big")
            if self._selected and (fid in self._files() or fid in (apdu.KEY_PIN, apdu.KEY_COLLATION_B)):
                self._current_ef = fid
                return _sw(apdu.SW_OK)
            return _sw(apdu.SW_FILE_NOT_FOUND)
        return _sw(apdu.SW_WRONG_P1P2)

    def _verify(self, p1: int, p2: int, body: bytes) -> bytes:
        if not self._selected or p1 != 0x00:
            return _sw(0x6A88 if not self._selected else apdu.SW_WRONG_P1P2)
        if p2 == 0x80:
            key = self._current_ef
        elif p2 & 0xE0 == 0x80 and self.profile.sfi_supported:
            key = p2 & 0x1F
        else:
            return _sw(apdu.SW_WRONG_P1P2)
        if key not in (apdu.KEY_PIN, apdu.KEY_COLLATION_B):
            return _sw(0x6A88)  # referenced data not found
        is_pin = key == apdu.KEY_PIN
        p = self.profile
        left = p.tries_left if is_pin else p.collation_tries_left
        if not body:
            return _sw(0x63C0 | left)
        self.verify_attempts += 1
        if left == 0:
            return _sw(apdu.SW_BLOCKED)
        if body[0] != len(body) - 1:
            return _sw(0x6700)
        expected = p.pin if is_pin else collation_number_b(p.birth_date, p.expiry_year, p.security_code)
        if body[1:] == expected.encode("ascii"):
            if is_pin:
                p.tries_left = PIN_MAX_TRIES
                self._security.pin = True
            else:
                p.collation_tries_left = COLLATION_B_MAX_TRIES
                self._security.collation_b = True
            return _sw(apdu.SW_OK)
        left -= 1
        if is_pin:
            p.tries_left = left
            self._security.pin = False
        else:
            p.collation_tries_left = left
            self._security.collation_b = False
        return _sw(0x63C0 | left)

    def _read_binary(self, p1: int, p2: int, body: bytes) -> bytes:
        if len(body) != 1:
            return _sw(0x6700)  # short Le only
        le = body[0] or 256
        if p1 & 0x80:
            if not self.profile.sfi_supported or p1 & 0x60:
                return _sw(apdu.SW_WRONG_P1P2)
            sfi = p1 & 0x1F
            if not self._selected or sfi not in self._files():
                return _sw(apdu.SW_FILE_NOT_FOUND)
            self._current_ef = sfi
            offset = p2
        else:
            offset = (p1 << 8) | p2
        ef = self._current_ef
        files = self._files()
        if ef is None or not self._selected:
            return _sw(0x6986)  # no current EF
        if ef not in files:
            return _sw(0x6981)  # a key, not a binary file
        if not self._readable(ef):
            return _sw(apdu.SW_SECURITY_NOT_SATISFIED)
        content = files[ef]
        if offset >= len(content):
            return _sw(apdu.SW_WRONG_OFFSET)
        data = content[offset : offset + le]
        self.files_read.append(ef)
        if len(data) < le:
            if self.profile.strict_le:
                return _sw(0x6C00 | len(data))
            return data + _sw(apdu.SW_EOF_WARNING)
        return data + _sw(apdu.SW_OK)


class DirectTransport:
    """A Transport straight into a virtual card, without pcscd (unit tests, UI tests)."""

    def __init__(self, card: VirtualMyNumberCard) -> None:
        self.card = card

    def transmit(self, command: list[int]) -> tuple[list[int], int, int]:
        response = self.card.process(bytes(command))
        return list(response[:-2]), response[-2], response[-1]


class VpcdCardClient:
    """Connects a virtual card to vpcd on a worker thread; ``remove()`` pulls it, ``insert()`` puts it back."""

    def __init__(self, card: VirtualMyNumberCard, port: int = VPCD_PORT, host: str = VPCD_HOST) -> None:
        self.card = card
        self.port = port
        self.host = host
        self.apdu_count = 0
        self.inserted = threading.Event()
        self.removed = threading.Event()
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._generation = 0

    def insert(self, connect_timeout: float = 10.0) -> None:
        """Connect to vpcd (retrying while it starts) and serve APDUs on a daemon thread."""
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError("card already inserted")
        deadline = time.monotonic() + connect_timeout
        while True:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=2.0)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.card.reset()
        self.apdu_count = 0
        self.removed.clear()
        with self._lock:
            self._sock = sock
        self.inserted.set()
        log.info("virtual card inserted on vpcd port %d", self.port)
        self._thread = threading.Thread(target=self._serve, args=(sock,), name=f"vcard-{self.port}", daemon=True)
        self._thread.start()
        self._generation += 1
        if self.card.profile.remove_after_seconds is not None:
            timer = threading.Timer(self.card.profile.remove_after_seconds, self._timed_remove, (self._generation,))
            timer.daemon = True
            timer.start()

    def _timed_remove(self, generation: int) -> None:
        if generation == self._generation:  # not a later insertion of the same card
            self.remove()

    def remove(self) -> None:
        with self._lock:
            sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
            log.info("virtual card removed from vpcd port %d", self.port)
        self.inserted.clear()
        self.removed.set()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _recv_exact(self, sock: socket.socket, n: int) -> bytes | None:
        buf = bytearray()
        while len(buf) < n:
            # Re-armed before every recv: Linux clears quick-ACK mode, and vpcd writes the length and
            # the payload separately, so a delayed ACK would cost ~40 ms per APDU (Nagle on vpcd's side).
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
                chunk = sock.recv(n - len(buf))
            except OSError:
                return None
            if not chunk:
                return None
            buf += chunk
        return bytes(buf)

    def _send(self, sock: socket.socket, payload: bytes) -> bool:
        try:
            sock.sendall(len(payload).to_bytes(2, "big") + payload)
        except OSError:
            return False
        return True

    def _serve(self, sock: socket.socket) -> None:
        limit = self.card.profile.remove_after_apdus
        while True:
            header = self._recv_exact(sock, 2)
            if header is None:
                break
            payload = self._recv_exact(sock, int.from_bytes(header, "big"))
            if payload is None:
                break
            if len(payload) == 1:
                code = payload[0]
                if code in (_CTRL_OFF, _CTRL_ON, _CTRL_RESET):
                    self.card.reset()
                elif code == _CTRL_ATR and not self._send(sock, self.card.atr):
                    break
                continue
            if limit is not None and self.apdu_count >= limit:
                break  # pulled while the reader waits for the answer
            response = self.card.process(payload)
            self.apdu_count += 1
            if not self._send(sock, response):
                break
        self.remove()
