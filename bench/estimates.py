"""Wait-estimate benchmark: replay simulated days (bench/day_simulator.py) through the simulation predictor
and each classical predictor, learning across days, and print one table per scenario plus prediction timing.

    .venv/bin/python bench/estimates.py [--days 6] [--seed 7] [--sample ../shared/data/wait/sample-peak-day.csv]

Figures are written up by hand in bench/estimates.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from day_simulator import HEADER, SCENARIOS, simulate_days

from queueing.estimate import (
    BASELINES,
    CounterState,
    CounterStatus,
    HallSnapshot,
    PlannedBreak,
    Predictor,
    TodayTicket,
    WaitingTicket,
)
from queueing.estimation.event_log import LogDay, parse_rows, read_log
from queueing.estimation.replay import Metrics, replay, score

DEFAULT_SAMPLE = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "wait" / "sample-peak-day.csv"


def _predictors() -> list:  # type: ignore[type-arg]
    return [Predictor(), *(cls() for cls in BASELINES)]


def _row(name: str, m: Metrics) -> str:
    width_ok = m.mean_width <= 0.8 * m.mean_wait + 5
    return (
        f"| {name:<15} | {m.mae:6.2f} | {m.rmse:6.2f} | {m.within_5:6.1%} | {m.coverage:6.1%} | "
        f"{m.mean_width:5.1f} {'ok' if width_ok else 'WIDE'} | {m.over_10:5.1%} |"
    )


HEAD = (
    "| predictor       |  MAE   |  RMSE  | ±5 min | in range | width | >10 over |\n"
    "|-----------------|--------|--------|--------|----------|-------|----------|"
)


def evaluate(label: str, days: list[LogDay], skip_days: int = 0) -> None:
    print(f"\n### {label}: {len(days)} day(s), scored from day {skip_days + 1}")
    print(HEAD)
    best_classical = None
    ours = None
    for p in _predictors():
        result = replay(p, days)
        scored_days = {d.day_id for d in days[skip_days:]}
        m = score([e for e in result.estimates if e.day_id in scored_days])
        print(_row(p.name, m))
        if p.name == "simulation":
            ours = m
        elif best_classical is None or m.mae < best_classical.mae:
            best_classical = m
    assert ours is not None and best_classical is not None
    print(
        f"mean wait {ours.mean_wait:.1f} min over {ours.scored} tickets; simulation MAE vs best classical: "
        f"{(1 - ours.mae / best_classical.mae):+.0%} lower; width limit {0.8 * ours.mean_wait + 5:.1f} min"
    )


def timing(waiting: int = 300, runs: int = 300) -> None:
    rng = random.Random(3)
    services = ["CERT", "SEAL", "MOVEIN", "MOVEOUT", "MYNA", "KOKUHO", "TAX"]
    counters = [
        CounterState(
            f"W{i:02d}",
            tuple(rng.sample(services, rng.randint(1, 3))),
            CounterStatus.OPEN,
            current_service="CERT",
            current_called_at=600.0,
            current_started_at=601.0,
            planned_breaks=(PlannedBreak(720.0, 780.0),),
        )
        for i in range(1, 13)
    ]
    tickets = [WaitingTicket(f"t{i}", rng.choice(services), 540 + i * 0.2) for i in range(waiting)]
    recent = [
        TodayTicket(rng.choice(services), "W01", 500 + i * 0.1, 520 + i * 0.1, 521 + i * 0.1, 525 + i * 0.1)
        for i in range(400)
    ]
    for policy in ("oldest_first", "counter_priority"):
        snap = HallSnapshot(600.0, tickets, counters, recent, call_policy=policy)
        p = Predictor()
        times = []
        for i in range(runs):
            t0 = time.perf_counter()
            p.predict(snap, services[i % len(services)])
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        print(
            f"predict with {waiting} waiting, 12 counters, 400 recent ({policy}): "
            f"p50 {statistics.median(times):.2f} ms, p95 {times[int(0.95 * len(times))]:.2f} ms"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=6)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE)
    args = parser.parse_args()
    for name in SCENARIOS:
        rows = [HEADER, *simulate_days(name, args.days, args.seed)]
        days = parse_rows(rows, f"<{name}>")
        evaluate(f"{name} (all days, day one without history)", days)
        evaluate(f"{name} (after 3 days of history)", days, skip_days=3)
    if args.sample.exists():
        evaluate(f"shared sample {args.sample.name} (day one, no history)", read_log(args.sample))
    print()
    timing()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
