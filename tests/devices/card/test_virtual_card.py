"""The simulator answers like the AP (APDU level, no pcscd)."""

from __future__ import annotations

import pytest

from madoguchi.devices.card import apdu
from madoguchi.devices.card.pcscd_harness import make_profile
from madoguchi.devices.card.virtual_card import VirtualMyNumberCard

SELECT_AP = bytes(apdu.select_df(apdu.TEXT_AP_AID))
JPKI_AID = bytes.fromhex("D392F000260100000001")


def sw(response: bytes) -> int:
    return int.from_bytes(response[-2:], "big")


@pytest.fixture
def card() -> VirtualMyNumberCard:
    c = VirtualMyNumberCard(make_profile())
    assert sw(c.process(SELECT_AP)) == 0x9000
    return c


def test_other_aids_and_unknown_files_are_not_found() -> None:
    c = VirtualMyNumberCard(make_profile())
    assert sw(c.process(bytes(apdu.select_df(JPKI_AID)))) == 0x6A82
    assert sw(c.process(bytes(apdu.select_ef(0x0002)))) == 0x6A82  # AP not selected
    c.process(SELECT_AP)
    assert sw(c.process(bytes(apdu.select_ef(0x0042)))) == 0x6A82


def test_not_a_mynumber_card() -> None:
    c = VirtualMyNumberCard(make_profile(is_mynumber=False))
    assert sw(c.process(SELECT_AP)) == 0x6A82


def test_protected_files_need_the_pin(card: VirtualMyNumberCard) -> None:
    assert sw(card.process(bytes(apdu.read_binary_sfi(2, 0, 16)))) == 0x6982
    assert sw(card.process(bytes(apdu.read_binary_sfi(1, 0, 17)))) == 0x6982
    assert sw(card.process(bytes(apdu.read_binary_sfi(5, 0, 16)))) == 0x9000  # AP basic info is free


def test_read_binary_offsets_le_and_end_of_file(card: VirtualMyNumberCard) -> None:
    assert sw(card.process(bytes(apdu.verify(0x91, b"1234")))) == 0x9000
    whole = card.process(bytes(apdu.read_binary_sfi(2, 0, 256)))
    assert sw(whole) == 0x6282  # file shorter than 256
    data = whole[:-2]
    part = card.process(bytes(apdu.read_binary(10, 5)))
    assert part[:-2] == data[10:15] and sw(part) == 0x9000
    assert sw(card.process(bytes(apdu.read_binary(len(data), 1)))) == 0x6B00


def test_retry_counter_and_lock(card: VirtualMyNumberCard) -> None:
    query = bytes(apdu.verify(0x91, None))
    assert sw(card.process(query)) == 0x63C3
    assert sw(card.process(bytes(apdu.verify(0x91, b"0000")))) == 0x63C2
    assert sw(card.process(bytes(apdu.verify(0x91, b"1234")))) == 0x9000
    assert sw(card.process(query)) == 0x63C3  # a right PIN resets the count
    for left in (2, 1, 0):
        assert sw(card.process(bytes(apdu.verify(0x91, b"0000")))) == 0x63C0 | left
    assert sw(card.process(query)) == 0x63C0
    assert sw(card.process(bytes(apdu.verify(0x91, b"1234")))) == 0x6984  # even the right PIN
    card.reset()
    card.process(SELECT_AP)
    assert sw(card.process(query)) == 0x63C0  # the lock survives removal


def test_verify_after_select_ef(card: VirtualMyNumberCard) -> None:
    assert sw(card.process(bytes(apdu.select_ef(0x0011)))) == 0x9000
    assert sw(card.process(bytes(apdu.verify(0x80, None)))) == 0x63C3


def test_collation_b_opens_basic_info_only(card: VirtualMyNumberCard) -> None:
    assert sw(card.process(bytes(apdu.verify(0x95, b"55021720352285")))) == 0x9000
    assert sw(card.process(bytes(apdu.read_binary_sfi(2, 0, 16)))) == 0x9000
    assert sw(card.process(bytes(apdu.read_binary_sfi(1, 0, 17)))) == 0x6982


def test_wrong_collation_b_has_ten_tries(card: VirtualMyNumberCard) -> None:
    assert sw(card.process(bytes(apdu.verify(0x95, None)))) == 0x63CA
    assert sw(card.process(bytes(apdu.verify(0x95, b"55021720359999")))) == 0x63C9


def test_no_sfi_card_refuses_short_ef_ids() -> None:
    c = VirtualMyNumberCard(make_profile(sfi_supported=False))
    c.process(SELECT_AP)
    assert sw(c.process(bytes(apdu.verify(0x91, None)))) == 0x6A86
    assert sw(c.process(bytes(apdu.read_binary_sfi(5, 0, 4)))) == 0x6A86


def test_strict_le_and_response_chaining() -> None:
    c = VirtualMyNumberCard(make_profile(strict_le=True, response_chunk=32))
    c.process(SELECT_AP)
    c.process(bytes(apdu.verify(0x91, b"1234")))
    r = c.process(bytes(apdu.read_binary_sfi(2, 0, 255)))
    assert r[-2] == 0x6C
    r = c.process(bytes(apdu.read_binary_sfi(2, 0, r[-1])))
    assert len(r) == 34 and r[-2] == 0x61
