"""The hall configuration's part of a snapshot: each counter's planned breaks and closing time, and the
prior service times, so the server only adds what happened today (status, ticket in hand, breaks taken)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from madoguchi.core.config import HallConfig
from madoguchi.server.estimates.model import PlannedBreak, minutes_of_day


def service_priors(cfg: HallConfig) -> dict[str, float]:
    """{service id: Service.mean_service_min}, the day-one service times."""
    return {s.id: s.mean_service_min for s in cfg.services}


@dataclass(frozen=True, slots=True)
class CounterPlan:
    """The CounterState fields that come from the configuration."""

    planned_breaks: tuple[PlannedBreak, ...]
    opens_at: float | None
    closes_at: float | None


def counter_rota(cfg: HallConfig, number: int, now: float, breaks_taken: Iterable[float] = ()) -> CounterPlan:
    """A counter's planned breaks not yet taken, and its own opening and closing times (``counters[].breaks``,
    ``counters[].hours``).
    A planned break counts as taken once a break started within 45 min of its planned start (``breaks_taken``:
    today's break start times, in minutes). Counters without their own hours get no closing time: the hall
    serves every ticket it issued before ``hall.opening.end``."""
    counter = cfg.counter(number)
    taken = list(breaks_taken)
    planned = []
    for span in counter.breaks:
        start, end = minutes_of_day(span.start), minutes_of_day(span.end)
        if end <= now or any(abs(t - start) <= 45.0 for t in taken):
            continue
        planned.append(PlannedBreak(start, end))
    if counter.hours is None:
        return CounterPlan(tuple(planned), None, None)
    return CounterPlan(tuple(planned), minutes_of_day(counter.hours.start), minutes_of_day(counter.hours.end))
