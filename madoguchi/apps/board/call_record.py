"""What a board received and showed, as JSON lines with wall-clock times (``madoguchi display --record-calls``).

For soak and acceptance runs: a separate process can check that every call reached the board, in order, and
how long it took from the server's commit to the screen. One line per:

- ``connection``: the event stream went up or down (``since``: the event id the stream resumes after);
- ``event``: an event reached the board process (every type, so order and gaps can be checked; calls carry the
  ticket id, counter and number, never personal data). Written on the stream's thread as the event arrives:
  queued to the UI thread, the board's own handling (and even its paint) could come before the record's;
- ``shown``: a call was shown as fresh (highlighted and announced);
- ``painted``: the "now calling" panel painted that call;
- ``snapshot``: the board rebuilt itself from ``GET /board`` (start-up, reconnect, day roll).

Lines are flushed one by one, so a killed board loses nothing it recorded.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path
from typing import IO, Any

from PySide6.QtCore import QObject, Qt

from madoguchi.apps.board.board_model import CALL_EVENTS, CallEntry
from madoguchi.apps.board.board_window import BoardWindow
from madoguchi.core import api_models as m
from madoguchi.qt.event_bridge import EventBridge

log = logging.getLogger(__name__)


class CallRecorder(QObject):
    """Listens to a board's signals only: the board itself does not know it is being recorded."""

    def __init__(self, board: BoardWindow, events: EventBridge, path: Path) -> None:
        super().__init__(board)
        self._board = board
        self._events = events
        self._fh: IO[str] | None = path.open("a", encoding="utf-8")
        self._unpainted: list[CallEntry] = []
        self._write_lock = threading.Lock()  # events are written from the stream's thread, the rest from the UI's
        events.event_received.connect(self._on_event, Qt.ConnectionType.DirectConnection)
        events.connection_changed.connect(self._on_connection)
        board.call_shown.connect(self._on_shown)
        board.resynced.connect(self._on_snapshot)
        board.now_calling.painted.connect(self._on_painted)
        self._write("started")

    def _write(self, ev: str, **data: Any) -> None:
        with self._write_lock:
            if self._fh is None:
                return
            try:
                self._fh.write(json.dumps({"ev": ev, "t": time.time(), **data}, ensure_ascii=False) + "\n")
                self._fh.flush()
            except OSError as exc:  # a full disk stops the record, never the board
                log.warning("call record stopped: %s", exc.strerror)
                self._fh = None

    def _on_connection(self, up: bool) -> None:
        self._write("connection", up=up, since=self._events.last_id)

    def _on_event(self, event: m.Event) -> None:
        if event.type in CALL_EVENTS:
            number = str(event.data.get("number", ""))
            self._write(
                "event", id=event.id, type=event.type, ticket_id=event.ticket_id, counter=event.counter, number=number
            )
        else:
            self._write("event", id=event.id, type=event.type)

    def _on_shown(self, entry: CallEntry) -> None:
        self._unpainted.append(entry)
        self._write("shown", id=entry.event_id, ticket_id=entry.ticket_id)

    def _on_painted(self, number: str) -> None:
        # one paint shows the newest call big and the ones shown just before it in the recent-calls list
        if not self._unpainted or not number:
            return
        for entry in self._unpainted:
            self._write("painted", id=entry.event_id, ticket_id=entry.ticket_id)
        self._unpainted.clear()

    def _on_snapshot(self) -> None:
        model = self._board.model
        self._write("snapshot", last_event_id=model.last_event_id, calls=[c.event_id for c in model.calls])

    def close(self) -> None:
        with self._write_lock:
            if self._fh is not None:
                self._fh.close()
                self._fh = None
