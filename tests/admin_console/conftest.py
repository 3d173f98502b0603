"""A real hall server for the folder, and the screenshot folder ``artifacts/admin``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from queue_display.none_refcount import guard_none_refcount
from queueing.testing import HallServerProcess

guard_none_refcount()  # PySide6 6.12 on Python 3.11 drops references to None; see queue_display/none_refcount.py


@pytest.fixture(scope="session")
def hall_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HallServerProcess]:
    srv = HallServerProcess(tmp_path_factory.mktemp("hall")).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def shots_dir(artifacts_dir: Path) -> Path:
    out = artifacts_dir / "admin"
    out.mkdir(parents=True, exist_ok=True)
    return out
