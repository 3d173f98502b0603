"""What the hall learned from its own past days: service times, walk-up and no-show times, abandonment,
counter speeds, arrival profiles, the lunch rota, interruptions, and the calibration of the model's errors.

Everything has a day-one default, and every learned value is shrunk towards its default by its sample size,
so one odd day cannot throw the estimates off.
"""

from __future__ import annotations

import bisect
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from madoguchi.server.estimates.model import HistoryDay, HistoryRecord

DEFAULT_SERVICE_MIN = 6.0
DEFAULT_WALK_MIN = 0.8
DEFAULT_HOLD_MIN = 1.0
DEFAULT_ABANDON = 0.05
DEFAULT_INTERRUPT_SHARE = 0.03
DEFAULT_INTERRUPT_MIN = 8.0
#: a break at least this long is lunch (rota); shorter ones are interruptions
LONG_BREAK_MIN = 30.0
PROFILE_BIN_MIN = 15.0
#: calibration works on log((wait + C) / (model + C)) so short waits do not explode the ratios
CAL_OFFSET_MIN = 3.0
#: day-one quantiles of that log-ratio (low, mid, high): deliberately wide until the hall has history
PRIOR_LOG_QUANTILES = (math.log(0.65), 0.0, math.log(1.42))
#: the range covers the residuals between these quantiles
LOW_Q, HIGH_Q = 0.07, 0.93
#: waiting-time bins (minutes) of the abandonment curve: the longer the wait, the likelier the number is gone
ABANDON_WAIT_EDGES = (10.0, 20.0, 40.0, 60.0, 90.0, 120.0, 180.0)
#: day-one shape of that curve (share of called numbers already gone), scaled to the hall's own level as
#: soon as it has calls; both the shared sample and our simulator show leaving rising steeply after ~40 min
PRIOR_ABANDON_CURVE = (0.01, 0.02, 0.05, 0.10, 0.18, 0.28, 0.40, 0.50)
#: today's model errors: how many of the latest calls, and how strongly they pull (pseudo-count)
TODAY_ERRORS = 40
TODAY_ERROR_WEIGHT = 15.0
#: each older day's errors weigh this much less in the calibration
CAL_DAY_DECAY = 0.5
#: model-size bins (minutes) with their own calibration once they hold enough pairs
CAL_BINS = (0.0, 8.0, 20.0, 45.0, math.inf)


def shrink(observed_sum: float, n: int, prior: float, weight: float) -> float:
    """Mean of n observations pulled towards ``prior`` as if it were ``weight`` extra observations."""
    return (observed_sum + prior * weight) / (n + weight)


def _weighted_quantile(items: Sequence[tuple[float, float]], q: float) -> float:
    """Quantile of (value, weight) pairs sorted by value."""
    total = sum(w for _, w in items)
    target = q * total
    acc = 0.0
    for value, w in items:
        acc += w
        if acc >= target:
            return value
    return items[-1][0]


def error_shift(latest_errors: Sequence[float]) -> float:
    """Today's bias: the median log-ratio error of the latest calls, shrunk towards none."""
    if not latest_errors:
        return 0.0
    return statistics.median(latest_errors) * len(latest_errors) / (len(latest_errors) + TODAY_ERROR_WEIGHT)


def log_error(wait: float, model: float) -> float:
    return math.log((wait + CAL_OFFSET_MIN) / (model + CAL_OFFSET_MIN))


def shifted(model_min: float, shift: float) -> float:
    """The model value corrected by today's bias (in the same log-ratio space as the calibration)."""
    return max(0.0, (model_min + CAL_OFFSET_MIN) * math.exp(shift) - CAL_OFFSET_MIN)


def _shifted_pairs(tickets: Sequence[HistoryRecord]) -> list[tuple[float, float]]:
    """(bias-corrected model, real wait) per scored ticket of one day, with the correction each ticket got
    at its issue time (rebuilt from the calls before it, exactly as the predictor saw them)."""
    calls = sorted(
        (t.called, log_error(t.called - t.issued, t.model_min))
        for t in tickets
        if t.called is not None and not t.abandoned and t.model_min is not None
    )
    called_at = [c for c, _ in calls]
    pairs = []
    for t in tickets:
        if t.called is None or t.abandoned or t.model_min is None:
            continue
        n = bisect.bisect_left(called_at, t.issued)
        latest = [e for _, e in calls[max(0, n - TODAY_ERRORS) : n]]
        pairs.append((shifted(t.model_min, error_shift(latest)), t.called - t.issued))
    return pairs


@dataclass(frozen=True, slots=True)
class Calibration:
    """Quantiles of log((wait + C) / (model + C)) per model-size bin, shrunk towards the day-one prior."""

    bins: tuple[tuple[float, float, float], ...] = tuple(PRIOR_LOG_QUANTILES for _ in CAL_BINS[1:])

    def apply(self, model_min: float) -> tuple[float, float, float]:
        for i in range(len(CAL_BINS) - 1):
            if model_min < CAL_BINS[i + 1]:
                ql, qm, qh = self.bins[i]
                break
        base = model_min + CAL_OFFSET_MIN
        low = max(0.0, base * math.exp(ql) - CAL_OFFSET_MIN)
        mid = max(0.0, base * math.exp(qm) - CAL_OFFSET_MIN)
        high = max(mid + 1.0, base * math.exp(qh) - CAL_OFFSET_MIN)
        return min(low, mid), mid, high

    @staticmethod
    def learn(pairs: Iterable[tuple[float, float, float]], prior_weight: float = 40.0) -> Calibration:
        """Fit from (model_min, real wait, weight) triples; bins with little weight stay near the prior."""
        per_bin: list[list[tuple[float, float]]] = [[] for _ in CAL_BINS[1:]]
        every: list[tuple[float, float]] = []
        for model, wait, weight in pairs:
            item = (log_error(wait, model), weight)
            every.append(item)
            for i in range(len(CAL_BINS) - 1):
                if model < CAL_BINS[i + 1]:
                    per_bin[i].append(item)
                    break
        overall = _fit(every, PRIOR_LOG_QUANTILES, prior_weight)
        return Calibration(tuple(_fit(b, overall, prior_weight) for b in per_bin))


def _fit(
    items: list[tuple[float, float]], prior: tuple[float, float, float], weight: float
) -> tuple[float, float, float]:
    n = sum(w for _, w in items)
    if n <= 0:
        return prior
    items.sort()
    w = n / (n + weight)
    got = [_weighted_quantile(items, q) for q in (LOW_Q, 0.5, HIGH_Q)]
    return (
        w * got[0] + (1 - w) * prior[0],
        w * got[1] + (1 - w) * prior[1],
        w * got[2] + (1 - w) * prior[2],
    )


@dataclass(frozen=True, slots=True)
class LunchRota:
    start: float
    duration: float
    #: share of past days this counter took the break
    share: float


@dataclass
class HallKnowledge:
    days: int = 0
    #: service id → (sum of service minutes, count)
    service_sum: dict[str, tuple[float, int]] = field(default_factory=dict)
    #: counter → speed factor (its service times / the service's mean)
    counter_factor: dict[str, float] = field(default_factory=dict)
    walk_min: float = DEFAULT_WALK_MIN
    hold_min: float = DEFAULT_HOLD_MIN
    #: service id → (abandoned, called)
    abandon_counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: service id → per waiting-time bin (ABANDON_WAIT_EDGES): (abandoned, called)
    abandon_by_wait: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    #: service id → mean arrivals per profile bin (index = minute // PROFILE_BIN_MIN)
    arrival_profile: dict[str, list[float]] = field(default_factory=dict)
    lunch: dict[str, LunchRota] = field(default_factory=dict)
    close_at: dict[str, float] = field(default_factory=dict)
    interrupt_share: float = DEFAULT_INTERRUPT_SHARE
    interrupt_min: float = DEFAULT_INTERRUPT_MIN
    calibration: Calibration = field(default_factory=Calibration)

    def service_prior(self, service_id: str, config_prior: float | None) -> tuple[float, float]:
        """(mean service minutes, weight in pseudo-observations) before today's own completions."""
        base = config_prior if config_prior is not None else DEFAULT_SERVICE_MIN
        total, n = self.service_sum.get(service_id, (0.0, 0))
        if n == 0:
            return base, 6.0
        return shrink(total, n, base, 10.0), min(30.0, 6.0 + n / 5)

    def abandon_prior(self, service_id: str) -> tuple[float, float]:
        a, n = self.abandon_counts.get(service_id, (0, 0))
        return shrink(a, n, DEFAULT_ABANDON, 40.0), min(100.0, 20.0 + n / 5)

    def arrivals_expected(self, service_id: str, start: float, end: float) -> float | None:
        """Mean arrivals of a past day between two times, or None without history."""
        prof = self.arrival_profile.get(service_id)
        if prof is None:
            return None
        total = 0.0
        t = start
        while t < end - 1e-9:
            b = int(t // PROFILE_BIN_MIN)
            bin_end = (b + 1) * PROFILE_BIN_MIN
            step = min(end, bin_end) - t
            if 0 <= b < len(prof):
                total += prof[b] * step / PROFILE_BIN_MIN
            t += step
        return total


def learn_knowledge(days: Sequence[HistoryDay]) -> HallKnowledge:
    """Fit every learned quantity from whole past days (most recent last; a few weeks are plenty)."""
    k = HallKnowledge(days=len(days))
    if not days:
        return k
    svc_times: dict[str, list[float]] = defaultdict(list)
    per_counter: dict[str, list[tuple[str, float]]] = defaultdict(list)
    walks: list[float] = []
    holds: list[float] = []
    abandon: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    bins = int(24 * 60 // PROFILE_BIN_MIN)
    arrivals: dict[str, list[float]] = defaultdict(lambda: [0.0] * bins)
    pairs: list[tuple[float, float, float]] = []
    by_wait: dict[str, list[list[int]]] = defaultdict(lambda: [[0, 0] for _ in range(len(ABANDON_WAIT_EDGES) + 1)])
    for day in days:
        for t in day.tickets:
            arrivals[t.service_id][min(bins - 1, int(t.issued // PROFILE_BIN_MIN))] += 1.0
            if t.called is None:
                continue
            abandon[t.service_id][1] += 1
            wait_bin = by_wait[t.service_id][bisect.bisect_right(ABANDON_WAIT_EDGES, t.called - t.issued)]
            wait_bin[1] += 1
            if t.abandoned:
                abandon[t.service_id][0] += 1
                wait_bin[0] += 1
            if t.service_start is not None and t.service_end is not None:
                d = t.service_end - t.service_start
                svc_times[t.service_id].append(d)
                if t.counter:
                    per_counter[t.counter].append((t.service_id, d))
                walks.append(t.service_start - t.called)
            elif t.abandoned and t.service_end is not None:
                holds.append(t.service_end - t.called)
    k.service_sum = {s: (sum(v), len(v)) for s, v in svc_times.items()}
    means = {s: sum(v) / len(v) for s, v in svc_times.items() if v}
    for c, items in per_counter.items():
        ratios = [d / means[s] for s, d in items if means.get(s)]
        if ratios:
            k.counter_factor[c] = shrink(sum(ratios), len(ratios), 1.0, 30.0)
    if walks:
        k.walk_min = shrink(sum(walks), len(walks), DEFAULT_WALK_MIN, 10.0)
    if holds:
        k.hold_min = shrink(sum(holds), len(holds), DEFAULT_HOLD_MIN, 5.0)
    k.abandon_counts = {s: (v[0], v[1]) for s, v in abandon.items()}
    k.abandon_by_wait = {s: tuple((a, n) for a, n in bins) for s, bins in by_wait.items()}
    k.arrival_profile = {s: [x / len(days) for x in prof] for s, prof in arrivals.items()}
    _learn_breaks(k, days)
    # errors made while the hall knew less say little about today's: older days weigh less
    for age, day in enumerate(reversed(days)):
        weight = CAL_DAY_DECAY**age
        pairs.extend((m, w, weight) for m, w in _shifted_pairs(day.tickets))
    k.calibration = Calibration.learn(pairs)
    return k


def _learn_breaks(k: HallKnowledge, days: Sequence[HistoryDay]) -> None:
    lunches: dict[str, list[tuple[float, float]]] = defaultdict(list)
    short_total = 0.0
    short_n = 0
    short_durations: list[float] = []
    open_total = 0.0
    closes: dict[str, list[float]] = defaultdict(list)
    for day in days:
        for c in day.counters:
            open_total += max(0.0, c.closed - c.opened)
            closes[c.counter].append(c.closed)
        for b in day.breaks:
            d = b.end - b.start
            if d >= LONG_BREAK_MIN:
                lunches[b.counter].append((b.start, d))
            else:
                short_total += d
                short_n += 1
                short_durations.append(d)
    for name, items in lunches.items():
        k.lunch[name] = LunchRota(
            start=statistics.median(s for s, _ in items),
            duration=statistics.median(d for _, d in items),
            share=min(1.0, len(items) / len(days)),
        )
    if open_total > 0:
        # as if 10 extra hours had been watched at the default share
        k.interrupt_share = (short_total + DEFAULT_INTERRUPT_SHARE * 600.0) / (open_total + 600.0)
    if short_durations:
        k.interrupt_min = shrink(sum(short_durations), short_n, DEFAULT_INTERRUPT_MIN, 5.0)
    k.close_at = {c: statistics.median(v) for c, v in closes.items()}
