from __future__ import annotations

import datetime

import pytest

from madoguchi.devices.card import tlv
from madoguchi.devices.card.basic_info import (
    BasicInfo,
    BasicInfoError,
    IndividualNumber,
    Sex,
    encode_basic_info,
    encode_individual_number,
    parse_basic_info,
    parse_individual_number,
)
from madoguchi.devices.card.collation import collation_number_b, era_year

INFO = BasicInfo("番号　太郎", "東京都千代田区永田町１－７－１", datetime.date(1990, 4, 1), Sex.male)


def test_roundtrip_and_offsets() -> None:
    data = encode_basic_info(INFO)
    assert data[:2] == b"\xff\x20"
    offsets = tlv.parse(tlv.parse_one(data, 0xFF20).value)[0]
    assert offsets.tag == 0xDF21
    starts = [int.from_bytes(offsets.value[i : i + 2], "big") for i in range(0, 8, 2)]
    assert [data[s : s + 2] for s in starts] == [b"\xdf\x22", b"\xdf\x23", b"\xdf\x24", b"\xdf\x25"]
    assert parse_basic_info(data + b"\xff" * 30) == INFO


def test_made_up_dump_with_81_outer_length() -> None:
    address = "北海道" + "１" * 60
    info = BasicInfo("試験　花子", address, datetime.date(2001, 12, 31), Sex.not_applicable)
    data = encode_basic_info(info)
    assert data[2] == 0x81
    assert parse_basic_info(data) == info


def test_repr_and_str_hide_values() -> None:
    for text in (repr(INFO), str(INFO), repr(IndividualNumber("123456789018"))):
        assert "太郎" not in text and "1990" not in text and "千代田" not in text and "1234" not in text


def test_json_dict() -> None:
    assert INFO.to_json_dict() == {
        "name": "番号　太郎",
        "address": "東京都千代田区永田町１－７－１",
        "birth_date": "1990-04-01",
        "sex": "male",
    }


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ((b"19900401", b"19901301"), "birth_date"),
        ((b"\xdf\x25\x011", b"\xdf\x25\x013"), "sex"),
        ((b"\xdf\x22", b"\xdf\x2f"), "missing"),
    ],
)
def test_invalid_fields_name_the_field_not_the_value(patch: tuple[bytes, bytes], field: str) -> None:
    data = encode_basic_info(INFO).replace(*patch)
    with pytest.raises(BasicInfoError) as err:
        parse_basic_info(data)
    assert field in str(err.value) or "DF22" in str(err.value)
    assert "太郎" not in str(err.value)


def test_individual_number_file() -> None:
    data = encode_individual_number("123456789018")
    assert len(data) == 17 and data.endswith(b"\xff\xff")
    assert parse_individual_number(data).value == "123456789018"
    with pytest.raises(BasicInfoError):
        parse_individual_number(encode_individual_number("123456789011"))


@pytest.mark.parametrize(
    ("day", "era", "year"),
    [
        (datetime.date(1980, 2, 17), "showa", 55),
        (datetime.date(1989, 1, 7), "showa", 64),
        (datetime.date(1989, 1, 8), "heisei", 1),
        (datetime.date(2019, 4, 30), "heisei", 31),
        (datetime.date(2020, 2, 24), "reiwa", 2),
        (datetime.date(1926, 12, 24), "taisho", 15),
    ],
)
def test_era_year(day: datetime.date, era: str, year: int) -> None:
    assert era_year(day) == (era, year)


def test_collation_number_b_reference_example() -> None:
    assert collation_number_b(datetime.date(1980, 2, 17), 2035, "2285") == "55021720352285"
    assert collation_number_b(datetime.date(2020, 2, 24), 2030, "0001")[:6] == "020224"
    with pytest.raises(ValueError):
        collation_number_b(datetime.date(1980, 2, 17), 35, "2285")
    with pytest.raises(ValueError):
        collation_number_b(datetime.date(1980, 2, 17), 2035, "22a5")
