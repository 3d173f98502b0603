"""Purge and restore as the documentation says to run them, against a real server and the real commands.

On the last release ``madoguchi admin purge-forms`` as documented made an empty database and printed "purged 0";
with ``--data-dir`` but no ``--key-dir`` the day's key stayed; after a restore the purged forms were readable
again and the audit rows written after the backup were gone.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from madoguchi.client.admin_client import AdminClient
from madoguchi.client.local_server import HallServerProcess
from tests.support.paths import REPO

FORM = {"name": "平塚　花子", "address": "神奈川県平塚市浅間町９－１", "birth_date": "1980-02-17", "copies": 1}


def _admin(*argv: str, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if home is not None:  # where the user's own data folder would be
        env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local/share"))
    return subprocess.run(
        [sys.executable, "-m", "madoguchi", "admin", *argv], capture_output=True, text=True, timeout=60, env=env
    )


def _count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def _config(folder: Path, example: Path, *, data: Path | None, keys: Path | None, backups: Path | None) -> Path:
    text = example.read_text(encoding="utf-8")
    if data is not None:
        text = text.replace('data_dir = ""', f'data_dir = "{data}"')
    if keys is not None:
        text = text.replace('key_dir = ""', f'key_dir = "{keys}"')
    if backups is not None:
        text = text.replace('backup_dir = ""', f'backup_dir = "{backups}"')
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hall.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _issue_with_form(srv: HallServerProcess) -> int:
    with srv.client("kiosk-1") as kiosk:
        return kiosk.issue("juminhyo", source="card", form=FORM).ticket.id


def test_the_documented_purge_finds_the_servers_data_and_keys(tmp_path: Path, example_config_path: Path) -> None:
    data, keys = tmp_path / "var-lib-madoguchi", tmp_path / "var-lib-madoguchi-keys"
    config = _config(tmp_path / "etc", example_config_path, data=data, keys=keys, backups=None)
    srv = HallServerProcess(data, config_path=config, extra_args=("--key-dir", str(keys))).start()
    try:
        _issue_with_form(srv)
        assert len(list(keys.glob("forms-*.key"))) == 1
        # as documented: no folder on the command line, the configuration names them
        done = _admin("--config", str(config), "purge-forms", home=tmp_path / "home")
        assert done.returncode == 0, done.stderr
        assert "purged 1 form records and 1 day keys" in done.stdout
        assert _count(srv.db_path, "SELECT count(*) FROM forms") == 0
        assert list(keys.glob("forms-*.key")) == []
        assert not (tmp_path / "home").exists(), "no database was made in the user's own folder"

        # the folder on the command line, the keys not: the server recorded its key folder in the database
        _issue_with_form(srv)
        bare = _config(tmp_path / "etc-bare", example_config_path, data=None, keys=None, backups=None)
        done = _admin("--config", str(bare), "--data-dir", str(data), "purge-forms")
        assert done.returncode == 0, done.stderr
        assert "and 1 day keys" in done.stdout and list(keys.glob("forms-*.key")) == []

        # neither on the command line nor in the configuration: refused, nothing made
        done = _admin("--config", str(bare), "purge-forms", home=tmp_path / "home")
        assert done.returncode == 2 and "no hall database at" in done.stderr
        assert not list((tmp_path / "home").rglob("hall.sqlite3"))
    finally:
        srv.stop()


def _backup(srv: HallServerProcess, folder: Path) -> Path:
    with AdminClient(srv.base_url, srv.tokens["admin-1"]) as admin:
        assert admin.backup_now()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        made = list(folder.glob("hall-*.sqlite3"))
        if made:
            return made[0]
        time.sleep(0.1)
    raise AssertionError("no backup was written")


def test_a_restore_brings_back_no_purged_form_and_keeps_the_audit(tmp_path: Path, example_config_path: Path) -> None:
    data, backups = tmp_path / "data", tmp_path / "backups"
    config = _config(tmp_path / "etc", example_config_path, data=data, keys=None, backups=backups)
    srv = HallServerProcess(data, config_path=config).start()
    try:
        ticket = _issue_with_form(srv)
        backup = _backup(srv, backups)
        assert _count(backup, "SELECT count(*) FROM forms") == 1  # the backup holds the form
        clerk = srv.staff_client(1)
        called = clerk.call_next(1)
        assert called is not None and called.id == ticket
        assert clerk.form(ticket).fields["name"] == FORM["name"]  # an audited read after the backup
        clerk.close()
        with AdminClient(srv.base_url, srv.tokens["admin-1"]) as admin:
            assert admin.purge_forms() == 1
        audit_before = _count(srv.db_path, "SELECT count(*) FROM audit")
    finally:
        srv.stop()
    done = _admin("--config", str(config), "restore", "--yes", str(backup))
    assert done.returncode == 0, done.stderr
    assert "1 purge(s) applied again (1 form(s) of the backup deleted)" in done.stdout
    db = data / "hall.sqlite3"
    assert _count(db, "SELECT count(*) FROM forms") == 0
    assert _count(db, "SELECT count(*) FROM audit WHERE action = 'form.view'") == 1
    assert _count(db, "SELECT count(*) FROM audit WHERE action = 'admin.restore'") == 1
    assert _count(db, "SELECT count(*) FROM audit") == audit_before + 1

    # the same backup once more, the database it replaces lost: the purge journal alone keeps the form away
    db.unlink()
    for extra in data.glob("hall.sqlite3-*"):
        extra.unlink()
    done = _admin("--config", str(config), "restore", "--yes", str(backup))
    assert done.returncode == 0, done.stderr
    assert _count(db, "SELECT count(*) FROM forms") == 0
    # and the hall starts on it
    srv = HallServerProcess(data, config_path=config, tokens=srv.tokens, port=0).start()
    srv.stop()
