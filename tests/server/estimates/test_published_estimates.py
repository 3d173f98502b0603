"""The estimate table one process publishes and the server workers read (several workers share a hall)."""

from __future__ import annotations

import json

from madoguchi.core.config import HallConfig
from madoguchi.core.hall_time import Clock
from madoguchi.server.engine import QueueEngine
from madoguchi.server.estimates.live import (
    PUBLISHED_META,
    PUBLISHED_STALE_S,
    EstimateTable,
    HallSnapshot,
    LiveEstimator,
    PublishedEstimates,
)
from madoguchi.server.store import Store


def _estimator(store: Store, config: HallConfig, clock: Clock) -> LiveEstimator:
    return LiveEstimator(config, store, clock)


def _twelve_waiting(store: Store, engine: QueueEngine, config: HallConfig, clock: Clock) -> EstimateTable:
    """Twelve juminhyo tickets waiting, and the table a process of its own computes for them."""
    for _ in range(12):
        engine.issue("juminhyo")
    table = EstimateTable(_estimator(store, config, clock))
    table.refresh()
    return table


def test_a_worker_reads_what_the_estimates_process_published(
    store: Store, engine: QueueEngine, hall_config: HallConfig, clock: Clock
) -> None:
    publisher = _twelve_waiting(store, engine, hall_config, clock)
    store.set_meta(PUBLISHED_META, publisher.published())

    reader = PublishedEstimates(_estimator(store, hall_config, clock))
    reader.start()
    for ahead in (0, 5, 12, 13, 30):
        assert reader.for_position("juminhyo", ahead) == publisher.for_position("juminhyo", ahead)
    # a phone page's ticket is answered by its place in the queue
    assert reader.for_ticket("juminhyo", 1, 0) == publisher.for_position("juminhyo", 0)


def test_a_worker_estimates_by_itself_without_a_fresh_table(
    store: Store, engine: QueueEngine, hall_config: HallConfig, clock: Clock
) -> None:
    own = _twelve_waiting(store, engine, hall_config, clock)
    reader = PublishedEstimates(_estimator(store, hall_config, clock))

    reader.start()  # nothing published yet
    assert reader.for_position("juminhyo", 12) == own.for_position("juminhyo", 12)

    # a table from a publisher that has been silent for minutes (its process died) is not used
    stale = json.loads(own.published())
    stale["at"] -= 600
    stale["points"]["juminhyo"][1] = [99.0, 99.0, 99.0, 99.0]
    store.set_meta(PUBLISHED_META, json.dumps(stale))
    reader.refresh()
    assert reader.for_position("juminhyo", 12) == own.for_position("juminhyo", 12)

    # While the publisher is starting (or slow), the worker keeps the ranges it has, without simulating: that
    # would stop its event loop. Once the publisher is overdue, the worker simulates by itself again.
    simulations = []
    snapshot = reader.estimator.snapshot

    def counted_snapshot() -> HallSnapshot:
        simulations.append(1)
        return snapshot()

    reader.estimator.snapshot = counted_snapshot  # type: ignore[method-assign]
    engine.issue("juminhyo")
    reader._refreshed_at -= reader.period  # due for its once-a-second look at the table
    reader.tick()
    assert simulations == []
    reader._table_seen_at -= PUBLISHED_STALE_S
    reader.tick()
    assert simulations == [1] and reader.for_position("juminhyo", 13).mid_min > 0

    # nor one that lacks a configured service (a reload the publisher has not seen yet)
    partial = json.loads(own.published())
    del partial["points"]["inkan"]
    store.set_meta(PUBLISHED_META, json.dumps(partial))
    reader.refresh()
    assert reader.for_position("inkan", 0) == own.for_position("inkan", 0)
