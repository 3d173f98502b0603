"""``madoguchi display --record-calls``: the real board, offscreen in its own process, records what it showed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from madoguchi.client.local_server import HallServerProcess
from tests.support.paths import REPO

pytestmark = pytest.mark.timeout(120)


def _lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _wait(what: Callable[[], bool], proc: subprocess.Popen[bytes], timeout: float = 40.0) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        assert proc.poll() is None, "the board process ended"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_the_board_process_records_every_call_in_order_and_paints_it(tmp_path: Path) -> None:
    record = tmp_path / "board.calls.jsonl"
    token = tmp_path / "board.token"
    with HallServerProcess(tmp_path / "srv") as srv:
        token.write_text(srv.tokens["board-1"])
        args = ["--server", srv.base_url, "--token-file", str(token), "--windowed", "--size", "640x360"]
        args += ["--no-audio", "--no-speech", "--record-calls", str(record)]
        log = (tmp_path / "board.log").open("wb")
        board = subprocess.Popen(
            [sys.executable, "-m", "madoguchi", "display", *args],
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=REPO,
        )
        log.close()
        try:
            _wait(lambda: any(r["ev"] == "snapshot" for r in _lines(record)), board)
            kiosk, staff = srv.client("kiosk-1"), srv.staff_client(1)
            for _ in range(3):
                kiosk.issue("juminhyo")
            first = staff.call_next(1)
            assert first is not None
            staff.recall(first.id, 1)
            staff.done(first.id, 1)
            second = staff.call_next(1)
            assert second is not None
            _wait(lambda: sum(r["ev"] == "painted" for r in _lines(record)) >= 3, board)
        finally:
            board.terminate()
            board.wait(10)
    lines = _lines(record)
    assert lines[0]["ev"] == "started"
    up = [r for r in lines if r["ev"] == "connection" and r["up"]]
    assert up and isinstance(up[0]["since"], int)
    calls = [r for r in lines if r["ev"] == "event" and r["type"] in ("ticket.called", "ticket.recalled")]
    assert [(c["type"], c["ticket_id"]) for c in calls] == [
        ("ticket.called", first.id),
        ("ticket.recalled", first.id),
        ("ticket.called", second.id),
    ]
    assert calls[0]["number"] == first.number and calls[0]["counter"] == 1
    ids = [r["id"] for r in lines if r["ev"] == "event"]
    assert ids == sorted(set(ids))  # every event once, in order
    shown = [r["id"] for r in lines if r["ev"] == "shown"]
    painted = [r["id"] for r in lines if r["ev"] == "painted"]
    assert shown == painted == [c["id"] for c in calls]
    t_event = {r["id"]: r["t"] for r in lines if r["ev"] == "event"}
    t_paint = {r["id"]: r["t"] for r in lines if r["ev"] == "painted"}
    assert all(t_paint[i] >= t_event[i] for i in painted)
    assert "Traceback" not in (tmp_path / "board.log").read_text(encoding="utf-8", errors="replace")
