"""A day's visits of several procedures: time in the hall and the wait at each step (``GET
/api/v1/admin/statistics/visits``)."""

from __future__ import annotations

import statistics

from madoguchi.core import api_models as m
from madoguchi.core.config import HallConfig
from madoguchi.server.store import Store


def _p90(values: list[float]) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=10, method="inclusive")[-1], 1)


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 1) if values else None


def visit_statistics(store: Store, day: str, config: HallConfig) -> m.VisitStats:
    visits = store.visits_of_day(day)
    in_hall: list[float] = []
    by_event: dict[str, int] = {}
    waits: dict[str, list[float]] = {}
    reached: dict[str, int] = {}
    completed = 0
    for ticket, steps in visits:
        by_event[ticket.life_event or ""] = by_event.get(ticket.life_event or "", 0) + 1
        if ticket.state == "done" and ticket.finished_at is not None:
            completed += 1
            in_hall.append((ticket.finished_at - ticket.issued_at) / 60)
        for s in steps:
            if s.joined_at is None:
                continue
            reached[s.service_id] = reached.get(s.service_id, 0) + 1
            if s.called_at is not None:
                waits.setdefault(s.service_id, []).append(max(0.0, s.called_at - s.joined_at) / 60)
    order = {sid: i for i, sid in enumerate(config.service_ids())}
    return m.VisitStats(
        day=day,
        visits=len(visits),
        completed=completed,
        in_hall_mean_min=_mean(in_hall),
        in_hall_p90_min=_p90(in_hall),
        by_event=by_event,
        steps=[
            m.VisitStepStats(
                service_id=sid,
                visits=n,
                wait_mean_min=_mean(waits.get(sid, [])),
                wait_p90_min=_p90(waits.get(sid, [])),
            )
            for sid, n in sorted(reached.items(), key=lambda kv: order.get(kv[0], len(order)))
        ],
    )
