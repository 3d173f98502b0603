"""Plain data the predictors work on: a hall snapshot, past-day records, and the estimate they return.

All times are float minutes after local midnight of the hall day (``minutes_of_day`` converts a datetime),
so a snapshot can be filled from plain database rows without any parsing in the hot path.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field

#: an estimate whose top is at most this many minutes is shown as "まもなく" (soon) instead of a range
SHORT_WAIT_MIN = 5.0


def minutes_of_day(when: dt.datetime | dt.time) -> float:
    """Minutes after midnight of a local time (the unit of every time field here)."""
    return when.hour * 60 + when.minute + when.second / 60 + when.microsecond / 60_000_000


@dataclass(frozen=True, slots=True)
class Estimate:
    """A wait range in minutes. ``model_min`` is the uncalibrated model value, stored for later learning."""

    low_min: float
    mid_min: float
    high_min: float
    model_min: float | None = None


def estimate_is_short(est: Estimate) -> bool:
    """True when the whole range is short enough to say "soon" rather than print minutes."""
    return est.high_min <= SHORT_WAIT_MIN


class CounterStatus(enum.StrEnum):
    OPEN = "open"
    ON_BREAK = "on_break"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class WaitingTicket:
    ticket_id: str
    service_id: str
    #: when it joined its current queue (issue time, or the original issue time after a transfer)
    queued_at: float
    #: larger is called earlier (priority needs); 0 for everyone else
    priority: int = 0


@dataclass(frozen=True, slots=True)
class PlannedBreak:
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class CounterState:
    #: the counter's name as text (str(config number), or "W01" in logs)
    number: str
    #: the services it serves, in the counter's priority order
    services: tuple[str, ...]
    status: CounterStatus = CounterStatus.OPEN
    #: the ticket it is handling now: its service, when it was called, and when service started (None = walking up)
    current_service: str | None = None
    current_called_at: float | None = None
    current_started_at: float | None = None
    #: when the current break began (status ON_BREAK)
    break_started_at: float | None = None
    #: planned breaks not taken yet today (from the rota: hall config counters[].breaks, or learned)
    planned_breaks: tuple[PlannedBreak, ...] = ()
    #: the counter stops calling at this time (counters[].hours.end); None = serves until the queue is empty
    closes_at: float | None = None
    #: a CLOSED counter that starts later today (counters[].hours.start) is expected from this time
    opens_at: float | None = None


@dataclass(frozen=True, slots=True)
class TodayTicket:
    """A ticket of today that has left the queue (called), for recent service times and abandonment."""

    service_id: str
    counter: str
    issued_at: float
    called_at: float
    service_start: float | None = None
    service_end: float | None = None
    abandoned: bool = False
    #: the model value of the estimate this ticket was given at issue (Estimate.model_min), if stored
    model_min: float | None = None


@dataclass(frozen=True, slots=True)
class HallSnapshot:
    now: float
    waiting: Sequence[WaitingTicket]
    counters: Sequence[CounterState]
    #: today's called tickets in call order, oldest first (only the latest 250 are read)
    recent: Sequence[TodayTicket] = ()
    #: "oldest_first" across a counter's services, or "counter_priority" (hall.call_policy)
    call_policy: str = "oldest_first"
    #: prior mean service minutes per service (config Service.mean_service_min)
    service_priors: dict[str, float] = field(default_factory=dict)
    weekday: int = 0


@dataclass(frozen=True, slots=True)
class HistoryRecord:
    """One ticket of a past day, as the store keeps it; ``model_min`` is the estimate's model value."""

    service_id: str
    counter: str | None
    issued: float
    called: float | None
    service_start: float | None
    service_end: float | None
    abandoned: bool
    day: str
    weekday: int
    model_min: float | None = None


@dataclass(frozen=True, slots=True)
class BreakRecord:
    """A past counter break (lunch or interruption), for learning the rota and interruption rates."""

    counter: str
    start: float
    end: float
    day: str
    weekday: int


@dataclass(frozen=True, slots=True)
class CounterDayRecord:
    """When a counter worked on a past day (open to close), for learning interruption rates and closing."""

    counter: str
    opened: float
    closed: float
    day: str
    weekday: int


@dataclass
class HistoryDay:
    day: str
    weekday: int
    tickets: list[HistoryRecord] = field(default_factory=list)
    breaks: list[BreakRecord] = field(default_factory=list)
    counters: list[CounterDayRecord] = field(default_factory=list)
