"""The call board says which counters are on a break or closed, from the snapshot and from the event stream."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from madoguchi.apps.board.board_model import BoardModel
from madoguchi.client.local_server import HallServerProcess
from madoguchi.core import api_models as m
from tests.support.qt_apps import make_board


def test_a_counter_on_a_break_then_closed_is_shown_so(
    qtbot: QtBot, hall_server: HallServerProcess, shots_dir: Path
) -> None:
    at_8 = hall_server.staff_client(8, staff_id="staff2")
    at_3 = hall_server.staff_client(3, staff_id="staff1")
    at_8.set_counter_state(8, "break", "lunch")
    board = make_board(hall_server)
    qtbot.addWidget(board)
    board.resize(1280, 720)
    board.show()
    with qtbot.waitSignal(board.resynced, timeout=10000):
        board.start()
    try:
        assert (8, "break") in board.model.paused_counters()
        assert board.model.counters[3] == "open"
        board.grab().save(str(shots_dir / "board_counter_on_break.png"))
        at_8.set_counter_state(8, "closed")  # by the event stream, without a new snapshot
        qtbot.waitUntil(lambda: (8, "closed") in board.model.paused_counters(), timeout=10000)
        at_8.set_counter_state(8, "open")
        qtbot.waitUntil(lambda: all(n != 8 for n, _ in board.model.paused_counters()), timeout=10000)
    finally:
        board.close()
        at_8.logout()
        at_3.logout()
        at_8.close()
        at_3.close()


def test_the_model_keeps_closed_counters_quiet_when_nobody_serves() -> None:
    model = BoardModel()
    model.resync(
        m.BoardState(last_event_id=5, recent_calls=[], now_serving={}, waiting={}, notices=[], counters={2: "closed"})
    )
    assert model.paused_counters() == []  # the hall not serving (before opening): nothing to say
    model.apply(m.Event(id=6, at="2026-11-30T09:00:00+09:00", type="counter.state", counter=4, data={"state": "open"}))
    model.apply(m.Event(id=7, at="2026-11-30T09:00:01+09:00", type="counter.state", counter=5, data={"state": "break"}))
    assert model.paused_counters() == [(2, "closed"), (5, "break")]
    restored = m.Event(
        id=8,
        at="2026-11-30T09:01:00+09:00",
        type="ticket.restored",
        counter=4,
        data={"state": "called", "number": "A-001"},
    )
    model.apply(restored)
    assert model.now_serving[4] == "A-001"
