"""Camera simulator: scenes of 2D codes as a camera sees them, and video files of them (cv2.VideoWriter).

A scene places one or more code images on a cluttered background with perspective, rotation, curvature,
blur, noise, low contrast, glare or a phone screen's pixel grid (moiré). The same renderer makes the demo's
camera video, the tests' images and the benchmark's hard set, so all three exercise the real decode path.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from madoguchi.devices.scanner.capture import CameraCapture, CaptureCallbacks
from madoguchi.devices.scanner.qr_segments import ByteSegment, Segment, qr_image


@dataclass(frozen=True)
class SceneStyle:
    """How one code looks in the frame. Sizes in frame pixels; angles in degrees; strengths 0..1."""

    module_px: float = 6.0  # size of one module in the frame
    rotation: float = 0.0
    tilt: float = 0.0  # perspective: corner displacement as a fraction of the code size
    curve: float = 0.0  # paper bent around a cylinder: bulge as a fraction of the code width
    blur: float = 0.0  # Gaussian sigma in pixels
    motion: float = 0.0  # motion blur length in pixels
    noise: float = 0.0  # Gaussian noise sigma (0..255 scale)
    contrast: float = 1.0  # 1 = black on white; 0.2 = grey on grey
    glare: float = 0.0  # a specular highlight over part of the code
    screen: bool = False  # shown on a phone screen (emissive, pixel grid → moiré when resampled)
    jpeg: int = 0  # JPEG quality (0 = no compression)


@dataclass(frozen=True)
class PlacedCode:
    text: str
    corners: tuple[tuple[float, float], ...]  # top-left, top-right, bottom-right, bottom-left in the frame


@dataclass
class Scene:
    frame: np.ndarray  # BGR uint8
    codes: list[PlacedCode] = field(default_factory=list)


def background(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """A counter-top-like background with gradients, blocks and thin lines (distractors, never codes)."""
    base = rng.uniform(60, 200)
    gx = np.linspace(-1, 1, width, dtype=np.float32)[None, :] * rng.uniform(-40, 40)
    gy = np.linspace(-1, 1, height, dtype=np.float32)[:, None] * rng.uniform(-40, 40)
    gray = np.clip(base + gx + gy, 0, 255).astype(np.uint8)
    img: np.ndarray = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    for _ in range(int(rng.integers(3, 9))):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        w, h = int(rng.integers(20, width // 3)), int(rng.integers(20, height // 3))
        color = tuple(int(c) for c in rng.integers(0, 256, 3))
        cv2.rectangle(img, (x, y), (x + w, y + h), color, -1)
    for _ in range(int(rng.integers(5, 20))):
        p1 = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        p2 = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        cv2.line(img, p1, p2, tuple(int(c) for c in rng.integers(0, 256, 3)), int(rng.integers(1, 4)))
    return img


def _curve(code: np.ndarray, bulge: float) -> np.ndarray:
    """Bend the printed slip around a vertical cylinder: columns compress towards the edges, rows bow."""
    if bulge <= 0:
        return code
    h, w = code.shape[:2]
    xs = np.linspace(-1, 1, w, dtype=np.float32)
    # arc-length parametrisation of a cylinder seen from the front
    angle = xs * min(1.4, 0.5 + 3 * bulge)
    src_x = (np.sin(angle) / math.sin(float(angle[-1])) + 1) * (w - 1) / 2
    map_x = np.tile(src_x, (h, 1))
    ys = np.arange(h, dtype=np.float32)[:, None]
    bow = (1 - xs[None, :] ** 2) * bulge * h * 0.3
    map_y = (ys - h / 2) * (1 + bow / h) + h / 2
    return cv2.remap(code, map_x, map_y.astype(np.float32), cv2.INTER_LINEAR, borderValue=255)


def _screen_texture(code: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw the code at a phone's pixel pitch with dark gaps between pixels (the grid makes moiré later)."""
    pitch = 3
    up = cv2.resize(code, (code.shape[1] * pitch, code.shape[0] * pitch), interpolation=cv2.INTER_NEAREST)
    grid = np.ones((pitch, pitch), np.float32)
    grid[-1, :] = grid[:, -1] = rng.uniform(0.35, 0.7)
    tiled = np.tile(grid, (code.shape[0], code.shape[1]))
    return (up.astype(np.float32) * tiled).astype(np.uint8)


def render_code(content: str | Sequence[Segment], ec_level: str = "M") -> np.ndarray:
    """The code at one pixel per module (quiet zone included)."""
    segments: list[Segment] = [ByteSegment(content.encode("utf-8"))] if isinstance(content, str) else list(content)
    return qr_image(segments, module_px=1, ec_level=ec_level)


def place(
    frame: np.ndarray,
    code: np.ndarray,
    center: tuple[float, float],
    style: SceneStyle,
    rng: np.random.Generator,
) -> tuple[tuple[float, float], ...]:
    """Warp ``code`` (1 px per module) into ``frame`` in place; returns the symbol corners (without quiet zone)."""
    modules = code.shape[0]
    src = code
    if style.screen:
        src = _screen_texture(code, rng)
    scale_up = max(1, math.ceil(style.module_px * 2 / (src.shape[0] / modules)))
    src = cv2.resize(src, (src.shape[1] * scale_up, src.shape[0] * scale_up), interpolation=cv2.INTER_NEAREST)
    src = _curve(src, style.curve)
    n = src.shape[0]
    side = modules * style.module_px
    cx, cy = center
    theta = math.radians(style.rotation)
    half = side / 2
    dst = []
    for dx, dy in ((-half, -half), (half, -half), (half, half), (-half, half)):
        jx, jy = rng.uniform(-1, 1, 2) * style.tilt * side
        x = cx + dx * math.cos(theta) - dy * math.sin(theta) + jx
        y = cy + dx * math.sin(theta) + dy * math.cos(theta) + jy
        dst.append((x, y))
    src_quad = np.array([[0, 0], [n, 0], [n, n], [0, n]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(src_quad, np.array(dst, dtype=np.float32))
    h, w = frame.shape[:2]
    # Warp and blend only inside the code's bounding box: whole-frame float work made videos slow to write.
    xs, ys = [p[0] for p in dst], [p[1] for p in dst]
    x0, y0 = max(0, int(min(xs)) - 2), max(0, int(min(ys)) - 2)
    x1, y1 = min(w, int(max(xs)) + 3), min(h, int(max(ys)) + 3)
    if x1 > x0 and y1 > y0:
        shift = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], dtype=np.float64)
        m_roi = shift @ m
        size = (x1 - x0, y1 - y0)
        warped = cv2.warpPerspective(src, m_roi, size, flags=cv2.INTER_AREA, borderValue=0)
        mask = cv2.warpPerspective(np.full(src.shape, 255, np.uint8), m_roi, size, flags=cv2.INTER_LINEAR)
        lo, hi = (30.0, 245.0) if not style.screen else (15.0, 235.0)
        mid = (lo + hi) / 2
        tone = mid + (warped.astype(np.float32) / 255 * (hi - lo) - (hi - lo) / 2) * style.contrast
        alpha = mask.astype(np.float32)[..., None] / 255
        tone3 = np.repeat(tone[..., None], 3, axis=2)
        if style.screen:
            tone3[..., 0] *= 1.05  # screens are a little blue
        roi = frame[y0:y1, x0:x1]
        roi[:] = np.clip(roi * (1 - alpha) + tone3 * alpha, 0, 255).astype(np.uint8)
    q = modules - 8  # the symbol without its 4-module quiet zone on each side
    inner = np.array([[4, 4], [4 + q, 4], [4 + q, 4 + q], [4, 4 + q]], dtype=np.float32) * (n / modules)
    corners = cv2.perspectiveTransform(inner[None], m)[0]
    return tuple((float(x), float(y)) for x, y in corners)


def degrade(frame: np.ndarray, style: SceneStyle, rng: np.random.Generator, near: tuple[float, float]) -> None:
    """Whole-frame optics and sensor effects, in place."""
    img: np.ndarray = frame.astype(np.float32)
    if style.glare > 0:
        h, w = frame.shape[:2]
        gx, gy = near[0] + rng.uniform(-60, 60), near[1] + rng.uniform(-60, 60)
        radius = rng.uniform(0.04, 0.1) * w
        x0, x1 = max(0, int(gx - 3 * radius)), min(w, int(gx + 3 * radius) + 1)
        y0, y1 = max(0, int(gy - 3 * radius)), min(h, int(gy + 3 * radius) + 1)
        if x1 > x0 and y1 > y0:
            yy, xx = np.ogrid[y0:y1, x0:x1]
            blob = np.exp(-((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * radius**2)).astype(np.float32)
            img[y0:y1, x0:x1] += blob[..., None] * 255 * style.glare
    if style.motion > 1:
        length = int(style.motion)
        kernel: np.ndarray = np.zeros((length, length), np.float32)
        kernel[length // 2, :] = 1 / length
        rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), float(rng.uniform(0, 180)), 1)
        kernel = cv2.warpAffine(kernel, rot, (length, length))
        kernel = (kernel / max(float(kernel.sum()), 1e-6)).astype(np.float32)
        img = cv2.filter2D(img, -1, kernel)
    if style.blur > 0:
        img = cv2.GaussianBlur(img, (0, 0), style.blur)
    if style.noise > 0:
        noise = np.empty(img.shape, np.float32)
        cv2.setRNGSeed(int(rng.integers(0, 2**31)))  # OpenCV's generator is ~10x faster than numpy's normal()
        cv2.randn(noise, np.array([0.0]), np.array([float(style.noise)]))
        img += noise
    frame[:] = np.clip(img, 0, 255).astype(np.uint8)
    if style.jpeg:
        ok, buf = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, style.jpeg])
        if ok:
            frame[:] = cv2.imdecode(buf, cv2.IMREAD_COLOR)


def scene(
    contents: Sequence[str | Sequence[Segment]],
    texts: Sequence[str],
    size: tuple[int, int] = (1280, 720),
    style: SceneStyle | None = None,
    seed: int = 0,
    centers: Sequence[tuple[float, float]] | None = None,
) -> Scene:
    """One frame showing each content (with its expected text) spread across the frame."""
    rng = np.random.default_rng(seed)
    style = style or SceneStyle()
    w, h = size
    frame = background(w, h, rng)
    placed: list[PlacedCode] = []
    n = len(contents)
    for i, (content, text) in enumerate(zip(contents, texts, strict=True)):
        center = centers[i] if centers else ((i + 0.5) * w / n, h / 2)
        corners = place(frame, render_code(content), center, style, rng)
        placed.append(PlacedCode(text, corners))
    near = centers[0] if centers else (w / (2 * max(n, 1)), h / 2)
    degrade(frame, style, rng, near)
    return Scene(frame, placed)


def write_video(
    path: Path | str,
    texts: Sequence[str],
    size: tuple[int, int] = (640, 480),
    fps: int = 15,
    seconds_per_code: float = 2.0,
    gap_seconds: float = 0.7,
    style: SceneStyle | None = None,
    seed: int = 0,
) -> Path:
    """A video where each text is held up in turn, moving, turning and tilting, with empty frames between.

    MJPG in an .avi container: written and read by OpenCV's own backend everywhere, no codec packages needed.
    """
    path = Path(path)
    rng = np.random.default_rng(seed)
    base_style = style or SceneStyle(module_px=5.0, blur=0.6, noise=3.0)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, size)
    if not writer.isOpened():
        raise OSError(f"cannot write video {path}")
    w, h = size
    bg = background(w, h, rng)
    try:
        frame_no = 0
        for text in texts:
            code = render_code(text)
            n_code = int(seconds_per_code * fps)
            for i in range(n_code):
                t = i / max(n_code - 1, 1)
                frame = bg.copy()
                center = (w / 2 + math.sin(t * math.pi * 2) * w * 0.08, h / 2 + math.cos(t * math.pi) * h * 0.05)
                fit = min(w, h) * 0.55 / code.shape[0]
                st = replace(
                    base_style,
                    module_px=min(base_style.module_px, fit),
                    rotation=math.sin(t * math.pi) * 25,
                    tilt=0.04 * abs(math.sin(t * 3)),
                    glare=base_style.glare * t,
                )
                place(frame, code, center, st, rng)
                degrade(frame, st, rng, center)
                writer.write(frame)
                frame_no += 1
            for _ in range(int(gap_seconds * fps)):
                frame = bg.copy()
                degrade(frame, base_style, rng, (w / 2, h / 2))
                writer.write(frame)
                frame_no += 1
    finally:
        writer.release()
    return path


def simulated_capture(
    path: Path | str,
    texts: Sequence[str],
    callbacks: CaptureCallbacks | None = None,
    **kwargs: Any,
) -> CameraCapture:
    """The demo's camera: writes the video once (if missing) and plays it in a loop through cv2.VideoCapture."""
    path = Path(path)
    if not path.exists():
        write_video(path, texts)
    kwargs.setdefault("loop", True)
    return CameraCapture(path, callbacks, **kwargs)
