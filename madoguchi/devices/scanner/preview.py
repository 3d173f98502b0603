"""The kiosk preview image: the frame with a guide rectangle and a green outline on each recognised code."""

from __future__ import annotations

import cv2
import numpy as np

from madoguchi.devices.scanner.decode import DecodedCode

GUIDE_COLOR = (255, 255, 255)  # BGR
CODE_COLOR = (60, 200, 60)


def guide_rect(width: int, height: int, fraction: float = 0.6) -> tuple[int, int, int, int]:
    """Where residents are asked to hold the code: a centred square, ``fraction`` of the shorter side."""
    side = int(min(width, height) * fraction)
    return ((width - side) // 2, (height - side) // 2, side, side)


def draw_preview(frame: np.ndarray, codes: list[DecodedCode], max_width: int = 640) -> np.ndarray:
    """A new BGR image (the input is not modified), downscaled to ``max_width`` to keep the UI cheap."""
    w = frame.shape[1]
    scale = min(1.0, max_width / w)
    out = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else frame.copy()
    if out.ndim == 2:
        out = cv2.cvtColor(out, cv2.COLOR_GRAY2BGR)
    oh, ow = out.shape[:2]
    x, y, s, _ = guide_rect(ow, oh)
    thickness = max(2, ow // 320)
    corner = s // 5
    for cx, cy, dx, dy in ((x, y, 1, 1), (x + s, y, -1, 1), (x + s, y + s, -1, -1), (x, y + s, 1, -1)):
        cv2.line(out, (cx, cy), (cx + dx * corner, cy), GUIDE_COLOR, thickness, cv2.LINE_AA)
        cv2.line(out, (cx, cy), (cx, cy + dy * corner), GUIDE_COLOR, thickness, cv2.LINE_AA)
    for code in codes:
        pts = np.array([(px * scale, py * scale) for px, py in code.corners], dtype=np.int32).reshape(-1, 1, 2)
        cv2.polylines(out, [pts], True, CODE_COLOR, thickness + 1, cv2.LINE_AA)
    return out
