"""Replay an event log through a predictor: ask it at every ``issued`` row using only earlier rows, let it
learn from each finished day, and score the answers against the real waits."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from madoguchi.server.estimates.event_log import LogDay
from madoguchi.server.estimates.model import Estimate, HallSnapshot, HistoryDay
from madoguchi.server.estimates.tracker import DayTracker

#: the predictor learns from at most this many of the latest days
HISTORY_DAYS = 20
#: how many of the latest days are re-predicted with the newest knowledge before calibrating
REFIT_DAYS = 2


class WaitPredictor(Protocol):
    name: str

    def learn(self, days: Sequence[HistoryDay]) -> None: ...

    def predict(self, snap: HallSnapshot, service_id: str, *, position: int | None = None) -> Estimate: ...


@dataclass(frozen=True, slots=True)
class ScoredEstimate:
    day_id: str
    ticket_id: str
    service_id: str
    estimate: Estimate
    #: called − issued; None when the ticket was abandoned or never called
    actual: float | None


@dataclass
class ReplayResult:
    estimates: list[ScoredEstimate] = field(default_factory=list)
    predict_ms: list[float] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Metrics:
    scored: int
    mae: float
    rmse: float
    within_5: float
    coverage: float
    over_10: float
    mean_width: float
    mean_wait: float

    def lines(self) -> list[str]:
        if self.scored == 0:
            return ["scored tickets: 0 (no ticket was called, or all were abandoned)"]
        return [
            f"scored tickets: {self.scored}",
            f"MAE (mid): {self.mae:.2f} min",
            f"RMSE (mid): {self.rmse:.2f} min",
            f"within ±5 min: {self.within_5:.1%}",
            f"inside [low, high]: {self.coverage:.1%}",
            f"waited > 10 min longer than high: {self.over_10:.1%}",
            f"mean range width: {self.mean_width:.1f} min (mean wait {self.mean_wait:.1f} min)",
        ]


def score(estimates: Sequence[ScoredEstimate]) -> Metrics:
    pairs = [(e.estimate, e.actual) for e in estimates if e.actual is not None]
    n = len(pairs)
    if n == 0:
        return Metrics(0, math.nan, math.nan, math.nan, math.nan, math.nan, math.nan, math.nan)
    errors = [est.mid_min - a for est, a in pairs]
    return Metrics(
        scored=n,
        mae=sum(abs(e) for e in errors) / n,
        rmse=math.sqrt(sum(e * e for e in errors) / n),
        within_5=sum(abs(e) <= 5 for e in errors) / n,
        coverage=sum(est.low_min <= a <= est.high_min for est, a in pairs) / n,
        over_10=sum(a > est.high_min + 10 for est, a in pairs) / n,
        mean_width=sum(est.high_min - est.low_min for est, _ in pairs) / n,
        mean_wait=sum(a for _, a in pairs) / n,
    )


def run_day(
    predictor: WaitPredictor,
    day: LogDay,
    votes: tuple[int, int] = (0, 0),
    where: str = "<log>",
    timings: list[float] | None = None,
) -> tuple[DayTracker, list[tuple[str, str, Estimate]]]:
    """Replay one day, asking the predictor at every ``issued`` row with a snapshot of the earlier rows."""
    tracker = DayTracker(day.day_id, day.weekday, getattr(predictor, "knowledge", None), votes, where)
    issued: list[tuple[str, str, Estimate]] = []
    for ev in day.events:
        if ev.event == "issued":
            snap = tracker.snapshot(ev.t)  # built from earlier rows only
            t0 = time.perf_counter()
            est = predictor.predict(snap, ev.service)
            if timings is not None:
                timings.append((time.perf_counter() - t0) * 1000)
            tracker.apply(ev)
            tracker.set_model(ev.ticket_id, est.model_min)
            issued.append((ev.ticket_id, ev.service, est))
        else:
            tracker.apply(ev)
    return tracker, issued


def _refit_recent(
    predictor: WaitPredictor, logs: list[LogDay], learned: list[HistoryDay], votes: tuple[int, int]
) -> None:
    """Re-predict the latest days with what is known now (leaving the re-predicted day itself out), so the
    range is calibrated on the errors of today's model rather than on those of its colder past self."""
    for j in range(max(0, len(learned) - REFIT_DAYS), len(learned)):
        # with a single day there is nothing to leave out: learn from that day itself
        others = [d for d in learned[-HISTORY_DAYS:] if d is not learned[j]] or [learned[j]]
        probe = type(predictor)()
        probe.learn(others)
        tracker, _ = run_day(probe, logs[j], votes)
        learned[j] = tracker.history_day()


def replay(
    predictor: WaitPredictor,
    days: Sequence[LogDay],
    history: Sequence[LogDay] = (),
    where: str = "<log>",
    timed: bool = False,
) -> ReplayResult:
    """Run ``history`` days (learning only), then ``days`` (scored). Raises LogError on a malformed log.

    After each day the predictor learns from the days so far; a predictor with ``refits = True`` also gets
    its latest days re-predicted with the new knowledge first (what a hall would do in its nightly refit).
    """
    result = ReplayResult()
    learned: list[HistoryDay] = []
    logs: list[LogDay] = []
    votes = (0, 0)
    predictor.learn(learned)
    for scored, day in [(False, d) for d in history] + [(True, d) for d in days]:
        tracker, issued = run_day(predictor, day, votes, where, result.predict_ms if timed else None)
        if scored:
            for tid, service, est in issued:
                t = tracker.tickets[tid]
                actual = None if t.abandoned or t.called is None else t.called - t.issued
                result.estimates.append(ScoredEstimate(day.day_id, tid, service, est, actual))
        votes = (tracker.votes_oldest, tracker.votes_priority)
        learned.append(tracker.history_day())
        logs.append(day)
        if getattr(predictor, "refits", False):
            _refit_recent(predictor, logs, learned, votes)
        predictor.learn(learned[-HISTORY_DAYS:])
    return result
