from __future__ import annotations

import pytest

from madoguchi.devices.card import tlv


def test_short_length_and_two_byte_private_tag() -> None:
    items = tlv.parse(bytes.fromhex("FF1003414243"))
    assert [(i.tag, i.value) for i in items] == [(0xFF10, b"ABC")]


def test_81_and_82_lengths() -> None:
    value_81 = b"x" * 200
    value_82 = b"y" * 300
    data = bytes.fromhex("DF2381C8") + value_81 + bytes.fromhex("DF2282012C") + value_82
    items = tlv.parse(data)
    assert [(i.tag, len(i.value)) for i in items] == [(0xDF23, 200), (0xDF22, 300)]


def test_filler_after_last_tlv_is_ignored() -> None:
    assert len(tlv.parse(bytes.fromhex("DF2501 31 FFFFFFFF".replace(" ", "")))) == 1
    assert len(tlv.parse(bytes.fromhex("DF250131 0000".replace(" ", "")))) == 1
    assert len(tlv.parse(bytes.fromhex("DF250131 FF".replace(" ", "")))) == 1


def test_header_total() -> None:
    assert tlv.header_total(bytes.fromhex("FF20820102")) == 5 + 0x102
    assert tlv.header_total(bytes.fromhex("FF2081F0")) == 4 + 0xF0
    assert tlv.header_total(bytes.fromhex("FF200C")) == 3 + 12
    assert tlv.header_total(bytes.fromhex("FF2082")) is None


@pytest.mark.parametrize("n", [0, 1, 127, 128, 255, 256, 4000])
def test_encode_roundtrip(n: int) -> None:
    value = (bytes(range(1, 256)) * 20)[:n]
    data = tlv.encode(0xDF23, value)
    assert tlv.parse_one(data, 0xDF23).value == value
    assert tlv.header_total(data) == len(data)


@pytest.mark.parametrize(
    "bad",
    ["DF2305414243", "DF2380", "DF2384000001", "DF"],
)
def test_malformed_raises(bad: str) -> None:
    with pytest.raises(tlv.TlvError):
        tlv.parse(bytes.fromhex(bad))


def test_repr_hides_value() -> None:
    assert "ABC" not in repr(tlv.Tlv(0xDF22, b"ABC"))
