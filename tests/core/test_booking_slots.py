"""[booking] in hall.toml: the slots offered per procedure and day, and the configuration's own checks."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.core.booking_slots import booking_days, is_bookable, open_slots, slot_end, slot_starts
from madoguchi.core.config import EXAMPLE_CONFIG, ConfigError, HallConfig, parse_config

TEXT = EXAMPLE_CONFIG.read_text(encoding="utf-8")
MONDAY = dt.date(2027, 1, 18)  # an open Monday of the example hall


def config(**replace: str) -> HallConfig:
    text = TEXT
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return parse_config(text)


def hhmm(times: list[dt.time]) -> list[str]:
    return [t.strftime("%H:%M") for t in times]


def test_slots_follow_the_opening_the_slot_length_and_the_breaks() -> None:
    cfg = config()
    starts = hhmm(slot_starts(cfg, "tennyu"))  # hall opening 08:30–17:15, 30-minute slots, lunch 12:00–13:00
    assert starts[:3] == ["08:30", "09:00", "09:30"] and starts[-1] == "16:30"
    assert "11:30" in starts and "12:00" not in starts and "12:30" not in starts and "13:00" in starts
    assert slot_end(cfg, dt.time(16, 30)) == dt.time(17, 0)
    # a procedure's own hours (児童手当 08:30–16:30) bound its slots; [booking] hours bound every procedure's
    kids = config(**{"capacity = { tennyu": "capacity = { jido_teate = 1, tennyu"})
    assert hhmm(slot_starts(kids, "jido_teate"))[-1] == "16:00"  # 16:00–16:30 ends at its closing
    short = config(**{"slot_min = 30": 'slot_min = 60\nhours = { start = "09:00", end = "12:00" }'})
    assert hhmm(slot_starts(short, "tennyu")) == ["09:00", "10:00", "11:00"]


def test_closed_days_lead_time_and_the_window() -> None:
    cfg = config()
    holiday = dt.date(2027, 1, 11)  # 成人の日, in closed_dates
    morning = dt.datetime.combine(MONDAY, dt.time(9, 10))
    assert open_slots(cfg, "tennyu", dt.date(2027, 1, 16), morning - dt.timedelta(days=3)) == []  # a Saturday
    assert open_slots(cfg, "tennyu", holiday, dt.datetime(2027, 1, 8, 9)) == []
    today = hhmm(open_slots(cfg, "tennyu", MONDAY, morning))
    assert today[0] == "10:30"  # lead_min 60: 09:30 and 10:00 start within the hour
    assert not is_bookable(cfg, "tennyu", MONDAY, dt.time(10, 0), morning)
    assert is_bookable(cfg, "tennyu", MONDAY, dt.time(10, 30), morning)
    assert not is_bookable(cfg, "juminhyo", MONDAY, dt.time(10, 30), morning)  # not in capacity
    assert not is_bookable(cfg, "tennyu", MONDAY + dt.timedelta(days=14), dt.time(10, 30), morning)  # days_ahead
    assert not is_bookable(cfg, "tennyu", MONDAY - dt.timedelta(days=7), dt.time(10, 30), morning)  # the past
    assert booking_days(cfg, MONDAY)[-1] == MONDAY + dt.timedelta(days=13)


def test_mistakes_are_reported_with_the_line() -> None:
    with pytest.raises(ConfigError) as unknown:
        config(**{"capacity = { tennyu = 2": "capacity = { tenyu = 2"})
    assert "booking.capacity.tenyu: unknown procedure 'tenyu'" in str(unknown.value)
    with pytest.raises(ConfigError) as day:
        config(**{'closed_weekdays = ["sat", "sun"]': 'closed_weekdays = ["saturday"]'})
    assert "booking.closed_weekdays" in str(day.value)
    with pytest.raises(ConfigError) as zero:
        config(**{"tenkyo = 1": "tenkyo = 0"})
    assert "booking.capacity.tenkyo" in str(zero.value)


def test_booking_is_off_without_capacity() -> None:
    cfg = config(**{"capacity = { tennyu = 2, tenshutsu = 2, tenkyo = 1, mynumber = 3, kokuho = 1 }": "capacity = {}"})
    assert not cfg.booking.enabled
    assert open_slots(cfg, "tennyu", MONDAY, dt.datetime.combine(MONDAY, dt.time(8))) == []
