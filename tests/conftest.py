"""Shared fixtures for every test folder: offscreen Qt, the example hall, and the screenshot folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "tests" / "artifacts"
EXAMPLE_CONFIG = REPO / "deploy" / "hall.example.toml"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where tests save screenshots and rendered tickets for people to look at (git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def example_config_path() -> Path:
    return EXAMPLE_CONFIG


@pytest.fixture(scope="session")
def hall_config():  # type: ignore[no-untyped-def]
    from queueing.config import load_config

    return load_config(EXAMPLE_CONFIG)
