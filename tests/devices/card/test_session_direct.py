"""Session logic straight on the simulator (no pcscd): APDU budget, PIN rules, fallbacks."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from madoguchi.devices.card.errors import CardError, CardErrorReason
from madoguchi.devices.card.pcscd_harness import make_profile
from madoguchi.devices.card.session import MyNumberSession
from madoguchi.devices.card.virtual_card import DirectTransport, VirtualMyNumberCard


def open_session(**overrides: Any) -> tuple[MyNumberSession, VirtualMyNumberCard]:
    card = VirtualMyNumberCard(make_profile(**overrides))
    session = MyNumberSession(DirectTransport(card))
    session.select_ap()
    return session, card


def test_pin_read_is_four_apdus() -> None:
    session, card = open_session()
    assert session.read_pin_tries() == 3
    session.verify_pin("1234")
    info = session.read_basic_info()
    assert info.name == "平塚　花子" and info.birth_date == datetime.date(1980, 2, 17)
    assert session.apdu_count == 4
    assert card.files_read == [0x0002]


def test_verify_without_prior_query_asks_first() -> None:
    session, _card = open_session()
    session.verify_pin("1234")
    assert session.apdu_count == 3  # SELECT, query, VERIFY


@pytest.mark.parametrize("pin", ["123", "12345", "12a4", "１２３４", "", " 1234"])
def test_pin_format_refused_before_sending(pin: str) -> None:
    session, card = open_session()
    with pytest.raises(CardError) as err:
        session.verify_pin(pin)
    assert err.value.reason is CardErrorReason.pin_format
    assert session.apdu_count == 1 and card.verify_attempts == 0


def test_wrong_pin_error_carries_tries_not_the_pin() -> None:
    session, _ = open_session()
    with pytest.raises(CardError) as err:
        session.verify_pin("9876")
    assert err.value.reason is CardErrorReason.wrong_pin and err.value.tries_left == 2
    assert "9876" not in str(err.value) and "9876" not in repr(err.value)
    assert err.value.message_id == "card.error.wrong_pin"
    assert "9876" not in repr(vars(session))


def test_no_sfi_card_falls_back_to_select_ef() -> None:
    session, card = open_session(sfi_supported=False)
    session.verify_pin("1234")
    assert session.read_basic_info().address == "神奈川県平塚市浅間町９－１"
    assert card.files_read == [0x0002]
    # SELECT AP, VERIFY by SFI (refused), SELECT EF 0011, query, VERIFY, SELECT EF 0002, READ
    assert session.apdu_count == 7


def test_6cxx_and_61xx_are_handled() -> None:
    session, _card = open_session(strict_le=True, response_chunk=40)
    session.verify_pin("1234")
    assert session.read_basic_info().name == "平塚　花子"
    assert session.read_individual_number("test").value == "123456789018"


def test_individual_number_needs_a_reason() -> None:
    session, card = open_session()
    session.verify_pin("1234")
    for reason in ("", "   "):
        with pytest.raises(ValueError):
            session.read_individual_number(reason)
    assert card.files_read == []


def test_individual_number_with_bad_check_digit_is_an_error() -> None:
    session, _ = open_session(individual_number="123456789011")
    session.verify_pin("1234")
    with pytest.raises(CardError) as err:
        session.read_individual_number("test")
    assert err.value.reason is CardErrorReason.reader_error
    assert "123456789011" not in str(err.value)


def test_reading_before_verify_is_pin_required() -> None:
    session, _ = open_session()
    with pytest.raises(CardError) as err:
        session.read_basic_info()
    assert err.value.reason is CardErrorReason.pin_required


def test_collation_b_format_checked_locally() -> None:
    session, card = open_session()
    with pytest.raises(CardError) as err:
        session.verify_collation_b(datetime.date(1980, 2, 17), 2035, "12")
    assert err.value.reason is CardErrorReason.pin_format and card.verify_attempts == 0
