"""Reservation check-in window: inside, too early, too late (hall.reservation_early_min / late_min)."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.core.config import HallConfig
from madoguchi.core.forms.checkin_window import CheckinStatus, checkin_decision
from madoguchi.core.forms.messages import message_text

SLOT = dt.datetime(2026, 12, 1, 10, 0)


@pytest.mark.parametrize(
    ("now", "status"),
    [
        (dt.datetime(2026, 12, 1, 9, 44, 59), CheckinStatus.TOO_EARLY),
        (dt.datetime(2026, 12, 1, 9, 45), CheckinStatus.INSIDE),
        (dt.datetime(2026, 12, 1, 10, 0), CheckinStatus.INSIDE),
        (dt.datetime(2026, 12, 1, 10, 10), CheckinStatus.INSIDE),
        (dt.datetime(2026, 12, 1, 10, 10, 1), CheckinStatus.TOO_LATE),
        (dt.datetime(2026, 12, 1, 16, 0), CheckinStatus.TOO_LATE),
    ],
)
def test_window_edges(hall_config: HallConfig, now: dt.datetime, status: CheckinStatus) -> None:
    decision = checkin_decision(
        SLOT, now, early_min=hall_config.hall.reservation_early_min, late_min=hall_config.hall.reservation_late_min
    )
    assert decision.status is status
    assert decision.allowed is (status is CheckinStatus.INSIDE)


def test_messages_for_each_outcome() -> None:
    early = checkin_decision(SLOT, dt.datetime(2026, 12, 1, 9, 0), early_min=15, late_min=10)
    assert early.message_id == "reservation.checkin.too_early"
    assert message_text(early.message_id, "en", early.params) == (
        "Check-in for your reservation opens at 09:45. You can take a normal ticket instead."
    )
    late = checkin_decision(SLOT, dt.datetime(2026, 12, 1, 10, 30), early_min=15, late_min=10)
    assert message_text(late.message_id, "ja", late.params).startswith("予約の受付時間（10:10まで）")
    inside = checkin_decision(SLOT, dt.datetime(2026, 12, 1, 9, 50), early_min=15, late_min=10)
    assert inside.message_id == "reservation.checkin.inside"


def test_other_day() -> None:
    tomorrow = checkin_decision(SLOT, dt.datetime(2026, 11, 30, 10, 0), early_min=15, late_min=10)
    assert tomorrow.status is CheckinStatus.TOO_EARLY and tomorrow.other_day
    assert message_text(tomorrow.message_id, "en", tomorrow.params) == (
        "This reservation is for 2026-12-01. You can take a normal ticket instead."
    )
    yesterday = checkin_decision(SLOT, dt.datetime(2026, 12, 2, 9, 0), early_min=15, late_min=10)
    assert yesterday.status is CheckinStatus.TOO_LATE and yesterday.other_day
    # a slot just after midnight with early check-in the evening before is still "inside"
    midnight = checkin_decision(
        dt.datetime(2026, 12, 2, 0, 5), dt.datetime(2026, 12, 1, 23, 55), early_min=15, late_min=10
    )
    assert midnight.allowed and not midnight.other_day
