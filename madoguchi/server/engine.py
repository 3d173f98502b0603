"""The queue engine: ticket numbering, the ticket life cycle and call-next, on top of the store.

Every change is one ``BEGIN IMMEDIATE`` transaction that also appends its event row, so a change and its event
are never apart and nothing is half-applied, even with several processes on one database file.

Life cycle::

    waiting ──call──▶ called ──start──▶ serving ──done──▶ done
       ▲                │  ▲ recall (counted; beyond the limit → no_show)
       │                │  └────────────
       └── return ──────┤──no_show──▶ no_show ──return──▶ waiting
                        └──cancel──▶ cancelled    (cancel also from waiting and serving)
    transfer (from called or serving): back to waiting at another service, or for one counter or one clerk,
    same number, original order time.
    A no-show put back (a late arrival) follows ``[hall] late_arrival_*``; a no-show or a cancel at the counter
    can be undone for ``[hall] undo_seconds``. A day roll closes what is still open as ``expired``.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from madoguchi.core.config import HallConfig
from madoguchi.core.hall_time import Clock, hall_day, system_clock
from madoguchi.server import visit_route
from madoguchi.server.counter_states import BREAK_REASONS, STATES
from madoguchi.server.purge_journal import PurgeRecord, record_purge
from madoguchi.server.store import StepRow, Store, TicketRow

log = logging.getLogger(__name__)


def ticket_token(at: float) -> str:
    """The phone page's token: 128 random bits (what makes it unguessable) behind the issue time in milliseconds,
    in hex so that a later token sorts after an earlier one. The token index then grows at its end, like the
    ticket ids: a random token put each ticket on its own page of the index, and every commit wrote them all
    (~12 of the ~94 pages a batch of 20 tickets wrote, bench figures in docs/hall-server.md)."""
    return f"{int(at * 1000):011x}{secrets.token_urlsafe(16)}"


OPEN_STATES = ("waiting", "called", "serving")


class QueueError(Exception):
    """Base of the engine's typed errors; ``code`` is stable for APIs and translations."""

    code = "queue.error"


class UnknownTicket(QueueError):
    code = "queue.unknown_ticket"


class UnknownService(QueueError):
    code = "queue.unknown_service"


class UnknownCounter(QueueError):
    code = "queue.unknown_counter"


class IllegalTransition(QueueError):
    code = "queue.illegal_transition"


class CounterBusy(QueueError):
    code = "queue.counter_busy"


class NotThisCounter(QueueError):
    """A counter acts only on tickets of the services the configuration gives it, or on its own call."""

    code = "queue.not_this_counter"


class TooLate(QueueError):
    """A no-show put back after ``late_arrival_within_min``, or an undo after ``undo_seconds``."""

    code = "queue.too_late"


class UnknownStaff(QueueError):
    code = "queue.unknown_staff"


class NothingToUndo(QueueError):
    code = "queue.nothing_to_undo"


class InvalidChoice(QueueError):
    """A counter state, break reason or priority need that is not one of the fixed codes."""

    code = "queue.invalid_choice"


class VisitRefused(QueueError):
    """A route change or a route the hall cannot take (``code``: ``visit.*``, e.g. ``visit.step_twice``)."""

    code = "visit.route_invalid"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


#: the needs a clerk may mark a waiting ticket with (called before the others; words: ``staff.priority.<need>``)
PRIORITY_NEEDS = ("wheelchair", "pregnancy", "infant", "health", "other")


@dataclass(frozen=True)
class Issued:
    ticket: TicketRow
    duplicate: bool  # the same request was already served: this is that ticket, not a new one


EventListener = Callable[[], None]  # told after each commit that wrote queue events
Estimator = Callable[[str], tuple[float, float, float] | None]


class QueueEngine:
    def __init__(
        self,
        store: Store,
        config: HallConfig,
        *,
        clock: Clock | None = None,
        on_events: EventListener | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.clock = clock or system_clock(config.hall.timezone)
        #: told after each commit that wrote queue events (the event hub)
        self.on_events = on_events
        self._rolled_day: str | None = None  # the hall day this process has seen rolled (saves a query per call)
        self._behind_warned: str | None = None

    # ------------------------------------------------------------------ helpers
    def now(self) -> float:
        return self.clock().timestamp()

    def today(self) -> str:
        return self._day_and_time()[0]

    def _day_and_time(self) -> tuple[str, float]:
        """The hall day and the time, from one reading of the clock: they agree even at the day's reset.

        The hall day never goes back: a clock stepped back over the reset (an NTP correction, a hand set clock)
        stays on the day already rolled to, whose tickets are the ones being served."""
        moment = self.clock()
        day = hall_day(moment, self.config.hall.day_reset)
        if self._rolled_day is None:
            self._rolled_day = self.store.get_meta("hall_day")
        if self._rolled_day is not None and self._rolled_day > day:
            if self._behind_warned != day:
                self._behind_warned = day
                log.warning(
                    "the clock reads hall day %s, before the day already rolled to: the hall day stays %s",
                    day,
                    self._rolled_day,
                )
            day = self._rolled_day
        return day, moment.timestamp()

    def notify_events(self) -> None:
        """Tell the listener once the events written in this transaction are durable (a listener must never
        announce an event that a failed commit took back)."""
        if self.on_events is not None:
            self.store.after_commit(self.on_events)

    def _event(self, at: float, type_: str, ticket: TicketRow | None, counter: int | None, **data: Any) -> None:
        payload = dict(data)
        if ticket is not None:
            payload.setdefault("number", ticket.number)
            payload.setdefault("service_id", ticket.service_id)
            payload.setdefault("language", ticket.language)
            if type_ in ("ticket.called", "ticket.recalled"):
                where = visit_route.place(self.store.visit_steps(ticket.id))
                if where is not None:
                    payload["step"], payload["steps"] = where
        self.store.append_event(at, type_, ticket.id if ticket else None, counter, payload)

    def _get(self, ticket_id: int) -> TicketRow:
        t = self.store.ticket(ticket_id)
        if t is None:
            raise UnknownTicket(f"ticket {ticket_id} does not exist")
        return t

    def _counter_services(self, counter: int) -> tuple[str, ...]:
        try:
            return self.config.counter(counter).services
        except KeyError:
            raise UnknownCounter(f"counter {counter} is not configured") from None

    def reload_config(self, config: HallConfig) -> None:
        self.config = config

    # ------------------------------------------------------------------ day roll
    def roll_day_if_needed(self) -> int:
        """Close the previous days' open tickets and purge their form data once the day has changed.

        Returns the number of form records purged (0 when nothing changed).
        """
        return self._roll_day_to(*self._day_and_time())

    def _roll_day_to(self, today: str, at: float) -> int:
        if self._rolled_day is not None and today <= self._rolled_day:
            return 0
        with self.store.write():
            rolled = self.store.get_meta("hall_day")
            if rolled is not None and today <= rolled:  # rolled by another connection meanwhile
                self._rolled_day = rolled
                return 0
            expired = self.store.expire_before(today, at)
            purged = self.store.purge_forms(before_day=today)
            # a new day: every staff member logs in again (a session never outlives its day), and what clerks
            # wrote about residents (a transfer's reason) leaves the log
            self.store.end_staff_sessions(at)
            self.store.forget_clerks_notes()
            self.store.conn.execute(
                "INSERT INTO meta VALUES ('hall_day', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (today,),
            )
            self.store.append_event(
                at, "day.rolled", None, None, {"day": today, "expired": len(expired), "purged": purged}
            )
        # remembered once durable: a roll undone with its batch (a failed commit) must be done again
        self.store.after_commit(lambda: setattr(self, "_rolled_day", today))
        # the purge written down beside the database: a restore of an older backup applies it again
        self.store.after_commit(lambda: record_purge(self.store.path, PurgeRecord(at, "before_day", today)))
        log.info("hall day rolled to %s: %d tickets expired, %d form records purged", today, len(expired), purged)
        self.notify_events()
        return purged

    # ------------------------------------------------------------------ issuing
    def issue(
        self,
        service_id: str,
        *,
        language: str = "ja",
        source: str = "touch",
        priority_need: str | None = None,
        device: str | None = None,
        request_id: str | None = None,
        reservation_id: int | None = None,
        has_form: bool = False,
        estimate: tuple[float, float, float] | None = None,
        estimate_model: float | None = None,
        before_commit: Callable[[TicketRow], None] | None = None,
        admit: Callable[[], None] | None = None,
        route: tuple[str, ...] | None = None,
        life_event: str | None = None,
    ) -> Issued:
        """``admit`` may refuse a new ticket (raise); a repeated request gets its ticket without being asked.
        ``route``: one ticket through these procedures in order (``service_id`` first), a visit."""
        try:
            service = self.config.service(service_id)
        except KeyError:
            raise UnknownService("no such service is configured") from None
        if route is not None and (len(route) < 2 or route[0] != service_id):
            raise VisitRefused("visit.route_invalid", "a route starts with the ticket's procedure and has another")
        day, at = self._day_and_time()
        self._roll_day_to(day, at)
        with self.store.write():
            if device is not None and request_id is not None:
                existing = self.store.ticket_by_request(device, request_id)
                if existing is not None:
                    return Issued(existing, duplicate=True)
            if admit is not None:
                admit()
            # Another process may have rolled the day while this one's clock still reads the old one (a rehearsal
            # clock re-reads its offset file every few hundred ms): a ticket must never open on a closed day.
            rolled = self.store.get_meta("hall_day")
            if rolled is not None and rolled > day:
                day = rolled
            seq = self.store.next_sequence(day, service.id)
            number = f"{service.prefix}-{seq:03d}"
            values: dict[str, Any] = {
                "day": day,
                "service_id": service.id,
                "origin_service_id": service.id,
                "seq": seq,
                "number": number,
                "state": "waiting",
                "language": language,
                "source": source,
                "priority_need": priority_need,
                "reservation_id": reservation_id,
                "issued_at": at,
                "order_at": at,
                "token": ticket_token(at),
                "device": device,
                "request_id": request_id,
                "has_form": int(has_form),
                "est_low": estimate[0] if estimate else None,
                "est_mid": estimate[1] if estimate else None,
                "est_high": estimate[2] if estimate else None,
                "est_model": estimate_model,
                "life_event": life_event if route is not None else None,
            }
            ticket_id = self.store.insert_ticket(values)
            if route is not None:
                self.store.put_visit_steps(ticket_id, visit_route.new_route(ticket_id, route, at))
            # the row as stored, without reading it back: the columns the insert leaves to their defaults
            ticket = TicketRow(
                id=ticket_id,
                called_at=None,
                counter=None,
                served_at=None,
                finished_at=None,
                recalls=0,
                transfers=0,
                staff_id=None,
                **values,
            )
            extra = {"steps": len(route)} if route is not None else {}
            self._event(at, "ticket.issued", ticket, None, source=source, priority=priority_need is not None, **extra)
            if before_commit is not None:
                before_commit(ticket)
        log.debug("ticket %s issued (id %d, %s)", number, ticket_id, source)
        self.notify_events()
        return Issued(ticket, duplicate=False)

    # ------------------------------------------------------------------ calling
    def _choose(self, counter: int, day: str, staff_id: str | None = None) -> TicketRow | None:
        services = self._counter_services(counter)
        sent_here = self.store.oldest_sent_here(day, counter, staff_id)
        if sent_here is not None:  # a transfer to this counter or this clerk: they were in service already
            return sent_here
        heads = self.store.oldest_waiting_per_service(day, services, counter=counter, staff_id=staff_id)
        candidates = [t for sid in services for t in heads.get(sid, [])]
        if not candidates:
            return None
        rank = {sid: i for i, sid in enumerate(services)}

        def policy_key(t: TicketRow) -> tuple[float, float, int]:
            if self.config.hall.call_policy == "counter_priority":
                return (rank[t.service_id], t.order_at, t.id)
            return (0, t.order_at, t.id)

        priority = [t for t in candidates if t.priority_need is not None]
        if priority:
            return min(priority, key=policy_key)
        reservations = [t for t in candidates if t.reservation_id is not None]
        walk_ins = [t for t in candidates if t.reservation_id is None]
        if reservations and walk_ins:
            res_calls, all_calls = self.store.reservation_call_share(day)
            # Due reservations go first while their share of today's calls stays under the configured share,
            # so walk-ins are never starved on a day full of reservations.
            if all_calls == 0 or res_calls / all_calls < self.config.hall.reservation_share:
                return min(reservations, key=policy_key)
            return min(walk_ins, key=policy_key)
        return min(reservations or walk_ins, key=policy_key)

    def call_next(self, counter: int, *, staff_id: str | None = None, device: str | None = None) -> TicketRow | None:
        """Call the next right ticket to ``counter``; None when nobody waits for its services."""
        self._counter_services(counter)
        self.roll_day_if_needed()
        day = self.today()
        with self.store.write():
            active = self.store.active_at_counter(counter)
            if active is not None:
                raise CounterBusy(f"counter {counter} still has ticket {active.number} ({active.state})")
            chosen = self._choose(counter, day, staff_id)
            if chosen is None:
                return None
            at = self.now()
            self._open_if_paused(counter, day, at, staff_id)
            ok = self.store.update_ticket(
                chosen.id,
                ("waiting",),
                {"state": "called", "called_at": at, "counter": counter, "staff_id": staff_id, "called_device": device},
            )
            if not ok:  # cannot happen inside BEGIN IMMEDIATE; kept as a guard against a future refactor
                raise IllegalTransition(f"ticket {chosen.number} was taken meanwhile")
            self.store.update_current_step(chosen.id, {"called_at": at, "counter": counter})
            ticket = self._get(chosen.id)
            self._event(at, "ticket.called", ticket, counter, recall=0, staff=staff_id)
        log.debug("ticket %s called to counter %d", ticket.number, counter)
        self.notify_events()
        return ticket

    def call_ticket(
        self, ticket_id: int, counter: int, *, staff_id: str | None = None, device: str | None = None
    ) -> TicketRow:
        """Call one particular waiting ticket of the counter's services (e.g. scanned at the counter)."""
        services = self._counter_services(counter)
        with self.store.write():
            if self._get(ticket_id).service_id not in services:
                raise NotThisCounter(f"counter {counter} does not serve this ticket's procedure")
            active = self.store.active_at_counter(counter)
            if active is not None:
                raise CounterBusy(f"counter {counter} still has ticket {active.number} ({active.state})")
            at = self.now()
            self._open_if_paused(counter, self.today(), at, staff_id)
            values = {"state": "called", "called_at": at, "counter": counter, "staff_id": staff_id}
            self._transition(ticket_id, ("waiting",), {**values, "called_device": device})
            self.store.update_current_step(ticket_id, {"called_at": at, "counter": counter})
            ticket = self._get(ticket_id)
            self._event(at, "ticket.called", ticket, counter, recall=0, staff=staff_id)
        self.notify_events()
        return ticket

    def _transition(self, ticket_id: int, expected: tuple[str, ...], values: dict[str, Any]) -> None:
        if not self.store.update_ticket(ticket_id, expected, values):
            current = self._get(ticket_id)
            raise IllegalTransition(f"ticket {current.number} is {current.state}; expected {' or '.join(expected)}")

    def _at_counter(self, ticket_id: int, counter: int | None) -> TicketRow:
        """The ticket, when ``counter`` may act on it: its own call, or a ticket of one of its services."""
        t = self._get(ticket_id)
        if counter is None:
            return t
        if t.state in ("called", "serving"):
            if t.counter != counter:
                raise NotThisCounter(f"ticket {t.number} belongs to counter {t.counter}, not {counter}")
        elif t.counter != counter and t.service_id not in self._counter_services(counter):
            raise NotThisCounter(f"counter {counter} does not serve this ticket's procedure")
        return t

    def recall(self, ticket_id: int, counter: int, *, staff_id: str | None = None) -> TicketRow:
        """Call the same ticket again; past the configured recalls it becomes a no-show."""
        with self.store.write():
            t = self._at_counter(ticket_id, counter)
            at = self.now()
            if t.state == "called" and t.recalls >= self.config.hall.no_show_after_recalls:
                ticket = self._close(
                    t, counter, ("called",), "no_show", "ticket.no_show", at, automatic=True, staff=staff_id
                )
            else:
                self._transition(ticket_id, ("called",), {"recalls": t.recalls + 1, "called_at": at})
                ticket = self._get(ticket_id)
                self._event(at, "ticket.recalled", ticket, counter, recall=ticket.recalls, staff=staff_id)
        self.notify_events()
        return ticket

    def start(self, ticket_id: int, counter: int, *, staff_id: str | None = None) -> TicketRow:
        return self._simple(ticket_id, counter, ("called",), "serving", "served_at", "ticket.serving", staff=staff_id)

    def done(self, ticket_id: int, counter: int, *, staff_id: str | None = None) -> TicketRow:
        expected = ("serving", "called")
        return self._simple(ticket_id, counter, expected, "done", "finished_at", "ticket.done", staff=staff_id)

    def no_show(self, ticket_id: int, counter: int, *, staff_id: str | None = None) -> TicketRow:
        return self._simple(ticket_id, counter, ("called",), "no_show", "finished_at", "ticket.no_show", staff=staff_id)

    def cancel(self, ticket_id: int, counter: int | None = None, **data: Any) -> TicketRow:
        """``data`` goes into the event (``by="kiosk"`` when a kiosk takes back a ticket it could not hand out)."""
        return self._simple(ticket_id, counter, OPEN_STATES, "cancelled", "finished_at", "ticket.cancelled", **data)

    def undo(self, ticket_id: int, counter: int, *, staff_id: str | None = None) -> TicketRow:
        """Take back this counter's no-show or cancel of the last ``undo_seconds``: the ticket is as it was before
        (called or being served here, or waiting in its place)."""
        with self.store.write():
            t = self._at_counter(ticket_id, counter)
            last = self.store.last_ticket_event(ticket_id)
            if (
                t.state not in ("no_show", "cancelled")
                or last is None
                or last.type
                not in (
                    "ticket.no_show",
                    "ticket.cancelled",
                )
            ):
                raise NothingToUndo(f"ticket {t.number} has no no-show or cancel to undo")
            if last.counter != counter:
                raise NotThisCounter(f"ticket {t.number} was closed at another counter")
            at = self.now()
            if at - last.at > self.config.hall.undo_seconds:
                raise TooLate(f"the {self.config.hall.undo_seconds} seconds to undo have passed")
            if t.served_at is not None:
                before = "serving"
            elif t.called_at is not None and t.counter is not None:
                before = "called"
            else:
                before = "waiting"
            if before != "waiting":
                active = self.store.active_at_counter(counter)
                if active is not None and active.id != ticket_id:
                    raise CounterBusy(f"counter {counter} already has ticket {active.number} ({active.state})")
            self._transition(ticket_id, (t.state,), {"state": before, "finished_at": None})
            ticket = self._get(ticket_id)
            self._event(at, "ticket.restored", ticket, counter, state=before, undone=last.type, staff=staff_id)
        self.notify_events()
        return ticket

    def set_priority(self, ticket_id: int, counter: int, need: str | None, *, staff_id: str | None = None) -> TicketRow:
        """Mark a waiting ticket with a priority need (called before the others) or take the mark away."""
        if need is not None and need not in PRIORITY_NEEDS:
            raise InvalidChoice("unknown priority need")
        with self.store.write():
            t = self._at_counter(ticket_id, counter)
            at = self.now()
            self._transition(ticket_id, ("waiting", "called", "serving"), {"priority_need": need})
            ticket = self._get(ticket_id)
            self._event(at, "ticket.priority", ticket, counter, priority=need is not None, need=need, staff=staff_id)
        log.debug("ticket %s priority %s", t.number, need or "removed")
        self.notify_events()
        return ticket

    # ------------------------------------------------------------------ counter states
    def set_counter_state(
        self, counter: int, state: str, reason: str | None = None, *, staff_id: str | None = None
    ) -> None:
        """Open, on a break (with a reason) or closed, as the counter's staff say. A counter holding a ticket
        finishes it first (it is neither paused nor closed with a resident at it)."""
        self._counter_services(counter)
        if state not in STATES or (state == "break" and reason not in BREAK_REASONS):
            raise InvalidChoice("unknown counter state or break reason")
        with self.store.write():
            if state != "open":
                active = self.store.active_at_counter(counter)
                if active is not None:
                    raise CounterBusy(f"counter {counter} still has ticket {active.number} ({active.state})")
            why = reason if state == "break" else None
            self.record_counter_state(counter, self.today(), self.now(), state, why, staff_id)
        self.notify_events()

    def record_counter_state(
        self, counter: int, day: str, at: float, state: str, reason: str | None, staff_id: str | None
    ) -> None:
        self.store.set_counter_state(counter, day, state, reason, at, staff_id)
        data = {"state": state, "reason": reason, "staff": staff_id}
        self.store.append_event(at, "counter.state", None, counter, data)
        log.info("counter %d %s%s", counter, state, f" ({reason})" if reason else "")

    def _open_if_paused(self, counter: int, day: str, at: float, staff_id: str | None) -> None:
        """A counter that calls someone is open (a clerk back from a break just presses Call next)."""
        row = self.store.counter_states().get(counter)
        if row is not None and row.day == day and row.state != "open":
            self.record_counter_state(counter, day, at, "open", None, staff_id)

    def _simple(
        self,
        ticket_id: int,
        counter: int | None,
        expected: tuple[str, ...],
        state: str,
        time_col: str,
        event: str,
        **data: Any,
    ) -> TicketRow:
        if data.get("staff", "") is None:
            del data["staff"]
        with self.store.write():
            t = self._at_counter(ticket_id, counter)
            at = self.now()
            if time_col == "finished_at":
                ticket = self._close(t, counter, expected, state, event, at, **data)
            else:
                self._transition(ticket_id, expected, {"state": state, time_col: at})
                ticket = self._get(ticket_id)
                self._event(at, event, ticket, counter if counter is not None else ticket.counter, **data)
        log.debug("ticket %s → %s", ticket.number, state)
        self.notify_events()
        return ticket

    def _close(
        self,
        t: TicketRow,
        counter: int | None,
        expected: tuple[str, ...],
        state: str,
        event: str,
        at: float,
        **data: Any,
    ) -> TicketRow:
        """End the ticket's part at its counter (done, no-show, cancelled). A visit with steps to come goes on to
        the next one instead when the step is done, or per ``[visits]`` after a no-show or a counter's cancel;
        otherwise the ticket ends, and a step left ``current`` (a no-show, a cancel) resumes if it is put back."""
        where = counter if counter is not None else t.counter
        steps = self.store.visit_steps(t.id)
        rules = self.config.visits
        moves_on = (
            bool(steps)
            and visit_route.next_pending(steps) is not None
            and (
                state == "done"
                or (state == "no_show" and rules.after_no_show == "next")
                or (state == "cancelled" and rules.after_cancel == "next" and counter is not None and "by" not in data)
            )
        )
        if not moves_on:
            self._transition(t.id, expected, {"state": state, "finished_at": at})
            if steps and state == "done":
                self.store.put_visit_steps(t.id, visit_route.advance(steps, "done", at, where))
            ticket = self._get(t.id)
            self._event(at, event, ticket, where, **data)
            return ticket
        closed_as = {"done": "done", "no_show": "skipped", "cancelled": "dropped"}[state]
        route = visit_route.advance(steps, closed_as, at, where)
        here = visit_route.current_index(route)
        assert here is not None  # moves_on: there was a next step
        nxt = route[here].service_id
        self._transition(
            t.id,
            expected,
            {
                "state": "waiting",
                "service_id": nxt,
                "counter": None,
                "called_at": None,
                "served_at": None,
                "finished_at": None,
                "recalls": 0,
                "staff_id": None,
                "called_device": None,
                "target_counter": None,
                "target_staff": None,
                # fair: the resident has waited once already (or behind everyone, as the hall decides)
                "order_at": t.issued_at if rules.next_step_place == "issue_time" else at,
            },
        )
        self.store.put_visit_steps(t.id, route)
        place = visit_route.place(route)
        step, count = place if place is not None else (0, 0)
        self._event(at, event, t, where, step=step - 1, steps=count, next_service=nxt, **data)
        ticket = self._get(t.id)
        self._event(at, "ticket.next_step", ticket, where, step=step, steps=count, from_service=t.service_id)
        log.debug("ticket %s on to step %d of %d (%s)", t.number, step, count, nxt)
        return ticket

    def return_to_queue(self, ticket_id: int, counter: int | None = None, *, staff_id: str | None = None) -> TicketRow:
        """Back to waiting: a called resident who stepped away keeps their place; a no-show who arrives late is
        put back within ``late_arrival_within_min``, at their place or behind everyone (``late_arrival_place``)."""
        h = self.config.hall
        with self.store.write():
            t = self._at_counter(ticket_id, counter)
            at = self.now()
            values: dict[str, Any] = {
                "state": "waiting",
                "counter": None,
                "called_at": None,
                "served_at": None,
                "recalls": 0,
                "finished_at": None,
            }
            late = t.state == "no_show"
            if late:
                if t.finished_at is None or at - t.finished_at > h.late_arrival_within_min * 60:
                    raise TooLate(f"ticket {t.number} was a no-show more than {h.late_arrival_within_min} min ago")
                if h.late_arrival_place == "end":
                    values["order_at"] = at
            self._transition(ticket_id, ("called", "no_show"), values)
            self.store.update_current_step(ticket_id, {"called_at": None, "counter": None})
            ticket = self._get(ticket_id)
            self._event(at, "ticket.returned", ticket, counter, late=late, staff=staff_id)
        self.notify_events()
        return ticket

    def transfer(
        self,
        ticket_id: int,
        counter: int,
        to_service: str | None = None,
        reason: str = "",
        *,
        to_counter: int | None = None,
        to_staff: str | None = None,
        staff_id: str | None = None,
    ) -> TicketRow:
        """Re-queue with the same number and the original order time (fairness): at another service, or for one
        counter (at one of its services) or one clerk (wherever they log in)."""
        if to_counter is not None:
            target_services = self._counter_services(to_counter)
        if to_staff is not None and self.store.staff(to_staff) is None:
            raise UnknownStaff("no such staff member")
        with self.store.write():
            t = self._at_counter(ticket_id, counter)
            service = to_service or t.service_id
            if to_counter is not None and service not in target_services:
                if to_service is not None:
                    raise NotThisCounter(f"counter {to_counter} does not serve {to_service}")
                service = target_services[0]
            try:
                self.config.service(service)
            except KeyError:
                raise UnknownService("no such service is configured") from None
            if service == t.service_id and to_counter is None and to_staff is None:
                raise IllegalTransition(f"ticket {t.number} is already at service {service}")
            at = self.now()
            self._transition(
                ticket_id,
                ("called", "serving"),
                {
                    "state": "waiting",
                    "service_id": service,
                    "counter": None,
                    "called_at": None,
                    "served_at": None,
                    "recalls": 0,
                    "transfers": t.transfers + 1,
                    "target_counter": to_counter,
                    "target_staff": to_staff,
                },
            )
            # a visit's step now is the procedure it was sent to
            self.store.update_current_step(ticket_id, {"service_id": service, "called_at": None, "counter": None})
            ticket = self._get(ticket_id)
            self._event(
                at,
                "ticket.transferred",
                ticket,
                counter,
                from_service=t.service_id,
                reason=reason,
                to_counter=to_counter,
                to_staff=to_staff,
                staff=staff_id,
            )
        log.debug("ticket %s transferred %s → %s", ticket.number, t.service_id, service)
        self.notify_events()
        return ticket

    # ------------------------------------------------------------------ a visit's route
    def add_step(
        self, ticket_id: int, counter: int, service_id: str, position: int | None = None, *, staff_id: str | None = None
    ) -> TicketRow:
        """A clerk adds a procedure among those still to come (a ticket of one procedure becomes a visit)."""
        try:
            self.config.service(service_id)
        except KeyError:
            raise UnknownService("no such service is configured") from None

        def change(t: TicketRow, steps: list[StepRow], _at: float) -> list[StepRow]:
            # a ticket of one procedure: its route so far is its procedure now
            steps = steps or [StepRow(t.id, 0, t.service_id, "current", t.order_at, t.called_at, None, t.counter)]
            return visit_route.with_step_added(steps, t.id, service_id, position, self.config.visits.max_steps)

        return self._change_route(ticket_id, counter, change, staff_id, added=service_id)

    def remove_step(self, ticket_id: int, counter: int, service_id: str, *, staff_id: str | None = None) -> TicketRow:
        """A clerk takes a procedure still to come off a visit's route."""

        def change(_t: TicketRow, steps: list[StepRow], at: float) -> list[StepRow]:
            return visit_route.with_step_removed(steps, service_id, at)

        return self._change_route(ticket_id, counter, change, staff_id, removed=service_id)

    def _change_route(
        self,
        ticket_id: int,
        counter: int,
        change: Callable[[TicketRow, list[StepRow], float], list[StepRow]],
        staff_id: str | None,
        **what: str,
    ) -> TicketRow:
        with self.store.write():
            t = self._at_counter(ticket_id, counter)
            if t.state not in OPEN_STATES:
                raise IllegalTransition(f"ticket {t.number} is {t.state}")
            at = self.now()
            try:
                route = change(t, self.store.visit_steps(ticket_id), at)
            except visit_route.RouteChangeRefused as exc:
                raise VisitRefused(exc.code, str(exc)) from None
            self.store.put_visit_steps(ticket_id, route)
            ticket = self._get(ticket_id)
            self._event(at, "ticket.route_changed", ticket, counter, staff=staff_id, **what)
        self.notify_events()
        return ticket

    # ------------------------------------------------------------------ queries
    def ticket(self, ticket_id: int) -> TicketRow:
        return self._get(ticket_id)

    def position(self, ticket_id: int) -> int:
        t = self._get(ticket_id)
        return self.store.position(t) if t.state == "waiting" else 0

    def waiting_per_service(self) -> dict[str, tuple[int, float | None]]:
        counts = self.store.waiting_counts(self.today())
        return {sid: counts.get(sid, (0, None)) for sid in self.config.service_ids()}

    def now_serving(self) -> dict[int, TicketRow]:
        return self.store.now_serving(self.today())
