"""The soak's invariants, checked from the server's database (read-only) and the clients' own records.

Each check returns an ``Invariant`` with what it looked at and every violation found (the run passes when all
lists are empty). Violation texts carry ticket ids and numbers only.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from madoguchi.apps.soak.boards import CALL_EVENTS, BoardRecord
from madoguchi.apps.soak.clockjump import DayRollRecord
from madoguchi.apps.soak.faults import FaultRun
from madoguchi.apps.soak.monitor import MonitorRecord, RssSample
from madoguchi.apps.soak.staff import StaffRecord

RSS_LIMIT = 0.10
RSS_MIN_SAMPLES = 20
RSS_WARMUP_S = 20.0  # lazily imported request paths and first-use caches settle within this after a start
END_STATES = ("ticket.done", "ticket.no_show", "ticket.cancelled", "ticket.transferred", "ticket.returned")
#: personal data the scripted residents carry (the virtual card's default profile and the 2D-code form)
PERSONAL_MARKERS = ("平塚", "花子", "浅間町", "試験", "太郎", "中央一丁目", "123456789018", "1980-02-17")
_LOG_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}),(\d{3}) (\w+) ")


@dataclass
class Invariant:
    name: str
    checked: int = 0
    violations: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def ok(self) -> bool:
        return not self.violations


def shown_tickets(conn: sqlite3.Connection, journals: dict[str, list[dict[str, Any]]]) -> Invariant:
    inv = Invariant("every ticket a resident was shown exists on the server")
    for kiosk, records in journals.items():
        for r in records:
            if r.get("ev") != "shown":
                continue
            inv.checked += 1
            row = conn.execute("SELECT number, day FROM tickets WHERE id = ?", (r["id"],)).fetchone()
            if row is None:
                inv.violations.append(f"{kiosk}: ticket id {r['id']} ({r['number']}) missing on the server")
            elif (row["number"], row["day"]) != (r["number"], r["day"]):
                inv.violations.append(
                    f"{kiosk}: ticket id {r['id']} shown as {r['number']}, server has {row['number']}"
                )
    return inv


def unique_numbers(conn: sqlite3.Connection, journals: dict[str, list[dict[str, Any]]]) -> Invariant:
    inv = Invariant("no number issued twice in a day")
    dupes = conn.execute("SELECT day, number, COUNT(*) AS n FROM tickets GROUP BY day, number HAVING n > 1").fetchall()
    inv.checked = int(conn.execute("SELECT COUNT(*) FROM tickets").fetchone()[0])
    inv.violations += [f"{d['day']} {d['number']} issued {d['n']} times" for d in dupes]
    seen: dict[tuple[str, str], int] = {}
    for records in journals.values():
        for r in records:
            if r.get("ev") == "shown":
                key = (r["day"], r["number"])
                if seen.setdefault(key, r["id"]) != r["id"]:
                    inv.violations.append(f"{key[0]} {key[1]} shown for two tickets ({seen[key]}, {r['id']})")
    return inv


def calls_exclusive(conn: sqlite3.Connection, staff: list[StaffRecord]) -> Invariant:
    """Replays the event log: a ticket is called only when not already at a counter, a counter has one ticket."""
    inv = Invariant("every ticket called at most once at a time, never by two counters")
    at_counter: dict[int, int] = {}  # ticket → counter holding it
    holding: dict[int, int] = {}  # counter → ticket
    for e in conn.execute("SELECT id, type, ticket_id, counter FROM events ORDER BY id"):
        t, c, kind = e["ticket_id"], e["counter"], e["type"]
        if kind == "ticket.called":
            inv.checked += 1
            if t in at_counter:
                inv.violations.append(f"event {e['id']}: ticket {t} called to {c} while at counter {at_counter[t]}")
            if c in holding and holding[c] != t:
                inv.violations.append(f"event {e['id']}: counter {c} called {t} while holding {holding[c]}")
            at_counter[t], holding[c] = c, t
        elif kind in ("ticket.recalled", "ticket.serving"):
            if at_counter.get(t) != c:
                inv.violations.append(f"event {e['id']}: {kind} of ticket {t} at {c}, held by {at_counter.get(t)}")
        elif kind in END_STATES or kind == "ticket.expired":
            prev = at_counter.pop(t, None)
            if prev is not None and holding.get(prev) == t:
                del holding[prev]
        elif kind == "day.rolled":
            at_counter.clear()
            holding.clear()
    # the staff's own view: the same ticket never in the hands of two counters at overlapping times
    spans = defaultdict(list)
    for rec in staff:
        for h in rec.holdings:
            spans[h.ticket_id].append(h)
    for tid, hs in spans.items():
        hs.sort(key=lambda h: h.start)
        for a, b in itertools.pairwise(hs):
            if a.counter != b.counter and (a.end is None or b.start < a.end):
                inv.violations.append(f"ticket {tid} held by counters {a.counter} and {b.counter} at once")
    return inv


def boards_in_order(conn: sqlite3.Connection, boards: list[BoardRecord]) -> Invariant:
    inv = Invariant("every call reached every board, in order (after reconnects)")
    marks = ",".join("?" * len(CALL_EVENTS))
    for b in boards:
        expected = [
            int(r[0])
            for r in conn.execute(
                f"SELECT id FROM events WHERE id > ? AND type IN ({marks}) ORDER BY id", (b.start_id, *CALL_EVENTS)
            )
        ]
        got = [c.event_id for c in b.calls]
        inv.checked += len(expected)
        if got != expected:
            missing = sorted(set(expected) - set(got))
            extra = len(got) - len(set(got))
            inv.violations.append(
                f"{b.name}: {len(got)} calls seen, {len(expected)} expected; missing {missing[:10]}, "
                f"duplicates {extra}, in order {got == sorted(got)}"
            )
        if b.event_ids != sorted(set(b.event_ids)):
            inv.violations.append(f"{b.name}: events out of order or repeated")
    return inv


def nothing_stuck(conn: sqlite3.Connection, monitor: MonitorRecord, stuck_after_s: float) -> Invariant:
    inv = Invariant("no ticket stuck in 'called'", note=f"limit {stuck_after_s:.1f} s wall while running")
    inv.checked = monitor.checks
    inv.violations += [
        f"ticket {tid} ({num}) in 'called' for {age:.0f} s" for tid, (num, age) in monitor.stuck_called.items()
    ]
    left = conn.execute("SELECT id, number FROM tickets WHERE state = 'called'").fetchall()
    inv.violations += [f"ticket {r['id']} ({r['number']}) still 'called' at the end" for r in left]
    return inv


def rss_growth(samples: list[RssSample]) -> tuple[Invariant, list[dict[str, float]]]:
    """Per server process (RSS restarts with it): the end vs. right after warm-up (20 s or 30 % of its life)."""
    inv = Invariant("server RSS growth < 10 % after warm-up")
    per_pid: dict[int, list[RssSample]] = defaultdict(list)
    for s in samples:
        per_pid[s.pid].append(s)
    figures = []
    for pid, ss in per_pid.items():
        life = ss[-1].wall - ss[0].wall
        warm_end = ss[0].wall + max(RSS_WARMUP_S, 0.3 * life)
        after = [s for s in ss if s.wall >= warm_end]
        if len(after) < RSS_MIN_SAMPLES:
            figures.append({"pid": pid, "samples": len(ss), "growth": float("nan")})
            continue
        n = len(after)
        base = sorted(s.rss_kb for s in after[: max(1, n // 7)])
        tail = sorted(s.rss_kb for s in after[int(n * 0.8) :])
        b, t = base[len(base) // 2], tail[len(tail) // 2]
        growth = t / b - 1
        inv.checked += 1
        figures.append({"pid": pid, "samples": len(ss), "base_kb": b, "end_kb": t, "growth": growth})
        if growth >= RSS_LIMIT:
            inv.violations.append(f"server pid {pid}: RSS {b} kB → {t} kB (+{growth:.1%})")
    if not inv.checked:
        inv.note = "no server process lived long enough to judge (need 20 samples after warm-up)"
    return inv, figures


def _line_time(line: str) -> tuple[float, str] | None:
    m = _LOG_TIME.match(line)
    if m is None:
        return None
    stamp = dt.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S").timestamp() + int(m.group(2)) / 1000
    return stamp, m.group(3)


def errors_explained(logs: list[Path], faults: list[FaultRun], grace_s: float) -> Invariant:
    """Every ERROR/CRITICAL line and traceback falls inside an injected fault's window (plus a grace period)."""
    inv = Invariant("no error log line without a matching injected fault", note=f"grace {grace_s:.0f} s")
    windows = [(f.start - 1.0, f.end + grace_s, f.fault.kind, f.end) for f in faults if f.start]
    attributed: dict[str, int] = defaultdict(int)
    for path in logs:
        if not path.exists():
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        stamps = [_line_time(line) for line in lines]
        # a line without a time stamp (a traceback, uvicorn's own format) lies between its neighbours' times
        before, after = [0.0] * len(lines), [float("inf")] * len(lines)
        last = 0.0
        for i, st in enumerate(stamps):
            last = st[0] if st else last
            before[i] = last
        nxt = float("inf")
        for i in range(len(lines) - 1, -1, -1):
            stamp = stamps[i]
            nxt = stamp[0] if stamp else nxt
            after[i] = nxt
        for i, line in enumerate(lines):
            st = stamps[i]
            is_error = (st is not None and st[1] in ("ERROR", "CRITICAL")) or line.startswith(
                ("Traceback", "ERROR:", "CRITICAL:")  # tracebacks and uvicorn's own format
            )
            if not is_error:
                continue
            inv.checked += 1
            lo_t, hi_t = (st[0], st[0]) if st else (before[i], after[i])
            # overlapping windows: a fault still in progress wins over one in its grace period, then the latest
            matching = sorted((lo_t <= end, lo, kind) for lo, hi, kind, end in windows if lo <= hi_t and lo_t <= hi)
            if matching:
                attributed[matching[-1][2]] += 1
            else:
                inv.violations.append(f"{path.name}: {line[:160]}")
    if attributed:
        inv.note += "; lines per fault: " + ", ".join(f"{k} {n}" for k, n in sorted(attributed.items()))
    return inv


def no_personal_data(logs: list[Path]) -> Invariant:
    inv = Invariant("no personal data in any log")
    for path in logs:
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        inv.checked += 1
        for marker in PERSONAL_MARKERS:
            if marker in text:
                inv.violations.append(f"{path.name} contains a personal-data marker")
    return inv


def day_roll(
    conn: sqlite3.Connection,
    rec: DayRollRecord,
    journals: dict[str, list[dict[str, Any]]],
    boards: list[BoardRecord],
    db_files: list[Path],
    key_dir: Path,
) -> Invariant:
    """Around the clock jump: the day rolled, the old day's forms and keys are gone (from the tables and from
    the bytes of the database files), its open tickets expired, numbers restart and everyone kept working."""
    inv = Invariant("day roll at the clock jump: old forms purged, old tickets expired, numbers restart")
    if not rec.jumped:
        inv.note = "no clock jump in this run"
        return inv
    bad = inv.violations.append

    def check(ok: bool, violation: str) -> None:
        inv.checked += 1
        if not ok:
            bad(violation)

    check(rec.rolled and rec.new_day > rec.old_day, f"day {rec.old_day} did not roll after the clock jump")
    if not rec.rolled:
        return inv
    new = rec.new_day
    # right after the roll, in the live database
    check(rec.forms_left_after_roll == 0, f"{rec.forms_left_after_roll} old-day form records left after the roll")
    check(not rec.key_left_after_roll, f"the key file of {rec.old_day} was still there after the roll")
    check(rec.open_left_after_roll == 0, f"{rec.open_left_after_roll} old-day tickets still open after the roll")
    # at the end of the run
    left = conn.execute(
        "SELECT count(*) FROM forms f JOIN tickets t ON t.id = f.ticket_id WHERE t.day < ?", (new,)
    ).fetchone()[0]
    check(left == 0, f"{left} form records of days before {new} in the database at the end")
    keys = sorted(p.name for p in key_dir.glob("forms-*.key") if p.stem.removeprefix("forms-") < new)
    check(not keys, f"key files of old days at the end: {keys}")
    blobs = b"".join(p.read_bytes() for p in db_files if p.exists())
    inv.checked += len(rec.samples)
    found = sum(sample in blobs for sample in rec.samples)
    if found:
        bad(f"{found} of {len(rec.samples)} sampled old-day form ciphertexts still in the database files")
    stuck = conn.execute(
        "SELECT count(*) FROM tickets WHERE day < ? AND state IN ('waiting', 'called', 'serving')", (new,)
    ).fetchone()[0]
    check(stuck == 0, f"{stuck} tickets of days before {new} still open at the end")
    # numbering restarts: each prefix's first number of the new day is 1, none skipped or repeated (by prefix:
    # a transferred ticket keeps its number at its new service)
    per_prefix: dict[str, list[int]] = defaultdict(list)
    for r in conn.execute("SELECT number FROM tickets WHERE day = ?", (new,)):
        prefix, _, tail = str(r["number"]).rpartition("-")
        if tail.isdigit():
            per_prefix[prefix].append(int(tail))
    check(bool(per_prefix), f"no ticket issued on the new day {new}")
    for prefix, seqs in sorted(per_prefix.items()):
        check(sorted(seqs) == list(range(1, len(seqs) + 1)), f"{prefix} on {new}: numbers {sorted(seqs)[:8]}…")
    # the clients kept working on the new day
    shown_new = sum(r.get("ev") == "shown" and r.get("day") == new for records in journals.values() for r in records)
    check(shown_new > 0, "no kiosk showed a ticket of the new day")
    called_new = conn.execute(
        "SELECT count(*) FROM events e JOIN tickets t ON t.id = e.ticket_id "
        "WHERE e.type = 'ticket.called' AND t.day = ?",
        (new,),
    ).fetchone()[0]
    check(called_new > 0, "no ticket of the new day was called")
    for b in boards:
        check(any(c.event_id > rec.roll_event_id for c in b.calls), f"{b.name} saw no call after the day roll")
    inv.note = (
        f"{rec.old_day} → {new}: {rec.expired} expired, {rec.purged} purged of {rec.old_forms_before} "
        f"(key file before: {rec.old_key_before}); {len(rec.samples)} ciphertexts looked for in the files; "
        f"{sum(len(v) for v in per_prefix.values())} tickets and {called_new} calls on the new day"
    )
    return inv
