"""MyNumberSession: the 券面事項入力補助AP conversation over one connected card.

APDU budget of a PIN read of the basic 4 info: SELECT AP, VERIFY query (tries, spends none), VERIFY, one
READ BINARY (two for a long address) = 4. Keys and files are addressed by short EF id (no SELECT EF);
a card that refuses short EF ids (6A86/6A81) gets SELECT EF + P2=80 for the rest of the session.

The PIN is checked for format before anything is sent, sent once, never retried, never stored on the
object, never logged, never put in an exception.
"""

from __future__ import annotations

import datetime
import logging
import re

from madoguchi.devices.card import apdu, tlv
from madoguchi.devices.card.apdu import ApduChannel, Response, Transport
from madoguchi.devices.card.basic_info import (
    INDIVIDUAL_NUMBER_FILE_SIZE,
    BasicInfo,
    BasicInfoError,
    IndividualNumber,
    parse_basic_info,
    parse_individual_number,
)
from madoguchi.devices.card.collation import collation_number_b
from madoguchi.devices.card.errors import CardError, CardErrorReason

log = logging.getLogger(__name__)

_PIN = re.compile(r"[0-9]{4}")
# Answers meaning "short EF id not understood here" (nothing was checked or read): retry via SELECT EF.
_SFI_REFUSED = {apdu.SW_WRONG_P1P2, apdu.SW_FUNCTION_NOT_SUPPORTED, 0x6A80, apdu.SW_INS_NOT_SUPPORTED}
_SFI_VERIFY_REFUSED = _SFI_REFUSED | {0x6A88}  # referenced data (key) not found
_SFI_READ_REFUSED = _SFI_REFUSED | {apdu.SW_FILE_NOT_FOUND, 0x6986}  # no such SFI / no current EF
_LOCKED = {0x63C0, apdu.SW_BLOCKED, apdu.SW_AUTH_BLOCKED}
#: short Le; 255 rather than 256 (Le=00) because some contactless readers choke on 258-byte answers
READ_CHUNK = 0xFF
#: first read of EF 0002: the whole file on most cards
FIRST_READ = 0xFF


class MyNumberSession:
    """One conversation with a card. Not thread-safe: use it from the worker thread that opened it."""

    def __init__(self, transport: Transport, *, use_sfi: bool = True) -> None:
        self._channel = ApduChannel(transport)
        self._use_sfi = use_sfi
        self._pin_tries: int | None = None
        self._selected = False
        self._current_ef: int | None = None

    def __repr__(self) -> str:
        return f"MyNumberSession(apdus={self._channel.count})"

    @property
    def apdu_count(self) -> int:
        """C-APDUs sent so far (GET RESPONSE and 6Cxx re-sends included)."""
        return self._channel.count

    def select_ap(self) -> None:
        """SELECT the 券面事項入力補助AP; anything but 9000 means this is not a My Number card."""
        resp = self._channel.transmit(apdu.select_df(apdu.TEXT_AP_AID))
        if not resp.ok:
            raise CardError(CardErrorReason.not_mynumber, f"SELECT AP answered {resp.sw:04X}")
        self._selected = True
        self._current_ef = None

    def _require_selected(self) -> None:
        if not self._selected:
            self.select_ap()

    # -- keys -------------------------------------------------------------------------------------------

    def _verify(self, key: int, secret: bytes | None) -> Response:
        if self._use_sfi:
            resp = self._channel.transmit(apdu.verify(apdu.verify_p2_sfi(key), secret))
            if resp.sw not in _SFI_VERIFY_REFUSED:
                return resp
            log.info("card refuses short EF ids in VERIFY (%04X); using SELECT EF", resp.sw)
            self._use_sfi = False
        self._select_ef(key)
        return self._channel.transmit(apdu.verify(apdu.verify_p2_current(), secret))

    def _select_ef(self, fid: int) -> None:
        if self._current_ef == fid:
            return
        resp = self._channel.transmit(apdu.select_ef(fid))
        if not resp.ok:
            raise CardError(CardErrorReason.reader_error, f"SELECT EF {fid:04X} answered {resp.sw:04X}")
        self._current_ef = fid

    @staticmethod
    def _tries_from(resp: Response) -> int | None:
        if resp.sw1 == 0x63 and resp.sw2 & 0xF0 == 0xC0:
            return resp.sw2 & 0x0F
        if resp.sw in (apdu.SW_BLOCKED, apdu.SW_AUTH_BLOCKED):
            return 0
        if resp.sw in (apdu.SW_OK, 0x6300):
            return None  # already verified in this session, or a key without a retry limit
        raise CardError(CardErrorReason.reader_error, f"VERIFY query answered {resp.sw:04X}")

    def read_pin_tries(self) -> int | None:
        """PIN tries left, asked with a VERIFY without data (spends none). None: the card gives no count."""
        self._require_selected()
        self._pin_tries = self._tries_from(self._verify(apdu.KEY_PIN, None))
        return self._pin_tries

    def verify_pin(self, pin: str, *, confirm_last_try: bool = False) -> None:
        """Send the resident's 4-digit PIN once.

        Raises CardError: ``pin_format`` (nothing sent), ``locked`` (no try left; nothing sent, or the card
        locked now), ``last_try`` (one try left and not confirmed; nothing sent), ``wrong_pin`` with
        ``tries_left``. Never retries.
        """
        if not isinstance(pin, str) or not _PIN.fullmatch(pin):
            raise CardError(CardErrorReason.pin_format, "the PIN must be exactly 4 digits")
        tries = self._pin_tries if self._pin_tries is not None else self.read_pin_tries()
        if tries == 0:
            raise CardError(CardErrorReason.locked, "no PIN try left", tries_left=0)
        if tries == 1 and not confirm_last_try:
            raise CardError(CardErrorReason.last_try, "one try left: confirm before sending", tries_left=1)
        self._pin_tries = None  # whatever happens next, the count we knew is stale
        resp = self._verify(apdu.KEY_PIN, pin.encode("ascii"))
        self._raise_for_verify(resp, CardErrorReason.wrong_pin)
        log.info("PIN verified")

    def verify_collation_b(self, birth_date: datetime.date, expiry_year: int, security_code: str) -> None:
        """Open the basic 4 info without the PIN: 照合番号B from the card face (staff-assisted reading)."""
        try:
            number = collation_number_b(birth_date, expiry_year, security_code)
        except ValueError as exc:
            raise CardError(CardErrorReason.pin_format, str(exc)) from None
        self._require_selected()
        resp = self._verify(apdu.KEY_COLLATION_B, number.encode("ascii"))
        self._raise_for_verify(resp, CardErrorReason.wrong_collation_number)
        log.info("collation number B verified")

    @staticmethod
    def _raise_for_verify(resp: Response, wrong: CardErrorReason) -> None:
        if resp.ok:
            return
        if resp.sw in _LOCKED:
            raise CardError(CardErrorReason.locked, f"VERIFY answered {resp.sw:04X}", tries_left=0)
        if resp.sw1 == 0x63 and resp.sw2 & 0xF0 == 0xC0:
            raise CardError(wrong, tries_left=resp.sw2 & 0x0F)
        raise CardError(CardErrorReason.reader_error, f"VERIFY answered {resp.sw:04X}")

    # -- files ------------------------------------------------------------------------------------------

    def _read_first(self, fid: int, le: int) -> Response:
        if self._use_sfi:
            resp = self._channel.transmit(apdu.read_binary_sfi(fid, 0, le))
            if resp.sw not in _SFI_READ_REFUSED:
                self._current_ef = fid  # READ BINARY by short EF id makes the EF current
                return resp
            log.info("card refuses short EF ids in READ BINARY (%04X); using SELECT EF", resp.sw)
            self._use_sfi = False
        self._select_ef(fid)
        return self._channel.transmit(apdu.read_binary(0, le))

    @staticmethod
    def _check_read(resp: Response, fid: int) -> None:
        if resp.sw in (apdu.SW_OK, apdu.SW_EOF_WARNING):
            return
        if resp.sw == apdu.SW_SECURITY_NOT_SATISFIED:
            raise CardError(CardErrorReason.pin_required, f"EF {fid:04X} needs a verified PIN")
        raise CardError(CardErrorReason.reader_error, f"READ BINARY EF {fid:04X} answered {resp.sw:04X}")

    def _read_tlv_file(self, fid: int, first_le: int) -> bytes:
        """Read one TLV file with short, chunked READ BINARY; the result is exactly the TLV (filler cut)."""
        self._require_selected()
        resp = self._read_first(fid, first_le)
        self._check_read(resp, fid)
        data = bytearray(resp.data)
        total = tlv.header_total(bytes(data))
        if total is None:
            raise CardError(CardErrorReason.reader_error, f"EF {fid:04X}: no TLV header")
        while len(data) < total:
            resp = self._channel.transmit(apdu.read_binary(len(data), min(READ_CHUNK, total - len(data))))
            self._check_read(resp, fid)
            if not resp.data:
                raise CardError(CardErrorReason.reader_error, f"EF {fid:04X}: file shorter than its TLV")
            data += resp.data
        return bytes(data[:total])

    def read_basic_info(self) -> BasicInfo:
        """Name, address, birth date, sex (EF 0002). Needs a verified PIN or 照合番号B."""
        raw = self._read_tlv_file(apdu.EF_BASIC_INFO, FIRST_READ)
        try:
            return parse_basic_info(raw)
        except BasicInfoError as exc:
            raise CardError(CardErrorReason.reader_error, f"card data: {exc}") from None

    def read_individual_number(self, reason: str) -> IndividualNumber:
        """The 12-digit 個人番号 (EF 0001), check digit verified. Needs a verified PIN.

        ``reason`` is the procedure configuration that requires it (e.g. the service id); it is logged as
        an audit trail, the number never is.
        """
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError("reading the individual number needs an explicit reason from the procedure")
        log.info("individual number read requested, reason=%s", reason)
        raw = self._read_tlv_file(apdu.EF_INDIVIDUAL_NUMBER, INDIVIDUAL_NUMBER_FILE_SIZE)
        try:
            return parse_individual_number(raw)
        except BasicInfoError as exc:
            raise CardError(CardErrorReason.reader_error, f"card data: {exc}") from None
