"""``madoguchi check-config FILE``: validate a hall configuration and print a one-screen summary."""

from __future__ import annotations

import argparse
from pathlib import Path

from madoguchi.core.cli_args import DEFAULT_CONFIG, load_config_or_exit
from madoguchi.core.config import HallConfig, localized


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", type=Path, nargs="?", default=DEFAULT_CONFIG, help=f"hall configuration (default {DEFAULT_CONFIG})"
    )


def summary(cfg: HallConfig) -> str:
    h = cfg.hall
    lines = [
        f"{localized(h.name, 'ja')} / {localized(h.name, 'en')}",
        f"open {h.opening.start:%H:%M}–{h.opening.end:%H:%M}, day resets at {h.day_reset:%H:%M} ({h.timezone}),"
        f" call policy {h.call_policy}, languages {' '.join(h.languages)}",
        f"{len(cfg.services)} services:",
    ]
    for s in cfg.services:
        flags = [f for f, on in (("card", s.card_autofill), ("individual-number", s.needs_individual_number)) if on]
        served = [str(c.number) for c in cfg.counters if s.id in c.services]
        lines.append(
            f"  {s.prefix:<2} {s.id:<12} {localized(s.name, 'ja')} — counters {','.join(served)}"
            + (f" [{', '.join(flags)}]" if flags else "")
        )
    lines.append(f"{len(cfg.counters)} counters:")
    for c in cfg.counters:
        breaks = ", ".join(f"{b.start:%H:%M}–{b.end:%H:%M}" for b in c.breaks) or "no breaks"
        lines.append(f"  {c.number:>2}: {' > '.join(c.services)} ({breaks})")
    if cfg.kiosks:
        lines.append(f"{len(cfg.kiosks)} kiosks: " + ", ".join(k.name for k in cfg.kiosks))
    lines.append(f"{len(cfg.forms)} forms: " + ", ".join(cfg.forms))
    lines.append(booking_summary(cfg))
    return "\n".join(lines)


def booking_summary(cfg: HallConfig) -> str:
    b = cfg.booking
    if not b.enabled:
        return "booking (/book): off (no [booking] capacity)"
    per_slot = ", ".join(f"{sid}×{n}" for sid, n in b.capacity.items())
    closed = ", ".join(b.closed_weekdays) or "none"
    last = f"closed dates listed until {max(b.closed_dates)}" if b.closed_dates else "no closed dates listed"
    return (
        f"booking (/book): {per_slot} per {b.slot_min}-minute slot, {b.days_ahead} days ahead, until {b.lead_min} min"
        f" before; closed weekdays {closed}; {last}"
    )


def run(args: argparse.Namespace) -> int:
    cfg = load_config_or_exit(args.file)
    print(summary(cfg))
    return 0
