"""The PIN and the test resident's data never reach a log line (ours or pcscd's) or a repr."""

from __future__ import annotations

import datetime
import logging
from pathlib import Path

import pytest

from madoguchi.devices.card.errors import CardError
from madoguchi.devices.card.pcscd_harness import InsertCard
from madoguchi.devices.card.service import CardService

PIN = "8264"
WRONG_PIN = "5173"
NAME = "秘密　花子"
ADDRESS = "東京都秘密区内緒町３－１４"
BIRTH = datetime.date(1977, 7, 29)
NUMBER = "987654321018"
SECRETS = [PIN, WRONG_PIN, "秘密", "花子", "内緒町", "19770729", "1977-07-29", NUMBER, "52072920332222"]


def test_nothing_personal_in_logs(caplog: pytest.LogCaptureFixture, insert_card: InsertCard, pcscd_log: Path) -> None:
    from madoguchi.devices.card.check_digit import is_valid_individual_number

    assert is_valid_individual_number(NUMBER)
    caplog.set_level(logging.DEBUG)
    card = insert_card(
        name=NAME,
        address=ADDRESS,
        birth_date=BIRTH,
        individual_number=NUMBER,
        pin=PIN,
        expiry_year=2033,
        security_code="2222",
    )
    texts: list[str] = [repr(card.card), repr(card.card.profile)]
    with CardService("00 00$", allow_virtual=True).wait_for_card(timeout=5) as session:
        session.read_pin_tries()
        with pytest.raises(CardError) as err:
            session.verify_pin(WRONG_PIN)
        texts += [str(err.value), repr(err.value)]
        session.verify_pin(PIN)
        info = session.read_basic_info()
        number = session.read_individual_number("service:test")
        texts += [repr(info), str(info), repr(number), str(number), repr(session)]
    with CardService("00 00$", allow_virtual=True).wait_for_card(timeout=5) as session:
        session.verify_collation_b(BIRTH, 2033, "2222")
        assert session.read_basic_info() == info
    assert info.name == NAME and number.value == NUMBER
    logged = [r.getMessage() for r in caplog.records] + [r.exc_text or "" for r in caplog.records]
    assert caplog.records, "expected some log lines to check"
    pcscd_text = pcscd_log.read_bytes().decode("utf-8", "replace")
    for secret in SECRETS:
        for text in [*logged, *texts, pcscd_text]:
            assert secret not in text
    assert PIN.encode().hex() not in pcscd_text.replace(" ", "").lower()
