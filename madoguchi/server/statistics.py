"""Service statistics for evidence-based planning (EBPM): per day, hour, service, counter and clerk; exports.

The only module besides the store that reads the hall database with SQL (read-only): tickets hold no personal
data, so everything here is safe to show and export. Figures:

- tickets, waits (``called_at - issued_at``: mean, p50, p90 in minutes), residents served (done) and their
  service time (``finished_at`` minus ``served_at``, or ``called_at`` when the counter never pressed start: mean
  and p90), no-shows, transfers, the share auto-filled from a card or a 2D code (``source``), the language mix;
- the service level: the share of called residents called within their service's target wait
  (``[statistics] target_wait_min``, a service's ``target_wait_min``);
- estimate quality: the estimate stored on each ticket when it was issued beside the wait that happened.

CSV files are UTF-8 with a BOM (Excel opens them as UTF-8), one header row, ISO 8601 times in the hall's zone.
The open-data export has aggregates only: no ticket ids, numbers, tokens or device names.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import sqlite3
from collections import Counter as Tally
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple
from zoneinfo import ZoneInfo

from madoguchi.core.figures import mean, percentile, rounded
from madoguchi.core.hall_time import iso

Dimension = Literal["day", "hour", "service", "counter", "staff"]
DIMENSIONS: tuple[Dimension, ...] = ("day", "hour", "service", "counter", "staff")
#: a service's target wait in minutes (``HallConfig.target_wait_min``); None: no service-level figures
Targets = Callable[[str], int] | None
AUTOFILL_SOURCES = ("card", "code")
#: estimate error histogram: bin edges in minutes (real wait minus the middle estimate)
ERROR_BINS = (-30.0, -20.0, -10.0, -5.0, -2.0, 2.0, 5.0, 10.0, 20.0, 30.0)


def read_connection(db_path: Path | str) -> sqlite3.Connection:
    """A connection of its own that cannot write (statistics never change the hall)."""
    conn = sqlite3.connect(db_path, timeout=30, check_same_thread=False)
    conn.execute("PRAGMA query_only = ON")
    return conn


class TicketFacts(NamedTuple):
    """One ticket's figures (a tuple: a month of a big hall is ~50,000 of them)."""

    id: int
    number: str
    day: str
    hour: int
    service_id: str
    counter: int | None
    state: str
    source: str
    language: str
    issued_at: float
    called_at: float | None
    served_at: float | None
    finished_at: float | None
    transfers: int
    recalls: int
    est_low: float | None
    est_mid: float | None
    est_high: float | None
    #: the clerk who called it (None: never called, or called before clerks were recorded)
    staff_id: str | None = None

    @property
    def wait_min(self) -> float | None:
        return None if self.called_at is None else max(0.0, (self.called_at - self.issued_at) / 60)

    @property
    def service_min(self) -> float | None:
        if self.state != "done" or self.finished_at is None:
            return None
        start = self.served_at if self.served_at is not None else self.called_at
        return None if start is None else max(0.0, (self.finished_at - start) / 60)

    @property
    def estimate_error_min(self) -> float | None:
        wait = self.wait_min
        return None if wait is None or self.est_mid is None else wait - self.est_mid


def load_tickets(conn: sqlite3.Connection, day_from: str, day_to: str, tz: str) -> list[TicketFacts]:
    """Tickets of the hall days ``day_from``..``day_to`` (inclusive, ISO dates)."""
    zone = ZoneInfo(tz)
    hours: dict[int, int] = {}  # 15-minute bucket → local hour (every zone offset is a multiple of 15 min)
    rows = conn.execute(
        """SELECT id, number, day, service_id, counter, state, source, language, issued_at, called_at, served_at,
                  finished_at, transfers, recalls, est_low, est_mid, est_high, staff_id
           FROM tickets WHERE day >= ? AND day <= ? ORDER BY id""",
        (day_from, day_to),
    ).fetchall()
    out = []
    for r in rows:
        bucket = int(r[8] // 900)
        hour = hours.get(bucket)
        if hour is None:
            hour = hours[bucket] = dt.datetime.fromtimestamp(bucket * 900, zone).hour
        out.append(TicketFacts(r[0], r[1], r[2], hour, *r[3:]))
    return out


_mean = mean
_r = rounded


@dataclass(frozen=True)
class GroupStats:
    key: dict[str, Any]  # dimension → value (day "2026-11-30", hour 9, service "juminhyo", counter 3 or None)
    tickets: int
    called: int
    wait_mean_min: float | None
    wait_p50_min: float | None
    wait_p90_min: float | None
    service_mean_min: float | None
    no_shows: int
    transfers: int
    autofill_share: float
    languages: dict[str, int] = field(default_factory=dict)
    #: residents served to the end (done) and their service time's 90th percentile
    served: int = 0
    service_p90_min: float | None = None
    #: the share of called residents called within their service's target wait (None: nobody called)
    within_target_share: float | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _key_of(t: TicketFacts, dim: Dimension) -> Any:
    return {"day": t.day, "hour": t.hour, "service": t.service_id, "counter": t.counter, "staff": t.staff_id}[dim]


def _within_target(ts: Sequence[TicketFacts], targets: Targets) -> float | None:
    if targets is None:
        return None
    called = [t for t in ts if t.wait_min is not None]
    if not called:
        return None
    on_time = sum((t.wait_min or 0.0) <= targets(t.service_id) for t in called)
    return round(on_time / len(called), 4)


def summarise(
    facts: Iterable[TicketFacts], by: Sequence[Dimension] = ("day", "service"), targets: Targets = None
) -> list[GroupStats]:
    """One row per combination of the ``by`` dimensions, sorted (a missing counter or clerk sorts first)."""
    groups: dict[tuple[Any, ...], list[TicketFacts]] = {}
    for t in facts:
        groups.setdefault(tuple(_key_of(t, d) for d in by), []).append(t)
    out = []
    for key in sorted(groups, key=lambda k: tuple((v is not None, v) for v in k)):
        ts = groups[key]
        waits = [w for t in ts if (w := t.wait_min) is not None]
        services = [s for t in ts if (s := t.service_min) is not None]
        out.append(
            GroupStats(
                key=dict(zip(by, key, strict=True)),
                tickets=len(ts),
                called=len(waits),
                wait_mean_min=_r(_mean(waits)),
                wait_p50_min=_r(percentile(waits, 0.5)),
                wait_p90_min=_r(percentile(waits, 0.9)),
                service_mean_min=_r(_mean(services)),
                no_shows=sum(t.state == "no_show" for t in ts),
                transfers=sum(t.transfers for t in ts),
                autofill_share=round(sum(t.source in AUTOFILL_SOURCES for t in ts) / len(ts), 4),
                languages=dict(sorted(Tally(t.language for t in ts).items())),
                served=len(services),
                service_p90_min=_r(percentile(services, 0.9)),
                within_target_share=_within_target(ts, targets),
            )
        )
    return out


@dataclass(frozen=True)
class EstimateQuality:
    tickets: int  # called tickets that carried an estimate
    mean_error_min: float | None  # real wait minus the middle estimate: > 0 means residents waited longer
    mean_abs_error_min: float | None
    within_range_share: float | None  # real wait inside [low, high]
    bins: list[tuple[float | None, float | None, int]]  # (from, to, count); None = open end

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def estimate_quality(facts: Iterable[TicketFacts]) -> EstimateQuality:
    errors: list[float] = []
    inside = 0
    for t in facts:
        err = t.estimate_error_min
        if err is None:
            continue
        errors.append(err)
        wait = t.wait_min or 0.0
        low = t.est_low if t.est_low is not None else t.est_mid or 0.0
        high = t.est_high if t.est_high is not None else t.est_mid or 0.0
        inside += low <= wait <= high
    edges: list[float | None] = [None, *ERROR_BINS, None]
    bins = []
    for lo, hi in itertools.pairwise(edges):
        n = sum((lo is None or e >= lo) and (hi is None or e < hi) for e in errors)
        bins.append((lo, hi, n))
    return EstimateQuality(
        tickets=len(errors),
        mean_error_min=_r(_mean(errors)),
        mean_abs_error_min=_r(_mean([abs(e) for e in errors])),
        within_range_share=round(inside / len(errors), 4) if errors else None,
        bins=bins,
    )


# ---------------------------------------------------------------------- CSV
def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode("utf-8-sig")


TICKET_HEADER = (
    "ticket_id",
    "number",
    "day",
    "service",
    "counter",
    "state",
    "source",
    "language",
    "issued_at",
    "called_at",
    "served_at",
    "finished_at",
    "wait_min",
    "service_min",
    "est_low_min",
    "est_mid_min",
    "est_high_min",
    "transfers",
    "recalls",
    "staff",
)


def tickets_csv(facts: Iterable[TicketFacts], tz: str) -> bytes:
    """One row per ticket (internal use: has ticket ids and numbers, never personal data)."""
    return _csv_bytes(
        TICKET_HEADER,
        (
            (
                t.id,
                t.number,
                t.day,
                t.service_id,
                t.counter,
                t.state,
                t.source,
                t.language,
                iso(t.issued_at, tz),
                iso(t.called_at, tz),
                iso(t.served_at, tz),
                iso(t.finished_at, tz),
                _r(t.wait_min),
                _r(t.service_min),
                t.est_low,
                t.est_mid,
                t.est_high,
                t.transfers,
                t.recalls,
                t.staff_id,
            )
            for t in facts
        ),
    )


SUMMARY_FIELDS = (
    "tickets",
    "called",
    "wait_mean_min",
    "wait_p50_min",
    "wait_p90_min",
    "served",
    "service_mean_min",
    "service_p90_min",
    "within_target_share",
    "no_shows",
    "transfers",
    "autofill_share",
)

#: a dimension's value → the words people read (a service's, a clerk's name), for the ``<dim>_name`` columns
Names = dict[str, dict[Any, str]]


def summary_csv(
    groups: Sequence[GroupStats], by: Sequence[Dimension], *, languages: bool = True, names: Names | None = None
) -> bytes:
    langs = sorted({lang for g in groups for lang in g.languages}) if languages else []
    named = [d for d in by if names and d in names]
    header = [*by, *(f"{d}_name" for d in named), *SUMMARY_FIELDS, *(f"lang_{lang}" for lang in langs)]
    rows = (
        [
            *(g.key[d] for d in by),
            *((names or {})[d].get(g.key[d], "") for d in named),
            *(getattr(g, f) for f in SUMMARY_FIELDS),
            *(g.languages.get(lang, 0) for lang in langs),
        ]
        for g in groups
    )
    return _csv_bytes(header, rows)


#: what may be published: no ids, numbers, languages, counters or clerks
OPEN_DATA_BY: tuple[Dimension, ...] = ("day", "hour", "service")


def open_data_csv(facts: Iterable[TicketFacts], targets: Targets = None, names: Names | None = None) -> bytes:
    """Anonymised aggregates per day, hour and service for publication: no ids, numbers or languages."""
    service_names = {"service": names["service"]} if names and "service" in names else None
    groups = summarise(facts, OPEN_DATA_BY, targets)
    return summary_csv(groups, OPEN_DATA_BY, languages=False, names=service_names)


def estimates_csv(facts: Iterable[TicketFacts]) -> bytes:
    """Estimate beside the real wait, per called ticket, without ticket ids (for the error distribution)."""
    header = ("day", "hour", "service", "est_low_min", "est_mid_min", "est_high_min", "wait_min", "error_min")
    rows = (
        (t.day, t.hour, t.service_id, t.est_low, t.est_mid, t.est_high, _r(t.wait_min), _r(t.estimate_error_min))
        for t in facts
        if t.estimate_error_min is not None
    )
    return _csv_bytes(header, rows)


EXPORTS = ("tickets", "summary", "open-data", "estimates")


def export_csv(
    kind: str,
    facts: Sequence[TicketFacts],
    tz: str,
    by: Sequence[Dimension] = DIMENSIONS,
    *,
    targets: Targets = None,
    names: Names | None = None,
) -> bytes:
    """One of ``EXPORTS`` as CSV bytes; raises KeyError for an unknown kind."""
    if kind == "tickets":
        return tickets_csv(facts, tz)
    if kind == "summary":
        return summary_csv(summarise(facts, by, targets), by, names=names)
    if kind == "open-data":
        return open_data_csv(facts, targets, names)
    if kind == "estimates":
        return estimates_csv(facts)
    raise KeyError(kind)


def parse_dimensions(text: str) -> tuple[Dimension, ...]:
    """ "day,service" → ("day", "service"); raises ValueError naming the unknown dimension."""
    dims = tuple(d.strip() for d in text.split(",") if d.strip())
    for d in dims:
        if d not in DIMENSIONS:
            raise ValueError(f"unknown dimension; expected some of {', '.join(DIMENSIONS)}")
    if len(set(dims)) != len(dims):
        raise ValueError("a dimension is repeated")
    return dims  # type: ignore[return-value]
