"""Wait-estimate benchmark: replay simulated days (bench/day_simulator.py) through the simulation predictor
and each classical predictor, learning across days, and print one table per scenario plus prediction timing.

    .venv/bin/python bench/estimates.py [--days 6] [--seed 7] [--sample ../shared/data/wait/sample-peak-day.csv]

Figures are written up by hand in bench/estimates.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from day_simulator import HEADER, SCENARIOS, simulate_days

from madoguchi.server.estimates.event_log import LogDay, parse_rows, read_log
from madoguchi.server.estimates.replay import Metrics, replay, score
from madoguchi.server.estimates.wait_range import (
    BASELINES,
    CounterState,
    CounterStatus,
    HallSnapshot,
    PlannedBreak,
    Predictor,
    TodayTicket,
    WaitingTicket,
)

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


def evaluate(label: str, days: list[LogDay], skips: tuple[int, ...] = (0,)) -> None:
    """One replay per predictor; scored on all days, and on the days after ``skip`` days of history."""
    results = {p.name: replay(p, days).estimates for p in _predictors()}
    for skip in skips:
        scored_days = {d.day_id for d in days[skip:]}
        when = "all days, day one without history" if skip == 0 else f"days {skip + 1}+, after {skip} of history"
        print(f"\n### {label}: {len(days)} day(s); {when}")
        print(HEAD)
        metrics = {name: score([e for e in est if e.day_id in scored_days]) for name, est in results.items()}
        for name, m in metrics.items():
            print(_row(name, m))
        ours = metrics["simulation"]
        best = min((m for n, m in metrics.items() if n != "simulation"), key=lambda m: m.mae)
        print(
            f"mean wait {ours.mean_wait:.1f} min over {ours.scored} tickets; simulation MAE "
            f"{1 - ours.mae / best.mae:.0%} lower than the best classical; "
            f"width limit {0.8 * ours.mean_wait + 5:.1f} min"
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
        wall: list[float] = []
        cpu: list[float] = []
        for i in range(runs):
            t0, c0 = time.perf_counter(), time.thread_time()
            p.predict(snap, services[i % len(services)])
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
        print(
            f"predict, {waiting} waiting, 12 counters, 400 recent calls ({policy}): "
            f"wall p50 {_pct(wall, 50):.2f} ms p95 {_pct(wall, 95):.2f} ms; "
            f"CPU p50 {_pct(cpu, 50):.2f} ms p95 {_pct(cpu, 95):.2f} ms"
        )


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def replay_timing(days: list[LogDay]) -> None:
    result = replay(Predictor(), days, timed=True)
    ms = result.predict_ms
    print(f"predict during the busy_monday replay ({len(ms)} calls): p50 {_pct(ms, 50):.2f} ms, "
          f"p95 {_pct(ms, 95):.2f} ms, max {max(ms):.2f} ms")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=6)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE)
    args = parser.parse_args()
    busy: list[LogDay] = []
    for name in SCENARIOS:
        rows = [HEADER, *simulate_days(name, args.days, args.seed)]
        days = parse_rows(rows, f"<{name}>")
        busy = days if name == "busy_monday" else busy
        evaluate(name, days, (0, 3))
    # the example hall configuration calls oldest first across a counter's services: check that policy too
    rows = [HEADER, *simulate_days("busy_monday", args.days, args.seed, policy="oldest_first")]
    evaluate("busy_monday, oldest-first calling", parse_rows(rows, "<busy_monday_oldest>"), (0, 3))
    if args.sample.exists():
        evaluate(f"shared sample {args.sample.name}", read_log(args.sample))
    print()
    timing()
    replay_timing(busy)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
