"""The textbook predictors, kept as baselines the simulation predictor is measured against.

- queue length: (n + 1) / (s_eff · μ), where s_eff sums each open counter's share of the service (its share of
  the counter's calls in the last hour, starting from an equal split) and 1/μ is the mean occupancy per ticket;
- last-to-enter-service (LES): the wait of the last ticket of the service that was called;
- head-of-line (HOL): how long the oldest waiting ticket of the service has waited so far;
- recent average: the mean wait of the service's last ten called tickets.

They use the same learned service times as the simulation predictor (so the comparison is about the method),
and get a fixed ±30 % band as their range. Without data (no call yet), LES and recent average fall back on
the queue-length value.
"""

from __future__ import annotations

from collections.abc import Sequence

from madoguchi.server.estimates.knowledge import HallKnowledge, learn_knowledge
from madoguchi.server.estimates.model import CounterStatus, Estimate, HallSnapshot, HistoryDay
from madoguchi.server.estimates.today import today_rates

BAND = 0.3
RECENT_CALLS = 10
SHARE_WINDOW_MIN = 60.0


def _band(mid: float) -> Estimate:
    mid = max(0.0, mid)
    return Estimate(round(mid * (1 - BAND), 2), round(mid, 2), round(mid * (1 + BAND) + 0.5, 2), model_min=mid)


class QueueLengthPredictor:
    name = "queue_length"

    def __init__(self) -> None:
        self.knowledge = HallKnowledge()

    def learn(self, days: Sequence[HistoryDay]) -> None:
        self.knowledge = learn_knowledge(days)

    def predict(self, snap: HallSnapshot, service_id: str, *, position: int | None = None) -> Estimate:
        return _band(self.minutes(snap, service_id, position))

    def minutes(self, snap: HallSnapshot, service_id: str, position: int | None = None) -> float:
        rates = today_rates(snap, self.knowledge)
        waiting = sum(1 for w in snap.waiting if w.service_id == service_id)
        ahead = waiting if position is None else min(position, waiting)
        # each counter's share of this service: its calls of the last hour, starting from an equal split
        calls: dict[str, dict[str, int]] = {}
        for t in snap.recent:
            if t.called_at >= snap.now - SHARE_WINDOW_MIN:
                per = calls.setdefault(t.counter, {})
                per[t.service_id] = per.get(t.service_id, 0) + 1
        share_sum = 0.0
        occupancy_sum = 0.0
        idle = False
        for c in snap.counters:
            if c.status is not CounterStatus.OPEN or service_id not in c.services:
                continue
            per = calls.get(c.number, {})
            share = (per.get(service_id, 0) + 1) / (sum(per.values()) + len(c.services))
            share_sum += share
            idle = idle or c.current_service is None
            occupancy_sum += share * rates.occupancy(service_id, c.number, 0.0)
        if share_sum <= 0:
            return (ahead + 1) * rates.occupancy(service_id, "", 0.0)
        if ahead == 0 and idle:
            return 0.0
        return (ahead + 1) * (occupancy_sum / share_sum) / share_sum


class LastToEnterServicePredictor(QueueLengthPredictor):
    name = "last_to_enter"

    def predict(self, snap: HallSnapshot, service_id: str, *, position: int | None = None) -> Estimate:
        for t in reversed(snap.recent):
            if t.service_id == service_id:
                return _band(t.called_at - t.issued_at)
        return _band(self.minutes(snap, service_id, position))


class HeadOfLinePredictor(QueueLengthPredictor):
    name = "head_of_line"

    def predict(self, snap: HallSnapshot, service_id: str, *, position: int | None = None) -> Estimate:
        ages = [snap.now - w.queued_at for w in snap.waiting if w.service_id == service_id]
        return _band(max(ages) if ages else 0.0)


class RecentAveragePredictor(QueueLengthPredictor):
    name = "recent_average"

    def predict(self, snap: HallSnapshot, service_id: str, *, position: int | None = None) -> Estimate:
        waits: list[float] = []
        for t in reversed(snap.recent):
            if t.service_id == service_id and not t.abandoned:
                waits.append(t.called_at - t.issued_at)
                if len(waits) == RECENT_CALLS:
                    break
        if not waits:
            return _band(self.minutes(snap, service_id, position))
        return _band(sum(waits) / len(waits))


BASELINES = (QueueLengthPredictor, LastToEnterServicePredictor, HeadOfLinePredictor, RecentAveragePredictor)
