"""The phone page's live status: each open page gets its own ticket's status, pushed when it changes.

One subscriber of the event hub serves every open phone page. After an event about a ticket, the phones that
follow a ticket of the same procedure (their place moved), or that ticket itself, are read again in one writer
job; a page is sent a new status only when it differs from the last one it got. A phone never sees the event
stream itself, nor any other ticket than its own: only what ``/t/<token>`` shows.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from madoguchi.core import api_models as m
from madoguchi.server.event_hub import EventHub

log = logging.getLogger(__name__)

#: most phone pages open at once (each is a connection and a little memory), and per ticket (tabs, a family)
MAX_STREAMS = 2000
PER_TICKET = 4
FINAL_STATES = frozenset({"done", "cancelled", "no_show", "expired"})

#: a ticket's status, id and procedure, or None when the token names no ticket of today
Found = tuple[m.TicketStatus, int, str] | None
#: the statuses of some tickets by token, read on the writer (``HallService.phone_statuses``)
Compute = Callable[[list[str]], Awaitable[dict[str, Found]]]
#: what a page's queue carries: a new status, or None for "the stream ends" (the ticket is gone, or shutdown)
Delivery = m.TicketStatus | None


class TooManyStreams(Exception):
    """More phone pages open than the server keeps (for all tickets, or for this one)."""


@dataclass
class _Watched:
    ticket_id: int
    service_id: str
    pages: set[asyncio.Queue[Delivery]] = field(default_factory=set)


class TicketWatch:
    def __init__(self, hub: EventHub, compute: Compute) -> None:
        self.hub = hub
        self.compute = compute
        self._watched: dict[str, _Watched] = {}
        self._task: asyncio.Task[None] | None = None
        #: statuses sent after events (tests, bench)
        self.pushed = 0

    @property
    def open_pages(self) -> int:
        return sum(len(w.pages) for w in self._watched.values())

    async def open(self, token: str) -> tuple[asyncio.Queue[Delivery], m.TicketStatus] | None:
        """A page starts following ``token``: its queue and the status now; None for an unknown ticket."""
        if self.open_pages >= MAX_STREAMS:
            raise TooManyStreams()
        watched = self._watched.get(token)
        if watched is not None and len(watched.pages) >= PER_TICKET:
            raise TooManyStreams()
        # subscribe first: an event between the read below and the subscription would be missed
        self._follow()
        found = (await self.compute([token])).get(token)
        if found is None:
            self._stop_if_idle()
            return None
        status, ticket_id, service_id = found
        watched = self._watched.setdefault(token, _Watched(ticket_id, service_id))
        watched.service_id = service_id
        q: asyncio.Queue[Delivery] = asyncio.Queue(16)
        watched.pages.add(q)
        return q, status

    def close(self, token: str, q: asyncio.Queue[Delivery]) -> None:
        watched = self._watched.get(token)
        if watched is not None:
            watched.pages.discard(q)
            if not watched.pages:
                del self._watched[token]
        self._stop_if_idle()

    # ------------------------------------------------------------------ following the hub
    def _follow(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(self.hub.subscribe()))

    def _stop_if_idle(self) -> None:
        if not self._watched and self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self, q: asyncio.Queue[tuple[int, str, str | None] | None]) -> None:
        try:
            while True:
                first = await q.get()
                batch = [first]
                while not q.empty():  # what came meanwhile: one read for all of it
                    batch.append(q.get_nowait())
                if any(item is None for item in batch):
                    if self.hub.closed:
                        self._end_all()
                        return
                    # dropped as too slow: subscribe again and read every followed ticket
                    self.hub.unsubscribe(q)
                    q = self.hub.subscribe()
                    await self._refresh(set(self._watched))
                    continue
                await self._refresh(self._affected([item[2] for item in batch if item is not None]))
        except asyncio.CancelledError:
            pass
        finally:
            self.hub.unsubscribe(q)

    def _affected(self, texts: list[str | None]) -> set[str]:
        services: set[str] = set()
        tickets: set[int] = set()
        everyone = False
        for text in texts:
            if text is None:
                continue
            event = json.loads(text)
            kind = str(event.get("type", ""))
            if kind == "day.rolled":
                everyone = True
            elif kind.startswith("ticket."):
                data = event.get("data") or {}
                services.update(str(s) for s in (data.get("service_id"), data.get("from_service")) if s)
                if event.get("ticket_id") is not None:
                    tickets.add(int(event["ticket_id"]))
        return {
            token
            for token, w in self._watched.items()
            if everyone or w.service_id in services or w.ticket_id in tickets
        }

    async def _refresh(self, tokens: set[str]) -> None:
        if not tokens:
            return
        try:
            found = await self.compute(sorted(tokens))
        except Exception as exc:  # a failed read (disk): the pages keep their last status; the next event retries
            log.warning("phone statuses not read: %s", type(exc).__name__)
            return
        for token, result in found.items():
            watched = self._watched.get(token)
            if watched is None:
                continue
            if result is not None:
                watched.service_id = result[2]  # a transfer moves it to another procedure's queue
            for page in list(watched.pages):
                if page.full():  # a page this far behind needs only the newest status
                    page.get_nowait()
                page.put_nowait(result[0] if result is not None else None)
                self.pushed += 1

    def _end_all(self) -> None:
        for watched in self._watched.values():
            for page in watched.pages:
                with contextlib.suppress(asyncio.QueueFull):
                    page.put_nowait(None)
