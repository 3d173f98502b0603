"""Fan-out of queue events to WebSocket subscribers, in order, with resume from an event id.

The database's ``events`` table is the log; the hub only pushes what is new. A subscriber first replays from
the log everything after the id it asks for, then receives live events; ids it has already sent are skipped,
so a client that reconnects with its last id misses nothing and sees nothing twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable

from madoguchi.server.store import EventRow, Store

log = logging.getLogger(__name__)

QUEUE_LIMIT = 5000

#: what a subscriber's queue carries: (event id, the event for staff, the event for a display or kiosk or None
#: when they see nothing of it), or None for "close"
Delivery = tuple[int, str, str | None] | None
#: an event's wire texts (staff, public)
EventRender = Callable[[EventRow], tuple[str, str | None]]


class EventHub:
    def __init__(self, store: Store, render: EventRender) -> None:
        """``store``: the event loop's read-only connection."""
        self.store = store
        #: an event's wire text, made once per event rather than once per subscriber
        self.render = render
        # where live delivery starts: set by the first subscribe (the hub reads nothing while nobody listens)
        self.last_id = 0
        self._subscribers: set[asyncio.Queue[Delivery]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._pump_scheduled = False
        #: the server is stopping: a subscriber told "close" should not subscribe again
        self.closed = False

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._loop_thread = threading.get_ident()

    def subscribe(self) -> asyncio.Queue[Delivery]:
        """Call before replaying the log to the new subscriber: live events then start where the log ends."""
        q: asyncio.Queue[Delivery] = asyncio.Queue(QUEUE_LIMIT)
        if not self._subscribers:
            self.last_id = self.store.last_event_id()  # nobody listened: skip what was never read
        self._subscribers.add(q)
        return q

    def unsubscribe(self, q: asyncio.Queue[Delivery]) -> None:
        self._subscribers.discard(q)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    def notify(self) -> None:
        """Called after a commit, from any thread."""
        if self._loop is None:
            return
        if threading.get_ident() == self._loop_thread:
            self.pump()
        elif not self._pump_scheduled:
            # the writer tells once per job: one read of the log serves them all
            self._pump_scheduled = True
            try:
                self._loop.call_soon_threadsafe(self.pump)
            except RuntimeError:  # the loop has closed (shutting down)
                self._pump_scheduled = False

    def pump(self) -> None:
        """Read what is new in the log and hand it to every subscriber (loop thread only)."""
        self._pump_scheduled = False
        if not self._subscribers:  # nobody to tell: reading the log would be wasted (see subscribe)
            return
        while True:
            batch = self.store.events_since(self.last_id, 1000)
            if not batch:
                return
            for event in batch:
                self.last_id = event.id
                full, public = self.render(event)
                item: Delivery = (event.id, full, public)
                for q in list(self._subscribers):
                    try:
                        q.put_nowait(item)
                    except asyncio.QueueFull:
                        # A subscriber this far behind is dropped; it reconnects and resumes from its last id.
                        self._subscribers.discard(q)
                        log.warning("dropped a slow event subscriber")
                        while not q.empty():
                            q.get_nowait()
                        q.put_nowait(None)

    async def follow_other_writers(self, interval: float) -> None:
        """Pump what other connections wrote without telling (a maintenance command such as ``admin
        purge-forms``). SQLite's ``data_version`` changes with every commit of another connection; checking it
        costs a few microseconds."""
        seen = -1
        while True:
            await asyncio.sleep(interval)
            if not self._subscribers:
                continue
            try:
                version = self.store.data_version()
                if version != seen:
                    seen = version
                    self.pump()
            except Exception as exc:  # a disk error now must not end the following for good
                log.warning("reading new events failed: %s", type(exc).__name__)
                await asyncio.sleep(1.0)

    def close(self) -> None:
        self.closed = True
        for q in list(self._subscribers):
            with contextlib.suppress(asyncio.QueueFull):
                q.put_nowait(None)
        self._subscribers.clear()
