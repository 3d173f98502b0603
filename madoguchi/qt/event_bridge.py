"""The server's event stream as Qt signals: ``event_received(Event)`` and ``connection_changed(bool)``.

The stream's thread only emits; Qt queues the signals to the receivers' (UI) thread.
"""

from __future__ import annotations

from pathlib import Path

import websockets.sync.client  # noqa: F401 - see below
from PySide6.QtCore import QObject, Signal

from madoguchi.client.hall_client import EventStream
from madoguchi.core import api_models as m

# The event stream imports its WebSocket client lazily on its own thread; with PySide6 loaded, that import runs
# shiboken's import hook off the UI thread and crashed the process in tests. Importing it here, on the UI
# thread, makes the stream's import a no-op.

#: stopped event bridges, kept alive: a stream thread that outlives ``stop()``'s join (stuck in a connect) must
#: never emit into a deleted QObject
_retired: list[EventBridge] = []


def retire_bridge(bridge: EventBridge) -> None:
    _retired.append(bridge)


class EventBridge(QObject):
    event_received = Signal(object)
    connection_changed = Signal(bool)

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        since: int | None = None,
        ca_file: Path | str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._stream = EventStream(
            base_url, token, self._deliver, since=since, on_connection=self.connection_changed.emit, ca_file=ca_file
        )

    def _deliver(self, event: m.Event) -> None:
        self.event_received.emit(event)

    @property
    def last_id(self) -> int | None:
        return self._stream.last_id

    def set_session(self, session: str | None) -> None:
        """A staff console's session (None after a logout): what the stream may carry follows it."""
        self._stream.set_session(session)

    def start(self) -> None:
        self._stream.start()

    def stop(self) -> None:
        self._stream.stop()
