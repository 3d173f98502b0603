"""The ``madoguchi`` command (also ``python -m madoguchi``): one subcommand per process or tool.

This is the composition root, the one module that may reach every layer. Each subcommand lives in its package's
``cli`` module, which exposes ``add_arguments(parser)`` and ``run(args) -> int``. Only the chosen subcommand's
module is imported, so a process never pays for another tool's imports; heavy imports (Qt, OpenCV, uvicorn)
belong inside ``run``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from dataclasses import dataclass

from madoguchi import package_version

# Madoguchi uses no pydantic plugins; looking for them scans every installed package's entry points (~30 ms of
# each start, the hall server's included)
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


@dataclass(frozen=True)
class Subcommand:
    name: str
    module: str
    help: str


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand(
        "demo", "madoguchi.apps.demo.cli", "run the whole hall (server, kiosk, staff, board) with simulated devices"
    ),
    Subcommand("server", "madoguchi.server.cli", "run the hall server (HTTP + WebSocket API)"),
    Subcommand("kiosk", "madoguchi.apps.kiosk.cli", "run the resident touchscreen kiosk"),
    Subcommand("staff", "madoguchi.apps.staff.cli", "run the staff console of one counter"),
    Subcommand("display", "madoguchi.apps.board.cli", "run the call board (display)"),
    Subcommand("admin-console", "madoguchi.apps.admin.cli", "run the facility manager's console"),
    Subcommand(
        "buildings", "madoguchi.apps.admin.buildings_cli", "several hall servers at a glance: health, queues, sums"
    ),
    Subcommand("admin", "madoguchi.server.admin_cli", "maintenance on the hall's data folder (devices, staff, …)"),
    Subcommand("check-config", "madoguchi.core.config_cli", "validate a hall configuration and print a summary"),
    Subcommand(
        "translate-config",
        "madoguchi.translations.config_fill",
        "fill a hall configuration's missing translations offline (marked for review)",
    ),
    Subcommand(
        "card-check", "madoguchi.devices.card.cli_check", "installer check: list readers, test a My Number card"
    ),
    Subcommand("card-sim", "madoguchi.devices.card.cli_sim", "run the virtual My Number card against vpcd"),
    Subcommand(
        "printer-test", "madoguchi.devices.printer.cli_test", "installer check: print a test page, report status"
    ),
    Subcommand("printer-sim", "madoguchi.devices.printer.cli_sim", "run the ESC/POS printer simulator on a TCP port"),
    Subcommand("scan", "madoguchi.devices.scanner.cli", "decode 2D codes in image or video files, one JSON line each"),
    Subcommand("estimate", "madoguchi.server.estimates.replay_cli", "wait-estimate tools (replay an event log)"),
    Subcommand("export-prefill-site", "madoguchi.translations.prefill_site", "write the static pre-fill web site"),
    Subcommand("soak", "madoguchi.apps.soak.cli", "run a compressed city-hall day under faults and check invariants"),
)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``only``, that subcommand's module is the only one imported (the others are
    listed without their options)."""
    parser = argparse.ArgumentParser(
        prog="madoguchi",
        description="Madoguchi (窓口): counter kiosk and queue management for city halls.",
    )
    parser.add_argument("--version", action="version", version=f"madoguchi {package_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for sub in SUBCOMMANDS:
        sp = subparsers.add_parser(sub.name, help=sub.help, description=sub.help)
        if only is None or sub.name == only:
            module = importlib.import_module(sub.module)
            module.add_arguments(sp)
            sp.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    chosen = given[0] if given and given[0] in {sub.name for sub in SUBCOMMANDS} else None
    parser = build_parser(only=chosen)
    args = parser.parse_args(given)
    if args.command is None:
        parser.print_help()
        return 2
    return int(args._run(args) or 0)
