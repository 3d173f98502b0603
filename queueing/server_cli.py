"""``main.py server``: run the hall server with uvicorn."""

from __future__ import annotations

import argparse
from pathlib import Path

from queueing.cli_common import add_config_argument, add_data_arguments, data_paths, load_config_or_exit


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    add_data_arguments(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 for the hall LAN)")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--public-url", default=None, help="URL residents' phones use (for the ticket QR code)")
    parser.add_argument("--log-dir", type=Path, default=None, help="rotating log files here (default: stderr only)")


def run(args: argparse.Namespace) -> int:
    config = load_config_or_exit(args.config)
    import uvicorn

    from queueing.logging_setup import setup_logging
    from queueing.server import ServerSettings, create_app

    setup_logging("server", args.log_dir)
    db_path, key_dir = data_paths(args)
    public = args.public_url or f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.port}"
    app = create_app(
        ServerSettings(config_path=args.config, db_path=db_path, key_dir=key_dir, public_url=public, config=config)
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
