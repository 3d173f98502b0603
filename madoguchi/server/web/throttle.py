"""Attempts per source in a sliding window, in memory (a restart forgets them): the booking form's limit.

The source is an address; behind the reverse proxy it is the resident's, from the proxy's ``X-Real-IP`` header,
trusted only from the proxy's own addresses (``[booking] trusted_proxies``). Addresses are held as their hash.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable

from starlette.requests import Request


class SlidingWindow:
    def __init__(self, limit: Callable[[], int], window_s: float = 3600.0, clock: Callable[[], float] = time.monotonic):
        self.limit, self.window_s, self.clock = limit, window_s, clock
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def admit(self, source: str) -> float:
        """0 and counted when an attempt may go ahead; else the seconds until one may."""
        key = hashlib.sha256(source.encode()).hexdigest()[:32]
        now = self.clock()
        with self._lock:
            if len(self._seen) > 10_000:
                for k in [k for k, q in self._seen.items() if not q or now - q[-1] > self.window_s]:
                    del self._seen[k]
            q = self._seen[key]
            while q and now - q[0] > self.window_s:
                q.popleft()
            if len(q) >= self.limit():
                return max(1.0, self.window_s - (now - q[0]))
            q.append(now)
            return 0.0


def source_of(request: Request, trusted_proxies: Iterable[str]) -> str:
    """The address a request comes from: the proxy's ``X-Real-IP`` when the proxy is the one asking."""
    peer = request.client.host if request.client else "?"
    forwarded = request.headers.get("x-real-ip")
    if forwarded and peer in set(trusted_proxies):
        return forwarded.strip()[:64]
    return peer
