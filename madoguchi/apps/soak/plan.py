"""The simulated day: clock compression, residents' arrivals, the staffed counters and the fault schedule.

Everything here is plain data (JSON-serialisable) so a kiosk subprocess gets its own part of the plan in a file.
The arrival profile and the moving-season mix follow ``bench/day_simulator.py`` (morning rush, lunch dip),
mapped onto the example hall's service ids.
"""

from __future__ import annotations

import json
import math
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path

DAY_START_MIN = 8 * 60 + 30  # the hall opens at 08:30; the simulated day starts there
FULL_DAY_MIN = 17 * 60 - DAY_START_MIN  # issuing until 17:00
RESIDENTS_PER_DAY = 550  # moving season

#: relative arrival intensity from the given hour on (as in bench/day_simulator.py)
_PROFILE = ((8.5, 1.3), (9.0, 1.8), (10.0, 1.6), (10.5, 1.2), (11.5, 0.9), (13.0, 1.0), (15.0, 0.8), (16.0, 0.6))

SERVICE_MIX = {
    "juminhyo": 0.27,
    "inkan": 0.06,
    "koseki": 0.06,
    "tennyu": 0.14,
    "tenshutsu": 0.12,
    "tenkyo": 0.08,
    "mynumber": 0.09,
    "kokuho": 0.07,
    "jido_teate": 0.04,
    "zei_shomei": 0.07,
}
LANGUAGE_MIX = {
    "ja": 0.70,
    "ja-easy": 0.04,
    "en": 0.06,
    "zh-Hans": 0.05,
    "ko": 0.03,
    "pt-BR": 0.03,
    "vi": 0.04,
    "tl": 0.02,
    "ne": 0.02,
    "es": 0.01,
}
CARD_SHARE = 0.25  # of services with card auto-fill
CODE_SHARE = 0.08  # pre-filled 2D code from the city's web form
WALKAWAY_SHARE = 0.04  # leave the kiosk at the inactivity timeout without a ticket
PRIORITY_SHARE = 0.03

#: the ten staffed counters of the example hall (12 exists but closes at noon; 10 is the second kokuho desk)
STAFFED_COUNTERS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 11)


@dataclass(frozen=True)
class SimClock:
    """Simulated minutes since midnight ↔ wall-clock time, compressed ``speed`` times."""

    wall0: float
    speed: float
    start_min: float = DAY_START_MIN

    def sim_min(self, wall: float | None = None) -> float:
        w = time.time() if wall is None else wall
        return self.start_min + (w - self.wall0) * self.speed / 60.0

    def wall_for(self, sim_min: float) -> float:
        return self.wall0 + (sim_min - self.start_min) * 60.0 / self.speed

    def wall_seconds(self, sim_minutes: float) -> float:
        return sim_minutes * 60.0 / self.speed


@dataclass(frozen=True)
class Arrival:
    idx: int
    sim_min: float
    kiosk: str
    service: str
    language: str
    source: str  # touch | card | code
    walkaway: bool
    priority: bool


@dataclass(frozen=True)
class Fault:
    kind: str  # paper_out, cover_open, card_pull, server_kill, board_cut, kiosk_kill, disk_full, clock_jump
    target: str
    at_min: float  # simulated minute of the day
    duration_min: float = 0.0


@dataclass
class KioskPlan:
    name: str
    token: str
    base_url: str
    printer_url: str
    wall0: float
    speed: float
    journal: str
    arrivals: list[Arrival]
    card_pull_at_min: float | None = None
    #: the run writes the day's start (wall clock) here once every kiosk is ready; 0 in ``wall0`` until then
    go_file: str = ""
    #: the hall configuration (for the 2D codes' forms) and where the camera videos of the codes go
    config_path: str = ""
    codes_dir: str = ""

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), ensure_ascii=False))

    @staticmethod
    def load(path: Path) -> KioskPlan:
        raw = json.loads(path.read_text())
        raw["arrivals"] = [Arrival(**a) for a in raw["arrivals"]]
        return KioskPlan(**raw)

    @property
    def clock(self) -> SimClock:
        return SimClock(self.wall0, self.speed)


def _intensity(sim_min: float) -> float:
    h = sim_min / 60
    level = _PROFILE[0][1]
    for start, value in _PROFILE:
        if h >= start:
            level = value
    return level


def _mean_intensity() -> float:
    steps = [_intensity(DAY_START_MIN + m) for m in range(FULL_DAY_MIN)]
    return sum(steps) / len(steps)


def _pick(rng: random.Random, mix: dict[str, float]) -> str:
    return rng.choices(list(mix), weights=list(mix.values()))[0]


def make_arrivals(
    minutes: float, kiosks: tuple[str, ...], card_services: set[str], seed: int = 13, volume: float = 1.0
) -> list[Arrival]:
    """Residents of the first ``minutes`` of the day (non-homogeneous Poisson by thinning)."""
    rng = random.Random(seed)
    base_per_min = volume * RESIDENTS_PER_DAY / FULL_DAY_MIN / _mean_intensity()
    peak = base_per_min * max(v for _, v in _PROFILE)
    t = float(DAY_START_MIN)
    end = DAY_START_MIN + minutes
    out: list[Arrival] = []
    while True:
        t += rng.expovariate(peak)
        if t >= end:
            break
        if rng.random() > base_per_min * _intensity(t) / peak:
            continue
        service = _pick(rng, SERVICE_MIX)
        roll = rng.random()
        source = "touch"
        if service in card_services and roll < CARD_SHARE:
            source = "card"
        elif service in card_services and roll < CARD_SHARE + CODE_SHARE:
            source = "code"
        out.append(
            Arrival(
                idx=len(out),
                sim_min=round(t, 4),
                kiosk=kiosks[len(out) % len(kiosks)],
                service=service,
                language=_pick(rng, LANGUAGE_MIX),
                source=source,
                walkaway=rng.random() < WALKAWAY_SHARE,
                priority=rng.random() < PRIORITY_SHARE,
            )
        )
    return out


def fault_schedule(minutes: float, *, disk_full: bool = True, clock_jump: bool = True) -> list[Fault]:
    """Every fault once, spread over the day (fractions of the simulated span, durations in sim minutes).

    The clock jump comes last: the day roll expires every open ticket, so the rest of the run is the new day.
    """

    def at(fraction: float) -> float:
        return round(DAY_START_MIN + fraction * minutes, 2)

    span = max(minutes, 30.0)
    faults = [
        Fault("paper_out", "kiosk-1", at(0.12), duration_min=min(10.0, span * 0.06)),
        Fault("card_pull", "kiosk-3", at(0.18)),
        Fault("cover_open", "kiosk-2", at(0.26), duration_min=min(5.0, span * 0.04)),
        Fault("server_kill", "server", at(0.36)),
        Fault("board_cut", "board-2", at(0.46), duration_min=0.5),
        Fault("kiosk_kill", "kiosk-2", at(0.56)),
        Fault("server_kill", "server", at(0.66)),
    ]
    if disk_full:
        faults.append(Fault("disk_full", "server-disk", at(0.78), duration_min=2.0))
    if clock_jump:
        faults.append(Fault("clock_jump", "server-clock", at(0.90)))
    return faults


def service_minutes(rng: random.Random, mean_min: float, cv: float = 0.5) -> float:
    sigma = math.sqrt(math.log(1 + cv**2))
    return max(0.5, rng.lognormvariate(math.log(mean_min) - sigma**2 / 2, sigma))
