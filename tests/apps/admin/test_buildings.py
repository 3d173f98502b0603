"""Several buildings: the admin console and ``madoguchi buildings`` follow two real hall servers (the main
building and a branch office); the link to one drops (its server killed) and the other goes on being shown, and
goes on serving its own hall; the figures are per building and summed. A screenshot of the tab, both ways.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from madoguchi.apps.admin.buildings_view import BuildingsView
from madoguchi.apps.admin.texts import AdminTexts
from madoguchi.client.buildings import figures_of
from madoguchi.client.local_server import HallServerProcess
from madoguchi.core.buildings import Building, load_buildings
from madoguchi.translations.catalog import translator
from tests.support.halls import open_all_day
from tests.support.paths import REPO


@pytest.fixture
def two_halls(tmp_path: Path) -> Iterator[tuple[HallServerProcess, HallServerProcess, Path]]:
    main = HallServerProcess(tmp_path / "main", config_path=open_all_day(tmp_path / "main-etc")).start()
    branch = HallServerProcess(tmp_path / "branch", config_path=open_all_day(tmp_path / "branch-etc")).start()
    for name, srv in (("main", main), ("branch", branch)):
        token = tmp_path / f"{name}.token"
        token.write_text(srv.tokens["admin-1"], encoding="utf-8")
        token.chmod(0o600)
    listing = tmp_path / "buildings.toml"
    listing.write_text(
        f"""[[buildings]]
name = {{ ja = "本庁舎", en = "Main building" }}
server = "{main.base_url}"
token_file = "main.token"

[[buildings]]
name = {{ ja = "北支所", en = "North branch" }}
server = "{branch.base_url}"
token_file = "branch.token"
""",
        encoding="utf-8",
    )
    try:
        yield main, branch, listing
    finally:
        main.stop()
        branch.stop()


def _serve(srv: HallServerProcess, counter: int, service: str, n: int) -> None:
    kiosk = srv.client("kiosk-1")
    clerk = srv.staff_client(counter)
    for _ in range(n):
        kiosk.issue(service)
        t = clerk.call_next(counter)
        assert t is not None
        clerk.done(t.id, counter)
    kiosk.issue(service)  # one left waiting
    clerk.close()
    kiosk.close()


def test_two_buildings_and_a_link_that_drops(
    qtbot: QtBot, two_halls: tuple[HallServerProcess, HallServerProcess, Path], shots_dir: Path
) -> None:
    main, branch, listing = two_halls
    _serve(main, 1, "juminhyo", 3)
    _serve(branch, 7, "mynumber", 2)
    t = translator("ja")
    buildings = list(load_buildings(listing))
    view = BuildingsView(buildings, AdminTexts("ja"), refresh_ms=400)
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.show()
    view.start()
    try:
        qtbot.waitUntil(
            lambda: len(view.statuses) == 2 and all(s.reachable for s in view.statuses.values()), timeout=15000
        )
        qtbot.waitUntil(lambda: len(view.figures) == 3 and view.figures[-1].tickets == 7, timeout=15000)
        by_name = {f.name: f for f in view.figures}
        assert (by_name["本庁舎"].tickets, by_name["北支所"].tickets) == (4, 3)
        total = by_name[t("admin.buildings.total")]
        assert (total.served, total.called) == (5, 5)
        assert view.statuses["北支所"].waiting == 1 and view.statuses["北支所"].counters_open == 1
        view.grab().save(str(shots_dir / "buildings.png"))

        # the link to the branch drops (its server is gone from here); the main building is followed on
        branch.kill()
        qtbot.waitUntil(lambda: not view.statuses["北支所"].reachable, timeout=15000)
        tile = view.tiles["北支所"]
        assert tile.colour == "unreachable" and tile.body.text() == t("admin.buildings.alone")
        main.client("kiosk-2").issue("juminhyo")
        seen = view.statuses["本庁舎"].checked_at
        qtbot.waitUntil(
            lambda: view.statuses["本庁舎"].checked_at > seen and view.statuses["本庁舎"].reachable, timeout=15000
        )
        qtbot.waitUntil(lambda: view.statuses["本庁舎"].waiting == 2, timeout=15000)
        qtbot.waitUntil(lambda: not {f.name: f for f in view.figures}["北支所"].reachable, timeout=15000)
        # the sum goes on with the main building's own figures (refreshed less often), the branch left out
        total_name = t("admin.buildings.total")
        qtbot.waitUntil(lambda: {f.name: f for f in view.figures}[total_name].tickets == 5, timeout=20000)
        view.grab().save(str(shots_dir / "buildings-link-down.png"))
        _in_english(qtbot, buildings, shots_dir)

        # the command-line view says the same
        done = subprocess.run(
            [sys.executable, "-m", "madoguchi", "buildings", str(listing)],
            capture_output=True,
            text=True,
            timeout=60,
            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        )
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        assert any(line.startswith("本庁舎") and " ok " in line for line in lines)
        assert any(line.startswith("北支所") and "UNREACHABLE" in line for line in lines)
        total_line = next(line for line in lines if line.startswith("TOTAL"))
        assert total_line.split()[1] == "5"

        # the branch, alone all the while, comes back with its own day intact
        branch.start()
        qtbot.waitUntil(lambda: view.statuses["北支所"].reachable, timeout=20000)
        assert view.statuses["北支所"].waiting == 1
    finally:
        view.stop()
        view.close_clients()


def _in_english(qtbot: QtBot, buildings: list[Building], shots_dir: Path) -> None:
    """The same tab in English."""
    en = translator("en")
    view = BuildingsView(buildings, AdminTexts("en"), refresh_ms=400)
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.show()
    assert view.table.item(0, 1).text() == en("admin.buildings.checking")  # not asked yet: not "out of reach"
    view.start()
    try:
        qtbot.waitUntil(lambda: len(view.statuses) == 2, timeout=15000)
        qtbot.waitUntil(lambda: view.figures[0].reachable and not view.figures[1].reachable, timeout=15000)
        branch = list(view.tiles.values())[1]
        assert branch.body.text() == en("admin.buildings.alone")
        assert branch.link.text() == en("admin.buildings.never_reached")  # down since this console started
        assert view.table.item(1, 1).text() == en("admin.buildings.not_in_total")
        view.grab().save(str(shots_dir / "en-buildings-link-down.png"))
    finally:
        view.stop()
        view.close_clients()


def test_figures_are_summed_from_tickets_not_from_averages() -> None:
    from madoguchi.client.buildings import TicketLine, figures_with_sum

    a = [TicketLine("x", "done", w, 2.0, 20) for w in (1.0, 2.0, 3.0)]
    b = [TicketLine("x", "done", w, 4.0, 20) for w in (30.0,)]
    per = figures_with_sum([("a", a), ("b", b), ("c", None)], "total")
    assert [f.reachable for f in per] == [True, True, False, True]
    total = per[-1]
    assert total.wait_mean_min == 9.0  # (1+2+3+30)/4, not the mean of the two means (16.0)
    assert total.within_target_share == 0.75
    assert figures_of("a", a).wait_p90_min == pytest.approx(2.8)
