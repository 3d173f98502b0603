"""The issue's scenarios through a real pcscd + vpcd and the virtual card."""

from __future__ import annotations

import datetime

import pytest

from madoguchi.devices.card.basic_info import Sex
from madoguchi.devices.card.errors import CardError, CardErrorReason
from madoguchi.devices.card.pcscd_harness import InsertCard, make_profile
from madoguchi.devices.card.service import CardService

READER_0 = "Virtual PCD 00 00$"
READER_1 = "Virtual PCD 00 01$"


def service(pattern: str = READER_0) -> CardService:
    return CardService(reader_pattern=pattern, allow_virtual=True)


def test_happy_path_reads_basic_info_only(insert_card: InsertCard) -> None:
    card = insert_card()
    with service().wait_for_card(timeout=5) as session:
        assert session.read_pin_tries() == 3
        session.verify_pin("1234")
        info = session.read_basic_info()
        assert session.apdu_count == 4
    assert info.name == "平塚　花子"
    assert info.address == "神奈川県平塚市浅間町９－１"
    assert info.birth_date == datetime.date(1980, 2, 17)
    assert info.sex is Sex.female
    assert card.card.files_read == [0x0002]  # the individual number was not read


def test_individual_number_only_when_asked_with_a_reason(insert_card: InsertCard) -> None:
    card = insert_card()
    with service().wait_for_card(timeout=5) as session:
        session.verify_pin("1234")
        with pytest.raises(ValueError):
            session.read_individual_number("")
        assert card.card.files_read == []
        number = session.read_individual_number("service:my-number-registration")
    assert number.value == "123456789018"


def test_wrong_pin_then_right(insert_card: InsertCard) -> None:
    card = insert_card()
    with service().wait_for_card(timeout=5) as session:
        assert session.read_pin_tries() == 3
        with pytest.raises(CardError) as err:
            session.verify_pin("4321")
        assert err.value.reason is CardErrorReason.wrong_pin and err.value.tries_left == 2
        assert session.read_pin_tries() == 2
        session.verify_pin("1234")
        assert session.read_basic_info().name == "平塚　花子"
    assert card.card.profile.tries_left == 3
    assert card.card.verify_attempts == 2  # never retried on its own


def test_last_try_needs_confirmation_and_then_locks(insert_card: InsertCard) -> None:
    card = insert_card(tries_left=1)
    with service().wait_for_card(timeout=5) as session:
        assert session.read_pin_tries() == 1
        with pytest.raises(CardError) as err:
            session.verify_pin("4321")
        assert err.value.reason is CardErrorReason.last_try
        assert card.card.verify_attempts == 0
        with pytest.raises(CardError) as err:
            session.verify_pin("4321", confirm_last_try=True)
        assert err.value.reason is CardErrorReason.locked and err.value.tries_left == 0
        assert session.read_pin_tries() == 0


def test_last_try_right_pin_resets(insert_card: InsertCard) -> None:
    card = insert_card(tries_left=1)
    with service().wait_for_card(timeout=5) as session:
        session.verify_pin("1234", confirm_last_try=True)
        assert session.read_basic_info().sex is Sex.female
    assert card.card.profile.tries_left == 3


def test_locked_card_gets_no_pin(insert_card: InsertCard) -> None:
    card = insert_card(tries_left=0)
    with service().wait_for_card(timeout=5) as session:
        assert session.read_pin_tries() == 0
        with pytest.raises(CardError) as err:
            session.verify_pin("1234", confirm_last_try=True)
        assert err.value.reason is CardErrorReason.locked
        assert err.value.message_id == "card.error.locked"
    assert card.card.verify_attempts == 0


def test_tries_survive_removal(insert_card: InsertCard) -> None:
    profile = make_profile()
    insert_card(profile)
    with service().wait_for_card(timeout=5) as session, pytest.raises(CardError):
        session.verify_pin("0000")
    with service().wait_for_card(timeout=5) as session:  # same card, PIN state reset by the disconnect
        assert session.read_pin_tries() == 2
        with pytest.raises(CardError) as err:
            session.read_basic_info()
        assert err.value.reason is CardErrorReason.pin_required


def test_removed_mid_read_leaves_no_result(insert_card: InsertCard) -> None:
    insert_card(remove_after_apdus=3)  # SELECT, tries, VERIFY answered; the READ is not
    result = None
    with pytest.raises(CardError) as err, service().wait_for_card(timeout=5) as session:
        session.read_pin_tries()
        session.verify_pin("1234")
        result = session.read_basic_info()
    assert err.value.reason is CardErrorReason.card_removed
    assert result is None


def test_not_a_mynumber_card(insert_card: InsertCard) -> None:
    insert_card(is_mynumber=False)
    with pytest.raises(CardError) as err, service().wait_for_card(timeout=5):
        pass
    assert err.value.reason is CardErrorReason.not_mynumber


def test_two_readers_chosen_by_pattern(insert_card: InsertCard) -> None:
    insert_card(name="一番　読取", port=35963)
    insert_card(name="二番　読取", port=35964)
    for pattern, name in ((READER_0, "一番　読取"), (READER_1, "二番　読取")):
        with service(pattern).wait_for_card(timeout=5) as session:
            session.verify_pin("1234")
            assert session.read_basic_info().name == name


def test_virtual_readers_ignored_unless_allowed(insert_card: InsertCard) -> None:
    insert_card()
    assert CardService().readers() == []
    assert not CardService(reader_pattern="Virtual").available()
    with pytest.raises(CardError) as err, CardService().wait_for_card(timeout=1):
        pass
    assert err.value.reason is CardErrorReason.no_reader
    assert CardService(allow_virtual=True).readers() == ["Virtual PCD 00 00", "Virtual PCD 00 01"]


def test_no_card_times_out(pcscd: object) -> None:
    with pytest.raises(CardError) as err, service().wait_for_card(timeout=0.3):
        pass
    assert err.value.reason is CardErrorReason.no_card


def test_long_address_81xx_and_82xxxx(insert_card: InsertCard) -> None:
    medium = "北海道札幌市中央区北一条西二丁目" + "１２３－４５" * 10  # outer length 81 xx, file > 255 bytes
    long = "沖縄県那覇市泉崎一丁目" + "２" * 150  # outer length 82 xx xx
    for port, address in ((35963, medium), (35964, long)):
        insert_card(address=address, port=port)
    for pattern, address in ((READER_0, medium), (READER_1, long)):
        with service(pattern).wait_for_card(timeout=5) as session:
            session.verify_pin("1234")
            assert session.read_basic_info().address == address
            assert session.apdu_count >= 4


def test_gaiji_name_preserved(insert_card: InsertCard) -> None:
    name = "𠮷田　髙﨑"  # 𠮷 (U+20BB7) and 髙/﨑 are outside JIS X 0208
    insert_card(name=name)
    with service().wait_for_card(timeout=5) as session:
        session.verify_pin("1234")
        assert session.read_basic_info().name == name


def test_collation_number_b_reads_basic_info_without_pin(insert_card: InsertCard) -> None:
    card = insert_card(birth_date=datetime.date(1980, 2, 17), expiry_year=2035, security_code="2285")
    with service().wait_for_card(timeout=5) as session:
        with pytest.raises(CardError) as err:
            session.verify_collation_b(datetime.date(1980, 2, 17), 2035, "0000")
        assert err.value.reason is CardErrorReason.wrong_collation_number and err.value.tries_left == 9
        session.verify_collation_b(datetime.date(1980, 2, 17), 2035, "2285")
        assert session.read_basic_info().birth_date == datetime.date(1980, 2, 17)
        with pytest.raises(CardError) as err:
            session.read_individual_number("test")
        assert err.value.reason is CardErrorReason.pin_required
    assert card.card.profile.tries_left == 3  # the PIN counter was not touched


def test_cancel_wakes_the_wait(pcscd: object) -> None:
    import threading

    svc = service()
    threading.Timer(0.2, svc.cancel).start()
    with pytest.raises(CardError) as err, svc.wait_for_card(timeout=10):
        pass
    assert err.value.reason is CardErrorReason.no_card


def test_wait_for_removal(insert_card: InsertCard) -> None:
    insert_card(remove_after_seconds=0.6)
    svc = service()
    assert svc.wait_for_removal(timeout=0.1) is False
    assert svc.wait_for_removal(timeout=5) is True
