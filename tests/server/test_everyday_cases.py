"""The everyday cases at the counter against a real hall server, its hall clock moved by a rehearsal offset:
a late arrival put back by the configured rule, transfers to a counter or a clerk, priority marks, undo of a
no-show or a cancel within its seconds, the waiting list, and every call naming its clerk.

On the last release a late resident marked no-show could not be put back from a scan, transfer went to a
service only, nothing set a priority, no-show and cancel had no undo, staff saw counts but no list, and calling
from a scanned ticket did not record the clerk.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from madoguchi.client.hall_client import MESSAGE_OF_CODE, ClientError, Conflict, NotAuthorized
from madoguchi.client.local_server import HallServerProcess
from madoguchi.server import engine as engine_module
from madoguchi.server.engine import QueueError
from madoguchi.translations.catalog import default_catalogs
from tests.support.halls import open_all_day
from tests.support.rehearsal_clock import hall_time_ahead, move_hall_clock, write_offset


class Hall:
    def __init__(self, srv: HallServerProcess, offset: Path, start: dt.datetime, set_at: float) -> None:
        """``start``: the hall time written at ``set_at`` (monotonic): the hall clock has run on since."""
        self.srv, self.offset = srv, offset
        self._set, self._at = start, set_at

    def advance(self, **delta: float) -> None:
        """Move the hall clock ahead of where it is now (it runs on from each setting)."""
        to = self._set + dt.timedelta(seconds=time.monotonic() - self._at) + dt.timedelta(**delta)
        self._set, self._at = to, time.monotonic()
        move_hall_clock(self.offset, to)


def _hall(folder: Path, **config: str) -> Iterator[Hall]:
    config.setdefault("staff_idle_min", "240")  # the clock jumps an hour: the clerks' sessions must outlast it
    offset = folder / "clock-offset"
    start = hall_time_ahead(10)  # a weekday morning far from the day's reset, whatever the time of the run
    write_offset(offset, start)
    set_at = time.monotonic()
    srv = HallServerProcess(
        folder / "data",
        config_path=open_all_day(folder, **config),
        extra_args=("--clock-offset-file", str(offset)),
    ).start()
    try:
        yield Hall(srv, offset, start, set_at)
    finally:
        srv.stop()


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[Hall]:
    yield from _hall(tmp_path)


def _called_by(db: Path, ticket_id: int) -> tuple[str | None, int | None]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT staff_id, counter FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
    finally:
        conn.close()


def _staff_of_events(db: Path, ticket_id: int) -> list[tuple[str, str | None]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT type, json_extract(data, '$.staff') FROM events WHERE ticket_id = ? AND type != 'ticket.issued' "
            "ORDER BY id",
            (ticket_id,),
        )
        return list(rows)
    finally:
        conn.close()


def test_a_late_arrival_is_put_back_at_the_front_within_the_hour(hall: Hall) -> None:
    srv = hall.srv
    kiosk = srv.client("kiosk-1")
    late, second, third = (kiosk.issue("mynumber").ticket for _ in range(3))
    clerk = srv.staff_client(7)
    called = clerk.call_next(7)
    assert called is not None and called.id == late.id
    clerk.no_show(late.id, 7)
    # scanned at the counter: the console shows the no-show, and may put it back
    assert clerk.ticket_by_token(_token(srv, late.id)).state == "no_show"
    listing = clerk.waiting_list(7)
    assert [t.number for t in listing.no_shows] == [late.number]
    assert listing.late_arrival_within_min == 60
    hall.advance(minutes=40)
    back = clerk.return_to_queue(late.id, 7)
    assert back.state == "waiting"
    assert [t.number for t in clerk.waiting_list(7).waiting] == [late.number, second.number, third.number]
    nxt = clerk.call_next(7)
    assert nxt is not None and nxt.id == late.id  # "front": their own place, before the two who came after
    clerk.no_show(late.id, 7)
    hall.advance(minutes=61)
    with pytest.raises(Conflict) as refused:
        clerk.return_to_queue(late.id, 7)
    assert refused.value.code == "queue.too_late"
    assert refused.value.message_id == "staff.error.too_late"
    clerk.close()


def _token(srv: HallServerProcess, ticket_id: int) -> str:
    conn = sqlite3.connect(f"file:{srv.db_path}?mode=ro", uri=True)
    try:
        return str(conn.execute("SELECT token FROM tickets WHERE id = ?", (ticket_id,)).fetchone()[0])
    finally:
        conn.close()


def test_a_late_arrival_goes_to_the_end_when_the_hall_says_so(tmp_path: Path) -> None:
    for hall in _hall(tmp_path, late_arrival_place='"end"'):
        srv = hall.srv
        kiosk = srv.client("kiosk-1")
        late, second, third = (kiosk.issue("mynumber").ticket for _ in range(3))
        clerk = srv.staff_client(7)
        assert clerk.call_next(7) is not None
        clerk.no_show(late.id, 7)
        hall.advance(minutes=5)
        clerk.return_to_queue(late.id, 7)
        assert [t.number for t in clerk.waiting_list(7).waiting] == [second.number, third.number, late.number]
        clerk.close()


def test_undo_of_a_no_show_and_of_a_cancel_within_their_seconds(hall: Hall) -> None:
    srv = hall.srv
    kiosk = srv.client("kiosk-1")
    first, second = (kiosk.issue("mynumber").ticket for _ in range(2))
    clerk = srv.staff_client(7)
    assert clerk.waiting_list(7).undo_seconds == 10
    called = clerk.call_next(7)
    assert called is not None
    clerk.no_show(called.id, 7)
    back = clerk.undo(called.id, 7)
    assert (back.state, back.counter) == ("called", 7)  # at the counter again, as before
    assert clerk.counter_queue(7).current is not None
    clerk.start(called.id, 7)
    clerk.cancel(called.id, 7)
    assert clerk.undo(called.id, 7).state == "serving"
    clerk.done(called.id, 7)
    with pytest.raises(Conflict) as nothing:
        clerk.undo(called.id, 7)
    assert nothing.value.code == "queue.nothing_to_undo"
    nxt = clerk.call_next(7)
    assert nxt is not None and nxt.id == second.id
    clerk.no_show(nxt.id, 7)
    hall.advance(seconds=11)
    with pytest.raises(Conflict) as late:
        clerk.undo(nxt.id, 7)
    assert late.value.code == "queue.too_late"
    # another counter cannot take back this counter's no-show
    other = srv.staff_client(8, staff_id="staff2")
    third = kiosk.issue("mynumber").ticket
    called = other.call_next(8)
    assert called is not None and called.id == third.id
    other.no_show(third.id, 8)
    with pytest.raises((NotAuthorized, Conflict)):
        clerk.undo(third.id, 7)
    assert first.id != third.id
    for c in (clerk, other):
        c.close()


def test_transfers_to_a_counter_and_to_a_clerk(hall: Hall) -> None:
    srv = hall.srv
    kiosk = srv.client("kiosk-1")
    for_counter_2, for_suzuki, walk_in = (kiosk.issue("juminhyo").ticket for _ in range(3))
    at_1 = srv.staff_client(1, staff_id="staff1")
    at_3 = srv.staff_client(3, staff_id="staff3")
    # counter 1 calls the first two and sends them on: one to counter 2, one to the clerk staff2
    t = at_1.call_next(1)
    assert t is not None and t.id == for_counter_2.id
    sent = at_1.transfer(t.id, 1, reason="書類の確認", to_counter=2)
    assert (sent.state, sent.target_counter, sent.service_id) == ("waiting", 2, "juminhyo")
    t = at_1.call_next(1)
    assert t is not None and t.id == for_suzuki.id
    sent = at_1.transfer(t.id, 1, to_staff="staff2")
    assert sent.target_staff == "staff2"
    # counter 3 serves the same procedure but is passed over: it gets the walk-in
    t = at_3.call_next(3)
    assert t is not None and t.id == walk_in.id
    at_3.done(t.id, 3)
    assert at_3.call_next(3) is None
    # counter 2 gets the one sent to it first, staff2 (logged in at counter 6) the one sent to them
    at_2 = srv.staff_client(2, staff_id="staff1")
    first = at_2.waiting_list(2).waiting[0]
    assert (first.number, first.target_counter) == (for_counter_2.number, 2)
    t = at_2.call_next(2)
    assert t is not None and t.id == for_counter_2.id
    staff2 = srv.staff_client(6, staff_id="staff2")
    t = staff2.call_next(6)
    assert t is not None and t.id == for_suzuki.id
    # a transfer to a counter that does not serve the procedure queues at that counter's first one
    moved = at_2.transfer(for_counter_2.id, 2, to_counter=9)
    assert (moved.service_id, moved.target_counter) == ("kokuho", 9)
    with pytest.raises(ClientError) as unknown:
        staff2.transfer(for_suzuki.id, 6, to_staff="nobody-here")
    assert unknown.value.code == "queue.unknown_staff"
    names = {s.staff_id: s for s in staff2.staff_members()}
    assert names["staff2"].counters == [6] and names["staff2"].display_name == "STAFF2"
    for c in (at_1, at_2, at_3, staff2):
        c.close()


def test_priority_marks_are_called_first_and_shown(hall: Hall) -> None:
    srv = hall.srv
    kiosk = srv.client("kiosk-1")
    first, second, third = (kiosk.issue("inkan").ticket for _ in range(3))
    clerk = srv.staff_client(12)
    marked = clerk.set_priority(third.id, 12, "wheelchair")
    assert marked.priority_need == "wheelchair"
    order = clerk.waiting_list(12).waiting
    assert [t.number for t in order][:3] == [third.number, first.number, second.number]
    assert order[0].priority_need == "wheelchair"
    with pytest.raises(ClientError) as wrong:
        clerk.set_priority(first.id, 12, "vip")  # only the fixed needs
    assert wrong.value.status == 422
    t = clerk.call_next(12)
    assert t is not None and t.id == third.id and t.priority_need == "wheelchair"
    clerk.done(t.id, 12)
    clerk.set_priority(first.id, 12, "infant")
    clerk.set_priority(first.id, 12, None)  # the mark taken away again
    t = clerk.call_next(12)
    assert t is not None and t.id == first.id and t.priority_need is None
    clerk.close()


def test_every_call_names_its_clerk(hall: Hall) -> None:
    srv = hall.srv
    kiosk = srv.client("kiosk-1")
    issued = kiosk.issue("koseki")
    clerk = srv.staff_client(3, staff_id="staff3")
    scanned = clerk.ticket_by_token(issued.token)
    clerk.call_ticket(scanned.id, 3)  # called from its scanned code
    clerk.recall(scanned.id, 3)
    clerk.start(scanned.id, 3)
    clerk.done(scanned.id, 3)
    assert _called_by(srv.db_path, scanned.id) == ("staff3", 3)
    assert _staff_of_events(srv.db_path, scanned.id) == [
        ("ticket.called", "staff3"),
        ("ticket.recalled", "staff3"),
        ("ticket.serving", "staff3"),
        ("ticket.done", "staff3"),
    ]
    clerk.close()


def test_every_refusal_of_the_engine_has_words_in_every_language() -> None:
    codes = {
        cls.code
        for cls in vars(engine_module).values()
        if isinstance(cls, type) and issubclass(cls, QueueError) and cls is not QueueError
    }
    assert codes - set(MESSAGE_OF_CODE) == set()
    catalogs = default_catalogs()
    for message_id in set(MESSAGE_OF_CODE.values()) | {
        c.message_id for c in (ClientError, Conflict, NotAuthorized, *ClientError.__subclasses__())
    }:
        for lang in ("ja", "en", "ja-easy", "ne"):
            assert catalogs.has(lang, message_id), (lang, message_id)
