"""Argument helpers shared by the subcommands that take a hall configuration and data directory."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from madoguchi.core.config import EXAMPLE_CONFIG, ConfigError, HallConfig, load_config

DEFAULT_CONFIG = EXAMPLE_CONFIG


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "madoguchi"


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="hall configuration (TOML)")


def add_data_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="database folder (default ~/.local/share/madoguchi)"
    )
    parser.add_argument(
        "--key-dir",
        type=Path,
        default=None,
        help="form-encryption key folder, outside the database (default DATA/keys)",
    )


def data_paths(args: argparse.Namespace) -> tuple[Path, Path]:
    data = args.data_dir or default_data_dir()
    data.mkdir(parents=True, exist_ok=True)
    return data / "hall.sqlite3", (args.key_dir or data / "keys")


def load_config_or_exit(path: Path) -> HallConfig:
    """Validate first: print every mistake with file and line, and exit 2 without a traceback."""
    try:
        return load_config(path)
    except ConfigError as exc:
        print("configuration error:", file=sys.stderr)
        for line in exc.errors:
            print(f"  {line}", file=sys.stderr)
        raise SystemExit(2) from None
