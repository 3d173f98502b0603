"""A hall server on this machine as a child process, for the demo, the soak run, tests and benchmarks.

``HallServerProcess`` provisions devices and staff with ``madoguchi admin provision`` and starts ``madoguchi
server`` on a free 127.0.0.1 port with the given data folder: the same commands an installer runs, so nothing
here opens the database. It can be SIGKILLed and restarted on the same files (the crash tests).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from madoguchi.client.hall_client import HallClient, wait_until_up
from madoguchi.core.child_process import die_with_parent, on_main_thread
from madoguchi.core.config import EXAMPLE_CONFIG, load_config

STAFF_PASSWORD = "counter-pass-1"
#: (name, role, counter): a staff PC serves one counter
DeviceSpec = tuple[str, str, int | None]
#: kiosks, a board and an admin device; ``provision`` adds a counter PC per counter (``counter_pc``)
DEFAULT_DEVICES: tuple[DeviceSpec, ...] = (
    ("kiosk-1", "kiosk", None),
    ("kiosk-2", "kiosk", None),
    ("kiosk-3", "kiosk", None),
    ("board-1", "display", None),
    ("admin-1", "admin", None),
)


def counter_pc(counter: int) -> str:
    """The name of the staff PC the harness binds to ``counter``."""
    return f"counter-pc-{counter}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop_process(proc: subprocess.Popen[Any], *, grace: float) -> None:
    """SIGTERM, then SIGKILL if it has not ended within ``grace`` seconds; nothing if it has already ended."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def provision_accounts(data_dir: Path, spec: dict[str, Any]) -> dict[str, str]:
    """``madoguchi admin provision`` on ``data_dir``: the spec (passwords included) through a pipe, never argv;
    returns the new device tokens by name."""
    data_dir.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "madoguchi", "admin", "--data-dir", str(data_dir), "provision"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode != 0:
        raise RuntimeError(f"provisioning failed: {done.stderr.strip()[-500:]}")
    tokens: dict[str, str] = json.loads(done.stdout)["devices"]
    return tokens


@dataclass
class HallServerProcess:
    data_dir: Path
    config_path: Path = EXAMPLE_CONFIG
    port: int = 0
    tokens: dict[str, str] = field(default_factory=dict)
    staff_ids: tuple[str, ...] = ("staff1", "staff2", "staff3")
    #: (name, role) of the devices made by ``provision``
    devices: tuple[DeviceSpec, ...] = DEFAULT_DEVICES
    #: also a staff PC for every counter of the configuration (``counter_pc``)
    counter_pcs: bool = True
    staff_password: str = STAFF_PASSWORD
    log_path: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    #: more ``madoguchi server`` options, e.g. ``("--clock-offset-file", path)`` for the soak's clock jump
    extra_args: tuple[str, ...] = ()
    #: serve TLS with this certificate and key (PEM files); clients then trust ``ca_file``
    tls: tuple[Path, Path] | None = None
    ca_file: Path | None = None
    proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "hall.sqlite3"

    def provision(self) -> None:
        """Create ``devices`` and the ``staff_ids`` logins (display name: the id in capitals), before the start."""
        devices = list(self.devices)
        if self.counter_pcs:
            devices += [(counter_pc(c.number), "staff", c.number) for c in load_config(self.config_path).counters]
        spec = {
            "devices": [{"name": name, "role": role, "counter": counter} for name, role, counter in devices],
            "staff": [
                {"id": sid, "display_name": sid.upper(), "password": self.staff_password} for sid in self.staff_ids
            ],
        }
        self.tokens.update(provision_accounts(self.data_dir, spec))

    def start(self, timeout: float = 20.0) -> HallServerProcess:
        if not self.tokens:
            self.provision()
        if not self.port:
            self.port = free_port()
        self.log_path = self.log_path or self.data_dir / "server.log"
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child process
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.env}
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "madoguchi",
                "server",
                "--config",
                str(self.config_path),
                "--data-dir",
                str(self.data_dir),
                "--port",
                str(self.port),
                *(("--tls-cert", str(self.tls[0]), "--tls-key", str(self.tls[1])) if self.tls else ()),
                *self.extra_args,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            # the death signal follows the *thread* that started the child, so only tie it to the main thread
            preexec_fn=die_with_parent if on_main_thread() else None,
        )
        log.close()
        if not wait_until_up(self.base_url, timeout, ca_file=self.ca_file):
            self.stop()
            raise RuntimeError(f"hall server did not start; see {self.log_path}")
        return self

    def kill(self) -> None:
        """SIGKILL: no clean-up, like a power cut of the process."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc, grace=5)

    def restart(self) -> None:
        self.kill()
        self.start()

    def client(self, device: str = "kiosk-1", timeout: float = 5.0) -> HallClient:
        return HallClient(self.base_url, self.tokens[device], timeout=timeout, ca_file=self.ca_file)

    def staff_client(self, counter: int, device: str | None = None, staff_id: str = "staff1") -> HallClient:
        """A staff member logged in at ``counter``, on that counter's PC (``device``: another PC bound to it)."""
        c = self.client(device or counter_pc(counter))
        c.login(staff_id, self.staff_password, counter)
        return c

    def __enter__(self) -> HallServerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
