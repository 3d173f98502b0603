"""``madoguchi buildings FILE``: several hall servers at a glance on the command line (no Qt).

One line per building (reachable or not, devices red/amber, alerts, waiting, counters open), then each
building's figures of the day and their sum. ``--watch N`` prints it again every N seconds until Ctrl-C. A
building out of reach is said so; the others are shown all the same.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from madoguchi.client.buildings import BuildingStatus, TicketLine
    from madoguchi.core.buildings import Building


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "buildings", type=Path, help="the buildings' list (TOML: [[buildings]] name, server, token_file)"
    )
    parser.add_argument(
        "--day-from", default=None, help="first day of the figures (YYYY-MM-DD; default: each hall's day)"
    )
    parser.add_argument("--day-to", default=None, help="last day of the figures (default: --day-from)")
    parser.add_argument("--watch", type=float, default=0, metavar="SECONDS", help="print again every SECONDS")
    parser.add_argument("--language", default="ja", help="language of the buildings' names (default ja)")


def _cell(value: object, width: int) -> str:
    text = "—" if value is None else f"{value:.1f}" if isinstance(value, float) else str(value)
    return text[:width].rjust(width)


def report(buildings: list[Building], language: str, day_from: str | None, day_to: str | None) -> str:
    from madoguchi.client.buildings import (
        Figures,
        building_lines,
        client_for,
        figures_with_sum,
        poll_building,
    )
    from madoguchi.client.hall_client import ClientError

    def one(b: Building) -> tuple[BuildingStatus, tuple[str, list[TicketLine] | None]]:
        name = b.label(language)
        with client_for(b) as client:
            status = poll_building(name, client)
            lines: list[TicketLine] | None = None
            if status.reachable:
                first = day_from or status.hall_day
                try:
                    lines = building_lines(client, first, day_to or first)
                except (ClientError, OSError):
                    lines = None
        return status, (name, lines)

    with ThreadPoolExecutor(max_workers=max(1, len(buildings))) as pool:
        results = list(pool.map(one, buildings))
    out = [
        f"{'building':<20} {'link':<11} {'day':<10} {'devices':>7} {'red':>4} {'amber':>5} {'alerts':>6} "
        f"{'waiting':>7} {'oldest':>6} {'open':>4} {'break':>5} {'closed':>6}"
    ]
    for status, _ in results:
        if not status.reachable:
            out.append(f"{status.name[:20]:<20} {'UNREACHABLE':<11} ({status.error})")
            continue
        out.append(
            f"{status.name[:20]:<20} {'ok':<11} {status.hall_day:<10} {status.devices:>7} {status.red:>4} "
            f"{status.amber:>5} {len(status.alerts):>6} {status.waiting:>7} {_cell(status.oldest_wait_min, 6)} "
            f"{status.counters_open:>4} {status.counters_break:>5} {status.counters_closed:>6}"
        )
        for a in status.alerts:
            mark = " (ack)" if a.get("acknowledged_by") else " (muted)" if a.get("muted") else ""
            out.append(f"    alert {a['severity']:<5} {a['device']}: {a['code']}{mark}")
    figures: list[Figures] = figures_with_sum([pair for _, pair in results], "TOTAL")
    out.append("")
    out.append(
        f"{'figures':<20} {'tickets':>7} {'called':>6} {'served':>6} {'no-show':>7} {'wait':>5} {'p90':>5} "
        f"{'svc':>5} {'svc90':>5} {'in target':>9}"
    )
    for f in figures:
        if not f.reachable:
            out.append(f"{f.name[:20]:<20} {'(out of reach: not in the total)':>40}")
            continue
        share = "—" if f.within_target_share is None else f"{f.within_target_share * 100:.0f}%"
        out.append(
            f"{f.name[:20]:<20} {f.tickets:>7} {f.called:>6} {f.served:>6} {f.no_shows:>7} "
            f"{_cell(f.wait_mean_min, 5)} {_cell(f.wait_p90_min, 5)} {_cell(f.service_mean_min, 5)} "
            f"{_cell(f.service_p90_min, 5)} {share:>9}"
        )
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    from madoguchi.core.buildings import load_buildings
    from madoguchi.core.config import ConfigError

    try:
        buildings = list(load_buildings(args.buildings))
    except ConfigError as exc:
        print("\n".join(exc.errors), file=sys.stderr)
        return 2
    while True:
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        print(f"-- {stamp}\n{report(buildings, args.language, args.day_from, args.day_to)}", flush=True)
        if not args.watch:
            return 0
        try:
            time.sleep(args.watch)
        except KeyboardInterrupt:
            return 0
