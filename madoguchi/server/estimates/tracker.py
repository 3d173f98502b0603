"""The hall's state built row by row from the event log: the replay asks for a snapshot before each row,
so a prediction can only ever see what happened earlier (no peeking at later rows by construction)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from madoguchi.server.estimates.event_log import LogError, LogEvent
from madoguchi.server.estimates.knowledge import PROFILE_BIN_MIN, HallKnowledge
from madoguchi.server.estimates.model import (
    BreakRecord,
    CounterDayRecord,
    CounterState,
    CounterStatus,
    HallSnapshot,
    HistoryDay,
    HistoryRecord,
    PlannedBreak,
    TodayTicket,
    WaitingTicket,
)

#: a learned lunch break counts as taken once the counter started a break this close to its usual time
LUNCH_TAKEN_WINDOW = (-45.0, 90.0)
#: snapshots carry at most this many of today's called tickets
RECENT_LIMIT = 400


@dataclass
class _Counter:
    services: tuple[str, ...]
    opened: float
    status: CounterStatus = CounterStatus.OPEN
    current: str | None = None
    break_started: float | None = None
    breaks: list[tuple[float, float]] = field(default_factory=list)
    closed: float | None = None


@dataclass
class _Ticket:
    service: str
    issued: float
    counter: str | None = None
    called: float | None = None
    start: float | None = None
    end: float | None = None
    abandoned: bool = False
    model_min: float | None = None
    recent_index: int = -1


class DayTracker:
    """One hall day. ``snapshot(t)`` describes the hall after the rows applied so far."""

    def __init__(
        self,
        day_id: str,
        weekday: int,
        knowledge: HallKnowledge | None = None,
        policy_votes: tuple[int, int] = (0, 0),
        where: str = "<log>",
    ) -> None:
        self.day_id = day_id
        self.weekday = weekday
        self.knowledge = knowledge or HallKnowledge()
        self.where = where
        self.counters: dict[str, _Counter] = {}
        self.tickets: dict[str, _Ticket] = {}
        #: per service, the waiting ticket ids in queue order (dicts keep insertion order)
        self.queues: dict[str, dict[str, None]] = {}
        self.recent: list[TodayTicket] = []
        #: calls that were the oldest across the counter's services vs the counter's first service
        self.votes_oldest, self.votes_priority = policy_votes
        self._last_issue = self._learned_last_issue()

    def _learned_last_issue(self) -> float:
        last = 0.0
        for prof in self.knowledge.arrival_profile.values():
            for b, x in enumerate(prof):
                if x > 0:
                    last = max(last, (b + 1) * PROFILE_BIN_MIN)
        return last

    @property
    def call_policy(self) -> str:
        return "counter_priority" if self.votes_priority > self.votes_oldest else "oldest_first"

    def set_model(self, ticket_id: str, model_min: float | None) -> None:
        """Remember the model value of the estimate given at issue (stored beside the real wait)."""
        self.tickets[ticket_id].model_min = model_min

    def _fail(self, ev: LogEvent, message: str) -> LogError:
        return LogError(self.where, ev.line, message)

    def apply(self, ev: LogEvent) -> None:
        handler = getattr(self, f"_on_{ev.event}")
        handler(ev)

    def _counter(self, ev: LogEvent) -> _Counter:
        c = self.counters.get(ev.counter)
        if c is None:
            raise self._fail(ev, f"{ev.event} for counter {ev.counter!r}, which has not opened")
        return c

    def _ticket(self, ev: LogEvent) -> _Ticket:
        t = self.tickets.get(ev.ticket_id)
        if t is None:
            raise self._fail(ev, f"{ev.event} for ticket {ev.ticket_id!r}, which was not issued")
        return t

    def _on_counter_open(self, ev: LogEvent) -> None:
        services = tuple(s.strip() for s in ev.detail.split("|") if s.strip())
        if not services:
            raise self._fail(ev, "counter_open needs the served services in detail")
        self.counters[ev.counter] = _Counter(services, ev.t)

    def _on_break_start(self, ev: LogEvent) -> None:
        c = self._counter(ev)
        c.status = CounterStatus.ON_BREAK
        c.break_started = ev.t

    def _on_break_end(self, ev: LogEvent) -> None:
        c = self._counter(ev)
        if c.status is CounterStatus.ON_BREAK and c.break_started is not None:
            c.breaks.append((c.break_started, ev.t))
        c.status = CounterStatus.OPEN
        c.break_started = None

    def _on_counter_close(self, ev: LogEvent) -> None:
        c = self._counter(ev)
        c.status = CounterStatus.CLOSED
        c.closed = ev.t

    def _on_issued(self, ev: LogEvent) -> None:
        if ev.ticket_id in self.tickets:
            raise self._fail(ev, f"ticket {ev.ticket_id!r} issued twice")
        self.tickets[ev.ticket_id] = _Ticket(ev.service, ev.t)
        self.queues.setdefault(ev.service, {})[ev.ticket_id] = None

    def _on_called(self, ev: LogEvent) -> None:
        t = self._ticket(ev)
        c = self._counter(ev)
        if t.called is not None:
            raise self._fail(ev, f"ticket {ev.ticket_id!r} called twice")
        self._vote(ev.ticket_id, c)
        del self.queues[t.service][ev.ticket_id]
        t.called, t.counter = ev.t, ev.counter
        c.current = ev.ticket_id
        t.recent_index = len(self.recent)
        self.recent.append(TodayTicket(t.service, ev.counter, t.issued, ev.t, model_min=t.model_min))

    def _vote(self, ticket_id: str, c: _Counter) -> None:
        heads = [(s, next(iter(self.queues[s]))) for s in c.services if self.queues.get(s)]
        if len(heads) < 2:
            return
        oldest = min(heads, key=lambda h: self.tickets[h[1]].issued)[1]
        first = heads[0][1]
        if oldest == first:
            return
        if ticket_id == oldest:
            self.votes_oldest += 1
        elif ticket_id == first:
            self.votes_priority += 1

    def _update_recent(self, t: _Ticket, **changes: object) -> None:
        self.recent[t.recent_index] = dataclasses.replace(self.recent[t.recent_index], **changes)  # type: ignore[arg-type]

    def _on_service_start(self, ev: LogEvent) -> None:
        t = self._ticket(ev)
        if t.called is None:
            raise self._fail(ev, f"service_start for ticket {ev.ticket_id!r}, which was not called")
        t.start = ev.t
        self._update_recent(t, service_start=ev.t)

    def _on_service_end(self, ev: LogEvent) -> None:
        t = self._ticket(ev)
        if t.start is None:
            raise self._fail(ev, f"service_end for ticket {ev.ticket_id!r}, which did not start")
        t.end = ev.t
        self._update_recent(t, service_end=ev.t)
        self._free_counter(t, ev.ticket_id)

    def _on_abandoned(self, ev: LogEvent) -> None:
        t = self._ticket(ev)
        if t.called is None:
            raise self._fail(ev, f"abandoned for ticket {ev.ticket_id!r}, which was not called")
        t.abandoned, t.end = True, ev.t
        self._update_recent(t, abandoned=True, service_end=ev.t)
        self._free_counter(t, ev.ticket_id)

    def _free_counter(self, t: _Ticket, ticket_id: str) -> None:
        c = self.counters.get(t.counter or "")
        if c is not None and c.current == ticket_id:
            c.current = None

    def snapshot(self, now: float) -> HallSnapshot:
        waiting = [WaitingTicket(tid, s, self.tickets[tid].issued) for s, q in self.queues.items() for tid in q]
        counters = [self._counter_state(name, c, now) for name, c in self.counters.items()]
        return HallSnapshot(
            now=now,
            waiting=waiting,
            counters=counters,
            recent=self.recent[-RECENT_LIMIT:],
            call_policy=self.call_policy,
            weekday=self.weekday,
        )

    def _counter_state(self, name: str, c: _Counter, now: float) -> CounterState:
        planned: tuple[PlannedBreak, ...] = ()
        lunch = self.knowledge.lunch.get(name)
        if lunch is not None and lunch.share >= 0.5:
            lo, hi = lunch.start + LUNCH_TAKEN_WINDOW[0], lunch.start + LUNCH_TAKEN_WINDOW[1]
            on_lunch = c.status is CounterStatus.ON_BREAK and c.break_started is not None
            if on_lunch and c.break_started is not None and lo <= c.break_started <= hi:
                planned = (PlannedBreak(c.break_started, c.break_started + lunch.duration),)
            elif not any(lo <= s <= hi for s, _ in c.breaks):
                planned = (PlannedBreak(lunch.start, lunch.start + lunch.duration),)
        closes = self.knowledge.close_at.get(name)
        if closes is not None and closes >= self._last_issue - PROFILE_BIN_MIN:
            closes = None  # it serves until the queue is empty rather than stopping at a set time
        current = self.tickets[c.current] if c.current is not None else None
        return CounterState(
            number=name,
            services=c.services,
            status=c.status,
            current_service=current.service if current else None,
            current_called_at=current.called if current else None,
            current_started_at=current.start if current else None,
            break_started_at=c.break_started,
            planned_breaks=planned,
            closes_at=closes,
        )

    def history_day(self) -> HistoryDay:
        day = HistoryDay(self.day_id, self.weekday)
        for t in self.tickets.values():
            day.tickets.append(
                HistoryRecord(
                    t.service,
                    t.counter,
                    t.issued,
                    t.called,
                    t.start,
                    t.end,
                    t.abandoned,
                    self.day_id,
                    self.weekday,
                    t.model_min,
                )
            )
        for name, c in self.counters.items():
            for s, e in c.breaks:
                day.breaks.append(BreakRecord(name, s, e, self.day_id, self.weekday))
            if c.closed is not None:
                day.counters.append(CounterDayRecord(name, c.opened, c.closed, self.day_id, self.weekday))
        return day
