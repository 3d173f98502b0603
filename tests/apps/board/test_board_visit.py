"""The Qt call board and a visit (one ticket, several counters): a call shows its step (2/3), a visit that moved on
shows where it goes next for a few minutes, until it is called there. Screenshots under tests/artifacts/board/visit."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from madoguchi.apps.board.board_model import MOVE_SHOWN_S, BoardModel
from madoguchi.client.local_server import HallServerProcess
from madoguchi.core import api_models as m
from tests.support.qt_apps import drain_counter, make_board

ROUTE = ["tennyu", "kokuho", "jido_teate"]


def test_a_visit_shows_its_step_and_where_it_goes_next(
    qtbot: QtBot, hall_server: HallServerProcess, shots_dir: Path
) -> None:
    folder = shots_dir / "visit"
    folder.mkdir(exist_ok=True)
    for counter in (4, 9):
        drain_counter(hall_server, counter)
    board = make_board(hall_server)
    qtbot.addWidget(board)
    board.resize(1920, 1080)
    board.show()
    with qtbot.waitSignal(board.resynced, timeout=10000):
        board.start()
    qtbot.waitUntil(lambda: bool(board.counter_infos), timeout=10000)
    visit = hall_server.client("kiosk-3").issue("tennyu", route=ROUTE, language="pt-BR")
    number = visit.ticket.number
    at_4 = hall_server.staff_client(4, staff_id="staff3")
    at_9 = hall_server.staff_client(9, staff_id="staff3")
    try:
        with qtbot.waitSignal(board.call_shown, timeout=10000) as shown:
            called = at_4.call_next(4)
        assert called is not None and called.id == visit.ticket.id
        assert (shown.args[0].number, shown.args[0].step, shown.args[0].steps) == (number, 1, 3)
        assert not board.moves.isVisible()
        at_4.done(called.id, 4)
        qtbot.waitUntil(lambda: board.moves.isVisible(), timeout=10000)
        move = board.model.moves[0]
        assert (move.number, move.service_id, move.step, move.steps) == (number, "kokuho", 2, 3)
        assert board.place_of("kokuho", "ja") == ("9・10番窓口", "2階 保険年金課の待合ロビー")
        assert board.place_of("kokuho", "pt-BR")[0] == "Guichês 9 e 10"
        board.moves.sub_index = board.moves.sub_languages.index("pt-BR")
        board.grab().save(str(folder / "board_move_1920x1080.png"))
        board.resize(1280, 720)
        qtbot.waitUntil(lambda: board.ticker.geometry().bottom() == 719 and board.moves.height() < 400, timeout=5000)
        board.grab().save(str(folder / "board_move_1280x720.png"))
        # a board started now gets the move from its snapshot
        late = make_board(hall_server)
        qtbot.addWidget(late)
        with qtbot.waitSignal(late.resynced, timeout=10000):
            late.start()
        assert [n.number for n in late.model.current_moves()] == [number]
        late.close()
        # called at its next counter: the call shows step 2 of 3, the move has done its job
        with qtbot.waitSignal(board.call_shown, timeout=10000) as shown:
            again = at_9.call_next(9)
        assert again is not None and again.id == visit.ticket.id
        assert (shown.args[0].step, shown.args[0].steps, shown.args[0].counter) == (2, 3, 9)
        assert board.model.moves == [] and not board.moves.isVisible()
        # its room goes back to now serving and waiting (once the layout has run)
        qtbot.waitUntil(lambda: board.serving.geometry().bottom() + 1 == board.waiting.geometry().top(), timeout=5000)
        board.grab().save(str(folder / "board_call_step_1280x720.png"))
        at_9.done(again.id, 9)
    finally:
        board.close()
        for clerk in (at_4, at_9):
            clerk.logout()
            clerk.close()


def test_a_move_leaves_the_board_after_its_minutes() -> None:
    now = [1000.0]
    model = BoardModel(monotonic=lambda: now[0])
    model.resync(m.BoardState(last_event_id=1, recent_calls=[], now_serving={}, waiting={}, notices=[]))
    data = {"number": "D-001", "service_id": "kokuho", "step": 2, "steps": 3, "language": "ja"}
    model.apply(m.Event(id=2, at="2026-12-07T10:00:00+09:00", type="ticket.next_step", ticket_id=7, data=data))
    assert [(n.number, n.step, n.steps) for n in model.current_moves()] == [("D-001", 2, 3)]
    assert model.waiting == {"kokuho": 1}  # it waits there now
    now[0] += MOVE_SHOWN_S - 1
    assert model.current_moves()
    now[0] += 2
    assert model.current_moves() == []
