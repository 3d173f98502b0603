"""Accept a code only when two frames agree, and report it once per few seconds.

A single frame can misread under motion blur (Reed-Solomon makes that rare, not impossible) or catch a code
that is only passing by. A code is accepted when the same bytes were read in ``frames_needed`` frames within
``window_s``; once accepted, the same bytes are suppressed for ``repeat_s`` seconds after they were last seen,
so a resident holding a slip still does not issue a second ticket.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from madoguchi.devices.scanner.decode import DecodedCode


@dataclass
class _Sighting:
    first: float
    last: float
    count: int
    accepted_at: float | None = None


class AgreementFilter:
    """Feed it every frame's codes with :meth:`feed`; it returns the codes accepted by that frame."""

    def __init__(
        self,
        frames_needed: int = 2,
        window_s: float = 1.0,
        repeat_s: float = 4.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.frames_needed = frames_needed
        self.window_s = window_s
        self.repeat_s = repeat_s
        self._clock = clock
        self._seen: dict[tuple[str, bytes], _Sighting] = {}

    def feed(self, codes: list[DecodedCode], now: float | None = None) -> list[DecodedCode]:
        now = self._clock() if now is None else now
        accepted: list[DecodedCode] = []
        counted: set[tuple[str, bytes]] = set()
        for code in codes:
            key = (code.symbology, code.raw)
            if key in counted:  # two identical slips in one frame are one agreement vote, not two
                continue
            counted.add(key)
            s = self._seen.get(key)
            if s is None or (now - s.last > self.window_s and s.accepted_at is None):
                s = self._seen[key] = _Sighting(first=now, last=now, count=0)
            if s.accepted_at is not None and now - s.last > self.repeat_s:
                s = self._seen[key] = _Sighting(first=now, last=now, count=0)  # gone long enough: a new showing
            s.count += 1
            s.last = now
            if s.accepted_at is None and s.count >= self.frames_needed:
                s.accepted_at = now
                accepted.append(code)
        self._forget(now)
        return accepted

    def _forget(self, now: float) -> None:
        horizon = max(self.window_s, self.repeat_s)
        for key in [k for k, s in self._seen.items() if now - s.last > horizon]:
            del self._seen[key]

    def reset(self) -> None:
        self._seen.clear()
