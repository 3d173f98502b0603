"""2D-code residents go through the camera path: a video of the code, decoded by the scanner package."""

from __future__ import annotations

from pathlib import Path

import pytest

from madoguchi.apps.soak.kiosk_proc import code_video, scan_prefill
from madoguchi.core.config import EXAMPLE_CONFIG, load_config

pytestmark = pytest.mark.timeout(120)


@pytest.mark.parametrize("service", ["juminhyo", "tennyu"])
def test_a_code_held_up_to_the_camera_fills_the_form(tmp_path: Path, service: str) -> None:
    config = load_config(EXAMPLE_CONFIG)
    video = code_video(config, service, tmp_path)
    assert code_video(config, service, tmp_path) == video  # made once
    scan = scan_prefill(video, config, service)
    assert scan.form is not None, scan.problem
    assert scan.form["name"].startswith("試験") and scan.frames >= 2  # (validation normalises the space)
    assert ("moved_on" in scan.form) == (service == "tennyu")


def test_a_code_for_another_procedure_is_refused(tmp_path: Path) -> None:
    config = load_config(EXAMPLE_CONFIG)
    scan = scan_prefill(code_video(config, "tennyu", tmp_path), config, "juminhyo")
    assert scan.form is None and scan.problem == "payload.error.wrong_procedure"
