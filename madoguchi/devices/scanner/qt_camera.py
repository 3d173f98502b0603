"""The camera that reads 2D codes, for the kiosk and the staff console: implements ``interface.CodeScanner``.

``scanner.capture.CameraCapture`` grabs and decodes on its own threads (a code must be seen on several frames
before it counts); ``scanner.qt_preview.QtScanner`` turns its callbacks into Qt signals. This adapter only
re-emits them as the kiosk wants them: the code's text, the preview image, and the camera's availability.

The capture starts whether or not the camera is there: its grabber keeps trying to open the source, so a
camera plugged in later is picked up, and one unplugged is reported. The kiosk never probes the camera on
the UI thread; ``available()`` is simply "frames are flowing".
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal, Slot

from madoguchi.devices.scanner.capture import CameraCapture
from madoguchi.devices.scanner.qt_preview import QtScanner
from madoguchi.devices.scanner.scanned import ScannedCode

log = logging.getLogger(__name__)


class CameraScanner(QObject):
    code_decoded = Signal(str)
    frame_ready = Signal(object)  # QImage for the preview
    availability_changed = Signal(bool)

    def __init__(self, source: str, *, reopen_delay_s: float = 1.0) -> None:
        super().__init__()
        self.source = source
        is_file = not source.isdigit() and "://" not in source
        # A video file is the demo's and the tests' camera: replay it forever at its own frame rate.
        self._capture = CameraCapture(source, loop=is_file, reopen_delay_s=reopen_delay_s)
        self._capture.preview_enabled = False  # until a screen shows the preview (``set_preview``)
        self._qt = QtScanner(self._capture, self)
        self._ok = False  # until the first frames arrive
        self._active = True
        self._qt.code_scanned.connect(self._code)
        self._qt.preview.connect(self.frame_ready.emit)
        self._qt.camera_lost.connect(self._lost)
        self._qt.camera_ok.connect(self._back)

    @Slot()
    def _lost(self) -> None:
        self._set_ok(False)

    @Slot()
    def _back(self) -> None:
        self._set_ok(True)

    def _set_ok(self, ok: bool) -> None:
        if ok != self._ok:
            self._ok = ok
            log.info("camera %s", "available" if ok else "not available")
            self.availability_changed.emit(ok)

    def _code(self, payload: ScannedCode) -> None:
        if self._active and payload.text:
            self.code_decoded.emit(payload.text)

    def available(self) -> bool:
        return self._ok

    def frames_seen(self) -> int:
        return int(self._capture.status.frames_captured)

    def set_active(self, active: bool) -> None:
        """Codes wanted now or not: while not, nothing is decoded (the camera is only kept in view)."""
        self._active = active
        self._capture.set_decoding(active)

    def set_preview(self, shown: bool) -> None:
        """A screen shows the camera's picture: draw and send preview frames (else none are made)."""
        self._capture.preview_enabled = shown

    def start(self) -> None:
        self._qt.start()

    def stop(self) -> None:
        self._qt.stop()
        self._set_ok(False)
