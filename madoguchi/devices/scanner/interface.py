"""What the kiosk and the staff console rely on from a camera that reads 2D codes, and the stand-in without one.

``CameraScanner`` (``qt_camera``) is the real one; tests and the demo give it a video file as its camera.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance


class CodeScanner(Protocol):
    """The camera with 2D code decoding. Signals: ``code_decoded(str)``, ``frame_ready(QImage)``."""

    code_decoded: SignalInstance
    frame_ready: SignalInstance
    availability_changed: SignalInstance

    def available(self) -> bool: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def set_active(self, active: bool) -> None: ...
    def set_preview(self, shown: bool) -> None: ...
    def frames_seen(self) -> int: ...


class NoScanner(QObject):
    code_decoded = Signal(str)
    frame_ready = Signal(object)
    availability_changed = Signal(bool)

    def available(self) -> bool:
        return False

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def set_active(self, active: bool) -> None:
        pass

    def set_preview(self, shown: bool) -> None:
        pass

    def frames_seen(self) -> int:
        return 0
