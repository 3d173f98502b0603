"""Server killed and restarted: the console says so and disables actions, the board resyncs; both recover alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from madoguchi.apps.board.board_model import CallEntry
from madoguchi.client.local_server import HallServerProcess
from tests.support.qt_apps import login, make_board, make_console

COUNTER = 4


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[HallServerProcess]:
    srv = HallServerProcess(tmp_path / "hall").start()
    yield srv
    srv.stop()


def test_console_and_board_recover_after_a_server_restart(
    qtbot: QtBot, own_server: HallServerProcess, shots_dir: Path
) -> None:
    kiosk = own_server.client("kiosk-1")
    before = kiosk.issue("tennyu").ticket
    board = make_board(own_server)
    qtbot.addWidget(board)
    board.resize(1280, 720)
    board.show()
    with qtbot.waitSignal(board.resynced, timeout=10000):
        board.start()
    shown: list[CallEntry] = []
    board.call_shown.connect(shown.append)
    console = make_console(own_server, COUNTER)
    qtbot.addWidget(console)
    console.show()
    with qtbot.waitSignal(console.controller.logged_in, timeout=10000):
        login(console)
    call_next = console.counter_screen.action_buttons.buttons["call_next"]
    qtbot.waitUntil(call_next.isEnabled, timeout=10000)
    call_next.click()
    qtbot.waitUntil(lambda: [c.number for c in shown] == [before.number], timeout=10000)

    own_server.kill()
    qtbot.waitUntil(lambda: console.counter_screen.banner.isVisible(), timeout=15000)
    assert not any(b.isEnabled() for b in console.counter_screen.action_buttons.buttons.values())
    qtbot.waitUntil(lambda: not board.connected, timeout=15000)
    console.grab().save(str(shots_dir / "staff_console_unreachable.png"))

    own_server.start()
    qtbot.waitUntil(lambda: not console.counter_screen.banner.isVisible(), timeout=20000)
    qtbot.waitUntil(lambda: board.connected and not board.model.resync_pending, timeout=20000)
    assert board.model.now_serving.get(COUNTER) == before.number
    assert [c.number for c in shown] == [before.number], "the old call is not shown as new after the resync"

    console.counter_screen.action_buttons.buttons["done"].click()
    qtbot.waitUntil(lambda: console.controller.current is None, timeout=10000)
    after = kiosk.issue("tennyu").ticket
    qtbot.waitUntil(call_next.isEnabled, timeout=10000)
    call_next.click()
    qtbot.waitUntil(lambda: [c.number for c in shown] == [before.number, after.number], timeout=10000)
    board.close()
    console.close()
