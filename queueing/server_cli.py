"""``main.py server``: run the hall server with uvicorn."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from queueing.cli_common import add_config_argument, add_data_arguments, data_paths, load_config_or_exit

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    add_data_arguments(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 for the hall LAN)")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--public-url", default=None, help="URL residents' phones use (for the ticket QR code)")
    parser.add_argument("--log-dir", type=Path, default=None, help="rotating log files here (default: stderr only)")
    parser.add_argument(
        "--clock-offset-file",
        type=Path,
        default=None,
        metavar="FILE",
        help="day-roll rehearsals and drills only: the hall clock runs this file's number of seconds ahead of "
        "the system clock (re-read when the file changes; a missing file means 0). Never in daily service.",
    )


def run(args: argparse.Namespace) -> int:
    config = load_config_or_exit(args.config)
    import uvicorn

    from queueing.logging_setup import setup_logging
    from queueing.server import ServerSettings, create_app

    setup_logging("server", args.log_dir)
    db_path, key_dir = data_paths(args)
    clock = None
    if args.clock_offset_file is not None:
        from queueing.hall_time import OffsetClock

        log.warning(
            "rehearsal clock: the hall clock follows the offset in %s, not the system clock", args.clock_offset_file
        )
        clock = OffsetClock(config.hall.timezone, args.clock_offset_file)
    public = args.public_url or f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.port}"
    app = create_app(
        ServerSettings(
            config_path=args.config,
            db_path=db_path,
            key_dir=key_dir,
            public_url=public,
            config=config,
            clock=clock,
        )
    )
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
        ws_ping_interval=10,
        timeout_graceful_shutdown=2,
    )
    return 0
