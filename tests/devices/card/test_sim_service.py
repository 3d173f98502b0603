"""The in-process simulated service behaves like CardService (no pcscd needed)."""

from __future__ import annotations

import threading

import pytest

from madoguchi.devices.card.errors import CardError, CardErrorReason
from madoguchi.devices.card.pcscd_harness import make_profile
from madoguchi.devices.card.sim_service import SimulatedCardService


def test_read_after_insert() -> None:
    svc = SimulatedCardService(make_profile(name="模擬　太郎"))
    threading.Timer(0.05, svc.insert).start()
    with svc.wait_for_card(timeout=5) as session:
        session.verify_pin("1234")
        assert session.read_basic_info().name == "模擬　太郎"
        assert session.apdu_count == 4


def test_timeout_cancel_and_removal() -> None:
    svc = SimulatedCardService()
    with pytest.raises(CardError) as err, svc.wait_for_card(timeout=0.05):
        pass
    assert err.value.reason is CardErrorReason.no_card
    threading.Timer(0.05, svc.cancel).start()
    with pytest.raises(CardError), svc.wait_for_card(timeout=5):
        pass
    svc.insert(make_profile(remove_after_apdus=3))
    with pytest.raises(CardError) as err, svc.wait_for_card(timeout=1) as session:
        session.verify_pin("1234")
        session.read_basic_info()
    assert err.value.reason is CardErrorReason.card_removed
    assert svc.wait_for_removal(timeout=0.1)


def test_pin_state_does_not_outlive_the_session() -> None:
    svc = SimulatedCardService(present=True)
    with svc.wait_for_card(timeout=1) as session:
        session.verify_pin("1234")
    with svc.wait_for_card(timeout=1) as session, pytest.raises(CardError) as err:
        session.read_basic_info()
    assert err.value.reason is CardErrorReason.pin_required
