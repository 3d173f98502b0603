"""Frame → decoded 2D codes within a work budget: zxing-cpp first, then targeted retries while time remains.

Stages (each later one runs only while the frame's budget lasts, and only when the first left work undone):
 1. zxing-cpp on the frame downscaled to ≤ ``max_side`` px, QR family only (linear formats are slow and read
    false codes off table edges), errors returned so "found but not decoded" symbols come back with a position;
 2. each such symbol: a crop of the full-resolution frame around it, upscaled and contrast-stretched, retried
    with both binarizers and sharpened;
 3. a global-histogram binarizer (cheap; glare and uneven light fool the local one differently);
 4. the full-resolution frame when it was downscaled (small modules vanish in the downscale);
 5. a lightly smoothed frame: sensor noise and a phone screen's pixel grid (moiré);
 6. a sharpened frame: defocus and motion blur;
 7. contrast-equalised (CLAHE) frame: low contrast, shadows;
 8. the inverted frame: light-on-dark codes (dark-mode phone screens), rarer, so last;
 9. for small images only (≤ 800 px, photos rather than camera frames): the image upscaled 2×.
The order is by decodes added per millisecond on the hard set (bench/scanner.py). OpenCV's QR detectors are
not a stage: on the hard set they added 1 read in 429 and took p95 from 44 to 130 ms CPU per 1080p frame.
Only symbols whose Reed-Solomon check passed are returned, so a retry adds reads but not false ones.
The budget counts this thread's CPU time: work on one core, the same on a busy or an idle machine.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import cv2
import numpy as np
import zxingcpp

from madoguchi.devices.scanner.charset import decode_payload

log = logging.getLogger(__name__)

Corners = tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]
DEFAULT_FORMATS = "QRCode,MicroQRCode,RMQRCode"


@dataclass(frozen=True)
class DecodedCode:
    """One decoded symbol. ``text`` is None for binary content; ``raw`` is the payload without ECI markers."""

    text: str | None
    raw: bytes
    symbology: str
    corners: Corners  # top-left, top-right, bottom-right, bottom-left in frame pixels
    charset: str = "utf-8"

    def __repr__(self) -> str:  # the content may be personal data: never in a repr
        return f"DecodedCode({self.symbology}, {len(self.raw)} bytes, {self.charset})"

    @property
    def center(self) -> tuple[float, float]:
        return (sum(p[0] for p in self.corners) / 4, sum(p[1] for p in self.corners) / 4)


@dataclass
class DecodeStats:
    """What the last frame cost and which stage found what (for the bench and the health page)."""

    ms: float = 0.0  # CPU time of this thread
    wall_ms: float = 0.0
    stages_run: list[str] = field(default_factory=list)
    found_by: dict[str, int] = field(default_factory=dict)
    #: symbols the first stage located, read or not (0: nothing code-like in view)
    symbols: int = 0


def _quad(pos: zxingcpp.Position, scale: float = 1.0, dx: float = 0.0, dy: float = 0.0) -> Corners:
    pts = (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
    c = tuple((p.x / scale + dx, p.y / scale + dy) for p in pts)
    return c  # type: ignore[return-value]


def _bytes_eci(barcode: zxingcpp.Barcode) -> bytes | None:
    """The ECI-protocol byte stream when the symbol declared an ECI, else None.

    zxing-cpp 3.1's Python API exposes ``bytesECI`` only as ``TextMode.HexECI`` text: the symbology identifier
    (``]Q2`` means ECI present for QR, ``]Q1`` none) followed by the data with ``\\000020``-style markers.
    """
    data = bytes.fromhex(barcode.text)
    ident, body = data[:3], data[3:]
    if ident[:2] == b"]Q" and ident[2:3] in (b"2", b"4", b"6"):
        return body
    if ident[:2] in (b"]d", b"]z") and ident[2:3] in (b"4", b"5", b"6", b"3", b"4", b"5"):
        return body if b"\\" in body else None
    return None


def _codes_from(
    results: Iterable[zxingcpp.Barcode], scale: float, dx: float, dy: float
) -> tuple[list[DecodedCode], list[Corners]]:
    codes: list[DecodedCode] = []
    failed: list[Corners] = []
    for b in results:
        corners = _quad(b.position, scale, dx, dy)
        if not b.valid or b.error is not None:
            failed.append(corners)
            continue
        decoded = decode_payload(b.bytes, _bytes_eci(b))
        codes.append(DecodedCode(decoded.text, b.bytes, b.format.name, corners, decoded.charset))
    return codes, failed


class FrameDecoder:
    """Decode every 2D code in a BGR or grayscale frame, spending about ``budget_ms`` of one core.

    ``budget_ms=None`` runs every stage that is still useful (tests, the scan CLI). The first stage always
    runs, so a frame is never skipped because the machine is busy. ``exhaustive`` keeps looking after every
    detected symbol was read (images with more codes than the detector saw at first). ``rotate_stages``
    (video) lets the next frame continue with the stages this frame had no budget for.
    """

    def __init__(
        self,
        budget_ms: float | None = 15.0,
        max_side: int = 1280,
        formats: str = DEFAULT_FORMATS,
        *,
        exhaustive: bool = False,
        rotate_stages: bool = False,
        clock: Callable[[], float] = time.thread_time,
    ) -> None:
        self._clock = clock
        self.budget_ms = budget_ms
        self.exhaustive = exhaustive
        self.rotate_stages = rotate_stages
        self._resume = 0
        self.max_side = max_side
        zxingcpp.barcode_formats_from_str(formats)  # fail early on a typo
        # Only plain Python values are kept: a zxing-cpp (nanobind) object still referenced at interpreter exit,
        # e.g. by a decoder a Qt object keeps alive, is reported as a leak.
        self.formats = formats
        self.stats = DecodeStats()
        self._clahe = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8))

    def reset(self) -> None:
        """Forget the stage rotation (a new scene, e.g. after the camera was lost)."""
        self._resume = 0

    # -- zxing-cpp calls ---------------------------------------------------------------------------------
    def _read(
        self,
        gray: np.ndarray,
        global_histogram: bool = False,
        downscale: bool = True,
    ) -> list[zxingcpp.Barcode]:
        return zxingcpp.read_barcodes(
            gray,
            formats=zxingcpp.barcode_formats_from_str(self.formats),
            try_rotate=False,  # matrix codes are found at any angle anyway
            try_downscale=downscale,
            try_invert=False,  # a third of the time on noisy frames; the inverted stage covers it
            text_mode=zxingcpp.TextMode.HexECI,
            binarizer=zxingcpp.Binarizer.GlobalHistogram if global_histogram else zxingcpp.Binarizer.LocalAverage,
            return_errors=True,
        )

    # -- pipeline ----------------------------------------------------------------------------------------
    def decode(self, frame: np.ndarray) -> list[DecodedCode]:
        t0 = self._clock()
        wall0 = time.perf_counter()
        stats = DecodeStats()
        self.stats = stats
        found: list[DecodedCode] = []

        def elapsed() -> float:
            return (self._clock() - t0) * 1000

        def may_run(share: float = 1.0) -> bool:
            return self.budget_ms is None or elapsed() < self.budget_ms * share

        def add(stage: str, codes: list[DecodedCode]) -> None:
            for code in codes:
                if not _already(found, code):
                    found.append(code)
                    stats.found_by[stage] = stats.found_by.get(stage, 0) + 1

        gray = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        h, w = gray.shape
        scale = min(1.0, self.max_side / max(h, w))
        # INTER_LINEAR: INTER_AREA at this non-integer factor costs 5 ms more on a 1080p frame for 2 reads in 429
        small = gray if scale >= 1.0 else cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR)

        stats.stages_run.append("base")
        codes, failed = _codes_from(self._read(small), scale, 0, 0)
        stats.symbols = len(codes) + len(failed)
        add("base", codes)

        stages: list[tuple[str, Callable[[], tuple[list[DecodedCode], list[Corners]]]]] = []
        stages.append(("histogram", lambda: _codes_from(self._read(small, global_histogram=True), scale, 0, 0)))
        if scale < 1.0:
            stages.append(("full", lambda: _codes_from(self._read(gray, downscale=False), 1.0, 0, 0)))
        stages.append(("smooth", lambda: _codes_from(self._read(cv2.GaussianBlur(small, (0, 0), 0.8)), scale, 0, 0)))
        stages.append(("sharpen", lambda: _codes_from(self._read(_unsharp(small)), scale, 0, 0)))
        stages.append(("clahe", lambda: _codes_from(self._read(self._clahe.apply(small)), scale, 0, 0)))
        stages.append(("inverted", lambda: _codes_from(self._read(cv2.bitwise_not(small)), scale, 0, 0)))
        if max(h, w) <= 800:  # small photos (not camera frames): modules of 1–2 px need more pixels
            stages.append(("upscaled", lambda: _codes_from(self._read(_upscale(gray)), 2.0, 0, 0)))

        if failed:
            stats.stages_run.append("crop")
            add("crop", self._retry_crops(gray, failed, found, may_run))
            failed = [f for f in failed if not _covered(found, f)]
        if found and not failed and not self.exhaustive:
            stages = []  # the usual kiosk frame: everything the detector saw is read, spend no more on it
        start = self._resume % len(stages) if stages and self.rotate_stages else 0
        order = stages[start:] + stages[:start]
        ran = 0
        succeeded: int | None = None
        for name, run in order:
            if not may_run(0.7):  # a stage costs up to ~5 ms CPU (p95) on a noisy 720p frame
                break
            stats.stages_run.append(name)
            more, more_failed = run()
            before = len(found)
            add(name, more)
            if len(found) > before and succeeded is None:
                succeeded = ran
            ran += 1
            failed = [f for f in failed + more_failed if not _covered(found, f)]
        # Video: a frame that ran out of budget hands the remaining stages to the next frame, so consecutive
        # frames of one scene try every stage between them; a stage that read something goes first next
        # time, so the second frame the agreement rule needs comes at once.
        if not stages:
            self._resume = 0
        elif succeeded is not None:
            self._resume = (start + succeeded) % len(stages)
        elif ran < len(stages):
            self._resume = (start + ran) % len(stages)
        else:
            self._resume = 0
        stats.ms = elapsed()
        stats.wall_ms = (time.perf_counter() - wall0) * 1000
        return found

    def glance(self, gray: np.ndarray) -> list[DecodedCode]:
        """The first stage only (about a tenth of ``decode`` on a frame without a code): for a camera watching
        an empty counter. ``stats.symbols`` says whether anything code-like is in view (then ``decode``)."""
        t0, wall0 = self._clock(), time.perf_counter()
        h, w = gray.shape[:2]
        scale = min(1.0, self.max_side / max(h, w))
        small = gray if scale >= 1.0 else cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR)
        codes, failed = _codes_from(self._read(small), scale, 0, 0)
        self.stats = DecodeStats(stages_run=["base"], symbols=len(codes) + len(failed))
        if codes:
            self.stats.found_by["base"] = len(codes)
        self.stats.ms = (self._clock() - t0) * 1000
        self.stats.wall_ms = (time.perf_counter() - wall0) * 1000
        return codes

    def _retry_crops(
        self,
        gray: np.ndarray,
        failed: list[Corners],
        found: list[DecodedCode],
        may_run: Callable[[float], bool],
    ) -> list[DecodedCode]:
        out: list[DecodedCode] = []
        h, w = gray.shape
        for quad in _distinct(failed)[:3]:
            if _covered(found + out, quad) or not may_run(0.6):
                continue
            xs, ys = [p[0] for p in quad], [p[1] for p in quad]
            side = max(max(xs) - min(xs), max(ys) - min(ys))
            m = side * 0.35 + 8  # the quiet zone and some slack for a poorly located corner
            x0, x1 = int(max(0, min(xs) - m)), int(min(w, max(xs) + m))
            y0, y1 = int(max(0, min(ys) - m)), int(min(h, max(ys) + m))
            crop = gray[y0:y1, x0:x1]
            if crop.size == 0:
                continue
            up = max(1.0, min(3.0, 500 / max(crop.shape)))
            big = cv2.resize(crop, None, fx=up, fy=up, interpolation=cv2.INTER_CUBIC) if up > 1 else crop
            big = cv2.normalize(big, np.empty_like(big), 0, 255, cv2.NORM_MINMAX)
            attempts = (
                (False, False),
                (False, True),  # global-histogram binarizer
                (True, False),  # sharpened: blur is the usual cause here
            )
            for sharpen, histogram in attempts:
                image = _unsharp(big) if sharpen else big
                codes, _ = _codes_from(self._read(image, global_histogram=histogram), up, x0, y0)
                if codes:
                    out.extend(c for c in codes if not _already(out, c))
                    break
        return out


def _upscale(gray: np.ndarray) -> np.ndarray:
    return cv2.resize(gray, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC)


def _unsharp(gray: np.ndarray) -> np.ndarray:
    blurred = cv2.GaussianBlur(gray, (0, 0), 2.0)
    return cv2.addWeighted(gray, 1.8, blurred, -0.8, 0)


def _inside(point: tuple[float, float], quad: Corners) -> bool:
    contour = np.array(quad, dtype=np.float32).reshape(-1, 1, 2)
    return cv2.pointPolygonTest(contour, point, False) >= 0


def _already(found: list[DecodedCode], code: DecodedCode) -> bool:
    """Same symbol seen again (same bytes where one lies on the other); two identical slips stay two codes."""
    return any(
        f.raw == code.raw and (_inside(code.center, f.corners) or _inside(f.center, code.corners)) for f in found
    )


def _covered(found: list[DecodedCode], quad: Corners) -> bool:
    cx, cy = sum(p[0] for p in quad) / 4, sum(p[1] for p in quad) / 4
    return any(_inside((cx, cy), f.corners) for f in found)


def _distinct(quads: list[Corners]) -> list[Corners]:
    out: list[Corners] = []
    for q in quads:
        c = (sum(p[0] for p in q) / 4, sum(p[1] for p in q) / 4)
        if not any(_inside(c, o) for o in out):
            out.append(q)
    return out
