"""Online backup (SQLite backup API), verification, rotation, restore to an identical queue."""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

import pytest

from madoguchi.core.config import HallConfig
from madoguchi.server.backup import (
    BackupError,
    BackupScheduler,
    backup_database,
    database_in_use,
    list_backups,
    prune_backups,
    restore_backup,
    verify_backup,
)
from madoguchi.server.engine import QueueEngine
from madoguchi.server.store import Store


def _queue(store: Store) -> list[tuple[object, ...]]:
    rows = store.conn.execute(
        "SELECT id, number, state, service_id, counter, issued_at, called_at, token FROM tickets ORDER BY id"
    ).fetchall()
    return [tuple(r) for r in rows]


def _busy_hall(engine: QueueEngine) -> None:
    for sid in ("juminhyo", "juminhyo", "inkan", "juminhyo"):
        engine.issue(sid)
    t = engine.call_next(1)
    assert t is not None
    engine.start(t.id, 1)


def test_backup_while_open_restores_to_an_identical_queue(
    tmp_path: Path, store: Store, engine: QueueEngine, hall_config: HallConfig
) -> None:
    _busy_hall(engine)
    before = _queue(store)
    events_before = store.last_event_id()
    path = backup_database(store.path, tmp_path / "backups")
    verify_backup(path)
    # the hall goes on after the backup
    engine.issue("juminhyo")
    assert _queue(store) != before
    store.close()

    previous = restore_backup(path, store.path)
    assert previous is not None and previous.exists()
    restored = Store(store.path)
    try:
        assert _queue(restored) == before
        assert restored.last_event_id() == events_before
        # numbering continues where the backup left it, no duplicate numbers
        again = QueueEngine(restored, hall_config, clock=engine.clock)
        assert again.issue("juminhyo").ticket.number == "A-004"
    finally:
        restored.close()


def test_rotation_keeps_the_newest(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "b"
    made = [backup_database(store.path, folder, now=1_800_000_000 + i * 60) for i in range(5)]
    removed = prune_backups(folder, 2)
    assert removed == made[:3]
    assert [b.path for b in list_backups(folder)] == made[3:]


def test_a_damaged_copy_is_refused(tmp_path: Path, store: Store) -> None:
    bad = tmp_path / "hall-bad.sqlite3"
    bad.write_bytes(b"not a database" * 100)
    with pytest.raises(BackupError):
        verify_backup(bad)
    with pytest.raises(BackupError):
        restore_backup(bad, store.path)
    assert store.conn.execute("SELECT count(*) FROM tickets").fetchone() == (0,)


def test_scheduler_runs_in_the_background_and_prunes(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "auto"
    done: list[Path | None] = []
    sched = BackupScheduler(store.path, lambda: (str(folder), 15, 1), on_done=lambda p, _e: done.append(p))
    sched.tick()  # not due yet (grace period after start-up)
    assert not sched.running and not done
    for _ in range(3):
        assert sched.start()
        sched.wait(30)
    assert len(done) == 3 and all(done)
    assert [b.path for b in list_backups(folder)] == [done[-1]]
    conn = sqlite3.connect(done[-1])
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    conn.close()


def test_no_folder_no_backup(store: Store) -> None:
    sched = BackupScheduler(store.path, lambda: ("", 15, 3))
    assert not sched.start()


def _restore_args(data_dir: Path, *argv: str) -> argparse.Namespace:
    from madoguchi.core.cli_args import add_data_arguments
    from madoguchi.server.restore_cli import add_restore_parser

    parser = argparse.ArgumentParser()
    add_data_arguments(parser)
    add_restore_parser(parser.add_subparsers(dest="admin_command"))
    return parser.parse_args(["--data-dir", str(data_dir), *argv])


def test_restore_command_refuses_a_running_database_then_restores(
    tmp_path: Path, hall_config: HallConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    from madoguchi.server.restore_cli import run_restore

    data = tmp_path / "data"
    data.mkdir()
    live = Store(data / "hall.sqlite3")
    QueueEngine(live, hall_config).issue("juminhyo")
    copy = backup_database(live.path, tmp_path / "b")
    QueueEngine(live, hall_config).issue("juminhyo")
    args = _restore_args(data, "restore", str(copy), "--yes")
    assert database_in_use(live.path)
    assert run_restore(args) == 2  # the server (this open store) still has it
    assert "Stop the hall server" in capsys.readouterr().err
    live.close()
    assert run_restore(args) == 0
    again = Store(data / "hall.sqlite3")
    assert again.conn.execute("SELECT count(*) FROM tickets").fetchone() == (1,)
    again.close()
    bad = _restore_args(data, "restore", str(tmp_path / "missing.sqlite3"), "--yes")
    assert run_restore(bad) == 2
