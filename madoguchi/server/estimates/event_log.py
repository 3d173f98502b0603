"""Reading the queue event log (``../shared/data/wait/README.md`` format) with line-numbered errors."""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

COLUMNS = ("seq", "day_id", "scenario", "date", "time", "t_min", "event", "ticket_id", "ticket_no", "service",
           "counter", "detail")  # fmt: skip
EVENTS = ("counter_open", "break_start", "break_end", "counter_close", "issued", "called", "service_start",
          "service_end", "abandoned")  # fmt: skip
_NEEDS: dict[str, tuple[str, ...]] = {
    "counter_open": ("counter", "detail"),
    "break_start": ("counter",),
    "break_end": ("counter",),
    "counter_close": ("counter",),
    "issued": ("ticket_id", "service"),
    "called": ("ticket_id", "counter"),
    "service_start": ("ticket_id",),
    "service_end": ("ticket_id",),
    "abandoned": ("ticket_id",),
}


class LogError(Exception):
    """The log is malformed; the message starts with ``file:line:``."""

    def __init__(self, where: str, line: int, message: str) -> None:
        self.line = line
        super().__init__(f"{where}:{line}: {message}")


@dataclass(frozen=True, slots=True)
class LogEvent:
    line: int
    day_id: str
    scenario: str
    date: str
    t: float
    event: str
    ticket_id: str
    ticket_no: str
    service: str
    counter: str
    detail: str


@dataclass
class LogDay:
    day_id: str
    scenario: str
    weekday: int
    events: list[LogEvent]


def _weekday(date: str) -> int:
    return dt.date.fromisoformat(date).weekday()


def parse_rows(rows: Iterable[list[str]], where: str) -> list[LogDay]:
    """Validate rows (the header first) and group them into days in file order, each sorted by time."""
    it = iter(rows)
    header = next(it, None)
    if header is None:
        raise LogError(where, 1, "empty file; expected a header line")
    header = [h.strip() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise LogError(where, 1, f"missing column(s) {', '.join(missing)}")
    col = {c: header.index(c) for c in COLUMNS}
    days: dict[str, LogDay] = {}
    for line, row in enumerate(it, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            raise LogError(where, line, f"expected {len(header)} fields, found {len(row)}")
        f = {c: row[i].strip() for c, i in col.items()}
        if f["event"] not in EVENTS:
            raise LogError(where, line, f"unknown event {f['event']!r}")
        try:
            t = float(f["t_min"])
        except ValueError:
            raise LogError(where, line, f"t_min is not a number: {f['t_min']!r}") from None
        if not math.isfinite(t) or not 0 <= t < 48 * 60:
            raise LogError(where, line, f"t_min out of range: {f['t_min']!r}")
        if not f["day_id"]:
            raise LogError(where, line, "day_id is empty")
        for need in _NEEDS[f["event"]]:
            if not f[need]:
                raise LogError(where, line, f"{f['event']} needs a {need}")
        day = days.get(f["day_id"])
        if day is None:
            try:
                weekday = _weekday(f["date"])
            except ValueError:
                raise LogError(where, line, f"date is not YYYY-MM-DD: {f['date']!r}") from None
            day = days[f["day_id"]] = LogDay(f["day_id"], f["scenario"], weekday, [])
        day.events.append(
            LogEvent(
                line,
                f["day_id"],
                f["scenario"],
                f["date"],
                t,
                f["event"],
                f["ticket_id"],
                f["ticket_no"],
                f["service"],
                f["counter"],
                f["detail"],
            )
        )
    for day in days.values():
        day.events.sort(key=lambda e: e.t)  # stable: same-time rows keep their file order
    return list(days.values())


def read_log(path: Path | str) -> list[LogDay]:
    p = Path(path)
    try:
        with p.open(newline="", encoding="utf-8") as fh:
            return parse_rows(csv.reader(fh), str(p))
    except OSError as exc:
        raise LogError(str(p), 0, f"cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise LogError(str(p), 0, "not UTF-8 text") from None
    except csv.Error as exc:
        raise LogError(str(p), 0, f"not CSV: {exc}") from None


def read_history(directory: Path | str) -> list[LogDay]:
    """Every ``*.csv`` log in a folder, in name order (name them by date)."""
    days: list[LogDay] = []
    for p in sorted(Path(directory).glob("*.csv")):
        days.extend(read_log(p))
    return days
