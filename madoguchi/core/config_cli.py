"""``madoguchi check-config FILE [--strict]``: validate a hall configuration and print a one-screen summary.

Then it warns about every text that lacks one of the hall's languages (a resident would read it in English or
Japanese under headings in their own language), easy-Japanese texts with kanji but no reading in brackets, and
texts still marked machine-translated. ``--strict`` exits 1 when a translation is missing.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from madoguchi.core.cli_args import DEFAULT_CONFIG, load_config_or_exit
from madoguchi.core.config import HallConfig, localized
from madoguchi.core.config_locate import key_lines
from madoguchi.core.config_texts import (
    Loc,
    kanji_without_reading,
    machine_translated,
    missing_translations,
    text_fields,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", type=Path, nargs="?", default=DEFAULT_CONFIG, help=f"hall configuration (default {DEFAULT_CONFIG})"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a text lacks one of the hall's languages")


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


def _where(path: Path, lines: dict[Loc, int], loc: Loc) -> str:
    for end in range(len(loc), 0, -1):
        line = lines.get(loc[:end])
        if line is not None:
            return f"{path}:{line}"
    return str(path)


def _dotted(loc: Loc) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")


def text_warnings(cfg: HallConfig, path: Path) -> tuple[list[str], int]:
    """Warning lines about the configuration's texts, and how many translations are missing."""
    lines = key_lines(path.read_text(encoding="utf-8"))
    warnings: list[str] = []
    missing = missing_translations(cfg)
    for item in missing:
        where = _where(path, lines, item.field.loc)
        names = ", ".join(item.languages)
        warnings.append(f"{where}: {_dotted(item.field.loc)}: no translation in {names} ({item.field.path})")
    for field in text_fields(cfg):
        easy = field.texts.get("ja-easy")
        bare = kanji_without_reading(easy) if easy else []
        if bare:
            where = _where(path, lines, field.loc)
            sample = "、".join(dict.fromkeys(bare))
            warnings.append(
                f"{where}: {field.path}: easy Japanese with kanji but no reading: {sample} (write 漢字（かんじ）)"
            )
    for field, langs in machine_translated(cfg):
        where = _where(path, lines, field.loc)
        warnings.append(f"{where}: {field.path}: machine-translated, not reviewed yet: {', '.join(langs)}")
    known = {field.path for field in text_fields(cfg)}
    for unknown in sorted(set(cfg.machine_translated) - known):
        warnings.append(f"{path}: [machine_translated]: no such text {unknown!r}")
    count = sum(len(item.languages) for item in missing)
    return warnings, count


def run(args: argparse.Namespace) -> int:
    cfg = load_config_or_exit(args.file)
    print(summary(cfg))
    warnings, missing = text_warnings(cfg, args.file)
    for line in warnings:
        print(f"warning: {line}")
    if missing:
        print(f"{missing} missing translation(s); `madoguchi translate-config {args.file}` fills them by machine")
    return 1 if args.strict and missing else 0
