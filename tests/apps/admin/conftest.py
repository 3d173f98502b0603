"""A real hall server for the admin console's tests, with automatic backups into a folder of the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from madoguchi.client.local_server import HallServerProcess


@pytest.fixture(scope="session")
def hall_server(tmp_path_factory: pytest.TempPathFactory, example_config_path: Path) -> Iterator[HallServerProcess]:
    root = tmp_path_factory.mktemp("hall")
    config = root / "hall.toml"  # the example hall, with automatic backups into a folder of the test
    text = example_config_path.read_text(encoding="utf-8")
    config.write_text(text.replace('backup_dir = ""', f'backup_dir = "{root / "backups"}"'), encoding="utf-8")
    srv = HallServerProcess(root / "server", config_path=config).start()
    yield srv
    srv.stop()
