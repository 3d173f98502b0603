"""Scripted counter staff: one thread per staff session (call, start, done, recall, no-show, transfer, breaks).

Each action survives a server that is down: it is retried; when the server already applied it before dying
(the answer was lost), the retry is refused with ``Conflict`` and the staff member looks at the ticket or the
counter to see what happened, as a person at the console would. The staff's own view of "which ticket is at my
counter from when to when" is kept for the invariant that no ticket is held by two counters at once.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from madoguchi.apps.soak.plan import SimClock, service_minutes
from madoguchi.client.hall_client import ClientError, Conflict, HallClient, ServerUnreachable, SessionExpired
from madoguchi.core import api_models as m

log = logging.getLogger(__name__)

T = TypeVar("T")

ABSENT_SHARE = 0.06  # the resident is not there when called
COMES_AFTER_RECALL = 0.5  # of the absent ones, come after the first recall
TRANSFER_SHARE = 0.04
INTERRUPTION_SHARE = 0.01  # per finished ticket: a phone call or a colleague's question
RETRY_WINDOW_S = 120.0


class TicketExpired(Exception):
    """The day rolled while the ticket was at the counter: the server closed it, the staff moves on."""


@dataclass
class Holding:
    ticket_id: int
    counter: int
    start: float
    end: float | None = None
    outcome: str = ""


@dataclass
class StaffRecord:
    counter: int
    holdings: list[Holding] = field(default_factory=list)
    actions: int = 0
    retries: int = 0
    breaks: int = 0
    expired: int = 0  # tickets the day roll closed while they were at this counter
    logins: int = 0  # logins again after a session ended (the day roll ends every session)
    errors: list[str] = field(default_factory=list)


class ScriptedStaff(threading.Thread):
    def __init__(
        self,
        client: HallClient,
        counter: int,
        services: dict[str, float],
        breaks: list[tuple[float, float]],
        clock: SimClock,
        seed: int,
        login: Callable[[], object],
    ) -> None:
        """``login``: log in again, as the clerk does at the console's login screen when a session has ended."""
        super().__init__(name=f"staff-{counter}", daemon=True)
        self.client = client
        self.login = login
        self.counter = counter
        self.mean_min = services  # service id → mean service minutes (all the hall's services, for transfers)
        self.breaks = breaks
        self.clock = clock
        self.rng = random.Random(seed)
        self.record = StaffRecord(counter)
        self.stop_event = threading.Event()
        self.draining = threading.Event()

    # ------------------------------------------------------------------ helpers
    def _sleep_sim(self, sim_minutes: float) -> bool:
        """Wait ``sim_minutes`` of the day; True when asked to stop meanwhile."""
        return self.stop_event.wait(self.clock.wall_seconds(sim_minutes))

    def _retry(self, action: Callable[[], T]) -> T:
        deadline = time.monotonic() + RETRY_WINDOW_S
        while True:
            try:
                self.record.actions += 1
                return action()
            except ServerUnreachable:
                self.record.retries += 1
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def _on_break(self) -> bool:
        if self.draining.is_set():
            return False
        now = self.clock.sim_min()
        return any(start <= now < end for start, end in self.breaks)

    def _act(self, ticket: m.TicketView, name: str, applied: tuple[str, ...]) -> m.TicketView:
        """start/done/recall/no_show with lost-answer handling: Conflict + the ticket already there = applied."""
        fn = getattr(self.client, name)
        try:
            return self._retry(lambda: fn(ticket.id, self.counter))
        except Conflict:
            now = self._retry(lambda: self.client.ticket(ticket.id))
            if now.state in applied:
                return now
            if now.state == "expired":
                raise TicketExpired from None
            raise

    # ------------------------------------------------------------------ one ticket
    def _call(self) -> m.TicketView | None:
        try:
            return self._retry(lambda: self.client.call_next(self.counter))
        except Conflict:
            # the call went through before the server died; the counter already has it
            queue = self._retry(lambda: self.client.counter_queue(self.counter))
            return queue.current

    def _serve(self, ticket: m.TicketView) -> None:
        hold = Holding(ticket.id, self.counter, time.time())
        self.record.holdings.append(hold)
        try:
            hold.outcome = self._handle(ticket)
        except TicketExpired:
            hold.outcome = "expired"
            self.record.expired += 1
        finally:
            hold.end = time.time()

    def _handle(self, ticket: m.TicketView) -> str:
        if ticket.state == "serving":  # resumed after a lost answer
            return self._finish(ticket)
        if self.rng.random() < ABSENT_SHARE:
            comes = self.rng.random() < COMES_AFTER_RECALL
            for _ in range(2):
                self._sleep_sim(1.0)
                ticket = self._act(ticket, "recall", ("called", "no_show"))
                if ticket.state == "no_show":
                    return "no_show"
                if comes:
                    break
            if not comes:
                self._sleep_sim(1.0)
                self._act(ticket, "no_show", ("no_show",))
                return "no_show"
        self._sleep_sim(0.5)  # walking to the counter
        ticket = self._act(ticket, "start", ("serving",))
        return self._finish(ticket)

    def _finish(self, ticket: m.TicketView) -> str:
        self._sleep_sim(service_minutes(self.rng, self.mean_min.get(ticket.service_id, 8.0)))
        if self.rng.random() < TRANSFER_SHARE and not self.draining.is_set():
            others = [s for s in self.mean_min if s != ticket.service_id]
            target = self.rng.choice(others)
            try:
                self._retry(lambda: self.client.transfer(ticket.id, self.counter, target, "soak"))
            except Conflict:
                now = self._retry(lambda: self.client.ticket(ticket.id))
                if now.state == "expired":
                    raise TicketExpired from None
                if now.state != "waiting":
                    raise
            return "transferred"
        self._act(ticket, "done", ("done",))
        return "done"

    # ------------------------------------------------------------------ loop
    def run(self) -> None:
        while not self.stop_event.is_set():
            try:
                if self._on_break():
                    self.record.breaks += 1
                    while self._on_break() and not self.stop_event.is_set():
                        self._sleep_sim(1.0)
                    continue
                ticket = self._call()
                if ticket is None:
                    if self.draining.is_set() and self.stop_event.wait(0.05):
                        break
                    self._sleep_sim(0.5)
                    continue
                self._serve(ticket)
                if self.rng.random() < INTERRUPTION_SHARE:
                    self._sleep_sim(self.rng.uniform(2, 8))
            except SessionExpired:
                # the day rolled (or the session sat idle): the clerk logs in again and looks at the counter afresh
                self.record.logins += 1
                try:
                    self._retry(self.login)
                except ClientError as exc:
                    self.record.errors.append(f"login:{type(exc).__name__}:{exc.code or exc.status}")
                    time.sleep(0.2)
            except ClientError as exc:
                # recorded for the report; the next loop looks at the counter afresh
                self.record.errors.append(f"{type(exc).__name__}:{exc.code or exc.status}")
                log.warning("staff at counter %d: %s", self.counter, type(exc).__name__)
                time.sleep(0.2)
