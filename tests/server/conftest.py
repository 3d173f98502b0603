"""Fixtures for the queue core: a settable clock, a fresh store and engine per test, a real server process."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from madoguchi.client.local_server import HallServerProcess
from madoguchi.core.config import HallConfig
from madoguchi.server.engine import QueueEngine
from madoguchi.server.store import Store

TOKYO = ZoneInfo("Asia/Tokyo")


class SettableClock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += dt.timedelta(**kw)


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(dt.datetime(2026, 11, 30, 9, 0, tzinfo=TOKYO))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "hall.sqlite3")
    yield s
    s.close()


@pytest.fixture
def engine(store: Store, hall_config: HallConfig, clock: SettableClock) -> QueueEngine:
    return QueueEngine(store, hall_config, clock=clock)


@pytest.fixture
def server(tmp_path: Path, example_config_path: Path) -> Iterator[HallServerProcess]:
    """A real server on the example hall, with the API documentation on (its tests read /openapi.json)."""
    config = tmp_path / "hall.toml"
    text = example_config_path.read_text(encoding="utf-8")
    config.write_text(text.replace("api_docs = false", "api_docs = true"), encoding="utf-8")
    srv = HallServerProcess(tmp_path / "server", config_path=config)
    srv.start()
    yield srv
    srv.stop()
