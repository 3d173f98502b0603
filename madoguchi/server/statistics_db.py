"""The statistics as a SQLite file, written with sqlite-utils: typed tables, keys, indexes and a view.

A manager opens it in Datasette, LibreOffice Base or any SQLite tool and asks their own questions, joined to the
names (``SELECT … FROM tickets JOIN services …``); a city publishes the open-data file as it is. Two kinds:

- ``statistics``: the tickets (no personal data: ids, numbers, times, the clerk's id), the services, counters and
  clerks by name, the summaries per day and service, per counter, per clerk and per hour, and the view
  ``service_level`` (the share called within each service's target, recomputed from the tickets in SQL);
- ``open-data``: aggregates per day, hour and service only, with the services' names and a ``about`` table
  (hall, period, what the columns mean). No ids, numbers, counters, clerks or languages.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from madoguchi.core.hall_time import iso
from madoguchi.server.statistics import (
    OPEN_DATA_BY,
    SUMMARY_FIELDS,
    Dimension,
    GroupStats,
    Targets,
    TicketFacts,
    summarise,
)

KINDS = ("statistics", "open-data")

_SUMMARY_TYPES: dict[str, type] = {
    "tickets": int,
    "called": int,
    "wait_mean_min": float,
    "wait_p50_min": float,
    "wait_p90_min": float,
    "served": int,
    "service_mean_min": float,
    "service_p90_min": float,
    "within_target_share": float,
    "no_shows": int,
    "transfers": int,
    "autofill_share": float,
}
_DIM_TYPES: dict[str, type] = {"day": str, "hour": int, "service": str, "counter": int, "staff": str}


@dataclass(frozen=True)
class HallNames:
    """What the file names besides ids: the hall, its services (with targets), counters and clerks."""

    hall: str
    #: id → (Japanese name, English name, target wait in minutes)
    services: dict[str, tuple[str, str, int]]
    counters: dict[int, str]
    staff: dict[str, str]


def _summary_rows(groups: Sequence[GroupStats], by: Sequence[Dimension]) -> list[dict[str, Any]]:
    return [{**{d: g.key[d] for d in by}, **{f: getattr(g, f) for f in SUMMARY_FIELDS}} for g in groups]


def _summary_table(db: sqlite_utils.Database, name: str, groups: Sequence[GroupStats], by: Sequence[Dimension]) -> None:
    columns: dict[str, type] = {**{d: _DIM_TYPES[d] for d in by}, **_SUMMARY_TYPES}
    table = db.table(name)
    table.create(columns, pk=tuple(by) if len(by) > 1 else by[0], not_null=[d for d in by if d in ("day", "hour")])
    table.insert_all(_summary_rows(groups, by))


_TICKET_TYPES: dict[str, type] = {
    "ticket_id": int,
    "number": str,
    "day": str,
    "hour": int,
    "service": str,
    "counter": int,
    "staff": str,
    "state": str,
    "source": str,
    "language": str,
    "issued_at": str,
    "called_at": str,
    "served_at": str,
    "finished_at": str,
    "wait_min": float,
    "service_min": float,
    "est_low_min": float,
    "est_mid_min": float,
    "est_high_min": float,
    "transfers": int,
    "recalls": int,
}


def _ticket_rows(facts: Sequence[TicketFacts], tz: str) -> list[dict[str, Any]]:
    return [
        {
            "ticket_id": t.id,
            "number": t.number,
            "day": t.day,
            "hour": t.hour,
            "service": t.service_id,
            "counter": t.counter,
            "staff": t.staff_id,
            "state": t.state,
            "source": t.source,
            "language": t.language,
            "issued_at": iso(t.issued_at, tz),
            "called_at": iso(t.called_at, tz),
            "served_at": iso(t.served_at, tz),
            "finished_at": iso(t.finished_at, tz),
            "wait_min": None if t.wait_min is None else round(t.wait_min, 2),
            "service_min": None if t.service_min is None else round(t.service_min, 2),
            "est_low_min": t.est_low,
            "est_mid_min": t.est_mid,
            "est_high_min": t.est_high,
            "transfers": t.transfers,
            "recalls": t.recalls,
        }
        for t in facts
    ]


_SERVICE_LEVEL_VIEW = """
SELECT s.id AS service, s.name_ja, s.name_en, s.target_wait_min,
       count(t.wait_min) AS called,
       sum(t.wait_min <= s.target_wait_min) AS called_within_target,
       round(1.0 * sum(t.wait_min <= s.target_wait_min) / count(t.wait_min), 4) AS within_target_share
FROM services s JOIN tickets t ON t.service = s.id
WHERE t.wait_min IS NOT NULL
GROUP BY s.id ORDER BY s.id
"""


def _names_tables(db: sqlite_utils.Database, names: HallNames, *, people: bool) -> None:
    db.table("services").insert_all(
        (
            {"id": sid, "name_ja": ja, "name_en": en, "target_wait_min": target}
            for sid, (ja, en, target) in names.services.items()
        ),
        pk="id",
        columns={"id": str, "name_ja": str, "name_en": str, "target_wait_min": int},
    )
    if people:
        db.table("counters").insert_all(
            ({"number": n, "name": text} for n, text in names.counters.items()),
            pk="number",
            columns={"number": int, "name": str},
        )
        db.table("clerks").insert_all(
            ({"staff_id": sid, "name": text} for sid, text in names.staff.items()),
            pk="staff_id",
            columns={"staff_id": str, "name": str},
        )


def write_statistics_database(
    path: Path,
    kind: str,
    facts: Sequence[TicketFacts],
    tz: str,
    names: HallNames,
    targets: Targets,
    period: tuple[str, str],
) -> None:
    """Write one of ``KINDS`` to ``path`` (a new file); raises KeyError for an unknown kind."""
    if kind not in KINDS:
        raise KeyError(kind)
    db = sqlite_utils.Database(path)
    try:
        _names_tables(db, names, people=kind == "statistics")
        if kind == "open-data":
            _summary_table(db, "by_day_hour_service", summarise(facts, OPEN_DATA_BY, targets), OPEN_DATA_BY)
            db.table("by_day_hour_service").add_foreign_key("service", "services", "id")
            db.table("about").insert_all(
                [
                    {"key": "hall", "value": names.hall},
                    {"key": "period", "value": f"{period[0]}..{period[1]}"},
                    {"key": "generated_at", "value": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")},
                    {"key": "times", "value": "minutes; wait = called - issued; service = done - start"},
                    {"key": "within_target_share", "value": "share of called residents called within the target"},
                ],
                pk="key",
            )
            return
        tickets = db.table("tickets")
        tickets.create(_TICKET_TYPES, pk="ticket_id", foreign_keys=[("service", "services", "id")])
        tickets.insert_all(_ticket_rows(facts, tz))
        tickets.create_index(["day", "service"], if_not_exists=True)
        tickets.create_index(["counter"], if_not_exists=True)
        tickets.create_index(["staff"], if_not_exists=True)
        summaries: tuple[tuple[str, tuple[Dimension, ...]], ...] = (
            ("by_day_service", ("day", "service")),
            ("by_counter", ("counter",)),
            ("by_clerk", ("staff",)),
            ("by_hour", ("hour",)),
        )
        for name, by in summaries:
            groups = [g for g in summarise(facts, by, targets) if all(g.key[d] is not None for d in by)]
            _summary_table(db, name, groups, by)
        db.create_view("service_level", _SERVICE_LEVEL_VIEW)
    finally:
        db.close()


def statistics_database_bytes(
    kind: str,
    facts: Sequence[TicketFacts],
    tz: str,
    names: HallNames,
    targets: Targets,
    period: tuple[str, str],
) -> bytes:
    """The file's bytes (written in a private temporary folder, then read)."""
    with tempfile.TemporaryDirectory(prefix="madoguchi-stats-") as folder:
        path = Path(folder) / f"{kind}.sqlite3"
        write_statistics_database(path, kind, facts, tz, names, targets, period)
        return path.read_bytes()
