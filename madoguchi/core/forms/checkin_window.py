"""Reservation check-in window: may a resident with a reservation check in now?

The window runs from ``reservation_early_min`` minutes before the slot's start to ``reservation_late_min``
minutes after it (``[hall]`` in hall.toml). Outside it the kiosk explains why (message id + times) and offers a
normal ticket instead. Times are naive local times of the hall (its timezone), as the server uses them.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class CheckinStatus(enum.StrEnum):
    INSIDE = "inside"
    TOO_EARLY = "too_early"
    TOO_LATE = "too_late"


@dataclass(frozen=True)
class CheckinDecision:
    status: CheckinStatus
    slot_start: dt.datetime
    opens_at: dt.datetime
    closes_at: dt.datetime
    #: the reservation is for another day than today (the kiosk says which day)
    other_day: bool = False

    @property
    def allowed(self) -> bool:
        return self.status is CheckinStatus.INSIDE

    @property
    def message_id(self) -> str:
        if self.other_day:
            return "reservation.checkin.other_day"
        return f"reservation.checkin.{self.status.value}"

    @property
    def params(self) -> dict[str, str]:
        return {
            "opens_at": self.opens_at.strftime("%H:%M"),
            "closes_at": self.closes_at.strftime("%H:%M"),
            "date": self.slot_start.date().isoformat(),
        }


def checkin_decision(slot_start: dt.datetime, now: dt.datetime, *, early_min: int, late_min: int) -> CheckinDecision:
    """Inside ``[slot_start - early_min, slot_start + late_min]`` (both ends included) → INSIDE."""
    opens = slot_start - dt.timedelta(minutes=early_min)
    closes = slot_start + dt.timedelta(minutes=late_min)
    other_day = slot_start.date() != now.date()
    if now < opens:
        status = CheckinStatus.TOO_EARLY
    elif now > closes:
        status = CheckinStatus.TOO_LATE
    else:
        status = CheckinStatus.INSIDE
    return CheckinDecision(status, slot_start, opens, closes, other_day and status is not CheckinStatus.INSIDE)
