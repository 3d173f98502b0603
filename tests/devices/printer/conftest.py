"""Fixtures for the printer tests: sample tickets and simulators on loopback ports or pty pairs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from madoguchi.devices.printer.sim_harness import RunningSimulator, running_simulator, sample_content, serial_simulator
from madoguchi.devices.printer.ticket_layout import TicketContent


@pytest.fixture
def content() -> TicketContent:
    return sample_content("vi")


@pytest.fixture(scope="session")
def printer_artifacts(artifacts_dir: Path) -> Path:
    path = artifacts_dir / "printers"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def sim(printer_artifacts: Path) -> Iterator[RunningSimulator]:
    with running_simulator("TM-T20II", out_dir=printer_artifacts / "sim") as running:
        yield running


@pytest.fixture
def serial_sim() -> Iterator[RunningSimulator]:
    with serial_simulator("TM-T20II") as running:
        yield running
