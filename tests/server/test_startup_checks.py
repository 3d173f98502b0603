"""The hall server refuses to start where it would do harm, and says what to do instead."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from madoguchi.client.local_server import HallServerProcess, free_port
from madoguchi.core.config import EXAMPLE_CONFIG
from madoguchi.server.startup_checks import REFUSED

pytestmark = pytest.mark.timeout(90)


def _server(data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "madoguchi",
            "server",
            "--config",
            str(EXAMPLE_CONFIG),
            "--data-dir",
            str(data),
            "--port",
            str(free_port()),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_second_server_on_the_same_data_folder_is_refused_whatever_its_port(tmp_path: Path) -> None:
    with HallServerProcess(tmp_path / "data") as first:
        second = _server(first.data_dir)
        assert second.returncode == REFUSED
        assert "already using the data folder" in second.stderr and "Traceback" not in second.stderr
        assert first.client("kiosk-1").hall().hall_day  # the first one goes on serving


def test_no_database_is_refused_not_replaced_by_an_empty_hall(tmp_path: Path) -> None:
    done = _server(tmp_path / "data")
    assert done.returncode == REFUSED
    assert "no hall database" in done.stderr and "admin" in done.stderr and "restore" in done.stderr
    assert not (tmp_path / "data" / "hall.sqlite3").exists()


def test_an_empty_database_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "hall.sqlite3").write_bytes(b"")
    done = _server(tmp_path / "data")
    assert done.returncode == REFUSED and "is empty" in done.stderr and "restore" in done.stderr
    assert (tmp_path / "data" / "hall.sqlite3").stat().st_size == 0  # left as found, for the investigation


def test_a_database_with_zeroed_pages_is_refused(tmp_path: Path) -> None:
    srv = HallServerProcess(tmp_path / "data")
    srv.provision()  # a real hall database, then damaged as a failing disk would
    db = srv.db_path
    page = 4096
    with db.open("r+b") as f:
        f.seek(2 * page)
        f.write(bytes(3 * page))
    done = _server(srv.data_dir)
    assert done.returncode == REFUSED
    assert "damaged" in done.stderr or "cannot be read" in done.stderr
    assert "restore" in done.stderr


def test_a_file_that_is_no_hall_database_is_refused(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "hall.sqlite3").write_bytes(b"this is a spreadsheet someone saved here\n" * 100)
    done = _server(tmp_path / "data")
    assert done.returncode == REFUSED and "restore" in done.stderr
