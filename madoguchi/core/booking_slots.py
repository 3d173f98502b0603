"""Which slots residents may book (``[booking]`` in hall.toml): days, slot start times, and whether one is bookable now.

Times are naive local times of the hall (its time zone), as the server's clock gives them. A slot is offered when
its day is open (not a closed weekday or date), it lies inside the booking hours (``[booking] hours``, else the
procedure's hours, else the hall's opening) and outside every break, and it starts at least ``lead_min`` minutes
from now. How many bookings it still takes is the store's to count.
"""

from __future__ import annotations

import datetime as dt

from madoguchi.core.config import HallConfig, Span


def booking_hours(cfg: HallConfig, service_id: str) -> Span:
    service = cfg.service(service_id)
    return cfg.booking.hours or service.hours or cfg.hall.opening


def slot_starts(cfg: HallConfig, service_id: str) -> list[dt.time]:
    """Every slot start of an open day, before the lead time and the day's closure are applied."""
    hours = booking_hours(cfg, service_id)
    step = dt.timedelta(minutes=cfg.booking.slot_min)
    day = dt.date(2000, 1, 3)  # any date: only the times matter
    start = dt.datetime.combine(day, hours.start)
    close = dt.datetime.combine(day, hours.end)
    out: list[dt.time] = []
    while start + step <= close:
        end = start + step
        if not any(_overlaps(start.time(), end.time(), b) for b in cfg.booking.breaks):
            out.append(start.time())
        start = end
    return out


def _overlaps(start: dt.time, end: dt.time, span: Span) -> bool:
    return start < span.end and span.start < end


def slot_end(cfg: HallConfig, start: dt.time) -> dt.time:
    return (dt.datetime.combine(dt.date(2000, 1, 3), start) + dt.timedelta(minutes=cfg.booking.slot_min)).time()


def booking_days(cfg: HallConfig, today: dt.date) -> list[dt.date]:
    """The days residents may book, open or not (a closed day is shown as closed): today and ``days_ahead - 1``
    more."""
    return [today + dt.timedelta(days=i) for i in range(cfg.booking.days_ahead)]


def open_slots(cfg: HallConfig, service_id: str, day: dt.date, now: dt.datetime) -> list[dt.time]:
    """The slot starts of ``day`` that may still be booked at ``now`` (naive local time), full ones included."""
    if service_id not in cfg.booking.capacity or cfg.booking.is_closed(day):
        return []
    if not now.date() <= day < now.date() + dt.timedelta(days=cfg.booking.days_ahead):
        return []
    earliest = now + dt.timedelta(minutes=cfg.booking.lead_min)
    return [t for t in slot_starts(cfg, service_id) if dt.datetime.combine(day, t) >= earliest]


def is_bookable(cfg: HallConfig, service_id: str, day: dt.date, start: dt.time, now: dt.datetime) -> bool:
    return start in open_slots(cfg, service_id, day, now)
