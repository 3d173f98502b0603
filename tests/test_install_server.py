"""``scripts/install-server`` into a temporary root, then the documented commands: provisioning run as root and
the server run as the service user, on the folders the script made. The last release ended this in a permission
traceback (no step made the user or the folders; root-owned database files the service could not open).

As root the test makes a service user of its own and removes it at the end; without root it installs for the
user running it (``--no-create-user``) and skips only the switch of user.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from madoguchi.client.hall_client import HallClient, wait_until_up
from madoguchi.client.local_server import free_port
from tests.support.paths import REPO

SCRIPT = REPO / "scripts" / "install-server"
AS_ROOT = os.geteuid() == 0


@pytest.fixture
def root() -> Iterator[Path]:
    # not under pytest's own temporary folder: that one is root's alone (0700), and the service user must reach
    # the files of this root
    folder = Path(tempfile.mkdtemp(prefix="madoguchi-root-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def service_user() -> Iterator[str]:
    if not AS_ROOT:
        yield pwd.getpwuid(os.getuid()).pw_name
        return
    name = f"mdgt{secrets.token_hex(3)}"
    try:
        yield name
    finally:
        subprocess.run(["userdel", name], capture_output=True, check=False)
        subprocess.run(["groupdel", name], capture_output=True, check=False)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _owner(path: Path) -> str:
    return pwd.getpwuid(path.stat().st_uid).pw_name


def test_install_then_provision_as_root_and_serve_as_the_service_user(root: Path, service_user: str) -> None:
    options = [] if AS_ROOT else ["--no-create-user"]
    done = subprocess.run(
        [str(SCRIPT), "--root", str(root), "--user", service_user, *options],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data, keys, etc = root / "var/lib/madoguchi", root / "var/lib/madoguchi-keys", root / "etc/madoguchi"
    assert (_owner(data), _mode(data)) == (service_user, 0o700)
    assert (_owner(keys), _mode(keys)) == (service_user, 0o700)
    assert _mode(root / "var/log/madoguchi") == 0o750 and _mode(root / "srv/madoguchi-backup") == 0o700
    assert _mode(etc) == 0o750 and _mode(etc / "tls") == 0o750
    config = etc / "hall.toml"
    assert _mode(config) == 0o640
    text = config.read_text(encoding="utf-8")
    assert f'data_dir = "{data}"' in text and f'key_dir = "{keys}"' in text
    unit = (root / "etc/systemd/system/madoguchi-server.service").read_text(encoding="utf-8")
    assert f"User={service_user}" in unit and f"ReadWritePaths={data} {keys}" in unit
    assert f"--config {config}" in unit
    assert f"su {service_user} {service_user}" in (root / "etc/logrotate.d/madoguchi").read_text(encoding="utf-8")

    # the documented provisioning, run as root, with no --data-dir: the configuration names the folder, and the
    # command becomes the folder's owner before it makes the database
    spec = {"devices": [{"name": "kiosk-1", "role": "kiosk"}, {"name": "admin-1", "role": "admin"}], "staff": []}
    made = subprocess.run(
        [sys.executable, "-m", "madoguchi", "admin", "--config", str(config), "provision"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
        check=False,
    )
    assert made.returncode == 0, made.stderr
    tokens = json.loads(made.stdout)["devices"]
    db = data / "hall.sqlite3"
    assert _owner(db) == service_user and _mode(db) == 0o600
    if AS_ROOT:
        assert f"running as {service_user}" in made.stderr

    # a second run changes nothing that matters and keeps the configuration
    again = subprocess.run([str(SCRIPT), "--root", str(root), "--user", service_user, *options], capture_output=True)
    assert again.returncode == 0 and config.read_text(encoding="utf-8") == text

    # the server as the service user, as systemd starts it (User=), on the folders of the configuration
    port = free_port()
    command = [sys.executable, "-m", "madoguchi", "server", "--config", str(config), "--port", str(port)]
    if AS_ROOT:
        command = ["runuser", "-u", service_user, "--", "env", f"PYTHONPATH={REPO}", "PYTHONUNBUFFERED=1", *command]
    log = root / "server.out"
    with log.open("wb") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=_env())
    try:
        assert wait_until_up(f"http://127.0.0.1:{port}", 30), log.read_text(errors="replace")
        with HallClient(f"http://127.0.0.1:{port}", tokens["kiosk-1"]) as kiosk:
            issued = kiosk.issue(
                "juminhyo", form={"name": "見本　太郎", "address": "みどり市", "birth_date": "1950-04-01"}
            )
        assert issued.ticket.number == "A-001"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(20)
    text = log.read_text(errors="replace")
    assert "Traceback" not in text and "Permission denied" not in text, text
    for path in [db, *data.iterdir(), *keys.iterdir()]:
        assert _owner(path) == service_user, path
    assert any(p.name.startswith("forms-") for p in keys.iterdir()), "the day's form key is in the key folder"
