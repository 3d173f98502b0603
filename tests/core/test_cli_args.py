"""Where the commands look for the hall configuration and their folders when none is given."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from madoguchi.core import cli_args
from madoguchi.core.config import EXAMPLE_CONFIG

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(Path("/etc/madoguchi/hall.toml").exists(), reason="this machine has a real hall configuration")
@pytest.mark.parametrize("command", [["server"], ["admin", "purge-forms"], ["check-config"]])
def test_without_config_the_installed_hall_is_read_never_the_example(command: list[str], tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path)] if command[0] != "check-config" else []
    done = subprocess.run(
        [sys.executable, "-m", "madoguchi", command[0], *data, *command[1:]],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert done.returncode == 2, done.stderr
    assert "no hall configuration at /etc/madoguchi/hall.toml" in done.stderr
    assert str(EXAMPLE_CONFIG) in done.stderr  # named as a starting point only
    if command == ["server"]:
        assert not (tmp_path / "hall.sqlite3").exists()


def test_the_demo_and_an_explicit_path_still_use_the_example() -> None:
    import argparse

    from madoguchi.apps.demo import cli as demo_cli

    parser = argparse.ArgumentParser()
    demo_cli.add_arguments(parser)
    assert parser.parse_args([]).config == EXAMPLE_CONFIG
    assert cli_args.load_config_or_exit(EXAMPLE_CONFIG).services


def test_folders_follow_the_platform(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert cli_args.default_data_dir() == tmp_path / "data" / "madoguchi"
    assert cli_args.default_cache_dir() == tmp_path / "cache" / "madoguchi"
    assert cli_args.system_config_path() == Path("/etc/madoguchi/hall.toml")
