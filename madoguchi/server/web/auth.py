"""Who is calling: device tokens (role per device, a counter PC bound to its counter) and staff sessions.

Tokens travel in the ``Authorization: Bearer`` header only (a browser board on the hall's own screen may carry
its display token in the ``madoguchi_token`` cookie); never in a URL, where proxies and logs would keep them.
A staff session belongs to the device it was opened on and the counter that device is bound to; it ends when
unused for ``[security] staff_idle_min``, at the day reset, and when its staff member's password changes or
the account is disabled or locked.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from fastapi import HTTPException, Request, WebSocket

from madoguchi.server.security import token_hash

STAFF_SESSION_HEADER = "X-Staff-Session"
TOKEN_COOKIE = "madoguchi_token"
#: a session's last use is written at most this often (it is a write, and most requests come in bursts)
_TOUCH_EVERY_S = 30.0
#: how long a device token's look-up is trusted; a disabled or removed device is refused within this time
_CACHE_SECONDS = 5.0


class TokenReader(Protocol):
    """The read-only connection's look-ups (``HallServer.reader``): auth never writes itself."""

    def device_by_token_hash(self, token_hash: str) -> tuple[str, str, int | None] | None: ...
    def staff_session(self, token_hash: str) -> tuple[str, str | None, int | None, float] | None: ...


class StaffSessionExpired(Exception):
    """A staff session that is no more (logged out, idle, the day ended, restored away): log in again."""


@dataclass(frozen=True)
class Principal:
    device: str
    role: str
    #: the counter the device is bound to (staff PCs)
    device_counter: int | None = None
    staff_id: str | None = None
    #: the counter of the staff session (always the device's)
    counter: int | None = None
    session_hash: str | None = None


def _bearer(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


class Authenticator:
    """Looks callers up on the read-only connection; a session's last use is written through ``touch`` (the
    server hands it to the writer without waiting)."""

    def __init__(
        self,
        reader: TokenReader,
        touch: Callable[[str, float], None],
        idle_s: Callable[[], float],
        now: Callable[[], float] = time.time,
    ) -> None:
        """``now``: the hall clock (a rehearsal's shifted clock included), as the sessions' times are written."""
        self.reader = reader
        self._touch = touch
        self._idle_s = idle_s
        self._now = now
        self._cache: dict[str, tuple[float, Principal]] = {}
        self._touched: dict[str, float] = {}

    def forget_devices(self) -> None:
        """A device was disabled, removed or bound elsewhere: look every token up again."""
        self._cache.clear()

    def device(self, token: str | None) -> Principal:
        if not token:
            raise HTTPException(401, "a device token is required (Authorization: Bearer …)")
        digest = token_hash(token)
        now = time.monotonic()
        hit = self._cache.get(digest)
        if hit is not None and now - hit[0] < _CACHE_SECONDS:
            return hit[1]
        found = self.reader.device_by_token_hash(digest)
        if found is None:
            self._cache.pop(digest, None)
            raise HTTPException(401, "unknown device token")
        principal = Principal(device=found[0], role=found[1], device_counter=found[2])
        self._cache[digest] = (now, principal)
        return principal

    def request(self, request: Request) -> Principal:
        principal = self.device(_bearer(request.headers.get("authorization")) or request.cookies.get(TOKEN_COOKIE))
        session = request.headers.get(STAFF_SESSION_HEADER)
        if not session:
            return principal
        staff = self._staff(principal, session, touch=True)
        if staff is None:
            raise StaffSessionExpired()
        return staff

    def _staff(self, principal: Principal, session: str, *, touch: bool) -> Principal | None:
        """The staff member of ``session`` on this device, or None when the session is no more."""
        digest = token_hash(session)
        found = self.reader.staff_session(digest)
        if found is None or found[1] != principal.device or found[2] != principal.device_counter:
            return None
        staff_id, _device, counter, last_seen = found
        now = self._now()
        if now - max(last_seen, self._touched.get(digest, 0.0)) > self._idle_s():
            return None
        if touch and now - self._touched.get(digest, last_seen) > _TOUCH_EVERY_S:
            if len(self._touched) > 10_000:  # a hall opens a few hundred sessions a day; forget old ones
                self._touched.clear()
            self._touched[digest] = now
            self._touch(digest, now)
        return Principal(
            principal.device, principal.role, principal.device_counter, staff_id, counter, session_hash=digest
        )

    def websocket(self, ws: WebSocket) -> Principal:
        """The device of an event stream, with its staff member when it sends a live session (an open stream
        does not keep a session alive: only a clerk's requests do)."""
        bearer = _bearer(ws.headers.get("authorization"))
        if bearer:
            principal = self.device(bearer)
        else:
            # A browser sends the cookie with a WebSocket opened by any page: only the hall's own pages may use it
            origin = ws.headers.get("origin")
            if origin is not None and urlsplit(origin).netloc != ws.headers.get("host"):
                raise HTTPException(401, "the display token's cookie is for the hall's own pages")
            principal = self.device(ws.cookies.get(TOKEN_COOKIE))
        session = ws.headers.get(STAFF_SESSION_HEADER)
        if session and principal.role == "staff":
            return self._staff(principal, session, touch=False) or principal
        return principal


def sees_everything(principal: Principal) -> bool:
    """Who receives the whole event log (alerts, staff ids, transfers' reasons): admins, and staff PCs only
    while a staff member is logged in on them. Everyone else sees the tickets' life cycle and the day."""
    return principal.role == "admin" or (principal.role == "staff" and principal.staff_id is not None)


class LoginThrottle:
    """Failed logins slow down per staff id and per source address (in memory; the lockout itself is stored).

    More than ``per_account`` failures for one id, or ``per_source`` from one address, within ``window_s``: the
    next attempts are refused (429) until the window has passed, whatever the password."""

    def __init__(self, per_account: int = 5, per_source: int = 20, window_s: float = 60.0) -> None:
        self.per_account, self.per_source, self.window_s = per_account, per_source, window_s
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures[key]
        while q and now - q[0] > self.window_s:
            q.popleft()
        return q

    def _forget_old(self, now: float) -> None:
        """Ids and addresses whose failures are all past the window (every id ever tried would pile up)."""
        for key in [k for k, q in self._failures.items() if not q or now - q[-1] > self.window_s]:
            del self._failures[key]

    def wait_s(self, staff_id: str, source: str) -> float:
        """0 when an attempt may go ahead, else the seconds to wait."""
        now = time.monotonic()
        with self._lock:
            waits = [0.0]
            for key, limit in ((f"id:{staff_id}", self.per_account), (f"ip:{source}", self.per_source)):
                if key not in self._failures:
                    continue
                q = self._recent(key, now)
                if len(q) >= limit:
                    waits.append(self.window_s - (now - q[0]))
            return max(waits)

    def forgive(self, staff_id: str) -> None:
        """An administrator unlocked or enabled the account: its member may log in at once."""
        with self._lock:
            self._failures.pop(f"id:{staff_id}", None)

    def failed(self, staff_id: str, source: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._failures) > 1000:
                self._forget_old(now)
            for key in (f"id:{staff_id}", f"ip:{source}"):
                self._recent(key, now).append(now)


def require_role(principal: Principal, *roles: str) -> None:
    if principal.role == "admin" or principal.role in roles:
        return
    raise HTTPException(403, f"a {principal.role} device may not do this")


def require_staff(principal: Principal, counter: int | None = None) -> str:
    """A logged-in staff member at the counter their PC is bound to (and at ``counter`` if given)."""
    if principal.role != "staff":
        raise HTTPException(403, f"a {principal.role} device may not do this")
    if principal.staff_id is None:
        raise HTTPException(401, "staff must log in first")
    if counter is not None and principal.counter != counter:
        raise HTTPException(403, f"this PC serves counter {principal.counter}, not {counter}")
    return principal.staff_id
