"""Configuration reload: a valid change is applied, a bad file is refused with its error and the old one stays."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from madoguchi.core.config import HallConfig
from madoguchi.server.config_reload import ConfigFollower, ConfigWatcher


def _write(path: Path, text: str, bump: int) -> None:
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + bump * 1_000_000_000))  # a visibly newer mtime


def test_good_change_applied_bad_file_refused(
    tmp_path: Path, example_config_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    text = example_config_path.read_text(encoding="utf-8")
    path = tmp_path / "hall.toml"
    path.write_text(text, encoding="utf-8")
    applied: list[HallConfig] = []
    watcher = ConfigWatcher(path, applied.append, min_interval_s=0)
    assert watcher.tick() is None  # unchanged

    _write(path, text.replace("heartbeat_timeout_s = 30", "heartbeat_timeout_s = 45"), 1)
    assert watcher.tick() is True
    assert applied[-1].operations.heartbeat_timeout_s == 45

    caplog.set_level(logging.ERROR, logger="madoguchi.server.config_reload")
    _write(path, text.replace("heartbeat_timeout_s = 30", 'heartbeat_timeout_s = "soon"'), 2)
    assert watcher.tick() is False
    assert len(applied) == 1  # the running configuration stays
    assert any("heartbeat_timeout_s" in e for e in watcher.status.last_errors)
    assert "heartbeat_timeout_s" in caplog.text and "refused" in caplog.text

    _write(path, "this is [not toml", 3)
    assert watcher.tick() is False and len(applied) == 1
    assert watcher.tick() is None  # refused once, not again every second

    _write(path, text, 4)
    assert watcher.tick() is True and watcher.status.last_errors == []


def test_disabled_watch_does_nothing(tmp_path: Path, example_config_path: Path) -> None:
    path = tmp_path / "hall.toml"
    path.write_text(example_config_path.read_text(encoding="utf-8"), encoding="utf-8")
    applied: list[HallConfig] = []
    watcher = ConfigWatcher(path, applied.append, enabled=lambda: False, min_interval_s=0)
    _write(path, path.read_text(encoding="utf-8"), 1)
    assert watcher.tick() is None and not applied


def test_a_follower_catches_up_with_a_file_changed_before_its_first_tick(
    tmp_path: Path, example_config_path: Path
) -> None:
    """The server builds its app (and this follower) before forking its workers; a manual reload made between
    then and a worker's first tick would otherwise be missed by that worker, watching off."""
    path = tmp_path / "hall.toml"
    text = example_config_path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    applied: list[HallConfig] = []
    generation = ["1"]
    follower = ConfigFollower(
        ConfigWatcher(path, applied.append, enabled=lambda: False, min_interval_s=0), lambda: generation[0]
    )
    _write(path, text.replace("heartbeat_timeout_s = 30", "heartbeat_timeout_s = 45"), 1)
    generation[0] = "2"  # the reload by hand, elsewhere
    follower.tick()
    assert len(applied) == 1 and applied[0].operations.heartbeat_timeout_s == 45
    follower.tick()
    assert len(applied) == 1  # caught up once; the generation read then is the one seen

    generation[0] = "3"
    follower.tick()
    assert len(applied) == 2


def test_server_reloads_and_keeps_the_old_config(tmp_path: Path, example_config_path: Path) -> None:
    from fastapi.testclient import TestClient

    from madoguchi.server.accounts import make_device
    from madoguchi.server.store import Store
    from madoguchi.server.web.app import ServerSettings, create_app

    text = example_config_path.read_text(encoding="utf-8")
    path = tmp_path / "hall.toml"
    path.write_text(text, encoding="utf-8")
    db = tmp_path / "hall.sqlite3"
    store = Store(db)
    token = make_device(store, "admin-1", "admin", 0)
    store.close()
    app = create_app(ServerSettings(config_path=path, db_path=db, key_dir=tmp_path / "keys"))
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(app) as client:
        hall = app.state.server  # its configuration is the one in force
        _write(path, text.replace("heartbeat_timeout_s = 30", "heartbeat_timeout_s = 40"), 1)
        assert client.post("/api/v1/admin/reload-config", headers=headers).json() == {"applied": True, "errors": []}
        assert hall.config.operations.heartbeat_timeout_s == 40
        _write(path, text.replace('prefix = "A"', 'prefix = "a"'), 2)
        body = client.post("/api/v1/admin/reload-config", headers=headers).json()
        assert body["applied"] is False and body["errors"]
        assert hall.config.operations.heartbeat_timeout_s == 40
        ops = client.get("/api/v1/admin/operations", headers=headers).json()
        assert ops["config_errors"] == body["errors"]


def test_the_server_ticker_picks_up_a_saved_file(tmp_path: Path, example_config_path: Path) -> None:
    import time

    from fastapi.testclient import TestClient

    from madoguchi.server.web.app import ServerSettings, create_app

    text = example_config_path.read_text(encoding="utf-8")
    path = tmp_path / "hall.toml"
    path.write_text(text, encoding="utf-8")
    app = create_app(
        ServerSettings(config_path=path, db_path=tmp_path / "hall.sqlite3", key_dir=tmp_path / "k", tick_seconds=0.1)
    )
    with TestClient(app):
        hall = app.state.server  # its configuration is the one in force
        _write(path, text.replace('prefix = "A"', 'prefix = "a"'), 1)  # invalid: refused, old one stays
        deadline = time.monotonic() + 20
        while not app.state.server.watcher.status.last_errors:
            assert time.monotonic() < deadline, "the bad file was never looked at"
            time.sleep(0.05)
        assert hall.config.services[0].prefix == "A"
        _write(path, text.replace("backup_keep = 8", "backup_keep = 3"), 2)
        while hall.config.operations.backup_keep != 3:
            assert time.monotonic() < deadline, "the saved file was not applied"
            time.sleep(0.05)
        assert app.state.server.watcher.status.last_errors == []
