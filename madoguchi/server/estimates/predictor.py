"""The hall's wait predictor: a forward simulation from the current state, calibrated on the hall's history.

``Predictor.predict(snapshot, service_id)`` answers for a ticket issued now; ``ticket_id=`` answers for a
waiting ticket, ``position=n`` for a place with n tickets of its service ahead. ``Predictor.learn(days)``
refits everything from past days. Pure and fast: no database, no network, no Qt.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence

from madoguchi.server.estimates.knowledge import ABANDON_WAIT_EDGES, HallKnowledge, learn_knowledge, shifted
from madoguchi.server.estimates.model import CounterState, CounterStatus, Estimate, HallSnapshot, HistoryDay
from madoguchi.server.estimates.simulation import SimCounter, SimQueue, simulate_call_time
from madoguchi.server.estimates.today import TodayRates, arrival_rate, recent_arrivals, today_rates

#: a break in progress that matches a planned one within this many minutes is that planned break
BREAK_MATCH_MIN = 45.0


def _working_today(c: CounterState, now: float) -> bool:
    """Open or on a break now, or closed but due to open later today."""
    return c.status is not CounterStatus.CLOSED or (c.opens_at is not None and c.opens_at > now)


def _component(snap: HallSnapshot, service_id: str) -> set[str]:
    """The services linked to ``service_id`` through counters working today (they share capacity)."""
    found = {service_id}
    counters = [c for c in snap.counters if _working_today(c, snap.now)]
    changed = True
    while changed:
        changed = False
        for c in counters:
            if found.intersection(c.services) and not found.issuperset(c.services):
                found.update(c.services)
                changed = True
    return found


class Predictor:
    """Simulation predictor with learned rates and a learned error calibration; works with no history."""

    name = "simulation"
    #: its range calibration benefits from re-predicting recent days with new knowledge (see replay)
    refits = True

    def __init__(self, knowledge: HallKnowledge | None = None) -> None:
        self.knowledge = knowledge or HallKnowledge()

    def learn(self, days: Sequence[HistoryDay]) -> None:
        self.knowledge = learn_knowledge(days)

    def predict(
        self,
        snap: HallSnapshot,
        service_id: str,
        *,
        position: int | None = None,
        ticket_id: str | None = None,
        priority: int = 0,
    ) -> Estimate:
        rates = today_rates(snap, self.knowledge)
        model = self.model_minutes(snap, service_id, rates, position=position, ticket_id=ticket_id, priority=priority)
        low, mid, high = self.knowledge.calibration.apply(shifted(model, rates.error_shift))
        return Estimate(round(low, 2), round(mid, 2), round(high, 2), model_min=round(model, 3))

    def model_minutes(
        self,
        snap: HallSnapshot,
        service_id: str,
        rates: TodayRates,
        *,
        position: int | None = None,
        ticket_id: str | None = None,
        priority: int = 0,
    ) -> float:
        component = _component(snap, service_id)
        order = sorted(component)
        index = {s: i for i, s in enumerate(order)}
        keyed: list[list[tuple[int, float]]] = [[] for _ in order]
        target_key: tuple[int, float] | None = None
        for w in snap.waiting:
            si = index.get(w.service_id)
            if si is None:
                continue
            key = (-w.priority, w.queued_at)
            if w.ticket_id == ticket_id:
                target_key = key
            keyed[si].append(key)
        own = keyed[index[service_id]]
        own.sort()
        if target_key is None:
            if position is not None and position < len(own):
                # ``position`` tickets of its service ahead: just before the one now at that index
                target_key = (own[position][0], own[position][1] - 1e-6)
            else:
                target_key = (-priority, snap.now + 1e-6)
            bisect.insort(own, target_key)
        counter_priority = snap.call_policy == "counter_priority"
        queues = []
        seen = recent_arrivals(snap) if counter_priority else {}
        for s, keys in zip(order, keyed, strict=True):
            keys.sort()
            q = SimQueue(keys, gone_scale=rates.gone_scale(s))
            if s == service_id:
                q.target_index = keys.index(target_key)
            elif counter_priority:
                q.rate = arrival_rate(snap, self.knowledge, s, seen.get(s, 0))
            queues.append(q)
        counters = [
            self._sim_counter(c, snap.now, index, rates)
            for c in snap.counters
            if _working_today(c, snap.now) and component.intersection(c.services)
        ]
        got = simulate_call_time(snap.now, counters, queues, counter_priority, ABANDON_WAIT_EDGES, rates.abandon_curve)
        if got is not None:
            return max(0.0, got)
        # nobody open will reach it (e.g. before opening): people ahead × mean service time on one counter
        ahead = queues[index[service_id]].target_index
        return (ahead + 1) * rates.service_min.get(service_id, 6.0)

    def _sim_counter(self, c: CounterState, now: float, index: dict[str, int], rates: TodayRates) -> SimCounter:
        k = self.knowledge
        services = tuple(index[s] for s in c.services if s in index)
        names = [s for s in c.services if s in index]
        parts = [rates.occupancy_parts(s, c.number, k.interrupt_share) for s in names]
        there = tuple(a for a, _ in parts)
        saved = tuple(d for _, d in parts)
        breaks = [(b.start, b.end - b.start) for b in c.planned_breaks if b.end > now]
        free_at = now
        if c.status is CounterStatus.CLOSED and c.opens_at is not None:
            free_at = c.opens_at
        elif c.status is CounterStatus.ON_BREAK:
            started = c.break_started_at if c.break_started_at is not None else now
            matched = next((b for b in breaks if abs(b[0] - started) <= BREAK_MATCH_MIN), None)
            if matched is not None:
                breaks.remove(matched)
                free_at = started + matched[1]
            else:
                free_at = started + k.interrupt_min
            if free_at <= now:  # overdue: expect them back soon rather than never
                free_at = now + 0.5 * k.interrupt_min
        elif c.current_service is not None:
            svc = rates.service_min.get(c.current_service, 6.0) * rates.counter_factor.get(c.number, 1.0)
            if c.current_started_at is not None:
                elapsed = now - c.current_started_at
                free_at = now + max(svc - elapsed, 0.3 * svc)
            elif c.current_called_at is not None:
                p = rates.abandon.get(c.current_service, 0.05)
                expected = (1 - p) * (rates.walk_min + svc) + p * rates.hold_min
                free_at = now + max(expected - (now - c.current_called_at), 0.3 * svc)
        closes = c.closes_at if c.closes_at is not None and c.closes_at > now else math.inf
        return SimCounter(free_at, services, there, saved, sorted(breaks), closes)
