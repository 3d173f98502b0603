"""The simulated day: volume, mix, clock and the fault schedule."""

from __future__ import annotations

from pathlib import Path

from madoguchi.apps.soak.plan import (
    DAY_START_MIN,
    FULL_DAY_MIN,
    Arrival,
    KioskPlan,
    SimClock,
    fault_schedule,
    make_arrivals,
)

KIOSKS = ("kiosk-1", "kiosk-2", "kiosk-3")
CARD = {"juminhyo", "inkan", "koseki", "tennyu", "tenshutsu", "tenkyo", "kokuho", "zei_shomei"}


def test_a_moving_season_day_has_about_550_residents() -> None:
    day = make_arrivals(FULL_DAY_MIN, KIOSKS, CARD)
    assert 480 <= len(day) <= 620
    assert [a.sim_min for a in day] == sorted(a.sim_min for a in day)
    assert day[0].sim_min >= DAY_START_MIN and day[-1].sim_min < DAY_START_MIN + FULL_DAY_MIN
    per_kiosk = {k: sum(a.kiosk == k for a in day) for k in KIOSKS}
    assert max(per_kiosk.values()) - min(per_kiosk.values()) <= 1
    assert {a.source for a in day} == {"touch", "card", "code"}
    assert all(a.source == "touch" for a in day if a.service not in CARD)
    assert len({a.language for a in day}) >= 8
    # the morning rush: 09:00-10:00 is busier than 16:00-17:00
    assert sum(540 <= a.sim_min < 600 for a in day) > 1.5 * sum(960 <= a.sim_min < 1020 for a in day)


def test_arrivals_are_reproducible() -> None:
    assert make_arrivals(60, KIOSKS, CARD, seed=5) == make_arrivals(60, KIOSKS, CARD, seed=5)


def test_faults_fall_inside_the_simulated_span() -> None:
    for minutes in (45, 510):
        faults = fault_schedule(minutes)
        assert [f.kind for f in faults].count("server_kill") == 2
        assert all(DAY_START_MIN < f.at_min < DAY_START_MIN + minutes for f in faults)
    assert "disk_full" not in {f.kind for f in fault_schedule(45, disk_full=False)}
    assert "clock_jump" not in {f.kind for f in fault_schedule(45, clock_jump=False)}
    # the day roll comes last (it expires every open ticket), after the disk is free again at x60
    faults = fault_schedule(45)
    assert faults[-1].kind == "clock_jump"
    disk = next(f for f in faults if f.kind == "disk_full")
    assert faults[-1].at_min - disk.at_min >= 5.0


def test_clock_round_trip() -> None:
    clock = SimClock(wall0=1000.0, speed=30)
    assert clock.sim_min(1000.0) == DAY_START_MIN
    assert clock.wall_for(DAY_START_MIN + 60) == 1120.0
    assert clock.wall_seconds(2.0) == 4.0


def test_kiosk_plan_round_trip(tmp_path: Path) -> None:
    arrivals = [Arrival(0, 511.0, "kiosk-1", "juminhyo", "ja", "card", False, False)]
    plan = KioskPlan("kiosk-1", "tok", "http://x", "tcp://y", 0.0, 30, str(tmp_path / "j"), arrivals, 520.0, "go")
    plan.save(tmp_path / "p.json")
    assert KioskPlan.load(tmp_path / "p.json") == plan
