"""What the call board shows, as plain data: recent calls, now-serving per counter, waiting per service, and the
visits that moved on to their next counter (for ``MOVE_SHOWN_S``, or until called there).

No Qt here. The board feeds it a server snapshot (``resync``) and events (``apply``). A call is reported as
*fresh* (highlight, blink, announce) only when its event is newer than the snapshot the model was built from, so
calls replayed after a reconnect or already in a snapshot never show up as new. While a resync is pending
(after a drop, before the snapshot arrives) events are held back and sorted out against the snapshot.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from madoguchi.client.hall_client import STREAM_RESET
from madoguchi.core import api_models as m

log = logging.getLogger(__name__)

CALL_EVENTS = frozenset({"ticket.called", "ticket.recalled"})
#: events after which a ticket no longer stands at its counter
LEAVE_EVENTS = frozenset({"ticket.done", "ticket.no_show", "ticket.cancelled", "ticket.transferred", "ticket.returned"})
RESYNC_EVENTS = frozenset({"day.rolled"})
NEXT_STEP_EVENT = "ticket.next_step"
#: events after which a visit that moved on need not be shown any more: called at its next counter, or gone
MOVE_OVER_EVENTS = frozenset({"ticket.called", "ticket.cancelled", "ticket.no_show"})
#: seconds a visit that moved on to its next counter stays on the board (unless it is called there first)
MOVE_SHOWN_S = 300.0


def _step(value: object) -> int | None:
    """A step number of an event's data (None for one procedure)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class CallEntry:
    event_id: int
    ticket_id: int
    number: str
    counter: int
    service_id: str
    language: str
    recall: int = 0
    #: a visit's step (2 of 3); None for one procedure
    step: int | None = None
    steps: int | None = None

    @classmethod
    def from_board(cls, call: m.BoardCall) -> CallEntry:
        return cls(
            call.event_id,
            call.ticket_id,
            call.number,
            call.counter,
            call.service_id,
            call.language,
            call.recall,
            call.step,
            call.steps,
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
            step=_step(data.get("step")),
            steps=_step(data.get("steps")),
        )


@dataclass(frozen=True)
class MoveEntry:
    """A visit that moved on to its next counter: ``D-001 → 国民健康保険`` (step 2 of 3), shown until ``until``
    (the model's monotonic clock)."""

    event_id: int
    number: str
    service_id: str
    step: int
    steps: int
    until: float


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
    #: visits that moved on to their next counter, newest first (see ``current_moves``)
    moves: list[MoveEntry] = field(default_factory=list)
    #: True from a connection drop (or start-up) until a snapshot has been applied
    resync_pending: bool = True
    #: the clock moves are timed by (a test sets its own)
    monotonic: Callable[[], float] = time.monotonic
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
        self.moves = self._moves_of(state)
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
        if kind in MOVE_OVER_EVENTS:
            self._drop_move(str(data.get("number", "")))
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
        elif kind == NEXT_STEP_EVENT and service:  # a visit waits at its next procedure now
            self.waiting[service] = self.waiting.get(service, 0) + 1
            number = str(data.get("number", ""))
            self._drop_move(number)
            move = MoveEntry(
                event.id,
                number,
                service,
                _step(data.get("step")) or 0,
                _step(data.get("steps")) or 0,
                self.monotonic() + MOVE_SHOWN_S,
            )
            self.moves.insert(0, move)
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

    def current_moves(self) -> list[MoveEntry]:
        """The moves still to show, newest first (those past their minutes are forgotten)."""
        now = self.monotonic()
        self.moves = [move for move in self.moves if move.until > now]
        return self.moves

    def _drop_move(self, number: str) -> None:
        self.moves = [move for move in self.moves if move.number != number]

    def _moves_of(self, state: m.BoardState) -> list[MoveEntry]:
        """A snapshot's moves, each for what is left of its minutes by its time (one stamped ahead of this
        machine's clock counts as new), except those called at their next counter since."""
        called = {c.number: c.event_id for c in state.recent_calls}
        now, wall = self.monotonic(), dt.datetime.now(dt.UTC)
        moves = []
        for n in state.next_steps:
            if called.get(n.number, -1) > n.event_id:
                continue
            try:
                age = (wall - dt.datetime.fromisoformat(n.at)).total_seconds()
            except (TypeError, ValueError):
                age = 0.0
            age = min(MOVE_SHOWN_S, max(0.0, age))
            moves.append(MoveEntry(n.event_id, n.number, n.service_id, n.step, n.steps, now + MOVE_SHOWN_S - age))
        return moves

    @property
    def newest(self) -> CallEntry | None:
        return self.calls[0] if self.calls else None
