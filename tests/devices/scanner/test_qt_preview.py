"""The Qt adapter: signals arrive in the UI thread from the camera worker, previews as QImages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from madoguchi.core.codes import CodeKind
from madoguchi.devices.scanner.capture import CameraCapture
from madoguchi.devices.scanner.qt_preview import QtScanner, bgr_to_qimage
from madoguchi.devices.scanner.scanned import ScannedCode


def test_signals_from_the_simulated_camera(qtbot: QtBot, sim_video: Path, sim_video_texts: tuple[str, ...]) -> None:
    scanner = QtScanner(CameraCapture(sim_video, preview_fps=10, reopen_delay_s=0.2))
    scanned: list[ScannedCode] = []
    scanner.code_scanned.connect(scanned.append)
    images: list[QImage] = []
    scanner.preview.connect(images.append)
    with qtbot.waitSignal(scanner.camera_ok, timeout=10000):
        scanner.start()
    try:
        qtbot.waitUntil(lambda: len(scanned) >= 1 and len(images) >= 2, timeout=20000)
    finally:
        scanner.stop()
    assert scanned[0].kind in (CodeKind.RESERVATION, CodeKind.TICKET)
    assert scanned[0].code.text in sim_video_texts
    assert not images[0].isNull() and images[0].width() <= 640


def test_camera_lost_signal(qtbot: QtBot, tmp_path: Path) -> None:
    scanner = QtScanner(CameraCapture(tmp_path / "unplugged.avi", reopen_delay_s=0.1))
    assert not scanner.available()
    with qtbot.waitSignal(scanner.camera_lost, timeout=10000):
        scanner.start()
    scanner.stop()


def test_qimage_owns_its_pixels() -> None:
    import numpy as np

    frame = np.zeros((20, 30, 3), np.uint8)
    frame[..., 2] = 255  # red in BGR
    image = bgr_to_qimage(frame)
    del frame
    assert image.width() == 30 and image.height() == 20
    assert image.pixelColor(5, 5).red() == 255 and image.pixelColor(5, 5).blue() == 0
