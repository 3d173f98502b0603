"""How much to look at a camera frame: a camera watching an empty counter must cost almost nothing.

Decoding every frame of a 30 fps camera through the full pipeline took about a third of a core on a kiosk where
nobody stood (a frame without a code costs ~11 ms of CPU in ``decode.FrameDecoder``, against ~1 ms for zxing-cpp's
first stage alone). ``Watch`` keeps two modes:

- watching (the scene is still, nothing code-like in view): ``watch_fps`` frames a second are taken and given a
  quick look (motion against the previous look, then ``FrameDecoder.glance``), the full pipeline once a
  ``full_every_s`` (a code laid perfectly still still gets every stage, in turn); the frames in between are only
  grabbed from the camera;
- active (motion, or anything code-like seen): every frame, full pipeline, until ``active_hold_s`` after the last
  motion or symbol.

A resident holding up a code makes it active from the first frame it appears in: the frames that read it are
decoded exactly as before, so the read rate is the pipeline's (bench/scanner.py's "watched" row shows it).
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from madoguchi.devices.scanner.decode import DecodedCode, FrameDecoder


class StillScene:
    """Whether the scene moved since the last frame looked at: a 1/8-size thumbnail compared pixel by pixel.

    Sensor noise averages out at that size; a hand, a phone or a slip of paper coming into view changes more
    than ``changed_share`` of the thumbnail by more than ``level`` grey levels."""

    def __init__(self, level: int = 12, changed_share: float = 0.004) -> None:
        self.level = level
        self.changed_share = changed_share
        self._last: np.ndarray | None = None

    def moved(self, gray: np.ndarray) -> bool:
        h, w = gray.shape[:2]
        thumb = cv2.resize(gray, (max(1, w // 8), max(1, h // 8)), interpolation=cv2.INTER_AREA)
        last, self._last = self._last, thumb
        if last is None or last.shape != thumb.shape:
            return True
        changed = int(np.count_nonzero(cv2.absdiff(thumb, last) > self.level))
        return changed > self.changed_share * thumb.size


class Watch:
    def __init__(
        self,
        decoder: FrameDecoder,
        *,
        watch_fps: float = 5.0,
        full_every_s: float = 1.0,
        active_hold_s: float = 2.0,
        still: Callable[[], StillScene] = StillScene,
    ) -> None:
        self.decoder = decoder
        self.watch_interval = 1.0 / watch_fps if watch_fps > 0 else 0.0
        self.full_every_s = full_every_s
        self.active_hold_s = active_hold_s
        self._still = still()
        self._active_until = 0.0
        self._next_watch = 0.0
        self._next_full = 0.0

    def active(self, now: float) -> bool:
        return now < self._active_until

    def activate(self, now: float) -> None:
        """Look at every frame for a while (a camera opened, a screen that wants codes, motion, a symbol)."""
        self._active_until = max(self._active_until, now + self.active_hold_s)

    def wants_frame(self, now: float) -> bool:
        """Active: every frame. Watching: one every ``watch_interval``; the others are only grabbed."""
        if now < self._active_until:
            return True
        if now >= self._next_watch:
            self._next_watch = now + self.watch_interval
            return True
        return False

    def look(self, frame: np.ndarray, now: float) -> list[DecodedCode]:
        """Decode ``frame`` as much as the mode asks; motion or a symbol in view makes (keeps) it active."""
        gray = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        if self._still.moved(gray):
            self.activate(now)
        if now < self._active_until or now >= self._next_full:
            self._next_full = now + self.full_every_s
            codes = self.decoder.decode(frame)
        else:
            codes = self.decoder.glance(gray)
        if codes or self.decoder.stats.symbols:
            self.activate(now)
        return codes
