"""Board clients that record every call they are shown, in order (``EventStream`` over the WebSocket).

A network cut is played by stopping the stream and starting a new one with ``since=<last id delivered>``,
which is what a board does when its link comes back. One board also polls ``GET /board`` (the snapshot a
freshly started board paints) and keeps the waiting counts for the timeline.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from queueing import api_models as m
from queueing.client import ClientError, EventStream, HallClient

log = logging.getLogger(__name__)

CALL_EVENTS = ("ticket.called", "ticket.recalled")


@dataclass(frozen=True)
class SeenCall:
    event_id: int
    ticket_id: int | None
    counter: int | None
    type: str
    received: float  # wall clock when the board got it


@dataclass
class BoardRecord:
    name: str
    start_id: int
    calls: list[SeenCall] = field(default_factory=list)
    event_ids: list[int] = field(default_factory=list)
    reconnects: int = 0
    cuts: int = 0
    #: (wall time, total waiting) from GET /board
    polls: list[tuple[float, int]] = field(default_factory=list)
    poll_errors: int = 0


class BoardRecorder:
    def __init__(self, name: str, base_url: str, token: str, start_id: int, *, poll_s: float | None = None) -> None:
        self.record = BoardRecord(name, start_id)
        self._base_url = base_url
        self._token = token
        self._lock = threading.Lock()
        self._stream: EventStream | None = None
        self._poll_s = poll_s
        self._stop = threading.Event()
        self._poller: threading.Thread | None = None
        self._client = HallClient(base_url, token, timeout=2.0)

    def _on_event(self, event: m.Event) -> None:
        with self._lock:
            self.record.event_ids.append(event.id)
            if event.type in CALL_EVENTS:
                self.record.calls.append(SeenCall(event.id, event.ticket_id, event.counter, event.type, time.time()))

    def _on_connection(self, up: bool) -> None:
        if up:
            self.record.reconnects += 1

    def _open(self, since: int) -> None:
        self._stream = EventStream(
            self._base_url, self._token, self._on_event, since=since, on_connection=self._on_connection, max_backoff=0.5
        ).start()

    def start(self) -> BoardRecorder:
        self._open(self.record.start_id)
        if self._poll_s:
            self._poller = threading.Thread(target=self._poll_loop, name=f"{self.record.name}-poll", daemon=True)
            self._poller.start()
        return self

    @property
    def last_id(self) -> int:
        with self._lock:
            return self.record.event_ids[-1] if self.record.event_ids else self.record.start_id

    def cut(self) -> None:
        """The board's network goes away."""
        self.record.cuts += 1
        if self._stream is not None:
            self._stream.stop()
            self._stream = None

    def reconnect(self) -> None:
        self._open(self.last_id)

    def stop(self) -> None:
        self._stop.set()
        if self._stream is not None:
            self._stream.stop()
        if self._poller is not None:
            self._poller.join(5)
        self._client.close()

    def _poll_loop(self) -> None:
        assert self._poll_s is not None
        while not self._stop.wait(self._poll_s):
            try:
                state = self._client.board()
            except ClientError:
                self.record.poll_errors += 1
                continue
            self.record.polls.append((time.time(), sum(state.waiting.values())))
