"""The call board: layout at several screen sizes, announcements in order, no stale call shown as new."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from madoguchi.apps.board.announcer import Announcer, build_spoken
from madoguchi.apps.board.board_model import BoardModel
from madoguchi.client.local_server import HallServerProcess
from madoguchi.core import api_models as m
from madoguchi.devices.speech.announcement_voice import Announcement
from madoguchi.devices.speech.voice_adapter import ChimeOnlyVoice, TranslationsVoice
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


def test_a_call_alone_is_said_in_full_japanese_first(qtbot: QtBot, voice_cache: Path) -> None:
    announcer = Announcer(TranslationsVoice(voice_cache), audio=False, time_scale=0.0)
    with qtbot.waitSignal(announcer.idle, timeout=60000):
        announcer.announce(Announcement(1, "A-015", 3, "en"))
    assert [(i.kind, i.language) for i in announcer.played] == [("chime", ""), ("speech", "ja"), ("speech", "en")]
    assert all(i.path is not None and i.path.exists() and i.path.stat().st_size > 1000 for i in announcer.played)
    assert "A-015" in announcer.played[2].text and "3" in announcer.played[2].text
    assert announcer.stats.combined == 0 and announcer.stats.dropped == 0
    assert not announcer.audio_available


def _hold_the_player(qtbot: QtBot, announcer: Announcer) -> None:
    """A first call is being said (its chime alone lasts ~1 s): the next calls wait together meanwhile."""
    with qtbot.waitSignal(announcer.announcement_started, timeout=60000):
        announcer.announce(Announcement(100, "Z-001", 20, "ja"))


def test_calls_waiting_together_are_said_together_and_stale_ones_dropped(qtbot: QtBot, voice_cache: Path) -> None:
    voice = TranslationsVoice(voice_cache)
    calls = [
        Announcement(1, "A-015", 3, "en"),
        Announcement(2, "B-002", 12, "vi"),
        Announcement(3, "C-007", 4, "ja"),
        Announcement(4, "C-008", 4, "ja"),  # counter 4 called again: C-007 is not current
        Announcement(1, "A-015", 3, "en", recall=1),  # the recall replaces the waiting call
        Announcement(5, "D-001", 6, "ko"),
    ]
    for call in calls:  # voiced beforehand: each is ready within milliseconds of its call
        build_spoken(voice, call)
    announcer = Announcer(voice, audio=False, time_scale=0.2)
    announcer.combined_budget_s = 60.0  # all three in one announcement, however long this machine's voices say them
    _hold_the_player(qtbot, announcer)
    for call in calls:
        announcer.announce(call)
    announcer.withdraw(5)  # D-001 reached counter 6 before it was said
    assert [a.ticket_id for a, _ in announcer.queued()] == [2, 4, 1]
    qtbot.waitUntil(lambda: all(ready for _, ready in announcer.queued()), timeout=60000)
    with qtbot.waitSignal(announcer.idle, timeout=60000):
        pass
    second = announcer.played[2:]  # after the first call: its chime and its Japanese (a Japanese resident)
    assert [(i.kind, i.language, i.ticket_ids) for i in second] == [
        ("chime", "", ()),
        ("speech", "ja", (2,)),  # call after call: in Japanese, then in its resident's language
        ("speech", "vi", (2,)),
        ("speech", "ja", (4,)),
        ("speech", "ja", (1,)),
        ("speech", "en", (1,)),
    ]
    stats = announcer.stats
    assert (stats.announcements, stats.combined, stats.dropped) == (2, 3, 3)
    assert len(stats.start_delays) == len(stats.heard_delays) == 4
    # the short forms: shorter than the full sentence said for the first call
    from madoguchi.devices.speech.audio_player import wav_seconds

    # the first call was being said when the others came: the rest of it was said in the short form
    assert announcer.played[1].path == voice.announcement("ja", "Z-001", 20, recall=False, short=True)
    full = voice.announcement("ja", "B-002", 12, recall=False)
    short = second[1].path
    assert full is not None and short is not None and wav_seconds(short) < 0.8 * wav_seconds(full)


class _HeldVoice(TranslationsVoice):
    """The real voice, holding one number's synthesis until released (a cold voice on a loaded machine)."""

    def __init__(self, cache: Path, held: str) -> None:
        super().__init__(cache)
        self.held, self.release = held, threading.Event()

    def announcement(
        self, language: str, number: str, counter: int, *, recall: bool, short: bool = False
    ) -> Path | None:
        if number == self.held:
            self.release.wait(30)
        return super().announcement(language, number, counter, recall=recall, short=short)


def test_a_call_with_another_behind_it_is_said_short(qtbot: QtBot, voice_cache: Path) -> None:
    """Measured with the bench: three calls within a second, the first ready and said in full (9.7 s) while the
    others, still being synthesised, waited behind it."""
    voice = _HeldVoice(voice_cache, held="B-002")
    first = Announcement(1, "A-015", 3, "en")
    build_spoken(voice, first)  # ready within milliseconds of its call
    announcer = Announcer(voice, audio=False, time_scale=0.0)
    with qtbot.waitSignal(announcer.announcement_started, timeout=60000):
        announcer.announce(first)
        announcer.announce(Announcement(2, "B-002", 12, "vi"))
    voice.release.set()
    with qtbot.waitSignal(announcer.idle, timeout=60000):
        pass
    said = [(i.language, i.path) for i in announcer.played]
    assert said[:3] == [
        ("", voice.chime()),
        ("ja", voice.announcement("ja", "A-015", 3, recall=False, short=True)),
        ("en", voice.announcement("en", "A-015", 3, recall=False, short=True)),
    ]
    assert [language for language, _ in said[3:]] == ["", "ja", "vi"]  # then the other, in its own announcement


def test_a_voice_that_fails_leaves_the_chime_and_the_text(qtbot: QtBot, voice_cache: Path) -> None:
    announcer = Announcer(ChimeOnlyVoice(voice_cache), audio=False, time_scale=0.0)
    with qtbot.waitSignal(announcer.idle, timeout=60000):
        announcer.announce(Announcement(3, "C-001", 2, "tl"))
    assert [i.kind for i in announcer.played] == ["chime", "text", "text"]
    assert announcer.played[2].text == "Numero C-001, pumunta po sa counter 2"


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


def test_a_resident_at_the_counter_is_not_called_any_more(
    qtbot: QtBot, busy_board_server: HallServerProcess, voice_cache: Path
) -> None:
    """The board hears ``ticket.serving`` for a call still waiting to be said: the call leaves the queue unsaid."""
    for counter in (3, 6):
        drain_counter(busy_board_server, counter)
    announcer = Announcer(TranslationsVoice(voice_cache), audio=False, time_scale=1.0)
    board = make_board(busy_board_server, announcer)
    qtbot.addWidget(board)
    with qtbot.waitSignal(board.resynced, timeout=10000):
        board.start()
    kiosk = busy_board_server.client("kiosk-3")
    kiosk.issue("juminhyo", language="vi")
    kiosk.issue("juminhyo", language="en")
    staff6 = busy_board_server.staff_client(6, staff_id="staff3")
    staff3 = busy_board_server.staff_client(3, staff_id="staff3")
    try:
        with qtbot.waitSignal(announcer.announcement_started, timeout=30000):
            first = staff6.call_next(6)  # said in full: Japanese then Vietnamese, several seconds
        assert first is not None
        with qtbot.waitSignal(board.call_shown, timeout=10000):
            second = staff3.call_next(3)
        assert second is not None and [a.ticket_id for a, _ in announcer.queued()] == [second.id]
        staff3.start(second.id, 3)  # the resident walked up before the board said the number
        qtbot.waitUntil(lambda: announcer.stats.dropped == 1, timeout=10000)
        with qtbot.waitSignal(announcer.idle, timeout=30000):
            pass
        assert all(second.id not in item.ticket_ids for item in announcer.played)
        staff6.done(first.id, 6)
        staff3.done(second.id, 3)
    finally:
        staff6.close()
        staff3.close()
    board.close()
