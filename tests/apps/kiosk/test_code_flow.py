"""2D codes from a camera video: a pre-filled application, a reservation check-in, and an unknown code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from madoguchi.core.config import EXAMPLE_CONFIG
from madoguchi.devices.printer.worker_printer import WorkerPrinter
from madoguchi.devices.scanner.qt_camera import CameraScanner


def click(qtbot: Any, widget: Any) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_prefill_code_shown_at_welcome_gives_a_ticket(
    qtbot: Any, make_kiosk: Any, camera_videos: dict[str, Path], printer_sim: Any, language: str
) -> None:
    # The code was made at home in the resident's language; it switches the kiosk to it.
    video = camera_videos["prefill" if language == "ja" else f"prefill-{language}"]
    window = make_kiosk(scanner=CameraScanner(str(video)), printer=WorkerPrinter(printer_sim.url))
    qtbot.waitUntil(lambda: window.flow.printed_count > 0, timeout=20000)  # the resident only holds it up
    issued = window.ctx.session.issued
    assert issued is not None
    assert issued.ticket.service_id == "juminhyo" and issued.ticket.source == "code" and issued.ticket.has_form
    assert issued.ticket.language == language
    window.save_screenshot("21-ticket-from-code")


def test_unknown_code_says_so_without_leaving_the_screen(
    qtbot: Any, make_kiosk: Any, camera_videos: dict[str, Path]
) -> None:
    scanner = CameraScanner(str(camera_videos["unknown"]))
    window = make_kiosk(scanner=scanner)
    code_screen = window.screens.code_scan
    qtbot.waitUntil(lambda: window.current_name() == "code_scan" and code_screen.message.isVisible(), timeout=20000)
    qtbot.waitUntil(lambda: code_screen.preview.image is not None, timeout=5000)
    window.save_screenshot("20-code-unknown")
    assert window.ctx.session.issued is None
    window.flow.set_language("en")
    qtbot.waitUntil(lambda: code_screen.preview.image is not None, timeout=5000)
    window.save_screenshot("20-code-unknown")
    assert window.current_name() == "code_scan"
    # the heartbeat reports the camera's frames
    window.heartbeat.beat()
    qtbot.waitUntil(lambda: window.heartbeat.sent >= 2, timeout=10000)
    assert window.heartbeat.last.camera_ok and window.heartbeat.last.camera_frames > 0


def test_reservation_checkin_code_gives_a_reservation_ticket(
    qtbot: Any, make_kiosk: Any, camera_videos: dict[str, Path]
) -> None:
    window = make_kiosk(scanner=CameraScanner(str(camera_videos["checkin"])))
    qtbot.waitUntil(lambda: window.ctx.session.issued is not None, timeout=20000)
    issued = window.ctx.session.issued
    assert issued.ticket.source == "reservation" and issued.ticket.service_id == "koseki"
    assert issued.ticket.reservation
    window.save_screenshot("22-ticket-from-reservation")


def test_forged_checkin_code_is_refused_on_the_code_screen(
    qtbot: Any, make_kiosk: Any, camera_videos: dict[str, Path]
) -> None:
    window = make_kiosk(scanner=CameraScanner(str(camera_videos["forged-checkin"])))
    code_screen = window.screens.code_scan
    qtbot.waitUntil(lambda: window.current_name() == "code_scan" and code_screen.message.isVisible(), timeout=20000)
    assert window.ctx.session.issued is None and window.ctx.session.reservation_code is None


def test_family_members_of_a_moving_in_code_reach_the_form(qtbot: Any, make_kiosk: Any) -> None:
    from madoguchi.core.config import load_config
    from madoguchi.core.forms.payload import build_prefill
    from madoguchi.core.forms.qr_measure import FAMILY_OF_FOUR_MEMBERS, FAMILY_OF_FOUR_VALUES

    window = make_kiosk()
    qtbot.waitUntil(lambda: window.ctx.hall is not None, timeout=20000)
    cfg = load_config(EXAMPLE_CONFIG)
    code = build_prefill(cfg, "tennyu", FAMILY_OF_FOUR_VALUES, {"members": FAMILY_OF_FOUR_MEMBERS})
    window.flow.use_code()
    window.flow.on_code(code)
    qtbot.waitUntil(lambda: window.ctx.session.service_id == "tennyu", timeout=5000)
    members = window.ctx.session.form.get("members")
    assert isinstance(members, list) and len(members) == len(FAMILY_OF_FOUR_MEMBERS)
