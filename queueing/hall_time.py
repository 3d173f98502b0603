"""The hall's clock and calendar: local time zone, the hall day and its reset time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

Clock = Callable[[], dt.datetime]


def system_clock(tz: str) -> Clock:
    zone = ZoneInfo(tz)
    return lambda: dt.datetime.now(zone)


def hall_day(now: dt.datetime, reset: dt.time) -> str:
    """The hall day a moment belongs to: before the reset time it is still the previous day."""
    day = now.date()
    if now.time() < reset:
        day -= dt.timedelta(days=1)
    return day.isoformat()


def iso(ts: float | None, tz: str) -> str | None:
    if ts is None:
        return None
    return dt.datetime.fromtimestamp(ts, ZoneInfo(tz)).isoformat(timespec="seconds")
