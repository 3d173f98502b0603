"""The per-kiosk issue limit in the store (the server's 429 is in test_server.py and test_server_workers.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from queueing.store import MIGRATIONS, SCHEMA_VERSION, Store


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


def admit(store: Store, device: str, now: float, per_minute: int = 3) -> bool:
    with store.write():
        return store.admit_issue(device, now, per_minute)


def test_a_kiosk_gets_its_limit_per_minute_and_no_more(store: Store) -> None:
    assert [admit(store, "kiosk-1", 1000.0 + i) for i in range(4)] == [True, True, True, False]
    assert admit(store, "kiosk-2", 1003.0), "another kiosk has a limit of its own"
    assert not admit(store, "kiosk-1", 1059.9), "the first ticket is 59.9 s old: still three in the last minute"
    assert admit(store, "kiosk-1", 1060.0) and not admit(store, "kiosk-1", 1060.5)
    assert [admit(store, "kiosk-1", 1200.0 + i) for i in range(4)] == [True, True, True, False]


def test_a_ticket_undone_is_not_counted(store: Store) -> None:
    with pytest.raises(RuntimeError), store.write():
        assert store.admit_issue("kiosk-1", 1000.0, 1)
        raise RuntimeError("the insert failed")
    assert admit(store, "kiosk-1", 1000.0, per_minute=1)


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
