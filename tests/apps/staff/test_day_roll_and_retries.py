"""What a console shows never outlives the hall day, and its retries after an outage back off with jitter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from madoguchi.apps.staff.counter_controller import RETRY_FIRST_MS, RETRY_LONGEST_MS
from madoguchi.client.local_server import HallServerProcess
from madoguchi.core.hall_time import next_reset
from tests.support.qt_apps import login, make_console

pytestmark = pytest.mark.timeout(120)
FORM = {"name": "日替　花子", "address": "みどり市日替町1-1", "birth_date": "1965-03-03", "copies": 1}


def test_the_day_roll_takes_the_residents_form_off_the_console(qtbot: QtBot, tmp_path: Path) -> None:
    offset = tmp_path / "clock-offset"
    offset.write_text("0", encoding="utf-8")
    with HallServerProcess(tmp_path / "hall", extra_args=("--clock-offset-file", str(offset))) as srv:
        srv.client("kiosk-1").issue("juminhyo", form=FORM)
        console = make_console(srv, 1)
        qtbot.addWidget(console)
        console.show()
        with qtbot.waitSignal(console.controller.logged_in, timeout=10000):
            login(console)
        buttons = console.counter_screen.action_buttons.buttons
        qtbot.waitUntil(lambda: buttons["call_next"].isEnabled() and console.controller.hall is not None)
        buttons["call_next"].click()
        sheet = console.counter_screen.form
        qtbot.waitUntil(lambda: sheet.showing, timeout=10000)

        now = dt.datetime.now(ZoneInfo("Asia/Tokyo"))
        target = next_reset(now, dt.time(3, 0), at_least=dt.timedelta(minutes=1)) + dt.timedelta(seconds=5)
        offset.write_text(str(int((target - now).total_seconds())), encoding="utf-8")  # the night passes
        qtbot.waitUntil(lambda: not sheet.showing and console.controller.current is None, timeout=20000)
        assert not any("日替" in w.text() for w in console.findChildren(type(sheet.title)))
        console.close()


def test_retries_after_an_outage_back_off_with_jitter(qtbot: QtBot, tmp_path: Path) -> None:
    with HallServerProcess(tmp_path / "hall") as srv:
        console = make_console(srv, 2)
        qtbot.addWidget(console)
        with qtbot.waitSignal(console.controller.logged_in, timeout=10000):
            login(console)
        controller = console.controller
        delays = []
        for _ in range(8):
            controller._retry_timer.stop()
            controller._schedule_retry()
            delays.append(controller._retry_timer.interval())
        controller._retry_timer.stop()
        console.close()
    assert RETRY_FIRST_MS * 0.5 <= delays[0] <= RETRY_FIRST_MS * 1.5
    assert all(d <= RETRY_LONGEST_MS * 1.5 for d in delays) and delays[-1] >= RETRY_LONGEST_MS * 0.5
    assert delays[-1] > 4 * delays[0]  # it backs off
    assert len(set(delays[-4:])) > 1  # at the ceiling, the consoles of a hall still do not knock together
