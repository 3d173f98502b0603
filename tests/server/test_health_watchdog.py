"""systemd notification: READY=1 on the first tick, WATCHDOG=1 pings after that; a no-op outside systemd."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from madoguchi.server.systemd_notify import SystemdWatchdog


def test_ready_then_watchdog_pings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(path))
        sock.settimeout(5)
        monkeypatch.setenv("NOTIFY_SOCKET", str(path))
        monkeypatch.setenv("WATCHDOG_USEC", "2")  # 1 µs pings: every tick
        dog = SystemdWatchdog()
        dog.tick()
        assert sock.recv(100).startswith(b"READY=1")
        dog.tick()
        assert sock.recv(100) == b"WATCHDOG=1"


def test_without_systemd_nothing_happens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    monkeypatch.delenv("WATCHDOG_USEC", raising=False)
    dog = SystemdWatchdog()
    dog.tick()
    dog.tick()
    assert dog.interval_s is None
