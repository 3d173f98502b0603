"""``madoguchi server``: run the hall server with uvicorn."""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path

from madoguchi.core.cli_args import add_config_argument, add_data_arguments, data_paths, load_config_or_exit

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    add_data_arguments(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 for the hall LAN)")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--public-url", default=None, help="URL residents' phones use (for the ticket QR code)")
    parser.add_argument("--log-dir", type=Path, default=None, help="rotating log files here (default: stderr only)")
    parser.add_argument(
        "--workers",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="server processes sharing the port and the database (default: 2, or 1 on a one-core machine); "
        "one process uses one core",
    )
    parser.add_argument(
        "--worker-timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="with several workers: a worker process that shows no sign of life for this long (a hung event "
        "loop) is killed and replaced (default: 30; systemd's watchdog covers the supervisor itself)",
    )
    parser.add_argument(
        "--clock-offset-file",
        type=Path,
        default=None,
        metavar="FILE",
        help="day-roll rehearsals and drills only: the hall clock runs this file's number of seconds ahead of "
        "the system clock (re-read when the file changes; a missing file means 0). Never in daily service.",
    )


def run(args: argparse.Namespace) -> int:
    from madoguchi.server.startup_heap import collector_paused

    # from before the first import of FastAPI (below, through madoguchi.server.web) until ``settle_heap``
    with collector_paused():
        return _serve(args)


def _serve(args: argparse.Namespace) -> int:
    config = load_config_or_exit(args.config)
    from madoguchi.core.process_start import start_process
    from madoguchi.server.startup_heap import settle_heap
    from madoguchi.server.workers import ServerLaunch, Supervisor

    if args.workers < 1:
        raise SystemExit("--workers must be at least 1")
    if args.worker_timeout < 2:  # a tick is a second: less would kill healthy workers
        raise SystemExit("--worker-timeout must be at least 2 seconds")
    several = args.workers > 1
    start_process("server", args.log_dir, rotate=not several)
    db_path, key_dir = data_paths(args)
    if args.clock_offset_file is not None:
        log.warning(
            "rehearsal clock: the hall clock follows the offset in %s, not the system clock", args.clock_offset_file
        )
    public = args.public_url or f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.port}"
    launch = ServerLaunch(
        config_path=str(args.config),
        db_path=str(db_path),
        key_dir=str(key_dir),
        public_url=public,
        host=args.host,
        port=args.port,
        log_dir=str(args.log_dir) if args.log_dir else None,
        clock_offset_file=str(args.clock_offset_file) if args.clock_offset_file else None,
        workers=args.workers,
        worker_timeout_s=args.worker_timeout,
        uvicorn_options={
            "log_level": "warning",
            "access_log": False,
            "ws_ping_interval": 10,
            "timeout_graceful_shutdown": 2,
            # the hall LAN has no reverse proxy: an X-Forwarded-For from a device would only be a lie
            "proxy_headers": False,
        },
    )
    if several:
        return Supervisor(launch, args.workers, config).run()
    app = launch.create_app(config)
    settle_heap()
    launch.serve(app)
    return 0
