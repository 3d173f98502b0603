"""``madoguchi soak``: a compressed city-hall day under faults, with invariants and a report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

SHORT_MINUTES = 45.0
SHORT_SPEED = 60.0

#: what the run does not do (or does differently from a hall), printed in every report
NOT_COVERED = (
    "Clock jump: only the server's clock moves (madoguchi server --clock-offset-file, the day-roll rehearsal "
    "option); the machine's clock is shared and never touched. Kiosks, staff and boards keep the system clock, "
    "which is fine because the server owns every time stamp.",
    "The Qt board runs chime-only (--no-speech): Japanese speech synthesis takes ~0.5 s CPU per call, too much "
    "for a 2-core CI machine next to the hall; bench/board.py measures announcements.",
    "Staff sessions and the WebSocket board are threads of the soak process; kiosks, printers, the Qt board and "
    "the server are processes. The kiosks are scripted, headless: their Qt screens are not driven.",
    "2D-code residents: the camera (the scanner's capture on a video of the code) runs only while a code is held up, "
    "not all day as on a kiosk.",
    "The per-kiosk issue limit is scaled by --speed in the soak's config copy (it counts real minutes).",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--minutes", type=float, default=510.0, help="simulated minutes from 08:30 (510 = whole day)")
    parser.add_argument("--speed", type=float, default=30.0, help="compression: simulated seconds per wall second")
    parser.add_argument("--out", type=Path, default=Path("soak-out"), help="folder for logs, journals and the report")
    parser.add_argument("--short", action="store_true", help=f"CI size: {SHORT_MINUTES:g} min at x{SHORT_SPEED:g}")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--volume", type=float, default=1.0, help="residents relative to a moving-season day")
    parser.add_argument("--no-clock-jump", action="store_true", help="leave the day roll out of the faults")


def run(args: argparse.Namespace) -> int:
    from madoguchi.apps.soak.report import NO_MATPLOTLIB, plotting_available, write_report
    from madoguchi.apps.soak.run import SoakSettings, run_soak
    from madoguchi.core.process_start import start_process

    start_process("soak")
    if not plotting_available():
        print(f"note: {NO_MATPLOTLIB}", file=sys.stderr)

    minutes, speed = (SHORT_MINUTES, SHORT_SPEED) if args.short else (args.minutes, args.speed)
    result = run_soak(
        SoakSettings(
            minutes,
            speed,
            args.out.resolve(),
            seed=args.seed,
            volume=args.volume,
            clock_jump=not args.no_clock_jump,
        )
    )
    result.notes.extend(NOT_COVERED)
    md, png, summary = write_report(result)
    for key, value in summary.items():
        print(f"{key}: {value:.0f}" if isinstance(value, float) else f"{key}: {value}")
    print(f"report: {md}" + (f"\ntimeline: {png}" if png.exists() else ""))
    return 0 if result.violations == 0 else 1
