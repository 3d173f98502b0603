"""Reservation reference codes and their check-in codes (``MDR1:``).

A reference code is what a resident may read out or type: 8 characters from 31 symbols (Crockford's base32
without Z, so no I, L, O, U, Z) plus one check character (weighted sum modulo the prime 31, which catches every
single-character typo and every swap of neighbours), shown as ``K7QM-4XJ2-P``. ``normalize_reference``
accepts lower case, spaces, hyphens and the look-alikes O→0, I/L→1.

The check-in code printed on a confirmation is ``MDR1:<reference>.<signature>``: the signature is 10 base32
characters of HMAC-SHA256 over ``MDR1:<reference>`` with the hall's secret key, so a forged or mistyped code
fails before the server is even asked. Everything is in the QR alphanumeric set.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import secrets

from madoguchi.core.codes import CodeKind, classify_code

#: 31 symbols (a prime): Crockford base32 without Z, which is also easily misread as 2
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXY"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
PREFIX = "MDR"
VERSION = 1
DATA_LENGTH = 8
SIGNATURE_LENGTH = 10


class ReservationCodeErrorReason(enum.StrEnum):
    NOT_A_RESERVATION_CODE = "reservation.error.not_a_reservation_code"
    UNKNOWN_VERSION = "reservation.error.unknown_version"
    CHECK_FAILED = "reservation.error.check_failed"


class ReservationCodeError(ValueError):
    def __init__(self, reason: ReservationCodeErrorReason) -> None:
        self.reason = reason
        super().__init__(reason.value)

    @property
    def message_id(self) -> str:
        return self.reason.value


def check_character(data: str) -> str:
    """The check character: sum of (position+1) × symbol value modulo 31. As 31 is prime and the weights are
    below it, any single substitution or swap of two different neighbours changes the result."""
    total = sum((i + 1) * _INDEX[c] for i, c in enumerate(data))
    return ALPHABET[total % 31]


def new_reference(rng: secrets.SystemRandom | None = None) -> str:
    """A fresh random reference code with its check character (9 characters, no hyphens)."""
    r = rng or secrets.SystemRandom()
    data = "".join(r.choice(ALPHABET) for _ in range(DATA_LENGTH))
    return data + check_character(data)


def format_reference(reference: str) -> str:
    """``K7QM4XJ2P`` → ``K7QM-4XJ2-P`` for printing."""
    return f"{reference[:4]}-{reference[4:8]}-{reference[8:]}"


def normalize_reference(text: str) -> str:
    """The canonical 9-character reference from what a resident typed; ReservationCodeError if it fails the check."""
    s = "".join(text.split()).replace("-", "").upper().translate(_LOOKALIKES)
    if len(s) != DATA_LENGTH + 1 or any(c not in _INDEX for c in s):
        raise ReservationCodeError(ReservationCodeErrorReason.CHECK_FAILED)
    if check_character(s[:DATA_LENGTH]) != s[DATA_LENGTH]:
        raise ReservationCodeError(ReservationCodeErrorReason.CHECK_FAILED)
    return s


def _signature(reference: str, key: bytes) -> str:
    mac = hmac.new(key, f"{PREFIX}{VERSION}:{reference}".encode(), hashlib.sha256).digest()
    return base64.b32encode(mac).decode()[:SIGNATURE_LENGTH]


def encode_checkin_code(reference: str, key: bytes) -> str:
    """``MDR1:<reference>.<signature>`` for the confirmation's QR code. ``reference`` may be any
    CSV-imported reference (4–16 of A–Z/0–9), not only one from ``new_reference``."""
    ref = reference.upper().replace("-", "")
    return f"{PREFIX}{VERSION}:{ref}.{_signature(ref, key)}"


def decode_checkin_code(text: str, key: bytes) -> str:
    """The reference code inside a genuine check-in code; ReservationCodeError (typed reason) otherwise."""
    if classify_code(text).kind is not CodeKind.RESERVATION:
        raise ReservationCodeError(ReservationCodeErrorReason.NOT_A_RESERVATION_CODE)
    version, _, rest = text[len(PREFIX) :].partition(":")
    if version != str(VERSION):
        raise ReservationCodeError(ReservationCodeErrorReason.UNKNOWN_VERSION)
    ref, dot, signature = rest.strip().partition(".")
    if not dot or not ref or not hmac.compare_digest(signature.encode(), _signature(ref, key).encode()):
        raise ReservationCodeError(ReservationCodeErrorReason.CHECK_FAILED)
    return ref
