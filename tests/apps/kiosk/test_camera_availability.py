"""The code option follows the camera at run time: plugged in after start it appears, unplugged it goes.

The camera is a video file that appears and disappears (the capture reopens it like a replugged USB camera).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PySide6.QtCore import Qt

from madoguchi.apps.kiosk.app import DeviceConfig, build_devices
from madoguchi.apps.kiosk.demo_material import StubCard
from madoguchi.devices.scanner.qt_camera import CameraScanner


def blank_video(path: Path, frames: int = 10, fps: int = 10) -> Path:
    """A camera looking at an empty counter: frames, but no code in them."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (320, 240))
    assert writer.isOpened()
    frame = np.full((240, 320, 3), 200, np.uint8)
    for _ in range(frames):
        writer.write(frame)
    writer.release()
    return path


def test_camera_missing_at_start_is_not_probed_and_comes_and_goes(qtbot: Any, make_kiosk: Any, tmp_path: Path) -> None:
    camera = tmp_path / "camera.avi"
    _, scanner, _ = build_devices(DeviceConfig(camera=str(camera)))
    assert isinstance(scanner, CameraScanner)  # kept although absent: it may be plugged in later
    assert not scanner.available()
    window = make_kiosk(card=StubCard(), scanner=scanner)
    method = window.screens.method

    window.flow.begin()
    window.flow.choose_service("juminhyo")
    assert window.current_name() == "method"
    assert method.card.isVisible() and not method.code.isVisible()

    with qtbot.waitSignal(scanner.availability_changed, timeout=10000) as plugged:
        os.replace(blank_video(tmp_path / "writing.avi"), camera)  # the camera is plugged in
    assert plugged.args == [True] and scanner.available()
    assert window.current_name() == "method" and method.code.isVisible()
    window.save_screenshot("30-camera-plugged-in")

    qtbot.mouseClick(method.code, Qt.MouseButton.LeftButton)
    assert window.current_name() == "code_scan"
    with qtbot.waitSignal(scanner.availability_changed, timeout=10000) as unplugged:
        camera.unlink()  # and unplugged while the resident is on the code screen
    assert unplugged.args == [False] and not scanner.available()
    assert window.current_name() == "method"
    assert method.card.isVisible() and not method.code.isVisible()

    # a heartbeat tells the hall the camera is gone
    window.heartbeat.beat()
    qtbot.waitUntil(lambda: window.heartbeat.last is not None and not window.heartbeat.last.camera_ok, timeout=10000)


def test_without_any_autofill_device_the_method_screen_is_skipped(qtbot: Any, make_kiosk: Any, tmp_path: Path) -> None:
    scanner = CameraScanner(str(tmp_path / "absent.avi"), reopen_delay_s=0.2)
    window = make_kiosk(scanner=scanner)
    window.flow.begin()
    window.flow.choose_service("juminhyo")
    assert window.current_name() != "method"
