"""Madoguchi command-line entry point: one subcommand per process or tool.

Each subcommand lives in its package's ``cli`` module, which exposes ``add_arguments(parser)`` and
``run(args) -> int``. Modules are imported when the parser is built, so they must stay light: heavy imports
(Qt, OpenCV, uvicorn) belong inside ``run``. A subcommand whose module does not exist yet says so and exits 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from dataclasses import dataclass
from types import ModuleType

# Madoguchi uses no pydantic plugins; looking for them scans every installed package's entry points (~30 ms of
# each start, the hall server's included)
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


@dataclass(frozen=True)
class Subcommand:
    name: str
    module: str
    help: str


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("demo", "demo_hall.cli", "run the whole hall (server, kiosk, staff, board) with simulated devices"),
    Subcommand("server", "queueing.server_cli", "run the hall server (HTTP + WebSocket API)"),
    Subcommand("kiosk", "kiosk.cli", "run the resident touchscreen kiosk"),
    Subcommand("staff", "queue_display.staff_cli", "run the staff console of one counter"),
    Subcommand("display", "queue_display.board_cli", "run the call board (display)"),
    Subcommand("admin", "queueing.admin_cli", "facility manager: admin console and maintenance commands"),
    Subcommand("check-config", "queueing.config_cli", "validate a hall configuration and print a summary"),
    Subcommand("card-check", "card_reader.cli_check", "installer check: list readers, test a My Number card"),
    Subcommand("card-sim", "card_reader.cli_sim", "run the virtual My Number card against vpcd"),
    Subcommand("printer-test", "printers.cli_test", "installer check: print a test page and report status"),
    Subcommand("printer-sim", "printers.cli_sim", "run the ESC/POS printer simulator on a TCP port"),
    Subcommand("scan", "scanner.cli", "decode 2D codes in image or video files, one JSON line per file"),
    Subcommand("estimate", "queueing.estimate_cli", "wait-estimate tools (replay an event log)"),
    Subcommand("export-prefill-site", "queueing.forms.site_cli", "write the static pre-fill web site"),
    Subcommand("soak", "soak.cli", "run a compressed city-hall day under faults and check invariants"),
)


def _load(sub: Subcommand) -> ModuleType | None:
    try:
        return importlib.import_module(sub.module)
    except ModuleNotFoundError as exc:
        # Only "this subcommand is not built yet" is tolerated; a missing dependency inside it is a real error.
        if exc.name and sub.module.startswith(exc.name):
            return None
        raise


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``only``, that subcommand's module is the only one imported (the others are
    listed without their options): every process starts without importing every other tool's code (~60 ms)."""
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="Madoguchi (窓口): counter kiosk and queue management for city halls.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for sub in SUBCOMMANDS:
        if only is not None and sub.name != only:
            subparsers.add_parser(sub.name, help=sub.help, description=sub.help).set_defaults(_run=None)
            continue
        module = _load(sub)
        help_text = sub.help if module is not None else f"{sub.help} (not available yet)"
        sp = subparsers.add_parser(sub.name, help=help_text, description=help_text)
        if module is not None:
            module.add_arguments(sp)
            sp.set_defaults(_run=module.run)
        else:
            sp.set_defaults(_run=None)
    return parser


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    chosen = given[0] if given and given[0] in {sub.name for sub in SUBCOMMANDS} else None
    parser = build_parser(only=chosen)
    args = parser.parse_args(given)
    if args.command is None:
        parser.print_help()
        return 2
    if args._run is None:
        print(f"main.py {args.command}: not available yet", file=sys.stderr)
        return 2
    return int(args._run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
