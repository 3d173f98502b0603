"""Today's own evidence, read from the snapshot: recent service times, abandonment, arrivals, and how far the
model has been off today. Each figure is blended with what the hall learned from past days."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from madoguchi.server.estimates.knowledge import (
    ABANDON_WAIT_EDGES,
    DEFAULT_ABANDON,
    PRIOR_ABANDON_CURVE,
    PROFILE_BIN_MIN,
    TODAY_ERRORS,
    HallKnowledge,
    error_shift,
    log_error,
)
from madoguchi.server.estimates.model import HallSnapshot

#: only today's latest calls are read (a longer day is summed up in the learned history)
RECENT_CALLS = 250
#: how many of today's latest completions per service feed the service-time estimate
RECENT_PER_SERVICE = 30
#: arrivals over this many minutes set today's arrival level
ARRIVAL_WINDOW_MIN = 60.0
#: each waiting-time bin of the abandonment curve is pulled towards the prior by this pseudo-count
ABANDON_BIN_WEIGHT = 20.0


@dataclass(frozen=True, slots=True)
class TodayRates:
    service_min: dict[str, float]
    abandon: dict[str, float]
    counter_factor: dict[str, float]
    walk_min: float
    hold_min: float
    #: log-ratio shift of today's real waits against the model so far
    error_shift: float
    #: probability that a called number is gone, per waiting-time bin (ABANDON_WAIT_EDGES)
    abandon_curve: tuple[float, ...] = ()
    abandon_overall: float = DEFAULT_ABANDON
    #: per service: its abandonment relative to the curve (1 = like everyone else)
    abandon_scale: dict[str, float] = field(default_factory=dict)

    def gone_scale(self, service_id: str) -> float:
        return self.abandon_scale.get(service_id, 1.0)

    def occupancy_parts(self, service_id: str, counter: str, interrupt_share: float) -> tuple[float, float]:
        """(occupancy if the resident is there, minus occupancy if gone): occupancy = A − p(wait) · D."""
        svc = self.service_min.get(service_id, 6.0) * self.counter_factor.get(counter, 1.0)
        there = (self.walk_min + svc) / (1 - interrupt_share)
        return there, there - self.hold_min / (1 - interrupt_share)

    def occupancy(self, service_id: str, counter: str, interrupt_share: float) -> float:
        p = self.abandon.get(service_id, 0.05)
        svc = self.service_min.get(service_id, 6.0) * self.counter_factor.get(counter, 1.0)
        return ((1 - p) * (self.walk_min + svc) + p * self.hold_min) / (1 - interrupt_share)


def today_rates(snap: HallSnapshot, knowledge: HallKnowledge) -> TodayRates:
    durations: dict[str, list[float]] = {}
    called: dict[str, list[int]] = {}
    walks: list[float] = []
    holds: list[float] = []
    errors: list[float] = []
    per_counter: dict[str, list[tuple[str, float]]] = {}
    empty = ((0, 0),) * (len(ABANDON_WAIT_EDGES) + 1)
    by_wait: dict[str, list[list[int]]] = {}
    for t in reversed(snap.recent[-RECENT_CALLS:]):
        c = called.setdefault(t.service_id, [0, 0])
        c[1] += 1
        bins = by_wait.get(t.service_id)
        if bins is None:
            bins = by_wait[t.service_id] = [list(x) for x in knowledge.abandon_by_wait.get(t.service_id, empty)]
        wait_bin = bins[bisect.bisect_right(ABANDON_WAIT_EDGES, t.called_at - t.issued_at)]
        wait_bin[1] += 1
        if t.abandoned:
            c[0] += 1
            wait_bin[0] += 1
            if t.service_end is not None and len(holds) < 20:
                holds.append(t.service_end - t.called_at)
            continue
        if t.model_min is not None and len(errors) < TODAY_ERRORS:
            errors.append(log_error(t.called_at - t.issued_at, t.model_min))
        if t.service_start is None:
            continue
        if len(walks) < 40:
            walks.append(t.service_start - t.called_at)
        if t.service_end is not None:
            d = durations.setdefault(t.service_id, [])
            if len(d) < RECENT_PER_SERVICE:
                d.append(t.service_end - t.service_start)
                per_counter.setdefault(t.counter, []).append((t.service_id, t.service_end - t.service_start))
    service_ids = set(snap.service_priors) | {w.service_id for w in snap.waiting} | set(durations)
    for cs in snap.counters:
        service_ids.update(cs.services)
    service_min: dict[str, float] = {}
    for s in service_ids:
        prior, weight = knowledge.service_prior(s, snap.service_priors.get(s))
        d = durations.get(s, [])
        service_min[s] = (sum(d) + prior * weight) / (len(d) + weight)
    abandon: dict[str, float] = {}
    for s in service_ids:
        prior, weight = knowledge.abandon_prior(s)
        a, n = called.get(s, [0, 0])
        abandon[s] = (a + prior * weight) / (n + weight)
    factors = dict(knowledge.counter_factor)
    for counter, items in per_counter.items():
        ratios = [d / service_min[s] for s, d in items if service_min.get(s)]
        base = factors.get(counter, 1.0)
        factors[counter] = (sum(ratios) + base * 15.0) / (len(ratios) + 15.0)
    walk = (sum(walks) + knowledge.walk_min * 10) / (len(walks) + 10)
    hold = (sum(holds) + knowledge.hold_min * 5) / (len(holds) + 5)
    for sid, hist in knowledge.abandon_by_wait.items():
        by_wait.setdefault(sid, [list(x) for x in hist])
    totals = [[0, 0] for _ in empty]
    for bins in by_wait.values():
        for tot, (a, n) in zip(totals, bins, strict=True):
            tot[0] += a
            tot[1] += n
    overall = (sum(a for a, _ in totals) + DEFAULT_ABANDON * 40) / (sum(n for _, n in totals) + 40)
    # the hall's own level against the prior shape, then each bin pulled towards that scaled prior
    expected = sum(n * p for (_, n), p in zip(totals, PRIOR_ABANDON_CURVE, strict=True))
    level = (sum(a for a, _ in totals) + 3.0) / (expected + 3.0)
    curve = tuple(
        min(0.95, (a + min(0.95, p * level) * ABANDON_BIN_WEIGHT) / (n + ABANDON_BIN_WEIGHT))
        for (a, n), p in zip(totals, PRIOR_ABANDON_CURVE, strict=True)
    )
    # a service's own tendency, measured against what the curve expects at the waits it really had
    scales = {
        sid: (sum(a for a, _ in bins) + 3.0) / (sum(n * c for (_, n), c in zip(bins, curve, strict=True)) + 3.0)
        for sid, bins in by_wait.items()
    }
    shift = error_shift(errors)
    return TodayRates(service_min, abandon, factors, walk, hold, shift, curve, overall, scales)


def recent_arrivals(snap: HallSnapshot) -> dict[str, int]:
    """Tickets issued per service in the last ARRIVAL_WINDOW_MIN minutes (waiting or already called)."""
    start = snap.now - ARRIVAL_WINDOW_MIN
    seen: dict[str, int] = {}
    for w in snap.waiting:
        if w.queued_at >= start:
            seen[w.service_id] = seen.get(w.service_id, 0) + 1
    for t in reversed(snap.recent):
        if t.called_at < start:
            break  # called before the window, so issued before it too
        if t.issued_at >= start:
            seen[t.service_id] = seen.get(t.service_id, 0) + 1
    return seen


def arrival_rate(snap: HallSnapshot, knowledge: HallKnowledge, service_id: str, seen: int) -> Callable[[float], float]:
    """Expected arrivals per minute of a service at a future time: the learned day profile scaled to today's
    level (``seen`` = its tickets of the last hour), or today's rate held flat without history."""
    start = snap.now - ARRIVAL_WINDOW_MIN
    expected = knowledge.arrivals_expected(service_id, max(0.0, start), snap.now)
    profile = knowledge.arrival_profile.get(service_id)
    if expected is None or profile is None:
        flat = seen / ARRIVAL_WINDOW_MIN
        return lambda _t: flat
    scale = (seen + 3.0) / (expected + 3.0)
    bins = profile

    def rate(t: float) -> float:
        b = int(t // PROFILE_BIN_MIN)
        return bins[b] * scale / PROFILE_BIN_MIN if 0 <= b < len(bins) else 0.0

    return rate
