"""Property-based tests of the ticket state machine and numbering (hypothesis)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from madoguchi.core.config import EXAMPLE_CONFIG, load_config
from madoguchi.server.engine import CounterBusy, IllegalTransition, NotThisCounter, QueueEngine
from madoguchi.server.store import Store

CONFIG = load_config(EXAMPLE_CONFIG)
SERVICES = [s.id for s in CONFIG.services]
COUNTERS = [c.number for c in CONFIG.counters]

ALLOWED = {
    "call": {"waiting"},
    "start": {"called"},
    "done": {"called", "serving"},
    "no_show": {"called"},
    "cancel": {"waiting", "called", "serving"},
    "recall": {"called"},
    "return_to_queue": {"called", "no_show"},
    "transfer": {"called", "serving"},
}


class QueueMachine(RuleBasedStateMachine):
    tickets = Bundle("tickets")

    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.TemporaryDirectory()
        self.now = dt.datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
        self.engine = QueueEngine(Store(Path(self.tmp.name) / "h.db"), CONFIG, clock=lambda: self.now)
        self.model: dict[int, str] = {}

    def teardown(self) -> None:
        self.engine.store.close()
        self.tmp.cleanup()

    @rule(target=tickets, service=st.sampled_from(SERVICES), priority=st.booleans())
    def issue(self, service: str, priority: bool) -> int:
        self.now += dt.timedelta(seconds=7)
        t = self.engine.issue(service, priority_need="wheelchair" if priority else None).ticket
        assert t == self.engine.ticket(t.id)  # the row issue() returns without reading it back is the stored one
        self.model[t.id] = "waiting"
        return t.id

    @rule()
    def next_day(self) -> None:
        self.now += dt.timedelta(days=1)
        self.engine.roll_day_if_needed()
        for tid, state in self.model.items():
            if state in ("waiting", "called", "serving"):
                self.model[tid] = "expired"

    @rule(counter=st.sampled_from(COUNTERS))
    def call_next(self, counter: int) -> None:
        busy = any(
            s in ("called", "serving") for tid, s in self.model.items() if self.engine.ticket(tid).counter == counter
        )
        try:
            t = self.engine.call_next(counter)
        except CounterBusy:
            assert busy
            return
        assert not busy
        if t is None:
            services = CONFIG.counter(counter).services
            assert not any(
                s == "waiting" and self.engine.ticket(i).service_id in services for i, s in self.model.items()
            )
            return
        assert self.model[t.id] == "waiting"
        assert t.service_id in CONFIG.counter(counter).services
        self.model[t.id] = "called"

    @rule(
        ticket=tickets,
        action=st.sampled_from(["start", "done", "no_show", "cancel", "recall", "return_to_queue", "transfer"]),
    )
    def act(self, ticket: int, action: str) -> None:
        before = self.model[ticket]
        counter = self.engine.ticket(ticket).counter or 1
        try:
            if action == "transfer":
                current = self.engine.ticket(ticket).service_id
                target = next(s for s in SERVICES if s != current)
                result = self.engine.transfer(ticket, counter, target)
            else:
                result = getattr(self.engine, action)(ticket, counter)
        except (IllegalTransition, NotThisCounter):  # refused (counter 1 does not serve every service)
            assert self.engine.ticket(ticket).state == before  # nothing half-applied
            return
        assert before in ALLOWED[action], f"{action} allowed from {before}"
        self.model[ticket] = result.state

    @invariant()
    def store_matches_model(self) -> None:
        for tid, state in self.model.items():
            assert self.engine.ticket(tid).state == state

    @invariant()
    def numbers_unique_and_dense(self) -> None:
        rows = self.engine.store.tickets_of_day(self.engine.today())
        numbers = [r.number for r in rows]
        assert len(numbers) == len(set(numbers))
        for sid in SERVICES:
            seqs = sorted(r.seq for r in rows if r.origin_service_id == sid)
            assert seqs == list(range(1, len(seqs) + 1))

    @invariant()
    def waiting_counts_match_the_tickets(self) -> None:
        # kept by triggers (store migration 3); every transition and the day roll must keep them exact
        rows = self.engine.store.conn.execute(
            "SELECT day, service_id, count(*) FROM tickets WHERE state = 'waiting' GROUP BY day, service_id"
        ).fetchall()
        real = {(d, s): n for d, s, n in rows}
        kept = dict(
            ((d, s), n) for d, s, n in self.engine.store.conn.execute("SELECT day, service_id, n FROM waiting_counts")
        )
        assert {k: n for k, n in kept.items() if n} == real
        for sid in SERVICES:
            assert self.engine.store.waiting_count(self.engine.today(), sid) == real.get((self.engine.today(), sid), 0)

    @invariant()
    def one_active_ticket_per_counter(self) -> None:
        active = [r.counter for r in self.engine.store.tickets_of_day(self.engine.today(), ["called", "serving"])]
        assert len(active) == len(set(active))


QueueMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=30, deadline=None)
TestQueueMachine = QueueMachine.TestCase
