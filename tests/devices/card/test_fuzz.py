"""Arbitrary bytes from a card never escape as anything but our own errors."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from madoguchi.devices.card import tlv
from madoguchi.devices.card.basic_info import BasicInfoError, parse_basic_info
from madoguchi.devices.card.pcscd_harness import make_profile
from madoguchi.devices.card.virtual_card import VirtualMyNumberCard


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=80))
def test_tlv_parse_raises_only_tlv_error(data: bytes) -> None:
    with contextlib.suppress(tlv.TlvError):
        tlv.parse(data)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=80))
def test_basic_info_parse_raises_only_basic_info_error(data: bytes) -> None:
    with contextlib.suppress(BasicInfoError):
        parse_basic_info(b"\xff\x20" + tlv.encode_length(len(data)) + data)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=40))
def test_virtual_card_answers_every_command(command: bytes) -> None:
    response = VirtualMyNumberCard(make_profile()).process(command)
    assert len(response) >= 2
