"""The call board: layout at several screen sizes, announcements in order, no stale call shown as new."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from madoguchi.apps.board.announcer import Announcer
from madoguchi.apps.board.board_model import BoardModel
from madoguchi.client.local_server import HallServerProcess
from madoguchi.core import api_models as m
from madoguchi.devices.speech.announcement_voice import Announcement
from madoguchi.devices.speech.voice_adapter import TranslationsVoice
from tests.support.qt_apps import drain_counter, make_board

SIZES = [(1280, 720), (1920, 1080), (3840, 2160), (1080, 1920)]


@pytest.fixture(scope="module")
def busy_board_server(hall_server: HallServerProcess) -> HallServerProcess:
    """Some calls at counters 1, 2, 4, 5, 11 and people waiting, so the board has something to show."""
    for counter in (1, 2, 4, 5, 11):
        drain_counter(hall_server, counter)
    kiosk = hall_server.client("kiosk-3")
    for service in ("juminhyo", "juminhyo", "inkan", "tennyu", "tennyu", "zei_shomei", "koseki", "koseki"):
        kiosk.issue(service, language="en")
    for counter in (1, 2, 4, 5, 11):
        hall_server.staff_client(counter, staff_id="staff3").call_next(counter)
    for service in ("juminhyo", "tennyu", "tenshutsu", "zei_shomei", "inkan"):
        kiosk.issue(service, language="vi")
    return hall_server


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_layout_adapts(
    qtbot: QtBot, busy_board_server: HallServerProcess, shots_dir: Path, width: int, height: int
) -> None:
    board = make_board(busy_board_server)
    qtbot.addWidget(board)
    board.resize(width, height)
    board.show()
    with qtbot.waitSignal(board.resynced, timeout=10000):
        board.start()
    qtbot.waitUntil(lambda: bool(board.services), timeout=10000)
    assert len(board.model.calls) >= 5 and board.model.now_serving
    assert not board.now_calling.blinking, "calls from the snapshot are not new"
    assert board.portrait == (height > width)
    with qtbot.waitSignal(board.now_calling.painted, timeout=5000) as painted:
        board.now_calling.update()
    assert painted.args == [board.model.newest.number]  # type: ignore[union-attr]
    image = board.grab().toImage()
    assert (image.width(), image.height()) == (width, height)
    image.save(str(shots_dir / f"board_{width}x{height}.png"))
    # the newest number must be big enough to read from 10 m on any of these screens (≥ ~8% of the height)
    assert board.now_calling.height() > 0.25 * height
    board.close()


def test_announcements_queue_in_order_with_recall(qtbot: QtBot, voice_cache: Path) -> None:
    announcer = Announcer(TranslationsVoice(voice_cache), audio=False, time_scale=0.0)
    first = Announcement(1, "A-015", 3, "en")
    again = Announcement(1, "A-015", 3, "en", recall=1)
    japanese = Announcement(2, "B-002", 12, "ja")
    with qtbot.waitSignal(announcer.idle, timeout=60000):
        announcer.announce(first)
        announcer.announce(again)
        announcer.announce(japanese)
    kinds = [(i.kind, i.language) for i in announcer.played]
    assert kinds == [
        ("chime", ""),
        ("speech", "ja"),
        ("speech", "en"),
        ("chime", ""),
        ("speech", "ja"),
        ("speech", "en"),
        ("chime", ""),
        ("speech", "ja"),
    ]
    paths = [i.path for i in announcer.played]
    assert all(p is not None and p.exists() and p.stat().st_size > 1000 for p in paths)
    assert paths[1] != paths[4], "a recall is its own announcement, said again"
    assert "A-015" in announcer.played[2].text and "3" in announcer.played[2].text
    assert not announcer.audio_available


def test_language_without_voice_plays_chime_and_shows_text(qtbot: QtBot, voice_cache: Path) -> None:
    announcer = Announcer(TranslationsVoice(voice_cache), audio=False, time_scale=0.0)
    with qtbot.waitSignal(announcer.idle, timeout=60000):
        announcer.announce(Announcement(3, "C-001", 2, "tl"))
    assert [i.kind for i in announcer.played] == ["chime", "speech", "text"]
    assert announcer.played[2].text


def _event(event_id: int, kind: str, ticket_id: int, counter: int, number: str, **data: object) -> m.Event:
    payload = {"number": number, "service_id": "juminhyo", "language": "ja", **data}
    return m.Event(
        id=event_id, at="2026-01-01T09:00:00+09:00", type=kind, ticket_id=ticket_id, counter=counter, data=payload
    )


def test_model_never_shows_a_snapshot_call_as_new() -> None:
    model = BoardModel()
    held_old = _event(5, "ticket.called", 1, 3, "A-001")
    held_new = _event(7, "ticket.called", 2, 4, "A-002")
    assert model.apply(held_old) is None and model.apply(held_new) is None  # held until the snapshot
    snapshot = m.BoardState(
        last_event_id=6,
        recent_calls=[
            m.BoardCall(
                event_id=5,
                ticket_id=1,
                number="A-001",
                counter=3,
                service_id="juminhyo",
                language="ja",
                at="2026-01-01T09:00:00+09:00",
            )
        ],
        now_serving={3: "A-001"},
        waiting={"juminhyo": 1},
        notices=[],
    )
    fresh = model.resync(snapshot)
    assert [c.number for c in fresh] == ["A-002"]
    assert model.apply(_event(6, "ticket.recalled", 1, 3, "A-001", recall=1)) is None  # replayed: stale
    assert model.apply(_event(8, "ticket.done", 2, 4, "A-002")) is None
    assert 4 not in model.now_serving
    recall = model.apply(_event(9, "ticket.recalled", 1, 3, "A-001", recall=1))
    assert recall is not None and recall.recall == 1
    assert [c.number for c in model.calls] == ["A-001", "A-002"]
    model.connection_lost()
    assert model.apply(_event(10, "ticket.called", 3, 5, "A-003")) is None
