"""Shared fixtures for every test folder: offscreen Qt, the example hall, the screenshot folder, and the card
reader harness (one real pcscd with vpcd per session, a virtual card per test) used by the card and kiosk tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from madoguchi.core.config import EXAMPLE_CONFIG
from madoguchi.devices.card.pcscd_harness import (
    HarnessError,
    InsertCard,
    PcscdProcess,
    make_profile,
    running_pcscd,
    virtual_card,
)
from madoguchi.devices.card.virtual_card import CardProfile, VpcdCardClient
from tests.support.paths import ARTIFACTS, REPO

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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
    from madoguchi.core.config import load_config

    return load_config(EXAMPLE_CONFIG)


@pytest.fixture(scope="session")
def pcscd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PcscdProcess]:
    """A real pcscd child process (no APDU logging). Fails, never skips, when pcscd/vpcd are missing."""
    log_path = tmp_path_factory.mktemp("pcscd") / "pcscd.log"
    try:
        # one pcscd per machine: a second test run (a helper's, say) waits for the first one's to end
        wait = float(os.environ.get("MADOGUCHI_PCSCD_WAIT", "30"))
        with running_pcscd(log_path=log_path, wait_other=wait) as proc:
            yield proc
    except HarnessError as exc:
        pytest.fail(f"card reader harness: {exc}", pytrace=False)


@pytest.fixture
def insert_card(pcscd: PcscdProcess) -> Iterator[InsertCard]:
    """``insert_card(profile=None, port=35963, wait_present=True, **profile_overrides)`` → the card client.

    Every card inserted in a test is pulled at its end, and pcscd is seen to notice.
    """
    with ExitStack() as stack:

        def insert(
            profile: CardProfile | None = None, port: int = 35963, wait_present: bool = True, **overrides: Any
        ) -> VpcdCardClient:
            return stack.enter_context(virtual_card(profile or make_profile(**overrides), port, wait_present))

        yield insert


@pytest.fixture
def no_network() -> Iterator[list[str]]:
    """Any network attempt other than loopback is recorded and refused (offline speech, offline translation)."""
    from tests.support.network_guard import block_network

    with block_network() as attempts:
        yield attempts
