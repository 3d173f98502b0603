from __future__ import annotations

import numpy as np

from madoguchi.devices.scanner.decode import DecodedCode
from madoguchi.devices.scanner.preview import CODE_COLOR, GUIDE_COLOR, draw_preview, guide_rect


def test_preview_has_guide_and_green_outline_and_leaves_the_frame_alone() -> None:
    frame = np.full((720, 1280, 3), 90, np.uint8)
    code = DecodedCode("x", b"x", "QRCode", ((200.0, 200.0), (400.0, 200.0), (400.0, 400.0), (200.0, 400.0)))
    out = draw_preview(frame, [code], max_width=640)
    assert out.shape == (360, 640, 3)
    assert (frame == 90).all()
    # the outline at half scale: top edge from (100, 100) to (200, 100)
    assert tuple(int(v) for v in out[100, 150]) == CODE_COLOR
    x, y, _, _ = guide_rect(640, 360)
    assert tuple(int(v) for v in out[y, x + 5]) == GUIDE_COLOR


def test_grayscale_frames_get_a_colour_preview() -> None:
    out = draw_preview(np.zeros((100, 200), np.uint8), [])
    assert out.shape == (100, 200, 3)
