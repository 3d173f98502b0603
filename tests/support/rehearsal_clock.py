"""Moving a test server's hall clock (``madoguchi server --clock-offset-file``) to a chosen time."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from zoneinfo import ZoneInfo

TOKYO = ZoneInfo("Asia/Tokyo")
#: the server re-reads the offset file at most every 0.5 s (core/hall_time.py OFFSET_RECHECK_S)
_SEEN_WITHIN_S = 1.2


def hall_time_ahead(hour: int, minute: int = 0) -> dt.datetime:
    """The next ``hour:minute`` in Tokyo at least five minutes from now (the hall day never goes back)."""
    now = dt.datetime.now(TOKYO)
    at = dt.datetime.combine(now.date(), dt.time(hour, minute), tzinfo=TOKYO)
    return at if at >= now + dt.timedelta(minutes=5) else at + dt.timedelta(days=1)


def write_offset(offset_file: Path, to: dt.datetime) -> None:
    """The offset that puts the hall clock at ``to`` (for a server not started yet)."""
    offset_file.write_text(f"{(to - dt.datetime.now(dt.UTC)).total_seconds():.0f}\n", encoding="utf-8")


def move_hall_clock(offset_file: Path, to: dt.datetime) -> None:
    """Set a running server's hall clock to ``to`` and wait until it has read the new offset."""
    write_offset(offset_file, to)
    time.sleep(_SEEN_WITHIN_S)
