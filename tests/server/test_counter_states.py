"""Counter states against a real hall server: open, on a break with a reason, closed; what the estimates make of
them, what the board and a kiosk see, and what a logout does.

On the last release the estimates assumed every configured counter staffed: the same 5–15 min for 0 and for 9
people ahead with one counter staffed, and "0–10 min" with 7–8 ahead while nobody was logged in anywhere.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import connect

from madoguchi.client.hall_client import Conflict, HallClient
from madoguchi.client.local_server import HallServerProcess
from madoguchi.core import api_models as m
from tests.support.halls import nine_counters, open_all_day

SERVICE = "juminhyo"


def _until(check: Callable[[], Any], timeout: float = 15.0) -> Any:
    """The estimates are recomputed about once a second off the request path: ask until they have moved."""
    deadline = time.monotonic() + timeout
    while True:
        got = check()
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError("the condition did not hold in time")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def nine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HallServerProcess]:
    folder = tmp_path_factory.mktemp("nine")
    staff = tuple(f"clerk{n}" for n in range(1, 10))
    srv = HallServerProcess(folder / "data", config_path=nine_counters(folder), staff_ids=staff).start()
    yield srv
    srv.stop()


def _settled(srv: HallServerProcess, timeout: float = 15.0) -> m.Estimate:
    """The next ticket's range once a change has gone through: logins one after another move it in steps, and a
    range read halfway (five of nine counters open, say) is no baseline. Two reads over two refreshes agree."""
    deadline = time.monotonic() + timeout
    last = _next_ticket(srv)
    while True:
        time.sleep(2.5)  # the table refreshes about once a second
        now = _next_ticket(srv)
        if abs(now.mid_min - last.mid_min) < 0.5 or time.monotonic() > deadline:
            return now
        last = now


def _next_ticket(srv: HallServerProcess) -> m.Estimate:
    with srv.client("admin-1") as admin:
        return next(s.estimate for s in admin.services() if s.id == SERVICE)


def _for_ticket(srv: HallServerProcess, token: str) -> m.Estimate:
    with srv.client("kiosk-1") as kiosk:
        est = kiosk.ticket_status(token).estimate
    assert est is not None
    return est


def test_one_open_counter_and_nine_give_different_ranges(nine: HallServerProcess) -> None:
    with nine.client("kiosk-1") as kiosk:
        issued = [kiosk.issue(SERVICE) for _ in range(18)]
    # nobody logged in anywhere: nobody serves, and the range says so (not "0–10 min" with 8 ahead)
    nobody = _until(lambda: (e := _for_ticket(nine, issued[8].token)).low_min > 10 and e)
    assert nobody.high_min > 10

    clerks: list[HallClient] = [nine.staff_client(1, staff_id="clerk1")]  # one counter open
    one_new = _until(lambda: (e := _next_ticket(nine)).mid_min < nobody.mid_min * 3 and e)
    first, tenth = _for_ticket(nine, issued[0].token), _for_ticket(nine, issued[9].token)
    # with one counter open, the first in line and the tenth are not told the same
    assert first.high_min <= 10 and tenth.low_min > first.high_min, (first, tenth)

    clerks += [nine.staff_client(n, staff_id=f"clerk{n}") for n in range(2, 10)]  # nine counters open
    _until(lambda: (e := _next_ticket(nine)).high_min < one_new.low_min and e)
    nine_new = _settled(nine)
    assert nine_new.high_min < one_new.low_min, (one_new, nine_new)
    assert nine_new.mid_min * 3 < one_new.mid_min, (one_new, nine_new)

    # eight go on a break: waits grow again; closing them is one counter again
    for n, clerk in enumerate(clerks[1:], start=2):
        clerk.set_counter_state(n, "break", "rest")
    on_break = _until(lambda: (e := _next_ticket(nine)).mid_min > nine_new.mid_min and e)
    for n, clerk in enumerate(clerks[1:], start=2):
        clerk.set_counter_state(n, "closed")
    closed = _until(lambda: (e := _next_ticket(nine)).mid_min > on_break.mid_min and e)
    assert closed.low_min > nine_new.high_min
    states = {c.number: c.state for c in clerks[0].counters()}
    assert states == {1: "open", **{n: "closed" for n in range(2, 10)}}
    for clerk in clerks:
        clerk.close()


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HallServerProcess]:
    folder = tmp_path_factory.mktemp("states")
    srv = HallServerProcess(folder / "data", config_path=open_all_day(folder)).start()
    yield srv
    srv.stop()


def _events(srv: HallServerProcess, device: str, session: str | None, until_type: str) -> list[dict[str, Any]]:
    """What ``device`` receives of today's log up to the last event of ``until_type``."""
    headers = {"Authorization": f"Bearer {srv.tokens[device]}"}
    if session:
        headers["X-Staff-Session"] = session
    with connect(f"ws://127.0.0.1:{srv.port}/events?since=0", additional_headers=headers, open_timeout=5) as ws:
        with srv.client("admin-1") as admin:
            last = admin.health().last_event_id
        got: list[dict[str, Any]] = []
        while True:
            e = json.loads(ws.recv(timeout=10))
            if e["type"].startswith("stream."):
                continue
            got.append(e)
            if e["id"] >= last:
                return [x for x in got if x["type"] == until_type]


def test_break_close_and_logout_reach_the_board_and_the_console(hall: HallServerProcess) -> None:
    clerk = hall.staff_client(4, staff_id="staff1")
    try:
        q = clerk.counter_queue(4)
        assert (q.state, q.reason) == ("open", None)  # logging in opened it
        q = clerk.set_counter_state(4, "break", "lunch")
        assert (q.state, q.reason) == ("break", "lunch")
        with hall.client("board-1") as board:
            assert board.board().counters[4] == "break"
            public = board.counters()
            assert next(c for c in public if c.number == 4).state == "break"
            assert all(c.staff == [] and c.reason is None for c in public)  # a board learns no names or reasons
        # the board's stream says the state, never the reason or who set it; the clerk's says both
        seen_by_board = _events(hall, "board-1", None, "counter.state")[-1]
        assert seen_by_board["counter"] == 4 and seen_by_board["data"] == {"state": "break"}
        seen_by_clerk = _events(hall, "counter-pc-4", clerk.staff_session, "counter.state")[-1]
        assert seen_by_clerk["data"] == {"state": "break", "reason": "lunch", "staff": "staff1"}

        # back from the break, Call next opens the counter by itself
        ticket = hall.client("kiosk-1").issue("tennyu").ticket
        called = clerk.call_next(4)
        assert called is not None and called.id == ticket.id
        assert clerk.counter_queue(4).state == "open"
        # nobody goes on a break (or closes) with a resident at the counter
        with pytest.raises(Conflict) as refused:
            clerk.set_counter_state(4, "closed")
        assert refused.value.code == "queue.counter_busy"
        clerk.done(called.id, 4)
        with pytest.raises(Exception) as wrong:
            clerk.set_counter_state(4, "break", None)  # a break needs its reason
        assert getattr(wrong.value, "status", None) == 422
    finally:
        clerk.logout()
        clerk.close()
    # the last clerk logged out: the counter is closed for everyone
    with hall.client("admin-1") as admin:
        _until(lambda: next(c for c in admin.counters() if c.number == 4).state == "closed")


def test_a_counter_nobody_is_logged_in_at_is_closed(hall: HallServerProcess, tmp_path: Path) -> None:
    clerk = hall.staff_client(5, staff_id="staff2")
    assert clerk.counter_queue(5).state == "open"
    # the session ends without a logout (the PC switched off, the session ran out): disabled here by the
    # administrator, which ends its sessions at once
    with hall.client("admin-1") as admin:
        admin._request("POST", "/api/v1/admin/devices/counter-pc-5/disable")
        try:
            _until(lambda: next(c for c in admin.counters() if c.number == 5).state == "closed")
        finally:
            admin._request("POST", "/api/v1/admin/devices/counter-pc-5/enable")
    clerk.close()
