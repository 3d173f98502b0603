"""The hall's clock and calendar: local time zone, the hall day and its reset time.

``OffsetClock`` is the system clock plus an offset read from a file: it lets an operator rehearse the day roll
(``madoguchi server --clock-offset-file F``) or the soak test jump over it without moving the machine's clock,
which every other process on the machine shares.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]

#: the offset file is looked at (one stat) at most this often, so the per-call cost stays a clock read
OFFSET_RECHECK_S = 0.5
#: a rehearsal never needs more than a few days; a larger value is a typo (milliseconds?) and is refused
MAX_OFFSET_S = 14 * 86400.0


def system_clock(tz: str) -> Clock:
    zone = ZoneInfo(tz)
    return lambda: dt.datetime.now(zone)


def parse_offset(text: str) -> float:
    """Seconds from an offset file: the first line that is not blank or a ``#`` comment, e.g. ``+57600``.

    An empty file means 0. Raises ValueError for anything else or beyond ``MAX_OFFSET_S``.
    """
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            value = float(line)
            if not abs(value) <= MAX_OFFSET_S:  # also refuses nan
                raise ValueError(f"offset {line!r} is beyond {MAX_OFFSET_S:.0f} s")
            return value
    return 0.0


class OffsetClock:
    """The system clock shifted by the number of seconds in ``path`` (for day-roll rehearsals and drills).

    The file is re-read when its mtime, size or inode changes, checked at most every ``recheck_s`` seconds;
    a missing file means no offset (delete it to end a rehearsal). A file that cannot be parsed keeps the
    last good offset and logs a warning. Thread-safe: only one caller refreshes, the others use the offset
    they find.
    """

    def __init__(
        self,
        tz: str,
        path: Path | str,
        *,
        recheck_s: float = OFFSET_RECHECK_S,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.zone = ZoneInfo(tz)
        self.path = Path(path)
        self.recheck_s = recheck_s
        self._wall = wall
        self._monotonic = monotonic
        self._offset = 0.0
        self._seen: tuple[int, int, int] | None = None
        self._next_check = float("-inf")
        self._lock = threading.Lock()

    @property
    def offset(self) -> float:
        """The offset in seconds now in force (re-reads the file when it is due)."""
        if self._monotonic() >= self._next_check and self._lock.acquire(blocking=False):
            try:
                self._refresh()
            finally:
                self._lock.release()
        return self._offset

    def _refresh(self) -> None:
        self._next_check = self._monotonic() + self.recheck_s
        try:
            st = os.stat(self.path)
            seen: tuple[int, int, int] | None = (st.st_mtime_ns, st.st_size, st.st_ino)
        except FileNotFoundError:
            seen = None
        if seen == self._seen:
            return
        self._seen = seen
        if seen is None:
            new = 0.0
        else:
            try:
                new = parse_offset(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError, UnicodeDecodeError) as exc:
                log.warning("clock offset file %s unusable (%s); keeping %+.0f s", self.path, exc, self._offset)
                return
        if new != self._offset:
            self._offset = new
            shifted = dt.datetime.fromtimestamp(self._wall() + new, self.zone)
            # loud on purpose: a shifted clock in daily service would misdate tickets
            log.warning("clock offset now %+.0f s from %s: the hall clock reads %s", new, self.path, shifted)

    def timestamp(self) -> float:
        return self._wall() + self.offset

    def __call__(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.timestamp(), self.zone)


def hall_day(now: dt.datetime, reset: dt.time) -> str:
    """The hall day a moment belongs to: before the reset time it is still the previous day."""
    day = now.date()
    if now.time() < reset:
        day -= dt.timedelta(days=1)
    return day.isoformat()


def next_reset(now: dt.datetime, reset: dt.time, *, at_least: dt.timedelta = dt.timedelta(0)) -> dt.datetime:
    """The first moment at ``reset`` (local time of ``now``) that is at least ``at_least`` after ``now``."""
    earliest = now + at_least
    candidate = dt.datetime.combine(earliest.date(), reset, tzinfo=now.tzinfo)
    if candidate < earliest:
        candidate = dt.datetime.combine(earliest.date() + dt.timedelta(days=1), reset, tzinfo=now.tzinfo)
    return candidate


def iso(ts: float | None, tz: str) -> str | None:
    if ts is None:
        return None
    return dt.datetime.fromtimestamp(ts, ZoneInfo(tz)).isoformat(timespec="seconds")
