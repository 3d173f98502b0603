"""Every screen and overlay in Japanese and English (and the display modes), saved for people to look at.

Screens are driven through the flow with stub devices, so this runs in seconds; the end-to-end files cover the
same screens with the real devices.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel

from madoguchi.apps.kiosk.demo_material import StubCard, StubScanner
from madoguchi.client.local_server import HallServerProcess
from madoguchi.devices.card.interface import CardData

FAKE_CARD = CardData("平塚　花子", "神奈川県平塚市浅間町９－１", dt.date(1980, 2, 17), "female", "123456789018")


def no_missing_text(window: Any) -> None:
    """No visible label or button is blank or shows a raw message id."""
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        if widget.isVisible():
            assert not widget.text().startswith("kiosk."), widget.text()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_screen(qtbot: Any, make_kiosk: Any, hall: HallServerProcess, language: str) -> None:
    window = make_kiosk(card=StubCard(), scanner=StubScanner(), device="kiosk-3")
    flow, s = window.flow, window.ctx.session
    flow.set_language(language)

    def shot(label: str) -> None:
        no_missing_text(window)
        window.save_screenshot(label)

    shot("g01-welcome")
    flow.begin()
    qtbot.waitUntil(lambda: bool(window.ctx.statuses))
    window.screens.procedures.retranslate()
    shot("g02-procedures")
    flow.choose_service("kokuho")
    assert window.current_name() == "method"
    shot("g03-method")
    window.show_screen(window.screens.card_place)
    shot("g04-card-place")
    s.card_tries = 2
    window.show_screen(window.screens.pin_entry)
    shot("g05-pin-entry-2-tries")
    window.show_screen(window.screens.card_reading)
    shot("g06-card-reading")
    s.fill_from_card(FAKE_CARD, {"name": FAKE_CARD.name})
    window.show_screen(window.screens.card_confirm)
    shot("g07-card-confirm")
    window.show_screen(window.screens.card_take)
    shot("g08-card-take")
    window.show_screen(window.screens.code_scan)
    shot("g09-code-scan")
    s.service_id = "juminhyo"
    flow.next_question()
    shot("g10-extra-copies")
    window.show_screen(window.screens.issuing)
    shot("g11-issuing")
    with qtbot.waitSignal(flow.printed, timeout=10000):
        flow.answer("copies", "1")
        flow.answer("purpose", "work")
    shot("g12-ticket-no-printer")
    flow.go_welcome()
    window.show_screen(window.screens.unavailable)
    shot("g13-unavailable")
    flow._card_locked()
    shot("g14-message-locked")
    window.idle_overlay.set_left(12, window.ctx.texts)
    window.idle_overlay.open()
    shot("g15-inactivity")
    window.idle_overlay.hide()
    window.show_staff_coming(True)
    shot("g16-staff-coming")
    window.staff_overlay.hide()
    flow.go_welcome()
    assert FAKE_CARD.name not in "".join(w.text() for w in window.findChildren(QLabel))


@pytest.mark.parametrize("mode", ["large_text", "high_contrast", "easy_japanese"])
def test_display_modes(qtbot: Any, make_kiosk: Any, mode: str) -> None:
    window = make_kiosk(device="kiosk-3")
    window.flow.toggle(mode)
    window.save_screenshot(f"g20-welcome-{mode}")
    window.flow.begin()
    qtbot.waitUntil(lambda: bool(window.ctx.statuses))
    window.screens.procedures.retranslate()
    window.save_screenshot(f"g21-procedures-{mode}")
    window.flow.go_welcome()
    assert window.ctx.session.prefs.language == "ja" and not window.ctx.session.prefs.high_contrast


def test_portrait_screen(qtbot: Any, make_kiosk: Any) -> None:
    window = make_kiosk(device="kiosk-3")
    window.resize(1080, 1920)
    window.save_screenshot("g30-portrait-welcome")
    window.flow.begin()
    qtbot.waitUntil(lambda: bool(window.ctx.statuses))
    window.screens.procedures.retranslate()
    window.save_screenshot("g31-portrait-procedures")
    with qtbot.waitSignal(window.flow.printed, timeout=10000):
        window.flow.choose_service("tenkyo")
    window.save_screenshot("g32-portrait-ticket")
    assert window.height() == 1920
