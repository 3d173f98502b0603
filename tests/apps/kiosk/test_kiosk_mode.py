"""Kiosk mode: closing is refused; the admin exit is a long press on the hall name plus the admin PIN.
Also read-aloud (what would be spoken) and that nothing personal reaches a log line."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt


def test_close_is_refused_and_admin_exit_needs_long_press_and_pin(qtbot: Any, make_kiosk: Any) -> None:
    window = make_kiosk(kiosk_mode=True, admin_pin="2468", admin_long_press_ms=200, device="kiosk-3")
    window.close()
    assert window.isVisible()  # Alt+F4 and friends do nothing
    qtbot.mouseClick(window.hall_label, Qt.MouseButton.LeftButton)  # a short tap opens nothing
    assert not window.admin_overlay.isVisible()
    qtbot.mousePress(window.hall_label, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.admin_overlay.isVisible, timeout=5000)
    qtbot.mouseRelease(window.hall_label, Qt.MouseButton.LeftButton)
    window.save_screenshot("50-admin-exit")
    pad = window.admin_overlay.pad
    for digit in "1111":  # wrong PIN: cleared, still running
        qtbot.mouseClick(pad.keys[digit], Qt.MouseButton.LeftButton)
    assert window.isVisible()
    for digit in "2468":
        qtbot.mouseClick(pad.keys[digit], Qt.MouseButton.LeftButton)
    assert not window.isVisible()


def test_read_aloud_speaks_each_screen_in_the_residents_language(qtbot: Any, make_kiosk: Any) -> None:
    window = make_kiosk(device="kiosk-3")
    window.flow.set_language("en")
    window.flow.toggle("read_aloud")
    qtbot.mouseClick(window.screens.welcome.start, Qt.MouseButton.LeftButton)
    assert window.ctx.speaker.said[-1] == ("en", "What did you come for?")


def test_no_personal_data_in_logs(qtbot: Any, make_kiosk: Any, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    window = make_kiosk(device="kiosk-3")
    window.flow.on_code("MDG1:ZZZZ")  # malformed pre-fill code
    assert window.current_name() == "code_scan"
    window.flow.go_welcome()
    window.ctx.session.form["name"] = "見本　太郎"
    window.flow.go_welcome()
    text = caplog.text
    assert "見本" not in text and "ZZZZ" not in text
