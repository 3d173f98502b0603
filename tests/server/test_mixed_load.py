"""The morning rush with everything else at once, short (``bench/mixed_load.py`` runs it long with figures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.mixed_load import run_and_check

pytestmark = pytest.mark.timeout(240)


def test_a_rush_with_logins_reloads_reservations_backup_day_roll_and_restore(tmp_path: Path) -> None:
    report, problems, _srv = run_and_check(tmp_path, seconds=30)
    assert not problems, "\n".join(problems[:20])
    assert len(report.acknowledged) > 100  # the kiosks really issued
    assert report.restarts == 1 and report.day_rolls == 1
    for route in ("issue", "login", "call-next", "reload-config", "reservation", "healthz"):
        assert report.latencies[route], f"no {route} was answered"
