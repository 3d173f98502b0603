"""Argument helpers shared by the subcommands that take a hall configuration and data directory.

Folders come from platformdirs, so the same code finds them on Linux (``~/.local/share/madoguchi``, XDG
variables honoured) and on Windows (``%LOCALAPPDATA%\\madoguchi``). The hall configuration of an installed
machine is ``/etc/madoguchi/hall.toml`` (``%PROGRAMDATA%\\madoguchi\\hall.toml`` on Windows); the example hall in
the package is only ever used when asked for by path, and by ``madoguchi demo``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from madoguchi.core.config import EXAMPLE_CONFIG, ConfigError, HallConfig, load_config

APP_NAME = "madoguchi"


def system_config_path() -> Path:
    """Where an installed machine keeps its hall configuration."""
    if sys.platform == "win32":
        import platformdirs

        return platformdirs.site_config_path(APP_NAME, appauthor=False) / "hall.toml"
    return Path("/etc/madoguchi/hall.toml")


DEFAULT_CONFIG = system_config_path()


def default_data_dir() -> Path:
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_cache_dir() -> Path:
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        default=DEFAULT_CONFIG,
        help=f"hall configuration (TOML; default {DEFAULT_CONFIG})",
    )


def add_data_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=f"database folder (default: [server] data_dir of the configuration, else {default_data_dir()})",
    )
    parser.add_argument(
        "--key-dir",
        type=Path,
        default=None,
        help="form-encryption key folder, outside the database (default: [server] key_dir of the configuration, "
        "else DATA/keys)",
    )


def configured_paths(args: argparse.Namespace, config: HallConfig | None) -> tuple[Path, Path | None]:
    """The data folder and the key folder (None: not said anywhere): the command line first, then the
    configuration's ``[server]`` section (what the server itself uses), then the user's data folder."""
    paths = config.server if config is not None else None
    data = args.data_dir or (Path(paths.data_dir) if paths and paths.data_dir else None) or default_data_dir()
    keys = args.key_dir or (Path(paths.key_dir) if paths and paths.key_dir else None)
    return data, keys


def data_paths(args: argparse.Namespace, config: HallConfig | None = None) -> tuple[Path, Path]:
    """(database file, key folder); creates the data folder."""
    data, keys = configured_paths(args, config)
    data.mkdir(parents=True, exist_ok=True)
    return data / "hall.sqlite3", (keys or data / "keys")


def config_if_present(path: Path) -> HallConfig | None:
    """The configuration when there is one (maintenance commands run without one too); a broken one stops."""
    if not path.exists():
        return None
    return load_config_or_exit(path)


def load_config_or_exit(path: Path) -> HallConfig:
    """Validate first: print every mistake with file and line, and exit 2 without a traceback."""
    if not path.exists() and path == DEFAULT_CONFIG:
        print(
            f"configuration error: no hall configuration at {path}\n"
            f"  write one there or pass --config FILE (an example to start from: {EXAMPLE_CONFIG})",
            file=sys.stderr,
        )
        raise SystemExit(2)
    try:
        return load_config(path)
    except ConfigError as exc:
        print("configuration error:", file=sys.stderr)
        for line in exc.errors:
            print(f"  {line}", file=sys.stderr)
        raise SystemExit(2) from None
