"""bench/day_simulator.py writes consistent logs in the replay format, for every scenario."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from madoguchi.server.estimates.event_log import parse_rows
from madoguchi.server.estimates.replay import replay, score
from madoguchi.server.estimates.wait_range import Predictor


@pytest.fixture(scope="module")
def simulator(repo_root: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("day_simulator", repo_root / "bench" / "day_simulator.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["day_simulator"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("scenario", ["calm", "busy_monday", "moving_season"])
def test_every_scenario_writes_a_valid_day(simulator: ModuleType, scenario: str) -> None:
    rows = [simulator.HEADER, *simulator.simulate_days(scenario, 1, seed=1)]
    (day,) = parse_rows(rows, scenario)
    kinds = [e.event for e in day.events]
    issued = {e.ticket_id for e in day.events if e.event == "issued"}
    called = {e.ticket_id for e in day.events if e.event == "called"}
    assert issued == called  # everybody's number is called before the hall closes
    assert {"break_start", "break_end", "abandoned", "counter_close"} <= set(kinds)
    times = [e.t for e in day.events]
    assert times == sorted(times)


def test_busier_scenarios_are_busier(simulator: ModuleType) -> None:
    def tickets(scenario: str, service: str | None = None) -> int:
        rows = list(simulator.simulate_days(scenario, 2, seed=3))
        return sum(1 for r in rows if r[6] == "issued" and (service is None or r[9] == service))

    assert tickets("busy_monday") > 1.2 * tickets("calm")
    assert tickets("moving_season", "MOVEIN") > 2 * tickets("calm", "MOVEIN")


def test_replay_of_simulated_days_scores_and_learns(simulator: ModuleType) -> None:
    rows = [simulator.HEADER, *simulator.simulate_days("calm", 2, seed=5)]
    result = replay(Predictor(), parse_rows(rows, "calm"))
    m = score(result.estimates)
    assert m.scored > 300
    assert 0 <= m.mae < 15
