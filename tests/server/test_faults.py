"""Faults the hall must ride out: a full disk, a damaged day key, a clock stepped back over the day's reset."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from madoguchi.server.engine import QueueEngine
from madoguchi.server.hall_server import HallServer
from madoguchi.server.security import KEY_BYTES, FormCipher
from madoguchi.server.store import Store
from madoguchi.server.web.app import ServerSettings, create_app

FORM = {"name": "障害　試験", "address": "みどり市1-1", "birth_date": "1980-01-01", "copies": 1}


@pytest.fixture
def hall(tmp_path: Path, example_config_path: Path) -> Iterator[tuple[TestClient, HallServer, dict[str, str]]]:
    from madoguchi.server.accounts import make_device

    db = tmp_path / "hall.sqlite3"
    store = Store(db)
    # an admin device issues without the kiosks' per-minute limit
    kiosk = {"Authorization": f"Bearer {make_device(store, 'admin-1', 'admin', 0)}"}
    store.close()
    app = create_app(ServerSettings(config_path=example_config_path, db_path=db, key_dir=tmp_path / "keys"))
    with TestClient(app) as client:
        yield client, app.state.server, kiosk


def _issue(client: TestClient, headers: dict[str, str], n: int, form: dict[str, object] | None = None) -> int:
    body = {"service_id": "juminhyo", "language": "ja", "request_id": f"request-{n:04d}", "form": form}
    return client.post("/api/v1/tickets", json=body, headers=headers).status_code


def test_a_full_disk_refuses_clearly_says_so_and_recovers(
    hall: tuple[TestClient, HallServer, dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    client, server, kiosk = hall
    assert _issue(client, kiosk, 1) == 201
    # the database may not grow: SQLite answers as on a full disk ("database or disk is full")
    pages = server.writer.call(lambda h: h.store.conn.execute("PRAGMA page_count").fetchone()[0])
    server.writer.call(lambda h: h.store.conn.execute(f"PRAGMA max_page_count = {pages}"))
    caplog.set_level(logging.ERROR, logger="madoguchi.server.writer")
    answers = []
    for n in range(2, 2000):  # the pages the migrations freed fill up first
        answers.append(_issue(client, kiosk, n, FORM))
        if answers[-1] != 201:
            break
    assert answers[-1] == 503 and 500 not in answers
    health = client.get("/healthz").json()
    assert health["status"] == "degraded" and "database or disk is full" in health["problem"]
    assert "database or disk is full" in caplog.text  # the line the runbook tells the operator to look for
    assert caplog.text.count("database write failed") <= 2  # once per episode, not once per request
    # space is freed: service resumes by itself, and the form key of the day works (no damaged key was left)
    server.writer.call(lambda h: h.store.conn.execute("PRAGMA max_page_count = 1073741823"))
    assert _issue(client, kiosk, 9999, FORM) == 201
    assert client.get("/healthz").json()["status"] == "ok"


def test_a_damaged_day_key_never_blocks_the_day(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cipher = FormCipher(tmp_path)
    (tmp_path / "forms-2026-12-07.key").write_bytes(b"")  # what a full disk left under an older release
    nonce, ct = cipher.encrypt("2026-12-07", 7, {"name": "鍵　試験"})
    assert cipher.decrypt("2026-12-07", 7, nonce, ct) == {"name": "鍵　試験"}
    assert len((tmp_path / "forms-2026-12-07.key").read_bytes()) == KEY_BYTES
    assert list(tmp_path.glob("forms-2026-12-07.key.damaged-*"))  # set aside, not deleted
    assert "damaged" in caplog.text
    assert not list(tmp_path.glob(".*tmp"))  # a key is written whole or not at all
    assert cipher.purge_keys(before_day="2026-12-08") == 2 and not list(tmp_path.iterdir())


def test_a_form_under_a_replaced_key_reads_as_gone_not_as_an_error(tmp_path: Path) -> None:
    cipher = FormCipher(tmp_path)
    nonce, ct = cipher.encrypt("2026-12-07", 7, {"name": "鍵　試験"})
    (tmp_path / "forms-2026-12-07.key").write_bytes(bytes(KEY_BYTES))
    assert cipher.decrypt("2026-12-07", 7, nonce, ct) is None


def test_the_hall_day_never_goes_back_with_the_clock(engine: QueueEngine, clock) -> None:  # type: ignore[no-untyped-def]
    first = engine.issue("juminhyo").ticket
    clock.advance(days=1)
    second = engine.issue("juminhyo").ticket
    assert second.day > first.day and second.number == "A-001"
    clock.advance(days=-1)  # an NTP step back, a hand-set clock
    assert engine.today() == second.day
    third = engine.issue("juminhyo").ticket
    assert (third.day, third.number) == (second.day, "A-002")
    assert engine.store.ticket(second.id).state == "waiting"  # type: ignore[union-attr]
