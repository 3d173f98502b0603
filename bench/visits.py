"""Visits of several procedures through a simulated morning: is the kiosk's wait range for the whole route honest?

The example hall's real server logic (HallService on a temporary database, hall clock simulated): residents
arrive at random with the demo's mix of procedures, a share ``--visit-share`` of them for a life event with
random answers (a route of 2–3 procedures); every counter is open and serves with lognormal times around its
procedures' means. For each visit the kiosk's ``route_estimate`` (given at issue) is compared with the time the
visit really took, from issue to its last counter done. Also prints the day's visit statistics as the admin
console shows them.

    .venv/bin/python bench/visits.py [--hours 3] [--per-hour 70] [--visit-share 0.15] [--seed 3] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from madoguchi.apps.demo.traffic import SERVICE_WEIGHTS
from madoguchi.core import api_models as m
from madoguchi.core.config import EXAMPLE_CONFIG, load_config
from madoguchi.core.life_events import guidance
from madoguchi.server.hall_service import HallService
from madoguchi.server.security import FormCipher
from madoguchi.server.store import Store

STEP_S = 15.0


class SimClock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class Busy:
    ticket_id: int
    until: float


def _draw(rng: random.Random, mean: float, cv: float = 0.5) -> float:
    sigma = math.sqrt(math.log(1 + cv**2))
    return max(0.5, rng.lognormvariate(math.log(mean) - sigma**2 / 2, sigma))


def run(hours: float, per_hour: float, visit_share: float, seed: int) -> tuple[int, int, int, list[float]]:
    """One simulated morning; returns (inside, below, above, |real - mid| per visit)."""
    rng = random.Random(seed)
    config = load_config(EXAMPLE_CONFIG)
    tz = ZoneInfo(config.hall.timezone)
    clock = SimClock(dt.datetime(2026, 12, 7, 8, 30, tzinfo=tz))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "hall.sqlite3")
        hall = HallService(config, store, FormCipher(Path(tmp) / "keys"), clock=clock)
        for c in config.counters:
            hall.engine.set_counter_state(c.number, "open")
        services = [s.id for s in config.services]
        visits: dict[int, tuple[float, m.Estimate]] = {}
        busy: dict[int, Busy] = {}
        start = clock.now.timestamp()
        end_issue = start + hours * 3600
        next_arrival = start + rng.expovariate(per_hour / 3600)
        n = 0
        while True:
            now = clock.now.timestamp()
            if now > end_issue and not busy and not hall.store.waiting_of_day(hall.engine.today()):
                break
            while now <= end_issue and next_arrival <= now:
                n += 1
                hall.estimates.refresh()
                if rng.random() < visit_share:
                    event = rng.choice(config.life_events)
                    route = list(guidance(event, {q.id: rng.random() < 0.6 for q in event.questions}).route)
                else:
                    route = rng.choices(services, [SERVICE_WEIGHTS.get(sid, 1) for sid in services])
                req = m.IssueRequest(
                    service_id=route[0],
                    route=route if len(route) > 1 else None,
                    request_id=f"bench-{n:06d}",
                )
                issued = hall.issue(req, "kiosk-bench", rate_limit=False)
                if issued.route_estimate is not None:
                    visits[issued.ticket.id] = (now, issued.route_estimate)
                next_arrival += rng.expovariate(per_hour / 3600)
            for c in config.counters:
                job = busy.get(c.number)
                if job is not None and job.until <= now:
                    hall.engine.done(job.ticket_id, c.number)
                    del busy[c.number]
                if c.number not in busy:
                    called = hall.engine.call_next(c.number)
                    if called is not None:
                        hall.engine.start(called.id, c.number)
                        mean = config.service(called.service_id).mean_service_min
                        busy[c.number] = Busy(called.id, now + 30 + _draw(rng, mean) * 60)
            clock.now += dt.timedelta(seconds=STEP_S)

        errors, inside, below, above = [], 0, 0, 0
        for ticket_id, (issued_at, est) in visits.items():
            t = hall.engine.ticket(ticket_id)
            assert t.state == "done" and t.finished_at is not None
            took = (t.finished_at - issued_at) / 60
            errors.append(abs(took - est.mid_min))
            if took < est.low_min:
                below += 1
            elif took > est.high_min:
                above += 1
            else:
                inside += 1
        stats = hall.visit_statistics()
        store.close()
    total = len(visits)
    q = statistics.quantiles(errors, n=20) if len(errors) > 1 else [0.0] * 19
    print(f"simulated {hours:g} h of issuing, {n} tickets, {total} visits of 2+ procedures (seed {seed})")
    print(
        f"whole-route range held the real time: {inside}/{total} ({100 * inside / max(total, 1):.0f} %); "
        f"shorter than the range {below}, longer {above}"
    )
    print(f"|real - mid| minutes: p50 {statistics.median(errors):.1f}, p95 {q[18]:.1f}")
    print(
        f"visit statistics: completed {stats.completed}/{stats.visits}, time in the hall mean "
        f"{stats.in_hall_mean_min} min, p90 {stats.in_hall_p90_min} min"
    )
    for s in stats.steps:
        print(
            f"  {s.service_id:<11} reached by {s.visits:>3}  wait mean {s.wait_mean_min} min, p90 {s.wait_p90_min} min"
        )
    return inside, below, above, errors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hours", type=float, default=3.0)
    ap.add_argument("--per-hour", type=float, default=70.0)
    ap.add_argument("--visit-share", type=float, default=0.15)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--runs", type=int, default=5, help="mornings, seeds seed..seed+runs-1")
    a = ap.parse_args()
    inside = below = above = 0
    errors: list[float] = []
    for seed in range(a.seed, a.seed + a.runs):
        i, b, o, e = run(a.hours, a.per_hour, a.visit_share, seed)
        inside, below, above, errors = inside + i, below + b, above + o, errors + e
        print()
    total = inside + below + above
    q = statistics.quantiles(errors, n=20)
    print(
        f"ALL {a.runs} mornings: {total} visits; the range held {inside} ({100 * inside / total:.0f} %), "
        f"shorter {below}, longer {above}; |real - mid| p50 {statistics.median(errors):.1f} min, p95 {q[18]:.1f} min"
    )


if __name__ == "__main__":
    main()
