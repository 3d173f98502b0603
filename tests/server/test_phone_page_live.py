"""The phone page's own stream (/t/<token>/events) against a real server: pushed when its ticket moves, nothing
about other tickets, the same status as JSON for a page that polls, "I am leaving", and limits."""

from __future__ import annotations

import contextlib
import json
import queue
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from madoguchi.client.local_server import HallServerProcess
from madoguchi.translations.catalog import translate


class Stream:
    """A phone page's EventSource on a plain socket (closing it is a page going away: the server sees the
    connection end): (event, data) pairs as they arrive, on a thread."""

    def __init__(self, base_url: str, token: str) -> None:
        host, port = base_url.removeprefix("http://").split(":")
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.status_code = 0
        self._sock = socket.create_connection((host, int(port)), timeout=60)
        request = f"GET /t/{token}/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
        self._sock.sendall(request.encode())
        self._opened = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        assert self._opened.wait(10)

    def _read(self) -> None:
        buffer = b""
        kind = "message"
        try:
            while True:
                chunk = self._sock.recv(65536)
                if not chunk:
                    break
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for raw in lines:
                    line = raw.decode().rstrip("\r")
                    if line.startswith("HTTP/1.1 "):
                        self.status_code = int(line.split()[1])
                        self._opened.set()
                    elif line.startswith("event:"):  # chunk sizes and headers are other lines
                        kind = line[6:].strip()
                    elif line.startswith("data:"):
                        self.events.put((kind, json.loads(line[5:])))
        except OSError:
            pass
        finally:
            self._opened.set()
            self.events.put(("closed", None))

    def next(self, kind: str = "status", timeout: float = 10.0) -> Any:
        while True:
            got, data = self.events.get(timeout=timeout)
            if got == kind:
                return data
            assert got in ("alive", "status", "end", "closed"), got

    def quiet(self, seconds: float) -> list[tuple[str, Any]]:
        """What arrives within ``seconds`` (statuses only; "alive" keeps the time shown true)."""
        seen = []
        try:
            while True:
                kind, data = self.events.get(timeout=seconds)
                if kind != "alive":
                    seen.append((kind, data))
        except queue.Empty:
            return seen

    def close(self) -> None:
        """The page goes away: its connection closes."""
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()
        self._thread.join(5)


@pytest.fixture
def streams() -> Iterator[list[Stream]]:
    opened: list[Stream] = []
    yield opened
    for s in opened:
        s.close()


def test_a_phone_hears_its_own_ticket_move_and_nothing_else(server: HallServerProcess, streams: list[Stream]) -> None:
    kiosk = server.client("kiosk-1")
    first = kiosk.issue("juminhyo")
    mine = kiosk.issue("juminhyo", language="en")
    stream = Stream(server.base_url, mine.token)
    streams.append(stream)
    start = stream.next()
    assert start["state"] == "waiting" and translate("en", "phone.position", count=1) in start["html"]
    # someone of another procedure is called: nothing for this phone
    other = kiosk.issue("kokuho")
    server.staff_client(9).call_next(9)
    assert stream.quiet(1.5) == []
    # the one ahead is called: my place moves, "now calling" names the call of my procedure
    server.staff_client(1).call_next(1)
    moved = stream.next()
    assert moved["state"] == "waiting" and moved["alert"] == "near" and first.ticket.number in moved["html"]
    # my turn: called, with the counter
    server.staff_client(2).call_next(2)
    called = stream.next()
    assert called["state"] == "called" and called["alert"] == "called" and "counter 2" in called["html"]
    assert called["key"] != moved["key"]
    everything = json.dumps([start, moved, called])
    assert other.ticket.number not in everything and other.token not in everything and first.token not in everything


def test_the_same_status_as_json_for_a_page_that_polls(server: HallServerProcess) -> None:
    issued = server.client("kiosk-1").issue("koseki", language="ko")
    polled = httpx.get(f"{server.base_url}/t/{issued.token}/events", headers={"Accept": "application/json"})
    assert polled.status_code == 200 and polled.json()["state"] == "waiting"
    assert "앞에" in polled.json()["html"]  # in the resident's language
    assert httpx.get(f"{server.base_url}/t/not-a-ticket-token-at-all/events").status_code == 404
    legacy = httpx.get(f"{server.base_url}/t/{issued.token}.json").json()
    assert legacy["number"] == issued.ticket.number and legacy["updated_at"]


def test_i_am_leaving_gives_up_the_place(server: HallServerProcess, streams: list[Stream]) -> None:
    issued = server.client("kiosk-1").issue("inkan", language="en")
    stream = Stream(server.base_url, issued.token)
    streams.append(stream)
    stream.next()
    question = httpx.get(f"{server.base_url}/t/{issued.token}/leave")
    assert question.status_code == 200 and "Give up your place?" in question.text
    left = httpx.post(f"{server.base_url}/t/{issued.token}/leave")
    assert left.status_code == 303 and left.headers["location"] == f"/t/{issued.token}"
    final = stream.next()
    assert final["state"] == "cancelled" and final["final"]
    stream.next("end")
    page = httpx.get(f"{server.base_url}/t/{issued.token}").text
    assert "phone.js" not in page and "id='leave'" not in page  # nothing left to follow or give up
    # staff see who cancelled it (the event says so; a board or kiosk does not learn it)
    clerk = server.staff_client(1)
    assert clerk.ticket(issued.ticket.id).state == "cancelled"


def test_a_ticket_is_followed_by_a_few_pages_at_most(server: HallServerProcess, streams: list[Stream]) -> None:
    issued = server.client("kiosk-1").issue("juminhyo")
    for _ in range(4):
        streams.append(Stream(server.base_url, issued.token))
    fifth = Stream(server.base_url, issued.token)
    streams.append(fifth)
    assert fifth.status_code == 503
    streams.pop().close()
    streams.pop().close()  # pages closed: others may follow (once the server has seen them go)
    deadline = time.monotonic() + 10
    while True:
        again = Stream(server.base_url, issued.token)
        streams.append(again)
        if again.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert again.next()["state"] == "waiting"
