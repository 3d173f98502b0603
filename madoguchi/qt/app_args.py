"""What the Qt apps' command lines share: the server and its token, where to log, reading the token."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", required=True, help="hall server base URL, e.g. http://10.0.0.2:8080")
    parser.add_argument("--token-file", required=True, type=Path, help="file holding this device's token")
    add_ca_argument(parser)
    add_log_argument(parser)


def add_ca_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ca-file",
        type=Path,
        default=None,
        help="CA certificate (PEM) that signed the server's TLS certificate, if it is not in the system's store",
    )


def add_log_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--log-dir", type=Path, default=None, help="rotating log files here (default: stderr only)")


def read_token(path: Path, prog: str) -> str | None:
    try:
        token = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        print(f"{prog}: cannot read the token file {path}: {exc.strerror}", file=sys.stderr)
        return None
    if not token:
        print(f"{prog}: the token file {path} is empty", file=sys.stderr)
        return None
    if os.name == "posix" and path.stat().st_mode & 0o004:
        print(f"{prog}: warning: every user of this machine can read {path}; chmod 0600 it", file=sys.stderr)
        logging.getLogger(__name__).warning("the token file %s is readable by every user of this machine", path)
    return token
