"""The basic 4 information (基本4情報) of EF 0002 and the individual number of EF 0001, typed.

repr() and str() of these objects never show the values: they are personal data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from madoguchi.devices.card import tlv
from madoguchi.devices.card.check_digit import is_valid_individual_number

TAG_BASIC_INFO = 0xFF20
TAG_OFFSETS = 0xDF21
TAG_NAME = 0xDF22
TAG_ADDRESS = 0xDF23
TAG_BIRTH_DATE = 0xDF24
TAG_SEX = 0xDF25
TAG_INDIVIDUAL_NUMBER = 0xFF10

#: EF 0001 is 17 bytes: FF 10 0C <12 digits> FF FF
INDIVIDUAL_NUMBER_FILE_SIZE = 17


class Sex(StrEnum):
    """ISO 5218 codes as the card stores them."""

    male = "male"
    female = "female"
    not_applicable = "not_applicable"


_SEX_FROM_CODE = {"1": Sex.male, "2": Sex.female, "9": Sex.not_applicable}
_CODE_FROM_SEX = {v: k for k, v in _SEX_FROM_CODE.items()}


class BasicInfoError(ValueError):
    """The file does not hold valid basic 4 info (the message names the field, never its value)."""


@dataclass(frozen=True, repr=False)
class BasicInfo:
    name: str
    address: str
    birth_date: datetime.date
    sex: Sex

    def __repr__(self) -> str:
        return "BasicInfo(<personal data hidden>)"

    __str__ = __repr__

    def to_json_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "address": self.address,
            "birth_date": self.birth_date.isoformat(),
            "sex": self.sex.value,
        }


@dataclass(frozen=True, repr=False)
class IndividualNumber:
    """A 12-digit individual number whose check digit was verified."""

    value: str

    def __post_init__(self) -> None:
        if not is_valid_individual_number(self.value):
            raise BasicInfoError("individual number: wrong format or check digit")

    def __repr__(self) -> str:
        return "IndividualNumber(<hidden>)"

    __str__ = __repr__


def _text(item: tlv.Tlv, field: str) -> str:
    try:
        # UTF-8 keeps characters outside JIS X 0208 (外字) as the card gives them.
        return item.value.decode("utf-8")
    except UnicodeDecodeError:
        raise BasicInfoError(f"{field}: not UTF-8") from None


def parse_basic_info(data: bytes) -> BasicInfo:
    """Parse EF 0002 (``FF20 { DF21 offsets, DF22 name, DF23 address, DF24 birth date, DF25 sex }``)."""
    try:
        outer = tlv.parse_one(data, TAG_BASIC_INFO)
        fields = {item.tag: item for item in tlv.parse(outer.value)}
    except tlv.TlvError as exc:
        raise BasicInfoError(f"basic info TLV: {exc}") from None
    missing = [f"{t:X}" for t in (TAG_NAME, TAG_ADDRESS, TAG_BIRTH_DATE, TAG_SEX) if t not in fields]
    if missing:
        raise BasicInfoError(f"basic info: missing tags {', '.join(missing)}")
    name = _text(fields[TAG_NAME], "name")
    address = _text(fields[TAG_ADDRESS], "address")
    if not name.strip():
        raise BasicInfoError("name: empty")
    raw_birth = fields[TAG_BIRTH_DATE].value
    try:
        if len(raw_birth) != 8 or not raw_birth.isdigit():
            raise ValueError
        birth = datetime.date(int(raw_birth[:4]), int(raw_birth[4:6]), int(raw_birth[6:]))
    except ValueError:
        raise BasicInfoError("birth_date: not a YYYYMMDD date") from None
    sex = _SEX_FROM_CODE.get(fields[TAG_SEX].value.decode("ascii", "replace"))
    if sex is None:
        raise BasicInfoError("sex: not an ISO 5218 code 1/2/9")
    return BasicInfo(name=name, address=address, birth_date=birth, sex=sex)


def encode_basic_info(info: BasicInfo) -> bytes:
    """The EF 0002 TLV for ``info`` (used by the virtual card), offsets filled as the card does."""
    inner = [
        tlv.encode(TAG_NAME, info.name.encode("utf-8")),
        tlv.encode(TAG_ADDRESS, info.address.encode("utf-8")),
        tlv.encode(TAG_BIRTH_DATE, info.birth_date.strftime("%Y%m%d").encode("ascii")),
        tlv.encode(TAG_SEX, _CODE_FROM_SEX[info.sex].encode("ascii")),
    ]
    offsets_len = 2 + 1 + 8  # DF21 tag, length byte, four 2-byte offsets
    body_len = offsets_len + sum(len(x) for x in inner)
    header_len = 2 + len(tlv.encode_length(body_len))
    offsets = b""
    pos = header_len + offsets_len
    for item in inner:
        offsets += pos.to_bytes(2, "big")
        pos += len(item)
    return tlv.encode(TAG_BASIC_INFO, tlv.encode(TAG_OFFSETS, offsets) + b"".join(inner))


def parse_individual_number(data: bytes) -> IndividualNumber:
    try:
        item = tlv.parse_one(data, TAG_INDIVIDUAL_NUMBER)
    except tlv.TlvError as exc:
        raise BasicInfoError(f"individual number TLV: {exc}") from None
    return IndividualNumber(item.value.decode("ascii", "replace"))


def encode_individual_number(number: str) -> bytes:
    data = tlv.encode(TAG_INDIVIDUAL_NUMBER, number.encode("ascii"))
    return data + b"\xff" * (INDIVIDUAL_NUMBER_FILE_SIZE - len(data))
