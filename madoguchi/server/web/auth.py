"""Who is calling: device tokens (role per device) and staff sessions on top of a staff device's token."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

from fastapi import HTTPException, Request, WebSocket

from madoguchi.server.security import token_hash

STAFF_SESSION_HEADER = "X-Staff-Session"
TOKEN_COOKIE = "madoguchi_token"


class TokenReader(Protocol):
    """The read-only connection's look-ups (``HallServer.reader``): auth never writes."""

    def device_by_token_hash(self, token_hash: str) -> tuple[str, str] | None: ...
    def staff_session(self, token_hash: str) -> tuple[str, str | None, int | None, float] | None: ...


class StaffSessionExpired(Exception):
    """A staff session that is no more (logged out, expired, the database restored): log in again."""


@dataclass(frozen=True)
class Principal:
    device: str
    role: str
    staff_id: str | None = None
    counter: int | None = None


def _bearer(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


_CACHE_SECONDS = 10.0
_cache: dict[str, tuple[float, Principal]] = {}


def authenticate(store: TokenReader, token: str | None) -> Principal:
    if not token:
        raise HTTPException(401, "a device token is required (Authorization: Bearer …)")
    digest = token_hash(token)
    now = time.monotonic()
    hit = _cache.get(digest)
    if hit is not None and now - hit[0] < _CACHE_SECONDS:  # a revoked token stops working within seconds
        return hit[1]
    found = store.device_by_token_hash(digest)
    if found is None:
        _cache.pop(digest, None)
        raise HTTPException(401, "unknown device token")
    principal = Principal(device=found[0], role=found[1])
    _cache[digest] = (now, principal)
    return principal


def principal_from_request(request: Request, store: TokenReader) -> Principal:
    token = _bearer(request.headers.get("authorization")) or request.cookies.get(TOKEN_COOKIE)
    principal = authenticate(store, token)
    session = request.headers.get(STAFF_SESSION_HEADER)
    if session:
        found = store.staff_session(token_hash(session))
        if found is None or found[1] != principal.device:
            raise StaffSessionExpired()
        return Principal(principal.device, principal.role, staff_id=found[0], counter=found[2])
    return principal


def principal_from_websocket(ws: WebSocket, store: TokenReader) -> Principal:
    token = _bearer(ws.headers.get("authorization")) or ws.query_params.get("token") or ws.cookies.get(TOKEN_COOKIE)
    return authenticate(store, token)


def require_role(principal: Principal, *roles: str) -> None:
    if principal.role == "admin" or principal.role in roles:
        return
    raise HTTPException(403, f"a {principal.role} device may not do this")


def require_staff(principal: Principal, counter: int | None = None) -> str:
    """A logged-in staff member (at ``counter`` if given); returns the staff id."""
    require_role(principal, "staff")
    if principal.staff_id is None:
        raise HTTPException(401, "staff must log in first")
    if counter is not None and principal.counter is not None and principal.counter != counter:
        raise HTTPException(403, f"this session belongs to counter {principal.counter}")
    return principal.staff_id
