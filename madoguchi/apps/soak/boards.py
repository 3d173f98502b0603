"""The two boards, each recording every call it got, in order, with the time it reached the screen.

- ``QtBoardProc``: the real Qt board (``madoguchi display``) in its own process on the offscreen platform, with
  ``--record-calls`` (``madoguchi.apps.board.call_record``): it writes every event it received, every call it showed
  and when the "now calling" panel painted it. Chime only (``--no-speech``): Japanese speech synthesis costs
  ~0.5 s CPU per call, more than a 2-core CI machine can spare next to the rest of the hall.
- ``BoardRecorder``: a WebSocket ``EventStream`` client (a thread of the soak). A network cut is played by
  stopping the stream and starting a new one with ``since=<last id delivered>``, which is what a board does
  when its link comes back.

``WaitingSampler`` polls ``GET /board`` (the snapshot a freshly started board paints) for the timeline's
queue lengths; it is the soak's observer, not a board, so a board's network cut does not stop it.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from madoguchi.client.hall_client import ClientError, EventStream, HallClient
from madoguchi.client.local_server import stop_process
from madoguchi.core import api_models as m
from madoguchi.core.child_process import die_with_parent, on_main_thread

log = logging.getLogger(__name__)

CALL_EVENTS = ("ticket.called", "ticket.recalled")


@dataclass(frozen=True)
class SeenCall:
    event_id: int
    ticket_id: int | None
    counter: int | None
    type: str
    received: float  # wall clock when the board got it
    painted: float | None = None  # wall clock when a Qt board painted it as a fresh call

    @property
    def on_screen(self) -> float:
        return self.painted if self.painted is not None else self.received


@dataclass
class BoardRecord:
    name: str
    start_id: int
    calls: list[SeenCall] = field(default_factory=list)
    event_ids: list[int] = field(default_factory=list)
    reconnects: int = 0
    cuts: int = 0
    kind: str = "websocket"
    shown: int = 0  # Qt: calls shown as fresh (highlighted, announced)
    painted: int = 0  # Qt: of those, painted by the "now calling" panel
    snapshots: int = 0  # Qt: rebuilt from GET /board (start, reconnects, day roll)


class BoardRecorder:
    def __init__(self, name: str, base_url: str, token: str, start_id: int) -> None:
        self.record = BoardRecord(name, start_id)
        self._base_url = base_url
        self._token = token
        self._lock = threading.Lock()
        self._stream: EventStream | None = None

    def _on_event(self, event: m.Event) -> None:
        with self._lock:
            self.record.event_ids.append(event.id)
            if event.type in CALL_EVENTS:
                self.record.calls.append(SeenCall(event.id, event.ticket_id, event.counter, event.type, time.time()))

    def _on_connection(self, up: bool) -> None:
        if up:
            self.record.reconnects += 1

    def _open(self, since: int) -> None:
        self._stream = EventStream(
            self._base_url, self._token, self._on_event, since=since, on_connection=self._on_connection, max_backoff=0.5
        ).start()

    def start(self) -> BoardRecorder:
        self._open(self.record.start_id)
        return self

    @property
    def last_id(self) -> int:
        with self._lock:
            return self.record.event_ids[-1] if self.record.event_ids else self.record.start_id

    def cut(self) -> None:
        """The board's network goes away."""
        self.record.cuts += 1
        if self._stream is not None:
            self._stream.stop()
            self._stream = None

    def reconnect(self) -> None:
        self._open(self.last_id)

    def stop(self) -> None:
        if self._stream is not None:
            self._stream.stop()


class WaitingSampler(threading.Thread):
    """(wall time, tickets waiting) from ``GET /board`` every ``every_s`` seconds, for the timeline."""

    def __init__(self, base_url: str, token: str, every_s: float = 0.5) -> None:
        super().__init__(name="waiting-sampler", daemon=True)
        self.samples: list[tuple[float, int]] = []
        self.errors = 0
        self.every_s = every_s
        self._client = HallClient(base_url, token, timeout=2.0)
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.wait(self.every_s):
            try:
                state = self._client.board()
            except ClientError:
                self.errors += 1  # the server is down (injected) or busy
                continue
            self.samples.append((time.time(), sum(state.waiting.values())))

    def stop(self) -> None:
        self._halt.set()
        self.join(5)
        self._client.close()


class QtBoardProc:
    """The real Qt board, offscreen, as its own process; its record file is read back into a ``BoardRecord``."""

    def __init__(self, name: str, base_url: str, token: str, start_id: int, out_dir: Path) -> None:
        self.name = name
        self.base_url = base_url
        self.start_id = start_id
        self.record_path = out_dir / f"{name}.calls.jsonl"
        self.log_path = out_dir / f"{name}.log"
        self.token_file = out_dir / f"{name}.token"
        self._token = token
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> QtBoardProc:
        self.record_path.unlink(missing_ok=True)
        fd = os.open(self.token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # a device credential
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(self._token)
        args = ["--server", self.base_url, "--token-file", str(self.token_file), "--windowed", "--size", "1280x720"]
        args += ["--no-audio", "--no-speech", "--record-calls", str(self.record_path)]
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "madoguchi", "display", *args],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"},
            # a Qt event loop never ends by itself: it must not outlive a soak that was killed
            preexec_fn=die_with_parent if on_main_thread() else None,
        )
        log.close()
        return self

    def lines(self) -> list[dict[str, Any]]:
        if not self.record_path.exists():
            return []
        out = []
        for line in self.record_path.read_text(encoding="utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:  # a line cut by a kill
                continue
        return out

    def wait_ready(self, timeout: float) -> None:
        """Until the board is connected and has painted its first snapshot."""
        deadline = time.monotonic() + timeout
        while not any(r["ev"] == "snapshot" for r in self.lines()):
            if self.proc is None or self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Qt board did not get ready; see {self.log_path}")
            time.sleep(0.2)

    def read_record(self) -> BoardRecord:
        rec = BoardRecord(self.name, self.start_id, kind="qt offscreen")
        lines = self.lines()
        painted = {r["id"]: r["t"] for r in lines if r["ev"] == "painted"}
        for r in lines:
            ev = r["ev"]
            if ev == "event":
                rec.event_ids.append(int(r["id"]))
                if r["type"] in CALL_EVENTS:
                    rec.calls.append(
                        SeenCall(
                            int(r["id"]), r.get("ticket_id"), r.get("counter"), r["type"], r["t"], painted.get(r["id"])
                        )
                    )
            elif ev == "connection" and r["up"]:
                rec.reconnects += 1
            elif ev == "shown":
                rec.shown += 1
            elif ev == "snapshot":
                rec.snapshots += 1
        rec.painted = len(painted)
        return rec

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc, grace=10)
