"""The per-kiosk issue limit in the store (the server's 429 is in test_server.py and test_server_workers.py)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from madoguchi.core.config import HallConfig
from madoguchi.server.engine import QueueEngine
from madoguchi.server.store import MIGRATIONS, SCHEMA_VERSION, Store


def database_at(path: Path, version: int) -> Path:
    """A database file as this program left it at schema ``version``."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at REAL)")
    for number, statements in MIGRATIONS:
        if number <= version:
            for statement in statements:
                conn.execute(statement)
            conn.execute("INSERT INTO schema_version VALUES (?, 0)", (number,))
    conn.commit()
    conn.close()
    return path


def indexes(store: Store) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def admit_one(store: Store) -> None:
    """A limit of one ticket a minute for kiosk-1 (the engine's ``admit``)."""
    if not store.admit_issue("kiosk-1", time.time(), 1):
        raise RuntimeError("over the limit")


def admit(store: Store, device: str, now: float, per_minute: int = 3) -> bool:
    with store.write():
        return store.admit_issue(device, now, per_minute)


def test_a_kiosk_gets_its_limit_per_minute_and_no_more(store: Store) -> None:
    assert [admit(store, "kiosk-1", 1000.0 + i) for i in range(4)] == [True, True, True, False]
    assert admit(store, "kiosk-2", 1003.0), "another kiosk has a limit of its own"
    assert not admit(store, "kiosk-1", 1059.9), "the first ticket is 59.9 s old: still three in the last minute"
    assert admit(store, "kiosk-1", 1060.0) and not admit(store, "kiosk-1", 1060.5)
    assert [admit(store, "kiosk-1", 1200.0 + i) for i in range(4)] == [True, True, True, False]


def test_a_ticket_undone_is_not_counted(store: Store, hall_config: HallConfig) -> None:
    """The count is written inside the issue's own savepoint: an issue that fails after it leaves no count."""
    engine = QueueEngine(store, hall_config)

    def fail(_ticket: object) -> None:
        raise RuntimeError("the form could not be stored")

    with store.write():  # as in the server's group commit: the issue is one savepoint in a larger transaction
        with pytest.raises(RuntimeError):
            engine.issue(
                "juminhyo",
                device="kiosk-1",
                request_id="req-00000001",
                admit=lambda: admit_one(store),
                before_commit=fail,
            )
        engine.issue("juminhyo", device="kiosk-1", request_id="req-00000002", admit=lambda: admit_one(store))
    assert store.ticket_by_request("kiosk-1", "req-00000001") is None
    assert store.ticket_by_request("kiosk-1", "req-00000002") is not None


def test_a_clock_stepped_back_does_not_hold_a_kiosk_back(store: Store) -> None:
    """After a rehearsal 16 hours ahead, the times it counted lie in the future: they do not count."""
    later = 1000.0 + 16 * 3600
    assert all(admit(store, "kiosk-1", later + i) for i in range(3))
    assert admit(store, "kiosk-1", 1000.0)


def test_the_migration_drops_the_per_ticket_index(tmp_path: Path) -> None:
    store = Store(database_at(tmp_path / "old.sqlite3", version=4))
    try:
        assert store.schema_version() == SCHEMA_VERSION
        assert "tickets_device_issued" not in indexes(store)
        assert admit(store, "kiosk-1", 1000.0)
        applied = store.conn.execute("SELECT applied_at FROM schema_version WHERE version = 5").fetchone()[0]
        assert applied is not None and applied > 1.7e9
    finally:
        store.close()
