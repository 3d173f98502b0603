"""Reader/card watching on a worker thread, plain callbacks and the Qt signal adapter."""

from __future__ import annotations

import queue
from collections.abc import Iterator

import pytest

from madoguchi.devices.card.monitor import CardMonitor
from madoguchi.devices.card.pcscd_harness import InsertCard

Event = tuple[str, object]


@pytest.fixture
def events_monitor(pcscd: object) -> Iterator[tuple[CardMonitor, queue.Queue[Event]]]:
    events: queue.Queue[Event] = queue.Queue()
    monitor = CardMonitor(
        reader_pattern="00 00$",
        allow_virtual=True,
        on_card_inserted=lambda r: events.put(("inserted", r)),
        on_card_removed=lambda r: events.put(("removed", r)),
        on_readers_changed=lambda rs: events.put(("readers", rs)),
    )
    monitor.start()
    yield monitor, events
    monitor.stop()


def test_monitor_reports_readers_insert_and_remove(
    events_monitor: tuple[CardMonitor, queue.Queue[Event]], insert_card: InsertCard
) -> None:
    monitor, events = events_monitor
    assert events.get(timeout=5) == ("readers", ["Virtual PCD 00 00"])
    insert_card(port=35964)  # filtered out by the pattern: no event
    card = insert_card(remove_after_seconds=0.5, wait_present=False)
    assert events.get(timeout=5) == ("inserted", "Virtual PCD 00 00")
    assert events.get(timeout=5) == ("removed", "Virtual PCD 00 00")
    assert card.removed.is_set()
    assert events.empty()
    assert monitor.cards == set()


def test_monitor_without_virtual_sees_no_reader(pcscd: object) -> None:
    readers: queue.Queue[list[str]] = queue.Queue()
    monitor = CardMonitor(on_readers_changed=readers.put, poll_ms=200)
    monitor.start()
    try:
        with pytest.raises(queue.Empty):
            readers.get(timeout=0.5)  # starts from "no readers" and nothing usable appears
        assert monitor.readers == []
    finally:
        monitor.stop()


def test_callback_errors_do_not_kill_the_monitor(pcscd: object, insert_card: InsertCard) -> None:
    seen: queue.Queue[str] = queue.Queue()

    def broken(_reader: str) -> None:
        raise RuntimeError("bug in a subscriber")

    monitor = CardMonitor("00 00$", True, on_card_inserted=broken, on_card_removed=seen.put)
    monitor.start()
    try:
        insert_card(remove_after_seconds=0.5, wait_present=False)
        assert seen.get(timeout=5) == "Virtual PCD 00 00"
    finally:
        monitor.stop()


def test_qt_monitor_signals(qtbot, insert_card: InsertCard) -> None:  # type: ignore[no-untyped-def]
    from madoguchi.devices.card.qt_monitor import QtCardMonitor

    monitor = QtCardMonitor(reader_pattern="00 00$", allow_virtual=True)
    with qtbot.waitSignal(monitor.readers_changed, timeout=5000) as readers:
        monitor.start()
    assert readers.args == [["Virtual PCD 00 00"]]
    try:
        with qtbot.waitSignal(monitor.card_inserted, timeout=5000) as inserted:
            card = insert_card(wait_present=False)
        assert inserted.args == ["Virtual PCD 00 00"]
        with qtbot.waitSignal(monitor.card_removed, timeout=5000) as removed:
            card.remove()
        assert removed.args == ["Virtual PCD 00 00"]
    finally:
        monitor.stop()
