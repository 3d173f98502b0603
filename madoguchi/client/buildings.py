"""Several hall servers at once: each building's health and queue, and its figures with their sum.

Each building is asked on its own (``poll_building``: one request after another to that server only, with a
short timeout), so a building out of reach is shown as such and never holds up the others; every building's
server keeps serving its own hall whatever the link between buildings does.

Summed figures are exact: counts add up, and the waits' means and percentiles are computed again from every
building's tickets (``tickets`` CSV export), not averaged from averages.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from madoguchi.client.admin_client import AdminClient
from madoguchi.client.hall_client import ClientError
from madoguchi.core.buildings import Building
from madoguchi.core.figures import mean, percentile, rounded

#: seconds a building may take to answer before it is shown as out of reach
TIMEOUT_S = 3.0


@dataclass(frozen=True)
class BuildingStatus:
    """One building now; ``reachable`` False keeps the last good figures out (they would be stale)."""

    name: str
    reachable: bool
    checked_at: float
    error: str | None = None
    hall_day: str = ""
    devices: int = 0
    red: int = 0
    amber: int = 0
    off_hours: int = 0
    alerts: list[dict[str, Any]] = field(default_factory=list)
    waiting: int = 0
    oldest_wait_min: float = 0.0
    counters_open: int = 0
    counters_break: int = 0
    counters_closed: int = 0


def client_for(building: Building) -> AdminClient:
    return AdminClient(building.server, building.token(), timeout=TIMEOUT_S, ca_file=building.ca_file)


def poll_building(name: str, client: AdminClient, now: Callable[[], float] = time.time) -> BuildingStatus:
    """Ask one building for its health and its hall now; an error makes an unreachable status, never raises."""
    try:
        tiles = client.tiles()
        alerts = client.alerts()
        live = client.live()
    except (ClientError, OSError) as exc:
        return BuildingStatus(name, False, now(), error=getattr(exc, "message_id", type(exc).__name__))
    states = [c.state for c in live.counters]
    return BuildingStatus(
        name=name,
        reachable=True,
        checked_at=now(),
        hall_day=live.hall_day,
        devices=len(tiles),
        red=sum(t["state"] == "red" for t in tiles),
        amber=sum(t["state"] == "amber" for t in tiles),
        off_hours=sum(bool(t.get("off_hours")) for t in tiles),
        alerts=alerts,
        waiting=sum(s.waiting for s in live.services),
        oldest_wait_min=max((s.oldest_wait_min for s in live.services), default=0.0),
        counters_open=states.count("open"),
        counters_break=states.count("break"),
        counters_closed=states.count("closed"),
    )


@dataclass(frozen=True)
class TicketLine:
    """The figures of one ticket that the sums need (from the ``tickets`` CSV export)."""

    service: str
    state: str
    wait_min: float | None
    service_min: float | None
    target_min: int | None


@dataclass(frozen=True)
class Figures:
    """A building's (or the sum's) figures for a span of days."""

    name: str
    reachable: bool = True
    tickets: int = 0
    called: int = 0
    served: int = 0
    no_shows: int = 0
    wait_mean_min: float | None = None
    wait_p90_min: float | None = None
    service_mean_min: float | None = None
    service_p90_min: float | None = None
    within_target_share: float | None = None


def _number(text: str) -> float | None:
    return float(text) if text not in ("", None) else None


def ticket_lines(csv_bytes: bytes, targets: dict[str, int]) -> list[TicketLine]:
    rows = csv.DictReader(io.StringIO(csv_bytes.decode("utf-8-sig"), newline=""))
    return [
        TicketLine(
            service=r["service"],
            state=r["state"],
            wait_min=_number(r["wait_min"]),
            service_min=_number(r["service_min"]),
            target_min=targets.get(r["service"]),
        )
        for r in rows
    ]


def figures_of(name: str, lines: Sequence[TicketLine]) -> Figures:
    waits = [t.wait_min for t in lines if t.wait_min is not None]
    services = [t.service_min for t in lines if t.service_min is not None]
    judged = [t for t in lines if t.wait_min is not None and t.target_min is not None]
    within = sum((t.wait_min or 0.0) <= (t.target_min or 0) for t in judged)
    return Figures(
        name=name,
        tickets=len(lines),
        called=len(waits),
        served=sum(t.state == "done" for t in lines),
        no_shows=sum(t.state == "no_show" for t in lines),
        wait_mean_min=rounded(mean(waits)),
        wait_p90_min=rounded(percentile(waits, 0.9)),
        service_mean_min=rounded(mean(services)),
        service_p90_min=rounded(percentile(services, 0.9)),
        within_target_share=round(within / len(judged), 4) if judged else None,
    )


def building_lines(client: AdminClient, day_from: str, day_to: str) -> list[TicketLine]:
    """One building's tickets of the days (raises ClientError when it cannot be reached)."""
    stats = client.statistics(day_from, day_to, by="service")
    targets = {str(k): int(v) for k, v in (stats.get("targets") or {}).items()}
    return ticket_lines(client.export_csv("tickets", day_from, day_to), targets)


def figures_with_sum(per_building: Sequence[tuple[str, list[TicketLine] | None]], total_name: str) -> list[Figures]:
    """Each building's figures (None: out of reach, shown as such and left out of the sum), then the sum."""
    out = [
        figures_of(name, lines) if lines is not None else Figures(name, reachable=False) for name, lines in per_building
    ]
    everything = [line for _name, lines in per_building if lines is not None for line in lines]
    out.append(figures_of(total_name, everything))
    return out
