"""Qt adapter for the camera worker: the only scanner module that imports PySide6.

Create it in the UI thread; it wires itself into a :class:`CameraCapture`'s callbacks and re-emits them as
signals. The worker threads only emit; Qt queues the signals to this object's (UI) thread, so slots run there.
The preview is converted to a QImage on the worker thread and at most one is in flight: a busy UI never
collects a backlog of frames.
"""

from __future__ import annotations

import threading

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QImage

from madoguchi.devices.scanner.capture import CameraCapture, CameraStatus
from madoguchi.devices.scanner.scanned import ScannedCode


def bgr_to_qimage(frame: np.ndarray) -> QImage:
    """A QImage that owns its pixels (safe to hand to another thread)."""
    rgb = np.ascontiguousarray(frame[..., ::-1]) if frame.ndim == 3 else np.ascontiguousarray(frame)
    h, w = rgb.shape[:2]
    fmt = QImage.Format.Format_RGB888 if rgb.ndim == 3 else QImage.Format.Format_Grayscale8
    return QImage(rgb.data, w, h, int(rgb.strides[0]), fmt).copy()


class QtScanner(QObject):
    """Signals: ``code_scanned(ScannedCode)``, ``preview(QImage)``, ``camera_lost()``, ``camera_ok()``,
    ``status(CameraStatus)``. ``start()``/``stop()`` forward to the worker."""

    code_scanned = Signal(object)
    preview = Signal(QImage)
    camera_lost = Signal()
    camera_ok = Signal()
    status = Signal(object)

    def __init__(self, capture: CameraCapture, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.capture = capture
        self._preview_pending = threading.Event()
        cb = capture.callbacks
        cb.on_code = self._on_code
        cb.on_preview = self._on_preview
        cb.on_camera_lost = self.camera_lost.emit
        cb.on_camera_ok = self.camera_ok.emit
        cb.on_status = self._on_status
        self.preview.connect(self._preview_delivered)

    def start(self) -> None:
        self.capture.start()

    def stop(self) -> None:
        self.capture.stop()

    def available(self) -> bool:
        return self.capture.available()

    # worker threads ----------------------------------------------------------------------------------------
    def _on_code(self, payload: ScannedCode) -> None:
        self.code_scanned.emit(payload)

    def _on_status(self, status: CameraStatus) -> None:
        self.status.emit(status)

    def _on_preview(self, frame: np.ndarray) -> None:
        if self._preview_pending.is_set():
            return  # the UI has not shown the previous one yet: skip rather than queue
        self._preview_pending.set()
        self.preview.emit(bgr_to_qimage(frame))

    # UI thread ---------------------------------------------------------------------------------------------
    @Slot(QImage)
    def _preview_delivered(self, _image: QImage) -> None:
        self._preview_pending.clear()
