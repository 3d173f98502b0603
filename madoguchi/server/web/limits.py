"""Request size limits per route, checked before anything reads the body: 413 with a clear message.

A kiosk's ticket with its form is a few kilobytes and a heartbeat a few hundred bytes; nothing a device sends
is larger than ``TICKET_BYTES``. Bodies are read into memory only up to their route's limit (a declared length
above it is refused unread), so a 300 MB "form" or a 20 MB "heartbeat" costs the server nothing.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: a ticket with the largest form (a family of ten moving in) stays far below this
TICKET_BYTES = 64 * 1024
#: path → the most bytes its body may have; anything else: ``DEFAULT_BYTES``
LIMITS: dict[str, int] = {
    "/api/v1/tickets": TICKET_BYTES,
    "/api/v1/devices/heartbeat": 4 * 1024,
    "/api/v1/alerts": 1024,
    "/api/v1/staff/login": 1024,
    "/api/v1/reservations": 2 * 1024,
    "/api/v1/reservations/check-in": 2 * 1024,
}
DEFAULT_BYTES = 8 * 1024


def limit_for(path: str) -> int:
    return LIMITS.get(path, DEFAULT_BYTES)


class BodySizeLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope["path"])
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away mid-body
                await self.app(scope, _replay(bytes(body), receive), send)
                return
            body += message.get("body", b"")
            more = bool(message.get("more_body"))
            if len(body) > limit:
                await _too_large(send, limit)
                return
        await self.app(scope, _replay(bytes(body), receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body read here, in one message; then the client's own messages (its disconnect, when it comes)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def _too_large(send: Send, limit: int) -> None:
    detail = f"the request body is larger than the {limit} bytes this address accepts"
    payload = json.dumps({"error": "request.too_large", "detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
