"""A city-hall day simulator that writes the queue event log format of ``../shared/data/wait/README.md``.

The hall: seven services with different service-time distributions (lognormal certificates, long gamma-like
moving-in, a bimodal My Number desk), twelve counters serving subsets in their own priority order, a morning
rush, staggered lunch breaks taken when the counter is next free, unannounced interruptions, residents who
silently leave (their number is still called, the counter waits a minute and moves on), counters with short
hours, and service until the queue is empty after issuing stops.

Scenarios: ``calm`` (a quiet mid-week day), ``busy_monday`` (+45 %), ``moving_season`` (end of March:
moving-in/out procedures ×3, everything else +10 %).

    python bench/day_simulator.py busy_monday --days 5 --seed 1 > busy.csv
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import heapq
import math
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

OPEN = 8 * 60 + 30
ISSUE_END = 17 * 60


@dataclass(frozen=True)
class ServiceSpec:
    id: str
    prefix: str
    #: tickets on a calm day
    per_day: float
    mean_min: float
    cv: float
    #: (share, mean) of a second, slower kind of case (bimodal desks); 0 = none
    slow_share: float = 0.0
    slow_mean: float = 0.0

    def draw(self, rng: random.Random) -> float:
        mean = self.mean_min
        if self.slow_share and rng.random() < self.slow_share:
            mean = self.slow_mean
        sigma = math.sqrt(math.log(1 + self.cv**2))
        return max(0.5, rng.lognormvariate(math.log(mean) - sigma**2 / 2, sigma))


SERVICES = (
    ServiceSpec("CERT", "A", 170, 4.0, 0.55),
    ServiceSpec("SEAL", "B", 40, 5.0, 0.5),
    ServiceSpec("MOVEIN", "C", 32, 20.0, 0.45),
    ServiceSpec("MOVEOUT", "D", 32, 12.0, 0.5),
    ServiceSpec("MYNA", "E", 45, 8.0, 0.4, slow_share=0.3, slow_mean=28.0),
    ServiceSpec("KOKUHO", "F", 38, 10.0, 0.6),
    ServiceSpec("TAX", "G", 42, 5.0, 0.6),
)


@dataclass(frozen=True)
class CounterSpec:
    name: str
    services: tuple[str, ...]
    lunch: float | None  # planned start, minutes
    opens: float = OPEN
    closes: float | None = None


COUNTERS = (
    CounterSpec("W01", ("CERT", "SEAL"), 11 * 60 + 30),
    CounterSpec("W02", ("CERT", "SEAL"), 12 * 60 + 30),
    CounterSpec("W03", ("CERT",), 12 * 60),
    CounterSpec("W04", ("MOVEIN", "MOVEOUT"), 11 * 60 + 30),
    CounterSpec("W05", ("MOVEIN", "MOVEOUT"), 12 * 60 + 30),
    CounterSpec("W06", ("MOVEOUT", "MOVEIN", "CERT"), 12 * 60),
    CounterSpec("W07", ("MYNA",), 12 * 60, opens=9 * 60, closes=17 * 60),
    CounterSpec("W08", ("MYNA", "MOVEIN"), 11 * 60 + 30),
    CounterSpec("W09", ("KOKUHO",), 12 * 60),
    CounterSpec("W10", ("KOKUHO", "TAX"), 12 * 60 + 30),
    CounterSpec("W11", ("TAX", "CERT"), 12 * 60),
    CounterSpec("W12", ("TAX", "SEAL"), None, closes=12 * 60),
)


@dataclass(frozen=True)
class Scenario:
    name: str
    volume: float
    #: extra multiplier per service id
    boost: dict[str, float] = field(default_factory=dict)
    weekday: int = 2  # Wednesday
    month_day: tuple[int, int] = (6, 11)


SCENARIOS = {
    "calm": Scenario("calm", 1.0),
    "busy_monday": Scenario("busy_monday", 1.45, weekday=0, month_day=(6, 9)),
    "moving_season": Scenario("moving_season", 1.1, {"MOVEIN": 3.0, "MOVEOUT": 3.0}, weekday=0, month_day=(3, 24)),
}

#: relative arrival intensity per hour from 08:30: morning rush, lunch dip, quiet late afternoon
_PROFILE = ((8.5, 1.3), (9.0, 1.8), (10.0, 1.6), (10.5, 1.2), (11.5, 0.9), (13.0, 1.0), (15.0, 0.8), (16.0, 0.6))
PATIENCE_MEDIAN_MIN = 150.0
INTERRUPT_EVERY_MIN = 150.0
INTERRUPT_MEAN_MIN = 8.0


def _intensity(t: float) -> float:
    h = t / 60
    level = 0.0
    for start, value in _PROFILE:
        if h >= start:
            level = value
    return level


def _profile_mean() -> float:
    steps = range(OPEN, ISSUE_END)
    return sum(_intensity(t + 0.5) for t in steps) / len(steps)


@dataclass
class _Counter:
    spec: CounterSpec
    speed: float
    state: str = "closed"  # closed | idle | busy | break | done
    lunch_pending: bool = True
    interrupt_pending: bool = False


class DaySimulation:
    def __init__(self, scenario: Scenario, day_index: int, seed: int, policy: str = "counter_priority") -> None:
        self.sc = scenario
        self.rng = random.Random(f"{seed}:{scenario.name}:{day_index}")
        self.policy = policy
        base = dt.date(2025, *scenario.month_day)
        # several days of the same kind: step a week (Mondays stay Mondays), keep within March for the season
        self.date = base + dt.timedelta(days=7 * day_index if scenario.name != "moving_season" else day_index)
        while scenario.name == "moving_season" and self.date.weekday() >= 5:
            self.date += dt.timedelta(days=2)
        self.day_id = f"{scenario.name}-{day_index:03d}"
        self.rows: list[tuple[float, int, str, str, str, str, str, str]] = []
        self.seq = 0
        self.events: list[tuple[float, int, str, str]] = []
        self.waiting: dict[str, dict[str, float]] = {s.id: {} for s in SERVICES}
        self.specs = {s.id: s for s in SERVICES}
        self.tickets: dict[str, tuple[str, str, float, float]] = {}  # id → (service, number, issued, patience)
        self.counters = {c.name: _Counter(c, min(1.3, max(0.75, self.rng.gauss(1.0, 0.1)))) for c in COUNTERS}
        self.issuing = True

    def _log(self, t: float, event: str, ticket: str = "", counter: str = "", detail: str = "") -> None:
        service, number = ("", "")
        if ticket:
            service, number = self.tickets[ticket][0], self.tickets[ticket][1]
        self.rows.append((t, len(self.rows), event, ticket, number, service, counter, detail))

    def _at(self, t: float, kind: str, arg: str = "") -> None:
        self.seq += 1
        heapq.heappush(self.events, (t, self.seq, kind, arg))

    def _arrivals(self) -> None:
        mean_profile = _profile_mean()
        day_level = self.sc.volume * self.rng.lognormvariate(0, 0.12)
        counts: dict[str, int] = {}
        for s in SERVICES:
            per_min = s.per_day * day_level * self.sc.boost.get(s.id, 1.0) / (ISSUE_END - OPEN) / mean_profile
            peak = per_min * 1.8
            t = float(OPEN)
            while True:  # thinning of a non-homogeneous Poisson process
                t += self.rng.expovariate(peak)
                if t >= ISSUE_END:
                    break
                if self.rng.random() < per_min * _intensity(t) / peak:
                    counts[s.id] = counts.get(s.id, 0) + 1
                    tid = f"{self.day_id}-{s.prefix}{counts[s.id]:04d}"
                    patience = self.rng.lognormvariate(math.log(PATIENCE_MEDIAN_MIN), 0.8)
                    if self.rng.random() < 0.02:
                        patience = self.rng.uniform(0, 20)  # stepped out and never came back
                    self.tickets[tid] = (s.id, f"{s.prefix}-{counts[s.id]:03d}", t, patience)
                    self._at(t, "arrive", tid)

    def run(self) -> list[list[str]]:
        self._arrivals()
        self._at(ISSUE_END, "issue_end")
        for c in COUNTERS:
            self._at(c.opens, "open", c.name)
            if c.lunch is not None:
                self._at(c.lunch, "wake", c.name)
            if c.closes is not None:
                self._at(c.closes, "wake", c.name)
            t = c.opens
            while True:
                t += self.rng.expovariate(1 / INTERRUPT_EVERY_MIN)
                if t >= (c.closes or ISSUE_END + 60):
                    break
                self._at(t, "interrupt", c.name)
        while self.events:
            t, _, kind, arg = heapq.heappop(self.events)
            getattr(self, f"_ev_{kind}")(t, arg)
        return self._rows()

    def _ev_arrive(self, t: float, tid: str) -> None:
        service = self.tickets[tid][0]
        self.waiting[service][tid] = t
        self._log(t, "issued", tid)
        idle = [c for c in self.counters.values() if c.state == "idle" and service in c.spec.services]
        if idle:
            self._next(self.rng.choice(idle), t)

    def _ev_issue_end(self, t: float, _: str) -> None:
        self.issuing = False
        for c in self.counters.values():
            if c.state == "idle":
                self._next(c, t)

    def _ev_open(self, t: float, name: str) -> None:
        c = self.counters[name]
        c.state = "idle"
        self._log(t, "counter_open", counter=name, detail="|".join(c.spec.services))
        self._next(c, t)

    def _ev_wake(self, t: float, name: str) -> None:
        if self.counters[name].state == "idle":
            self._next(self.counters[name], t)

    def _ev_interrupt(self, t: float, name: str) -> None:
        c = self.counters[name]
        c.interrupt_pending = True
        if c.state == "idle":
            self._next(c, t)

    def _ev_free(self, t: float, name: str) -> None:
        self._next(self.counters[name], t)

    def _ev_end(self, t: float, arg: str) -> None:
        name, tid = arg.split(" ")
        self._log(t, "service_end", tid, name)
        self._next(self.counters[name], t)

    def _ev_gone(self, t: float, arg: str) -> None:
        name, tid = arg.split(" ")
        self._log(t, "abandoned", tid, name)
        self._next(self.counters[name], t)

    def _ev_start(self, t: float, arg: str) -> None:
        name, tid = arg.split(" ")
        self._log(t, "service_start", tid, name)

    def _ev_back(self, t: float, name: str) -> None:
        self._log(t, "break_end", counter=name)
        self._next(self.counters[name], t)

    def _pick(self, c: _Counter) -> str | None:
        heads = [(next(iter(self.waiting[s].items())), s) for s in c.spec.services if self.waiting[s]]
        if not heads:
            return None
        if self.policy == "counter_priority":
            return heads[0][0][0]
        return min(heads, key=lambda h: h[0][1])[0][0]

    def _next(self, c: _Counter, t: float) -> None:
        """The counter is free at ``t``: close, take a break, call the next ticket, or wait."""
        spec = c.spec
        if spec.closes is not None and t >= spec.closes:
            c.state = "done"
            self._log(t, "counter_close", counter=spec.name)
            return
        if c.lunch_pending and spec.lunch is not None and t >= spec.lunch:
            c.lunch_pending = False
            c.state = "break"
            self._log(t, "break_start", counter=spec.name)
            self._at(t + self.rng.uniform(52, 65), "back", spec.name)
            return
        if c.interrupt_pending:
            c.interrupt_pending = False
            c.state = "break"
            self._log(t, "break_start", counter=spec.name)
            self._at(t + min(25.0, max(2.0, self.rng.expovariate(1 / INTERRUPT_MEAN_MIN))), "back", spec.name)
            return
        tid = self._pick(c)
        if tid is None:
            if not self.issuing:
                c.state = "done"
                self._log(t, "counter_close", counter=spec.name)
            else:
                c.state = "idle"
            return
        service, _, issued, patience = self.tickets[tid]
        del self.waiting[service][tid]
        c.state = "busy"
        self._log(t, "called", tid, spec.name)
        if t - issued > patience:
            self._at(t + self.rng.uniform(0.8, 1.3), "gone", f"{spec.name} {tid}")
            return
        start = t + self.rng.uniform(0.2, 1.5)
        self._at(start, "start", f"{spec.name} {tid}")
        self._at(start + self.specs[service].draw(self.rng) * c.speed, "end", f"{spec.name} {tid}")

    def _rows(self) -> list[list[str]]:
        out = []
        for i, (t, _, event, tid, number, service, counter, detail) in enumerate(sorted(self.rows)):
            sec = t * 60
            clock = f"{int(sec // 3600):02d}:{int(sec % 3600 // 60):02d}:{sec % 60:04.1f}"
            out.append(
                [
                    str(i),
                    self.day_id,
                    self.sc.name,
                    self.date.isoformat(),
                    clock,
                    f"{t:.4f}",
                    event,
                    tid,
                    number,
                    service,
                    counter,
                    detail,
                ]
            )
        return out


HEADER = ["seq", "day_id", "scenario", "date", "time", "t_min", "event", "ticket_id", "ticket_no", "service",
          "counter", "detail"]  # fmt: skip


def simulate_days(scenario: str, days: int, seed: int = 0, policy: str = "counter_priority") -> Iterator[list[str]]:
    """Rows (without header) of ``days`` consecutive days of one scenario; seq runs on across days."""
    seq = 0
    for d in range(days):
        for row in DaySimulation(SCENARIOS[scenario], d, seed, policy).run():
            row[0] = str(seq)
            seq += 1
            yield row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--policy", choices=("counter_priority", "oldest_first"), default="counter_priority")
    args = parser.parse_args(argv)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(simulate_days(args.scenario, args.days, args.seed, args.policy))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
