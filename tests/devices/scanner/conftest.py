"""Fixtures for the scanner tests: simulated camera videos built with madoguchi.devices.scanner.video_sim."""

from __future__ import annotations

from pathlib import Path

import pytest

from madoguchi.devices.scanner.video_sim import SceneStyle, write_video

VIDEO_TEXTS = ("MDR1:RES-0042-XYZ", "https://hall.example.jp/t/Tok3nAbc")


@pytest.fixture(scope="session")
def sim_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short camera video: each code held up for one second, moving and turning, blank frames between."""
    path = tmp_path_factory.mktemp("camera") / "codes.avi"
    return write_video(
        path,
        VIDEO_TEXTS,
        size=(640, 480),
        fps=20,
        seconds_per_code=1.2,
        gap_seconds=0.5,
        style=SceneStyle(module_px=5.0, blur=0.7, noise=3.0, glare=0.3),
    )


@pytest.fixture(scope="session")
def sim_video_texts() -> tuple[str, ...]:
    return VIDEO_TEXTS
