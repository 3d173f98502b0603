"""Consoles and boards report that they are alive, so a frozen one turns red on the health page."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from madoguchi.client.local_server import HallServerProcess
from madoguchi.qt.health_report import AppHeartbeat
from madoguchi.server.store import Store


def test_board_heartbeat_reaches_the_server(qtbot: QtBot, tmp_path: Path) -> None:
    with HallServerProcess(tmp_path / "server") as server:
        beat = AppHeartbeat(server.client("board-1"), period_s=0.2)
        beat.start()
        qtbot.waitUntil(lambda: beat.sent >= 2, timeout=10_000)
        beat.stop()
        seen = {d["name"]: d for d in Store(server.db_path).devices()}
        assert seen["board-1"]["last_seen"] is not None
        assert '"uptime_s"' in seen["board-1"]["health"]
