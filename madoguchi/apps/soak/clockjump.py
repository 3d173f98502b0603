"""The clock jump over the day roll: the server runs on ``--clock-offset-file``; the fault writes the offset.

The soak's server is started with ``madoguchi server --clock-offset-file OUT/clock-offset`` (see
``madoguchi.core.hall_time.OffsetClock``), so the machine's clock, shared with everything else, never moves. The fault
first looks at the old day in the database (read-only): how many form records it holds, a sample of their
ciphertexts, its key file, its open tickets. Then it moves the server's clock just past the next day reset,
waits for the server to roll its day and watches the purge happen. What it saw is kept for the ``day_roll``
invariant, which checks again at the end of the run, down to the bytes of the database files.

After the jump the server stamps events and tickets with the shifted time; ``ServerTime`` turns such stamps
back into wall-clock time for latencies, ages and the timeline.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from madoguchi.apps.soak.monitor import open_readonly
from madoguchi.apps.soak.plan import Fault
from madoguchi.core.hall_time import next_reset

#: the jump goes at least this far ahead, so shifted stamps can never be mistaken for unshifted ones
MIN_JUMP = dt.timedelta(hours=1)
#: land this far past the reset time: the roll has happened but the new day has barely begun
PAST_RESET = dt.timedelta(seconds=90)
ROLL_TIMEOUT_S = 60.0
PURGE_TIMEOUT_S = 15.0
SAMPLES = 40


class ServerTime:
    """The offsets the soak gave the server's clock, and when: server stamps ↔ wall-clock time."""

    def __init__(self) -> None:
        self._shifts: list[tuple[float, float]] = [(0.0, 0.0)]  # (wall time applied, offset seconds)
        self._lock = threading.Lock()

    def shift(self, wall: float, offset: float) -> None:
        with self._lock:
            self._shifts.append((wall, offset))

    @property
    def shifts(self) -> list[tuple[float, float]]:
        with self._lock:
            return list(self._shifts)

    def to_wall(self, server_ts: float, ref: float | None = None) -> float:
        """Wall time of a server stamp: with ``ref`` (when it was seen) the candidate closest before it;
        without, the largest offset that puts the stamp after that offset was applied."""
        shifts = self.shifts
        if ref is not None:
            before = [server_ts - off for _, off in shifts if server_ts - off <= ref + 1.0]
            return max(before) if before else server_ts - shifts[0][1]
        best = server_ts
        for applied, off in shifts:
            if server_ts - off >= applied - 1.0:
                best = server_ts - off
        return best

    def age(self, server_ts: float, now: float | None = None) -> float:
        """Seconds since a server stamp (the smallest non-negative reading over the known offsets)."""
        n = time.time() if now is None else now
        ages = [n - (server_ts - off) for _, off in self.shifts]
        ok = [a for a in ages if a >= -1.0]
        return max(0.0, min(ok)) if ok else 0.0


@dataclass
class DayRollRecord:
    """What the clock-jump fault saw, for the ``day_roll`` invariant and the report."""

    jumped: bool = False
    offset_s: float = 0.0
    wall: float = 0.0
    server_time_after: str = ""
    old_day: str = ""
    new_day: str = ""
    rolled: bool = False
    roll_after_s: float = 0.0
    roll_event_id: int = 0
    last_event_before: int = 0
    expired: int = 0
    purged: int = 0
    #: the old day's state just before the jump (so the checks after it have something to check)
    old_forms_before: int = 0
    old_open_before: int = 0
    old_key_before: bool = False
    #: ciphertexts of old-day form records: none may be left in the database files afterwards
    samples: list[bytes] = field(default_factory=list)
    #: right after the roll, in the live database: old-day forms left, key file left, open old-day tickets
    forms_left_after_roll: int = -1
    key_left_after_roll: bool = True
    open_left_after_roll: int = -1
    purge_after_s: float = 0.0


class ClockJump:
    def __init__(self, offset_file: Path, db_path: Path, key_dir: Path, timezone: str, day_reset: dt.time) -> None:
        self.offset_file = offset_file
        self.db_path = db_path
        self.key_dir = key_dir
        self.zone = ZoneInfo(timezone)
        self.day_reset = day_reset
        self.server_time = ServerTime()
        self.record = DayRollRecord()

    def prepare(self) -> None:
        """Before the server starts: no offset (a file left from an earlier run would shift the whole day)."""
        self.offset_file.unlink(missing_ok=True)

    def _write_offset(self, seconds: float) -> None:
        tmp = self.offset_file.with_suffix(".tmp")
        tmp.write_text(f"# soak: clock jump over the day roll\n{seconds:.0f}\n", encoding="utf-8")
        tmp.rename(self.offset_file)  # atomic: the server never reads half a number

    def _old_day_state(self, conn: sqlite3.Connection, day: str) -> tuple[int, int, list[bytes]]:
        forms = int(
            conn.execute(
                "SELECT count(*) FROM forms f JOIN tickets t ON t.id = f.ticket_id WHERE t.day <= ?", (day,)
            ).fetchone()[0]
        )
        open_ = int(
            conn.execute(
                "SELECT count(*) FROM tickets WHERE day <= ? AND state IN ('waiting', 'called', 'serving')", (day,)
            ).fetchone()[0]
        )
        rows = conn.execute(
            "SELECT f.ciphertext FROM forms f JOIN tickets t ON t.id = f.ticket_id WHERE t.day <= ? "
            "ORDER BY f.ticket_id DESC LIMIT ?",
            (day, SAMPLES),
        ).fetchall()
        return forms, open_, [bytes(r[0]) for r in rows if r[0] and len(r[0]) >= 16]

    def act(self, fault: Fault) -> str:
        rec = self.record
        conn = open_readonly(self.db_path)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'hall_day'").fetchone()
            rec.old_day = str(row[0]) if row else ""
            rec.last_event_before = int(conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0])
            rec.old_forms_before, rec.old_open_before, rec.samples = self._old_day_state(conn, rec.old_day)
            rec.old_key_before = (self.key_dir / f"forms-{rec.old_day}.key").exists()

            now = dt.datetime.now(self.zone)
            target = next_reset(now, self.day_reset, at_least=MIN_JUMP) + PAST_RESET
            rec.offset_s = round((target - now).total_seconds())
            rec.wall = time.time()
            self._write_offset(rec.offset_s)
            self.server_time.shift(rec.wall, rec.offset_s)
            rec.jumped = True
            rec.server_time_after = target.strftime("%Y-%m-%d %H:%M")

            deadline = rec.wall + ROLL_TIMEOUT_S
            while time.time() < deadline:
                rolled = conn.execute(
                    "SELECT id, data FROM events WHERE id > ? AND type = 'day.rolled' ORDER BY id LIMIT 1",
                    (rec.last_event_before,),
                ).fetchone()
                if rolled is not None:
                    data = json.loads(rolled["data"])
                    rec.rolled = True
                    rec.roll_after_s = time.time() - rec.wall
                    rec.roll_event_id = int(rolled["id"])
                    rec.new_day = str(data.get("day", ""))
                    rec.expired, rec.purged = int(data.get("expired", 0)), int(data.get("purged", 0))
                    break
                time.sleep(0.1)
            if not rec.rolled:
                raise RuntimeError(f"the server did not roll its day within {ROLL_TIMEOUT_S:.0f} s of the jump")

            # the key files go right after the roll's transaction; give the server a moment
            deadline = time.time() + PURGE_TIMEOUT_S
            while True:
                forms, open_, _ = self._old_day_state(conn, rec.old_day)
                key = (self.key_dir / f"forms-{rec.old_day}.key").exists()
                rec.forms_left_after_roll, rec.open_left_after_roll, rec.key_left_after_roll = forms, open_, key
                if (forms == 0 and open_ == 0 and not key) or time.time() > deadline:
                    break
                time.sleep(0.2)
            rec.purge_after_s = time.time() - rec.wall
        finally:
            conn.close()
        return (
            f"server clock +{rec.offset_s / 3600:.1f} h (to {rec.server_time_after}); day {rec.old_day} rolled to "
            f"{rec.new_day} after {rec.roll_after_s:.1f} s wall: {rec.expired} tickets expired, {rec.purged} form "
            f"records purged (of {rec.old_forms_before}), old key file {'left!' if rec.key_left_after_roll else 'gone'}"
        )
