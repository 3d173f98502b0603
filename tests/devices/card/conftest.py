"""Card reader fixtures: ``pcscd`` and ``insert_card`` come from the root conftest (shared with the kiosk)."""

from __future__ import annotations

from pathlib import Path

import pytest

from madoguchi.devices.card.pcscd_harness import PcscdProcess


@pytest.fixture
def pcscd_log(pcscd: PcscdProcess) -> Path:
    assert pcscd.log_path is not None
    return pcscd.log_path
