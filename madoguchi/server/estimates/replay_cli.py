"""``madoguchi estimate replay LOG.csv [--history DIR]``: replay an event log through the wait predictor.

Writes ``ticket_id,low,mid,high`` per issued ticket to stdout and the scores to stderr; a malformed log is
reported as ``file:line: problem`` with exit status 2 (nothing is written to stdout then).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from madoguchi.server.estimates.replay import WaitPredictor


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="estimate_command", metavar="ACTION")
    rp = sub.add_parser("replay", help="replay an event log and score the estimates", description=__doc__)
    rp.add_argument("log", help="event log CSV (one or several days)")
    rp.add_argument("--history", metavar="DIR", help="folder of earlier days' logs (*.csv) to learn from first")
    rp.add_argument(
        "--predictor",
        default="simulation",
        choices=("simulation", "queue_length", "last_to_enter", "head_of_line", "recent_average"),
        help="which predictor to replay (the classical ones are baselines)",
    )


def _make(name: str) -> WaitPredictor:
    from madoguchi.server.estimates.wait_range import BASELINES, Predictor

    if name == "simulation":
        return Predictor()
    return next(cls() for cls in BASELINES if cls.name == name)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "estimate_command", None) != "replay":
        print("usage: madoguchi estimate replay LOG.csv [--history DIR]", file=sys.stderr)
        return 2
    import csv

    from madoguchi.server.estimates.event_log import LogError, read_history, read_log
    from madoguchi.server.estimates.replay import replay, score

    try:
        days = read_log(args.log)
        history = read_history(args.history) if args.history else []
        result = replay(_make(args.predictor), days, history, where=args.log)
    except LogError as exc:
        print(f"estimate replay: {exc}", file=sys.stderr)
        return 2
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["ticket_id", "low", "mid", "high"])
    for e in result.estimates:
        est = e.estimate
        writer.writerow([e.ticket_id, f"{est.low_min:.1f}", f"{est.mid_min:.1f}", f"{est.high_min:.1f}"])
    for line in score(result.estimates).lines():
        print(line, file=sys.stderr)
    return 0
