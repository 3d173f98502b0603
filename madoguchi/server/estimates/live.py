"""Wait estimates for the live hall: builds the predictor's snapshot from the store and asks it.

The predictor (``wait_range``) simulates the remaining queue forward from the hall's state (counters,
their services and rota, priorities, recent service times, abandonment) and learns from the hall's own past
days in the database; on day one it works from the configured mean service times.

Only the counters really working count (``server.counter_states``): open or on a break as their staff set it,
with someone logged in. A counter nobody is logged in at is closed; before its opening time it is expected at
that time (the rota of hall.toml), after it not at all. Planned breaks of the rota still lie ahead of an open
counter.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from zoneinfo import ZoneInfo

from madoguchi.core.config import HallConfig
from madoguchi.core.hall_time import Clock
from madoguchi.server.counter_states import CounterNow, counters_now
from madoguchi.server.estimates.wait_range import (
    CounterDayRecord,
    CounterState,
    CounterStatus,
    Estimate,
    HallSnapshot,
    HistoryDay,
    HistoryRecord,
    Predictor,
    TodayTicket,
    WaitingTicket,
    counter_rota,
    minutes_of_day,
    service_priors,
)
from madoguchi.server.store import Store, TicketRow

log = logging.getLogger(__name__)

HISTORY_DAYS = 28


class LiveEstimator:
    def __init__(self, config: HallConfig, store: Store, clock: Clock) -> None:
        self.config = config
        self.store = store
        self.clock = clock
        self.predictor = Predictor()
        self._learned_for: str | None = None
        self._lock = threading.Lock()

    def reload_config(self, config: HallConfig) -> None:
        self.config = config

    # ------------------------------------------------------------------ learning
    def learn_if_needed(self, today: str) -> None:
        """Refit from the past days once per hall day (cheap after that)."""
        if self._learned_for == today:
            return
        with self._lock:
            if self._learned_for == today:
                return
            first = (dt.date.fromisoformat(today) - dt.timedelta(days=HISTORY_DAYS)).isoformat()
            days = self._history(self.store.tickets_of_days(first, today))
            if days:
                self.predictor.learn(days)
                log.info("wait predictor learned from %d past days", len(days))
            self._learned_for = today

    def _minutes(self, ts: float | None) -> float | None:
        return None if ts is None else self._minutes_of(ts)

    def _minutes_of(self, ts: float) -> float:
        return minutes_of_day(dt.datetime.fromtimestamp(ts, ZoneInfo(self.config.hall.timezone)))

    def _history(self, rows: list[TicketRow]) -> list[HistoryDay]:
        days: dict[str, HistoryDay] = {}
        spans: dict[tuple[str, int], list[float]] = {}
        for t in rows:
            weekday = dt.date.fromisoformat(t.day).weekday()
            day = days.setdefault(t.day, HistoryDay(t.day, weekday))
            issued = self._minutes(t.issued_at)
            assert issued is not None
            day.tickets.append(
                HistoryRecord(
                    service_id=t.service_id,
                    counter=str(t.counter) if t.counter is not None else None,
                    issued=issued,
                    called=self._minutes(t.called_at),
                    service_start=self._minutes(t.served_at),
                    service_end=self._minutes(t.finished_at),
                    abandoned=t.state == "no_show",
                    day=t.day,
                    weekday=weekday,
                    model_min=t.est_model,
                )
            )
            if t.counter is not None and t.called_at is not None:
                times = [m for m in (self._minutes(t.called_at), self._minutes(t.finished_at)) if m is not None]
                spans.setdefault((t.day, t.counter), []).extend(times)
        for (day_id, counter), times in spans.items():
            days[day_id].counters.append(
                CounterDayRecord(str(counter), min(times), max(times), day_id, days[day_id].weekday)
            )
        return list(days.values())

    # ------------------------------------------------------------------ the live state
    def snapshot(self) -> HallSnapshot:
        """The hall now, from the database. The waiting tickets are read as four columns each: a stress day's tens
        of thousands, read as whole rows, cost the estimates process ~1.4 KB each at its peak."""
        from madoguchi.core.hall_time import hall_day

        now_dt = self.clock()
        now = minutes_of_day(now_dt)
        cfg = self.config
        day = hall_day(now_dt, cfg.hall.day_reset)
        waiting = [
            WaitingTicket(str(ticket_id), service_id, self._minutes_of(order_at), priority)
            for ticket_id, service_id, order_at, priority in self.store.waiting_of_day(day)
        ]
        recent = []
        active: dict[int, TicketRow] = {}
        for t in self.store.called_of_day(day):  # called at a counter: called_at and counter are set
            issued, called = self._minutes(t.issued_at), self._minutes(t.called_at)
            assert issued is not None and called is not None and t.counter is not None
            if t.state in ("called", "serving"):
                active[t.counter] = t
            recent.append(
                TodayTicket(
                    service_id=t.service_id,
                    counter=str(t.counter),
                    issued_at=issued,
                    called_at=called,
                    service_start=self._minutes(t.served_at),
                    service_end=self._minutes(t.finished_at),
                    abandoned=t.state == "no_show",
                    model_min=t.est_model,
                )
            )
        recent.sort(key=lambda r: r.called_at)
        numbers = [c.number for c in cfg.counters]
        states = counters_now(numbers, self.store.counter_states(), self.store.staffed_counters(), day)
        counters = [self._counter_state(n, now, active.get(n), states[n]) for n in numbers]
        return HallSnapshot(
            now=now,
            waiting=waiting,
            counters=counters,
            recent=recent[-250:],
            call_policy=cfg.hall.call_policy,
            service_priors=service_priors(cfg),
            weekday=now_dt.weekday(),
        )

    def _counter_state(self, number: int, now: float, current: TicketRow | None, staffed: CounterNow) -> CounterState:
        cfg = self.config
        counter = cfg.counter(number)
        break_started = None
        # a break in progress is matched to its planned one by the predictor (which then knows how long it lasts)
        plan = counter_rota(cfg, number, now)
        if staffed.state == "open":
            status = CounterStatus.OPEN
        elif staffed.state == "break":
            status = CounterStatus.ON_BREAK
            break_started = self._minutes_of(staffed.since) if staffed.since else now
        else:
            status = CounterStatus.CLOSED
        return CounterState(
            number=str(number),
            services=counter.services,
            status=status,
            current_service=current.service_id if current else None,
            current_called_at=self._minutes(current.called_at) if current else None,
            current_started_at=self._minutes(current.served_at) if current else None,
            break_started_at=break_started,
            planned_breaks=plan.planned_breaks,
            closes_at=plan.closes_at,
            opens_at=self._opens_later(number, now) if status is CounterStatus.CLOSED else None,
        )

    def _opens_later(self, number: int, now: float) -> float | None:
        """A closed counter is expected at its opening time when that is still ahead today (a hall before
        8:30, whose clerks log in at the opening), and not at all once it has passed."""
        hours = self.config.counter(number).hours or self.config.hall.opening
        start = minutes_of_day(hours.start)
        return start if now < start else None

    # ------------------------------------------------------------------ asking
    def predict(
        self,
        service_id: str,
        *,
        snapshot: HallSnapshot | None = None,
        position: int | None = None,
        ticket_id: int | None = None,
    ) -> Estimate:
        snap = snapshot or self.snapshot()
        return self.predictor.predict(
            snap, service_id, position=position, ticket_id=str(ticket_id) if ticket_id is not None else None
        )


class EstimateTable:
    """Estimates kept fresh off the request path, so issuing a ticket never waits for a simulation.

    A thread rebuilds the snapshot about once a second (on its own read connection) and, per service, asks the
    predictor for the next ticket at the current queue length ``n`` and at ``n + 1``. A request then reads the
    range for its fresh people-ahead count from those two points in O(1); ticket-specific questions (a phone
    page) run one prediction on the latest snapshot.
    """

    def __init__(self, estimator: LiveEstimator, *, period: float = 1.0) -> None:
        self.estimator = estimator
        self.period = period
        self._lock = threading.Lock()
        self._snapshot: HallSnapshot | None = None
        self._points: dict[str, tuple[int, Estimate, Estimate]] = {}
        self._refreshed_at = -1e9
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.refresh()
        self._thread = threading.Thread(target=self._run, name="estimates", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def _run(self) -> None:
        pause = self.period
        while not self._stop.wait(pause):
            started = time.monotonic()
            try:
                self.refresh()
            except Exception:  # keep estimating: one bad refresh must not freeze the ranges
                log.exception("estimate refresh failed")
            # Self-throttle: with an extreme queue a refresh gets expensive and it holds the GIL the requests
            # need; never spend more than ~5% of the time on it (requests interpolate from the fresh count).
            pause = max(self.period, 19 * (time.monotonic() - started))

    def refresh(self) -> None:
        snap = self.estimator.snapshot()
        counts: dict[str, int] = {}
        for w in snap.waiting:
            counts[w.service_id] = counts.get(w.service_id, 0) + 1
        points = {}
        for sid in self.estimator.config.service_ids():
            n = counts.get(sid, 0)
            points[sid] = (
                n,
                self.estimator.predict(sid, snapshot=snap, position=n),
                self.estimator.predict(sid, snapshot=snap, position=n + 1),
            )
        with self._lock:
            self._snapshot, self._points = snap, points
            self._refreshed_at = time.monotonic()

    def _ensure_fresh(self) -> None:
        """Without the background thread (tools, tests) refresh on demand when the table is stale."""
        if self._thread is None and time.monotonic() - self._refreshed_at > self.period:
            self.refresh()

    def for_position(self, service_id: str, people_ahead: int) -> Estimate:
        self._ensure_fresh()
        with self._lock:
            point = self._points.get(service_id)
        if point is None:  # a service added by a configuration reload
            self.refresh()
            with self._lock:
                point = self._points[service_id]
        n, at_n, next_one = point
        d = people_ahead - n

        def line(a: float, b: float) -> float:
            return max(0.0, a + d * (b - a))

        model = None
        if at_n.model_min is not None and next_one.model_min is not None:
            model = line(at_n.model_min, next_one.model_min)
        low, mid, high = (
            line(at_n.low_min, next_one.low_min),
            line(at_n.mid_min, next_one.mid_min),
            line(at_n.high_min, next_one.high_min),
        )
        return Estimate(min(low, mid), mid, max(high, mid), model)

    def for_ticket(self, service_id: str, ticket_id: int, people_ahead: int) -> Estimate:
        self._ensure_fresh()
        with self._lock:
            snap = self._snapshot
        if snap is not None and any(w.ticket_id == str(ticket_id) for w in snap.waiting):
            return self.estimator.predict(service_id, snapshot=snap, ticket_id=ticket_id)
        return self.for_position(service_id, people_ahead)
