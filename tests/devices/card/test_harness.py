"""The pcscd harness refuses clearly instead of skipping or fighting another pcscd."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from madoguchi.devices.card import pcscd_harness as testing


def test_missing_vpcd_driver_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(testing, "VPCD_DRIVER", tmp_path / "libifdvpcd.so")
    with pytest.raises(testing.HarnessError, match="install"):
        testing.check_prerequisites()


def test_missing_pcscd_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(testing.shutil, "which", lambda _name: None)
    monkeypatch.setattr(testing, "Path", lambda _p: Path("/nonexistent/pcscd"))
    with pytest.raises(testing.HarnessError, match="pcscd is not installed"):
        testing.check_prerequisites()


def test_refuses_when_another_pcscd_answers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "pcscd.comm"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(fake))
        server.listen(16)
        monkeypatch.setattr(testing, "PCSCD_SOCKET", fake)
        assert testing.pcscd_running()
        with pytest.raises(testing.HarnessError, match="another pcscd"):
            testing.start_pcscd()


def test_leftover_socket_file_is_not_a_running_pcscd(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stale = tmp_path / "pcscd.comm"
    stale.touch()
    monkeypatch.setattr(testing, "PCSCD_SOCKET", stale)
    assert not testing.pcscd_running()


def test_nested_use_shares_one_pcscd(pcscd: testing.PcscdProcess) -> None:
    with testing.running_pcscd() as inner:
        assert inner.pid == pcscd.pid
    assert testing.vpcd_ready()  # the outer user still has it
