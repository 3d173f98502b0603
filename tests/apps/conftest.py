"""Fixtures of the Qt apps' tests: one hall server for the session (starting one costs seconds; tests use their own
counters and drain them), no background task outliving its test, and a screenshot folder per app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from madoguchi.client.local_server import HallServerProcess


@pytest.fixture(autouse=True)
def _no_task_outlives_its_test(qtbot: object) -> Iterator[None]:
    """Background requests finish before qtbot deletes the test's windows (torn down before qtbot)."""
    yield
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(10000)


@pytest.fixture(scope="session")
def hall_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HallServerProcess]:
    srv = HallServerProcess(tmp_path_factory.mktemp("hall")).start()
    yield srv
    srv.stop()


@pytest.fixture
def shots_dir(artifacts_dir: Path, request: pytest.FixtureRequest) -> Path:
    """``artifacts/<app>``: the test's own folder name (staff, board, admin, kiosk)."""
    out = artifacts_dir / request.node.path.parent.name
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture
def large_text(qapp: object) -> Iterator[None]:
    """The desktop's large-text setting (150 %): the application font the windows built in the test inherit."""
    from PySide6.QtWidgets import QApplication

    before = QApplication.font()
    bigger = QApplication.font()
    bigger.setPointSizeF(before.pointSizeF() * 1.5)
    QApplication.setFont(bigger)
    yield
    QApplication.setFont(before)


@pytest.fixture(scope="session")
def voice_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("voice")
