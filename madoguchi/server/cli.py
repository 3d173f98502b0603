"""``madoguchi server``: the hall server, one process (uvicorn), until SIGTERM or Ctrl-C.

One process serves more than a thousand tickets a second (bench/); a hall issues a few a second at its busiest.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from madoguchi.core.cli_args import add_config_argument, add_data_arguments, data_paths, load_config_or_exit

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    add_data_arguments(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 for the hall LAN)")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--public-url", default=None, help="URL residents' phones use (for the ticket QR code)")
    parser.add_argument(
        "--tls-cert", type=Path, default=None, help="serve TLS with this certificate (PEM, with its chain)"
    )
    parser.add_argument(
        "--tls-key", type=Path, default=None, help="the certificate's private key (PEM, readable by the server only)"
    )
    parser.add_argument("--log-dir", type=Path, default=None, help="rotating log files here (default: stderr only)")
    parser.add_argument(
        "--clock-offset-file",
        type=Path,
        default=None,
        metavar="FILE",
        help="day-roll rehearsals and drills only: the hall clock runs this file's number of seconds ahead of "
        "the system clock (re-read when the file changes; a missing file means 0). Never in daily service.",
    )


#: where plain HTTP stays on this machine (a test, a reverse proxy in front)
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")

#: seconds an idle HTTP connection stays open (uvicorn's default is 5)
KEEP_ALIVE_S = 30

TLS12_CIPHERS = "ECDHE+AESGCM:ECDHE+CHACHA20"


def run(args: argparse.Namespace) -> int:
    if (args.tls_cert is None) != (args.tls_key is None):
        raise SystemExit("madoguchi server: --tls-cert and --tls-key go together")
    config = load_config_or_exit(args.config)
    from madoguchi.core.process_start import start_process
    from madoguchi.server.startup_checks import (
        REFUSED,
        DataFolderLock,
        StartRefused,
        check_database,
        check_tls_files,
        private_files,
    )

    db_path, key_dir = data_paths(args, config)
    from madoguchi.core.run_as_owner import become_owner_of

    # root starting the server on the service user's folder serves as that user (files root owns would stop
    # the service)
    user = become_owner_of(db_path.parent)
    backups = Path(config.operations.backup_dir) if config.operations.backup_dir else None
    private_files(db_path.parent, key_dir, args.log_dir, backups)  # before the first log line is written
    start_process("server", args.log_dir)
    if user is not None:
        log.warning("started as root: serving as %s, the owner of %s", user, db_path.parent)
    if args.tls_cert is None and args.host not in LOOPBACK_HOSTS:
        log.warning(
            "serving plain HTTP on %s: passwords, tokens and residents' data cross the network readable; "
            "give --tls-cert and --tls-key (docs/security.md)",
            args.host,
        )
    data_flag = f"--data-dir {args.data_dir}" if args.data_dir else ""
    lock = DataFolderLock(db_path.parent)
    try:
        lock.acquire()
        if args.tls_cert is not None:
            check_tls_files(args.tls_cert, args.tls_key)
        check_database(db_path, data_flag.strip() or "--data-dir DATA")
    except StartRefused as exc:
        log.error("not starting: %s", exc)
        print(f"madoguchi server: {exc}", file=sys.stderr)
        lock.release()
        return REFUSED
    try:
        return _serve(args, config, db_path, key_dir)
    finally:
        lock.release()


def _serve(args: argparse.Namespace, config: object, db_path: Path, key_dir: Path) -> int:
    import uvicorn

    from madoguchi.core.config import HallConfig
    from madoguchi.core.hall_time import OffsetClock
    from madoguchi.server.web.app import ServerSettings, create_app

    assert isinstance(config, HallConfig)
    clock = None
    if args.clock_offset_file is not None:
        log.warning(
            "rehearsal clock: the hall clock follows the offset in %s, not the system clock", args.clock_offset_file
        )
        clock = OffsetClock(config.hall.timezone, args.clock_offset_file)
    scheme = "https" if args.tls_cert else "http"
    public = args.public_url or f"{scheme}://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.port}"
    app = create_app(
        ServerSettings(
            config_path=args.config, db_path=db_path, key_dir=key_dir, public_url=public, config=config, clock=clock
        )
    )
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host=args.host,
            port=args.port,
            log_level="warning",
            access_log=False,
            # longer than the clients keep an idle connection (hall_client.KEEPALIVE_EXPIRY_S): with equal times a
            # request crossed the server's close of an idle connection now and then and failed
            timeout_keep_alive=KEEP_ALIVE_S,
            ws_ping_interval=10,
            # clients send nothing on the event stream but pongs
            ws_max_size=4096,
            timeout_graceful_shutdown=2,
            # the hall LAN has no reverse proxy: an X-Forwarded-For from a device would only be a lie
            proxy_headers=False,
            ssl_certfile=str(args.tls_cert) if args.tls_cert else None,
            ssl_keyfile=str(args.tls_key) if args.tls_key else None,
            # TLS 1.2 with forward secrecy and AEAD only (TLS 1.3's suites are all such); OpenSSL's floor is 1.2
            ssl_ciphers=TLS12_CIPHERS,
        )
    )
    server.run()
    # uvicorn returns after a clean stop, and also when it could not start (the port taken, say)
    return 0 if server.started else 1
