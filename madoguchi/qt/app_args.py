"""Pieces both Qt subcommands share: reading the device token, logging, the Qt application."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", required=True, help="hall server base URL, e.g. http://10.0.0.2:8080")
    parser.add_argument("--token-file", required=True, type=Path, help="file holding this device's token")


def read_token(path: Path, prog: str) -> str | None:
    try:
        token = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        print(f"{prog}: cannot read the token file {path}: {exc.strerror}", file=sys.stderr)
        return None
    if not token:
        print(f"{prog}: the token file {path} is empty", file=sys.stderr)
        return None
    return token


def setup_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every URL at INFO; a scanned ticket's URL carries its status token
    logging.getLogger("httpx").setLevel(logging.WARNING)
