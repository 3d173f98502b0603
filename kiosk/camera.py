"""Camera → frames and decoded 2D codes, as Qt signals, on a worker thread.

A stop-gap until ``scanner``'s capture worker lands: it reads a camera index, a video file (looped at its own
frame rate, the demo and the tests) or a stream URL with OpenCV, decodes each frame with
``scanner.decode.FrameDecoder`` while ``set_active(True)``, and only emits: it never touches widgets.
The same text is not reported again within ``repeat_s`` seconds (a code held in front of the camera).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

log = logging.getLogger(__name__)

PREVIEW_WIDTH = 640


class VideoCodeScanner(QObject):
    code_decoded = Signal(str)
    frame_ready = Signal(object)  # QImage, already scaled for the preview
    availability_changed = Signal(bool)

    def __init__(self, source: str, repeat_s: float = 3.0) -> None:
        super().__init__()
        self.source = source
        self.repeat_s = repeat_s
        self._stop = threading.Event()
        self._active = threading.Event()
        self._thread: threading.Thread | None = None
        self._frames = 0
        self._ok = self._probe()
        self._last_text = ""
        self._last_at = 0.0

    def _open(self):  # type: ignore[no-untyped-def]
        import cv2

        src: int | str = int(self.source) if self.source.isdigit() else self.source
        return cv2.VideoCapture(src)

    def _probe(self) -> bool:
        if not self.source.isdigit() and "://" not in self.source and not Path(self.source).exists():
            return False
        cap = self._open()
        ok = bool(cap.isOpened())
        cap.release()
        return ok

    def available(self) -> bool:
        return self._ok

    def frames_seen(self) -> int:
        return self._frames

    def set_active(self, active: bool) -> None:
        if active:
            self._active.set()
        else:
            self._active.clear()
            self._last_text = ""

    def start(self) -> None:
        if self._thread is None and self._ok:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="kiosk-camera", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._active.set()  # wake the loop
        if self._thread is not None:
            self._thread.join(3.0)
            self._thread = None

    def _run(self) -> None:
        import cv2

        from scanner.decode import FrameDecoder

        decoder = FrameDecoder(budget_ms=25.0)
        is_file = not self.source.isdigit() and "://" not in self.source
        cap = self._open()
        fps = cap.get(cv2.CAP_PROP_FPS) or 15.0
        period = 1.0 / max(1.0, min(fps, 30.0))
        try:
            while not self._stop.is_set():
                if not self._active.wait(0.5):
                    continue
                t0 = time.monotonic()
                ok, frame = cap.read()
                if not ok:
                    if is_file:  # loop the demo / test video
                        cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
                        continue
                    self._set_ok(False)
                    self._stop.wait(1.0)
                    cap.release()
                    cap = self._open()
                    continue
                self._set_ok(True)
                self._frames += 1
                self._emit_frame(frame)
                for code in decoder.decode(frame):
                    if code.text:
                        self._emit_code(code.text)
                if is_file:
                    self._stop.wait(max(0.0, period - (time.monotonic() - t0)))
        finally:
            cap.release()

    def _set_ok(self, ok: bool) -> None:
        if ok != self._ok:
            self._ok = ok
            self.availability_changed.emit(ok)

    def _emit_frame(self, frame: object) -> None:
        import cv2

        h, w = frame.shape[:2]  # type: ignore[attr-defined]
        scale = PREVIEW_WIDTH / w
        small = cv2.resize(frame, (PREVIEW_WIDTH, int(h * scale)))  # type: ignore[call-overload]
        rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
        image = QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0], QImage.Format.Format_RGB888).copy()
        self.frame_ready.emit(image)

    def _emit_code(self, text: str) -> None:
        now = time.monotonic()
        if text == self._last_text and now - self._last_at < self.repeat_s:
            return
        self._last_text, self._last_at = text, now
        log.info("2D code decoded (%d chars)", len(text))
        self.code_decoded.emit(text)
