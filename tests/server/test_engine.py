from __future__ import annotations

import datetime as dt
import threading

import pytest

from madoguchi.core.config import HallConfig
from madoguchi.server.engine import (
    CounterBusy,
    IllegalTransition,
    NotThisCounter,
    QueueEngine,
    UnknownService,
    UnknownTicket,
    ticket_token,
)
from madoguchi.server.store import Store


def test_numbers_per_service_prefix_and_sequence(engine: QueueEngine) -> None:
    a1 = engine.issue("juminhyo").ticket
    a2 = engine.issue("juminhyo").ticket
    d1 = engine.issue("tennyu").ticket
    assert (a1.number, a2.number, d1.number) == ("A-001", "A-002", "D-001")


def test_sequence_overflow_continues_past_999(engine: QueueEngine, store: Store) -> None:
    with store.write() as conn:
        conn.execute("INSERT INTO sequences VALUES (?, 'juminhyo', 998)", (engine.today(),))
    assert engine.issue("juminhyo").ticket.number == "A-999"
    assert engine.issue("juminhyo").ticket.number == "A-1000"


def test_day_rolls_at_the_reset_time_not_midnight(engine: QueueEngine, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = clock.now.replace(hour=16)
    first = engine.issue("juminhyo").ticket
    clock.now = (clock.now + dt.timedelta(days=1)).replace(hour=1)  # 01:00 next day: still the same hall day
    assert engine.issue("juminhyo").ticket.number == "A-002"
    clock.now = clock.now.replace(hour=3, minute=0)  # reset 03:00
    fresh = engine.issue("juminhyo").ticket
    assert fresh.number == "A-001" and fresh.day != first.day
    assert engine.ticket(first.id).state == "expired"  # the old day's waiting ticket was closed


def test_a_process_whose_clock_lags_never_opens_a_ticket_on_a_closed_day(
    engine: QueueEngine, store: Store, hall_config: HallConfig, clock
) -> None:  # type: ignore[no-untyped-def]
    lagging = QueueEngine(store, hall_config, clock=lambda: clock.now - dt.timedelta(days=1))
    lagging.issue("juminhyo")  # its own (yesterday's) day is rolled and cached
    fresh = engine.issue("juminhyo").ticket  # another process's clock has moved on: it rolls the day
    late = lagging.issue("juminhyo").ticket
    assert late.day == fresh.day and late.number == "A-002"
    assert not [t for t in store.tickets_of_day(lagging.today()) if t.state in ("waiting", "called", "serving")]


def test_phone_tokens_are_unguessable_and_grow_in_issue_order(engine: QueueEngine, store: Store, clock) -> None:  # type: ignore[no-untyped-def]
    tickets = []
    for service in ("juminhyo", "tennyu", "juminhyo"):
        tickets.append(engine.issue(service).ticket)
        clock.now += dt.timedelta(milliseconds=5)
    tokens = [t.token for t in tickets]
    assert len(set(tokens)) == 3 and all(len(t) == 33 for t in tokens)
    # sorted like the ids (new tokens land at the end of their index), but 128 random bits after the time prefix
    assert tokens == sorted(tokens)
    assert len({t[11:] for t in tokens}) == 3 and all(len(t[11:]) == 22 for t in tokens)
    assert ticket_token(100.0) < ticket_token(100.001) and ticket_token(100.0)[:11] == ticket_token(100.0)[:11]
    assert store.ticket_by_token(tokens[1]) == engine.ticket(tickets[1].id)


def test_unknown_service_and_ticket(engine: QueueEngine) -> None:
    with pytest.raises(UnknownService):
        engine.issue("nope")
    with pytest.raises(UnknownTicket):
        engine.start(999, 1)


def test_full_life_cycle_and_events(engine: QueueEngine, store: Store) -> None:
    t = engine.issue("juminhyo", language="en").ticket
    called = engine.call_next(1)
    assert called is not None and called.id == t.id and called.state == "called" and called.counter == 1
    assert engine.start(t.id, 1).state == "serving"
    assert engine.done(t.id, 1).state == "done"
    types = [e.type for e in store.events_since(0)]
    assert types[-4:] == ["ticket.issued", "ticket.called", "ticket.serving", "ticket.done"]
    assert all(e.data.get("number") == "A-001" for e in store.events_since(0) if e.ticket_id == t.id)


def test_illegal_transitions_change_nothing(engine: QueueEngine, store: Store) -> None:
    t = engine.issue("juminhyo").ticket
    before = store.last_event_id()
    for action in (engine.start, engine.done, engine.no_show, engine.recall):
        with pytest.raises(IllegalTransition):
            action(t.id, 1)
    assert engine.ticket(t.id).state == "waiting"
    assert store.last_event_id() == before


def test_only_the_counter_serving_it_may_act(engine: QueueEngine) -> None:
    engine.issue("juminhyo")
    t = engine.call_next(1)
    assert t is not None
    with pytest.raises(NotThisCounter, match="belongs to counter 1"):
        engine.start(t.id, 2)


def test_a_counter_calls_and_cancels_only_its_own_services(engine: QueueEngine, hall_config) -> None:  # type: ignore[no-untyped-def]
    """Counters whose services differ: one may not call, cancel or take back another's ticket."""
    served = {c.number: set(c.services) for c in hall_config.counters}
    counter, other = next((a, b) for a in served for b in served if a != b and served[b] - served[a])
    foreign = engine.issue(sorted(served[other] - served[counter])[0]).ticket
    for act in (
        lambda: engine.call_ticket(foreign.id, counter),
        lambda: engine.cancel(foreign.id, counter),
        lambda: engine.return_to_queue(foreign.id, counter),
    ):
        with pytest.raises(NotThisCounter):
            act()
    assert engine.ticket(foreign.id).state == "waiting"
    called = engine.call_ticket(foreign.id, other, staff_id="clerk-7")
    assert (called.counter, called.staff_id) == (other, "clerk-7")  # the call records the clerk


def test_counter_must_finish_before_calling_again(engine: QueueEngine) -> None:
    engine.issue("juminhyo")
    engine.issue("juminhyo")
    assert engine.call_next(1) is not None
    with pytest.raises(CounterBusy):
        engine.call_next(1)


def test_recalls_are_counted_then_no_show(engine: QueueEngine, hall_config: HallConfig) -> None:
    engine.issue("juminhyo")
    t = engine.call_next(1)
    assert t is not None
    for n in range(1, hall_config.hall.no_show_after_recalls + 1):
        assert engine.recall(t.id, 1).recalls == n
    assert engine.recall(t.id, 1).state == "no_show"
    assert engine.return_to_queue(t.id).state == "waiting"


def test_call_next_serves_only_the_counters_services(engine: QueueEngine) -> None:
    engine.issue("mynumber")
    assert engine.call_next(1) is None  # counter 1 does not do My Number cards
    called = engine.call_next(7)
    assert called is not None and called.service_id == "mynumber"


def test_priority_needs_first_then_oldest(engine: QueueEngine, clock) -> None:  # type: ignore[no-untyped-def]
    first = engine.issue("juminhyo").ticket
    clock.advance(minutes=1)
    engine.issue("inkan")
    clock.advance(minutes=1)
    wheelchair = engine.issue("koseki", priority_need="wheelchair").ticket
    order = []
    for _ in range(3):
        t = engine.call_next(1)
        assert t is not None
        order.append(t.id)
        engine.done(t.id, 1)
    assert order[0] == wheelchair.id and order[1] == first.id


def test_counter_priority_policy(store: Store, hall_config: HallConfig, clock) -> None:  # type: ignore[no-untyped-def]
    cfg = hall_config.model_copy(
        update={"hall": hall_config.hall.model_copy(update={"call_policy": "counter_priority"})}
    )
    eng = QueueEngine(store, cfg, clock=clock)
    old_koseki = eng.issue("koseki").ticket
    clock.advance(minutes=5)
    eng.issue("juminhyo")
    t = eng.call_next(3)  # counter 3: koseki > juminhyo
    assert t is not None and t.id == old_koseki.id
    eng.done(t.id, 3)
    clock.advance(minutes=5)
    eng.issue("koseki")
    t = eng.call_next(3)
    assert t is not None and t.service_id == "koseki"  # newer, but the counter's first service


def test_transfer_keeps_number_and_original_order(engine: QueueEngine, clock) -> None:  # type: ignore[no-untyped-def]
    early = engine.issue("juminhyo").ticket
    clock.advance(minutes=10)
    engine.issue("tennyu")  # waits at the moving counters
    t = engine.call_next(1)
    assert t is not None and t.id == early.id
    moved = engine.transfer(early.id, 1, "tennyu", reason="needs 転入届")
    assert moved.state == "waiting" and moved.number == "A-001" and moved.service_id == "tennyu"
    nxt = engine.call_next(4)
    assert nxt is not None and nxt.id == early.id  # its original issue time puts it first


def test_reservations_first_but_walk_ins_not_starved(engine: QueueEngine, store: Store) -> None:
    for _ in range(6):
        engine.issue("juminhyo")
    for _ in range(6):
        engine.issue("juminhyo", source="reservation", reservation_id=1)
    kinds = []
    for _ in range(8):
        t = engine.call_next(1)
        assert t is not None
        kinds.append(t.reservation_id is not None)
        engine.done(t.id, 1)
    assert kinds[0] is True  # a due reservation goes first
    assert 3 <= kinds.count(True) <= 5  # but at most about half of the calls (reservation_share = 0.5)


def test_position_and_waiting_counts(engine: QueueEngine) -> None:
    tickets = [engine.issue("juminhyo").ticket for _ in range(4)]
    assert [engine.position(t.id) for t in tickets] == [0, 1, 2, 3]
    assert engine.waiting_per_service()["juminhyo"][0] == 4
    assert engine.waiting_per_service()["tennyu"][0] == 0


def test_idempotent_issue_by_request_id(engine: QueueEngine) -> None:
    a = engine.issue("juminhyo", device="kiosk-1", request_id="tap-0001")
    b = engine.issue("juminhyo", device="kiosk-1", request_id="tap-0001")
    assert b.duplicate and a.ticket.id == b.ticket.id
    assert engine.waiting_per_service()["juminhyo"][0] == 1


def test_threads_calling_at_once_never_share_a_ticket(store: Store, hall_config: HallConfig) -> None:
    eng = QueueEngine(store, hall_config)
    for _ in range(200):
        eng.issue("juminhyo")
    counters = [1, 2, 3, 6, 11]
    called: list[int] = []
    lock = threading.Lock()

    def work(counter: int) -> None:
        own = QueueEngine(Store(store.path), hall_config)  # one connection per thread, like separate processes
        while True:
            t = own.call_next(counter)
            if t is None:
                return
            with lock:
                called.append(t.id)
            own.done(t.id, counter)

    threads = [threading.Thread(target=work, args=(c,)) for c in counters]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(called) == 200 and len(set(called)) == 200
