"""What the call board shows, as plain data: recent calls, now-serving per counter, waiting per service.

No Qt here. The board feeds it a server snapshot (``resync``) and events (``apply``). A call is reported as
*fresh* (highlight, blink, announce) only when its event is newer than the snapshot the model was built from, so
calls replayed after a reconnect or already in a snapshot never show up as new. While a resync is pending
(after a drop, before the snapshot arrives) events are held back and sorted out against the snapshot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from madoguchi.client.hall_client import STREAM_RESET
from madoguchi.core import api_models as m

log = logging.getLogger(__name__)

CALL_EVENTS = frozenset({"ticket.called", "ticket.recalled"})
#: events after which a ticket no longer stands at its counter
LEAVE_EVENTS = frozenset({"ticket.done", "ticket.no_show", "ticket.cancelled", "ticket.transferred", "ticket.returned"})
RESYNC_EVENTS = frozenset({"day.rolled"})


@dataclass(frozen=True)
class CallEntry:
    event_id: int
    ticket_id: int
    number: str
    counter: int
    service_id: str
    language: str
    recall: int = 0

    @classmethod
    def from_board(cls, call: m.BoardCall) -> CallEntry:
        return cls(
            call.event_id, call.ticket_id, call.number, call.counter, call.service_id, call.language, call.recall
        )

    @classmethod
    def from_event(cls, event: m.Event) -> CallEntry:
        data = event.data
        return cls(
            event_id=event.id,
            ticket_id=event.ticket_id or 0,
            number=str(data.get("number", "")),
            counter=event.counter or 0,
            service_id=str(data.get("service_id", "")),
            language=str(data.get("language", "ja")),
            recall=int(data.get("recall", 0) or 0),
        )


@dataclass
class BoardModel:
    max_calls: int = 8
    last_event_id: int = -1
    calls: list[CallEntry] = field(default_factory=list)
    now_serving: dict[int, str] = field(default_factory=dict)
    waiting: dict[str, int] = field(default_factory=dict)
    notices: list[dict[str, str]] = field(default_factory=list)
    #: each counter's state (open, break, closed): the board says which are on a break or closed
    counters: dict[int, str] = field(default_factory=dict)
    #: True from a connection drop (or start-up) until a snapshot has been applied
    resync_pending: bool = True
    _held: list[m.Event] = field(default_factory=list)

    def connection_lost(self) -> None:
        self.resync_pending = True

    def resync(self, state: m.BoardState) -> list[CallEntry]:
        """Replace everything with a snapshot; returns the fresh calls among events held while it was fetched."""
        if state.last_event_id < self.last_event_id and not self.resync_pending:
            return []  # an older snapshot than what events already told us: ignore it
        self.last_event_id = state.last_event_id
        self.calls = [CallEntry.from_board(c) for c in state.recent_calls][: self.max_calls]
        self.now_serving = dict(state.now_serving)
        self.waiting = dict(state.waiting)
        self.notices = list(state.notices)
        self.counters = dict(state.counters)
        self.resync_pending = False
        held, self._held = self._held, []
        fresh: list[CallEntry] = []
        for event in held:
            entry = self.apply(event)
            if entry is not None:
                fresh.append(entry)
        return fresh

    def apply(self, event: m.Event) -> CallEntry | None:
        """Apply one event; returns the call to highlight and announce, if the event is a fresh call."""
        if event.type == STREAM_RESET:  # another database (a restore): only a new snapshot is true now
            self.resync_pending = True
            self._held.clear()
            self.last_event_id = 0
            return None
        if self.resync_pending:
            self._held.append(event)
            return None
        if event.id <= self.last_event_id:
            return None  # already part of the snapshot: never show it as new
        self.last_event_id = event.id
        kind = event.type
        data = event.data
        service = str(data.get("service_id", ""))
        if kind in CALL_EVENTS:
            entry = CallEntry.from_event(event)
            self.calls = [entry, *(c for c in self.calls if c.ticket_id != entry.ticket_id)][: self.max_calls]
            self.now_serving[entry.counter] = entry.number
            if kind == "ticket.called" and service and self.waiting.get(service, 0) > 0:
                self.waiting[service] -= 1
            return entry
        if kind in LEAVE_EVENTS and event.counter is not None:
            if self.now_serving.get(event.counter) == data.get("number"):
                del self.now_serving[event.counter]
            if kind in ("ticket.transferred", "ticket.returned") and service:
                self.waiting[service] = self.waiting.get(service, 0) + 1
        elif kind == "ticket.issued" and service:
            self.waiting[service] = self.waiting.get(service, 0) + 1
        elif kind == "counter.state" and event.counter is not None:
            self.counters[event.counter] = str(data.get("state", "closed"))
        elif kind == "ticket.restored":  # a no-show or cancel undone: back at its counter, or in the queue
            restored = str(data.get("state", ""))
            if restored in ("called", "serving") and event.counter is not None:
                self.now_serving[event.counter] = str(data.get("number", ""))
            elif restored == "waiting" and service:
                self.waiting[service] = self.waiting.get(service, 0) + 1
        elif kind in RESYNC_EVENTS:
            self.resync_pending = True
        return None

    def paused_counters(self) -> list[tuple[int, str]]:
        """Counters to mark on the board: on a break always, closed while the hall is serving (some counter open),
        in counter order."""
        serving = any(s == "open" for s in self.counters.values())
        return sorted((n, s) for n, s in self.counters.items() if s == "break" or (s == "closed" and serving))

    @property
    def newest(self) -> CallEntry | None:
        return self.calls[0] if self.calls else None
