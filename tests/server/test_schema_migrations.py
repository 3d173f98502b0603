"""Migration 6 makes the tickets table again: everything in it, and everything that refers to it, survives."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from madoguchi.core.config import HallConfig
from madoguchi.server.engine import QueueEngine
from madoguchi.server.store import SCHEMA_VERSION, Store

from .test_issue_rate import database_at, indexes

TICKET = (
    "INSERT INTO tickets (id, day, service_id, origin_service_id, seq, number, state, language, source, issued_at,"
    " order_at, token, device, request_id, est_model) VALUES (?, '2026-11-30', 'juminhyo', 'juminhyo', ?, ?, ?,"
    " 'ja', 'touch', 1.0, 1.0, ?, 'kiosk-1', ?, 0.5)"
)


def test_the_tickets_table_is_made_again_with_everything_in_it(
    tmp_path: Path, hall_config: HallConfig, caplog: pytest.LogCaptureFixture
) -> None:
    path = database_at(tmp_path / "v5.sqlite3", version=5)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    for i, state in ((1, "done"), (2, "waiting"), (3, "waiting"), (4, "waiting")):
        conn.execute(TICKET, (i, i, f"A-{i:03d}", state, f"token-{i}", f"request-{i}"))
    conn.execute("INSERT INTO events (at, type, ticket_id) VALUES (1.0, 'ticket.issued', 2)")
    conn.execute("INSERT INTO forms VALUES (2, 'f', x'00', x'01', 1.0)")
    conn.execute("DELETE FROM tickets WHERE id = 4")  # the newest ticket is gone: its id must stay unused
    conn.commit()
    before = conn.execute("SELECT * FROM tickets ORDER BY id").fetchall()
    conn.close()

    with caplog.at_level(logging.INFO, logger="madoguchi.server.store"):
        store = Store(path)
    try:
        assert store.schema_version() == SCHEMA_VERSION >= 6
        assert f"database upgraded from schema 5 to {SCHEMA_VERSION}" in caplog.text
        # the same rows, with the columns later migrations add (the calling PC: migration 8; a transfer's counter
        # and clerk: migration 10; a visit's life event: migration 11) still empty
        after = store.conn.execute("SELECT * FROM tickets ORDER BY id").fetchall()
        assert [row[: len(before[0])] for row in after] == before
        assert {row[len(before[0]) :] for row in after} == {(None, None, None, None)}
        assert store.waiting_count("2026-11-30", "juminhyo") == 2
        assert {"tickets_queue", "tickets_counter", "tickets_request"} <= indexes(store)
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1, "on again after the migration"
        assert store.ticket_by_request("kiosk-1", "request-2") is not None
        assert store.ticket_by_token("token-3") is not None

        engine = QueueEngine(store, hall_config)
        fresh = engine.issue("juminhyo").ticket
        assert fresh.id == 5, "ids are never handed out twice"
        assert store.waiting_count(fresh.day, "juminhyo") == 1, "the triggers are there again"
    finally:
        store.close()


def test_references_broken_before_the_upgrade_do_not_stop_it(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A row that pointed at nothing before (a hand edit with foreign keys off) is reported, not fatal."""
    path = database_at(tmp_path / "v5.sqlite3", version=5)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO events (at, type, ticket_id) VALUES (1.0, 'ticket.issued', 99)")
    conn.commit()
    conn.close()
    with caplog.at_level(logging.WARNING, logger="madoguchi.server.store"):
        store = Store(path)
    try:
        assert store.schema_version() == SCHEMA_VERSION
        assert "from before the upgrade: {'events': 1}" in caplog.text
    finally:
        store.close()
