"""Concurrency and crash behaviour of the server: many counters at once, SIGKILL in the middle of a burst.

Each test runs against one server process and against two worker processes sharing the database (the default
on a machine with two cores or more).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from madoguchi.client.hall_client import ClientError, EventStream, HallClient, new_request_id
from madoguchi.client.local_server import STAFF_PASSWORD, HallServerProcess
from madoguchi.core import api_models as m
from madoguchi.server.store import Store


@pytest.fixture
def server(tmp_path: Path) -> Iterator[HallServerProcess]:
    srv = HallServerProcess(tmp_path / "server")
    srv.start()
    yield srv
    srv.stop()


def test_twenty_counters_call_500_tickets_exactly_once(server: HallServerProcess) -> None:
    admin = server.client("admin-1")  # admin may issue without the kiosk rate limit bucket filling up
    store = Store(server.db_path)
    from madoguchi.server.accounts import make_device, make_staff

    for i in range(20):
        make_staff(store, f"s{i}", f"S{i}", STAFF_PASSWORD, time.time())
    kiosks = [make_device(store, f"bulk-kiosk-{i}", "kiosk", time.time()) for i in range(20)]
    del admin

    def issue_batch(token: str) -> None:
        c = HallClient(server.base_url, token, timeout=15)
        for _ in range(25):
            c.issue("juminhyo")

    with ThreadPoolExecutor(20) as pool:
        list(pool.map(issue_batch, kiosks))
    # 20 staff sessions on 5 counters serving juminhyo... counters are 1..12; juminhyo is served by 1,2,3,6,11,
    # so every session calls at one of those counters, four sessions per counter racing each other.
    counters = [1, 2, 3, 6, 11]
    called: list[int] = []
    lock = threading.Lock()

    sessions: list[tuple[HallClient, int]] = []
    for i in range(20):  # log in one after the other (scrypt is slow on purpose), then race
        counter = counters[i % len(counters)]
        device = make_device(store, f"pc-{i}", "staff", time.time(), counter)
        c = HallClient(server.base_url, device, timeout=15)
        c.login(f"s{i}", STAFF_PASSWORD, counter)
        sessions.append((c, counter))

    def staff(i: int) -> None:
        c, counter = sessions[i]
        idle = 0
        while idle < 3:
            try:
                t = c.call_next(counter)
            except ClientError:  # counter busy: a colleague at the same counter holds a ticket
                time.sleep(0.005)
                continue
            if t is None:
                idle += 1
                time.sleep(0.01)
                continue
            with lock:
                called.append(t.id)
            try:
                c.done(t.id, counter)
            except ClientError:
                pass

    with ThreadPoolExecutor(20) as pool:
        list(pool.map(staff, range(20)))
    assert len(called) == 500 and len(set(called)) == 500


def test_sigkill_during_burst_then_restart(server: HallServerProcess) -> None:
    acknowledged: list[m.IssuedTicket] = []
    lock = threading.Lock()
    stop = threading.Event()
    events: list[m.Event] = []
    stream = EventStream(server.base_url, server.tokens["board-1"], events.append, since=0).start()

    def kiosk(device: str) -> None:
        c = server.client(device, timeout=2.0)
        while not stop.is_set():
            rid = new_request_id()
            for _attempt in range(50):  # the kiosk retries the same action until the server answers
                try:
                    t = c.issue("juminhyo", request_id=rid)
                except ClientError:
                    if stop.is_set():
                        return
                    time.sleep(0.1)
                    continue
                with lock:
                    acknowledged.append(t)
                break
            time.sleep(0.02)

    threads = [threading.Thread(target=kiosk, args=(d,)) for d in ("kiosk-1", "kiosk-2", "kiosk-3")]
    for th in threads:
        th.start()
    deadline = time.monotonic() + 20
    while len(acknowledged) < 20 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.kill()
    time.sleep(0.3)
    server.start()
    deadline = time.monotonic() + 20
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    stop.set()
    for th in threads:
        th.join(30)
    store = Store(server.db_path)
    rows = store.tickets_of_day(store.get_meta("hall_day") or "")
    numbers = [r.number for r in rows]
    assert len(numbers) == len(set(numbers)), "no number twice"
    assert {t.ticket.id for t in acknowledged} <= {r.id for r in rows}, "every acknowledged ticket is there"
    assert len({t.ticket.id for t in acknowledged}) == len(acknowledged), "a retried request never made two"
    # the event stream reconnected and resumed: it saw every issue, in order, once
    deadline = time.monotonic() + 10
    while len([e for e in events if e.type == "ticket.issued"]) < len(rows) and time.monotonic() < deadline:
        time.sleep(0.05)
    stream.stop()
    issued_ids = [e.ticket_id for e in events if e.type == "ticket.issued"]
    assert sorted(issued_ids) == sorted(r.id for r in rows)
    assert [e.id for e in events] == sorted({e.id for e in events})
