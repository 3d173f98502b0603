"""Every screen, state and overlay in Japanese and English, landscape and portrait (and the display modes),
saved for people to look at.

Screens are driven through the flow with stub devices, so this runs in seconds; the end-to-end files cover the
same screens with the real devices. The kiosk's state is set by hand here (its probe is slowed down so it does
not overrule it); tests/apps/kiosk/test_kiosk_state.py reaches every state through real causes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from madoguchi.apps.kiosk.demo_material import StubCard, StubScanner, sample_prefill_code
from madoguchi.apps.kiosk.kiosk_state import KioskStatus
from madoguchi.apps.kiosk.staff_call import CallState
from madoguchi.client.local_server import HallServerProcess
from madoguchi.devices.card.interface import CardData

FAKE_CARD = CardData("平塚　花子", "神奈川県平塚市浅間町９－１", dt.date(1980, 2, 17), "female", "123456789018")
SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


def no_missing_text(window: Any) -> None:
    """No visible label or button is blank or shows a raw message id."""
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        if widget.isVisible():
            assert not widget.text().startswith("kiosk."), widget.text()


def nothing_cut(window: Any) -> None:
    """Every visible button and text is whole inside the window: nothing hangs over an edge or is squeezed."""
    frame = window.rect()
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        if not widget.isVisible() or not widget.text() or _in_scroll_area(widget):
            continue
        box = widget.rect().translated(widget.mapTo(window, widget.rect().topLeft()))
        assert frame.contains(box), f"{widget.objectName() or widget.text()[:30]!r} outside {box}"
        if isinstance(widget, QAbstractButton):
            hint = widget.minimumSizeHint()
            assert widget.height() >= hint.height() and widget.width() >= hint.width(), widget.text()
        elif widget.wordWrap() and widget.width() > 0 and widget.minimumHeight() != widget.maximumHeight():
            # squeezed, wrapped lines overlap the next widget (a fixed height is set on purpose: the number)
            need = widget.heightForWidth(widget.width())
            assert widget.height() >= need - 2, f"{widget.text()[:30]!r} {widget.height()} < {need}"


def _in_scroll_area(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if parent.inherits("QAbstractScrollArea") or parent.objectName() == "qt_scrollarea_viewport":
            return True
        parent = parent.parentWidget()
    return False


def set_state(window: Any, status: KioskStatus) -> None:
    window.ctx.status = status
    window.flow.monitor.changed.emit(status)


@pytest.mark.parametrize("orientation", list(SIZES))
@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_screen(
    qtbot: Any, make_kiosk: Any, hall: HallServerProcess, kiosk_config: Any, language: str, orientation: str
) -> None:
    window = make_kiosk(card=StubCard(), scanner=StubScanner(), device="kiosk-3", state_poll_seconds=3600)
    window.resize(*SIZES[orientation])
    flow, s = window.flow, window.ctx.session
    flow.set_language(language)

    def shot(label: str) -> None:
        for _ in range(3):  # nested layouts settle over a few passes when a text's natural width changes
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            QApplication.processEvents()
        no_missing_text(window)
        nothing_cut(window)
        window.save_screenshot(f"g-{orientation}-{label}")

    set_state(window, KioskStatus("ready", (), printing=True, hours=("08:30", "17:15")))
    shot("01-welcome")
    set_state(window, KioskStatus("degraded", ("printer",), printing=False, hours=("08:30", "17:15")))
    shot("02-welcome-no-printing")
    set_state(window, KioskStatus("out_of_service", ("server",)))
    assert window.current_name() == "out_of_service"
    shot("03-out-of-service-server")
    set_state(window, KioskStatus("out_of_service", ("printer",), hours=("08:30", "17:15")))
    shot("04-out-of-service-printer")
    set_state(window, KioskStatus("closed", ("hours",), True, ("08:30", "17:15"), None))
    assert window.current_name() == "closed"
    shot("05-closed-next-day")
    set_state(window, KioskStatus("closed", ("hours",), True, ("08:30", "17:15"), "08:30"))
    shot("06-closed-opens-today")
    window.open_preferences()
    shot("07-preferences")
    window.prefs_overlay.hide()
    set_state(window, KioskStatus("ready", (), printing=False, hours=("08:30", "17:15")))
    assert window.current_name() == "welcome"

    flow.begin()
    qtbot.waitUntil(lambda: bool(window.ctx.statuses))
    window.screens.procedures.retranslate()
    shot("10-procedures")
    flow.choose_service("kokuho")
    assert window.current_name() == "method"
    shot("11-method")
    window.show_screen(window.screens.card_place)
    shot("12-card-place")
    s.card_tries = 2
    window.show_screen(window.screens.pin_entry)
    shot("13-pin-entry-2-tries")
    window.show_screen(window.screens.card_reading)
    shot("14-card-reading")
    s.fill_from_card(FAKE_CARD, {"name": FAKE_CARD.name})
    window.show_screen(window.screens.card_confirm)
    shot("15-card-confirm")
    window.show_screen(window.screens.card_take)
    shot("16-card-take")
    s.drop_card_data()
    s.service_id = "juminhyo"
    window.show_screen(window.screens.code_scan)
    shot("17-code-scan")
    flow.on_code(sample_prefill_code(kiosk_config, language=language))
    assert window.current_name() == "code_confirm"
    shot("18-code-confirm")
    s.form.clear()
    s.service_id = "juminhyo"
    flow.next_question()
    shot("19-extra-copies")
    flow.answer("copies", "2")
    shot("20-extra-purpose")
    window.show_screen(window.screens.issuing)
    shot("21-issuing")
    with qtbot.waitSignal(flow.printed, timeout=10000):
        flow.answer("purpose", "work")
    shot("22-ticket-not-printed")
    window.screens.ticket.set_print_result("printed")
    shot("23-ticket-printed")
    flow.go_welcome()
    flow.set_language(language)
    flow._card_locked()
    shot("30-message-locked")
    flow._message("kiosk.issue.not_issued", [("kiosk.back_to_start", flow.go_welcome)])
    shot("31-message-not-issued")
    window.idle_overlay.set_left(25, window.ctx.texts)
    window.idle_overlay.open()
    shot("40-inactivity")
    window.idle_overlay.hide()
    tracker = flow.staff_call
    window.show_staff_call()
    for state, counter in (
        (CallState.SENDING, None),
        (CallState.NOBODY, None),
        (CallState.WAITING, None),
        (CallState.ANSWERED, 3),
        (CallState.UNANSWERED, None),
        (CallState.FAILED, None),
    ):
        tracker.counter = counter
        tracker._set(state)
        shot(f"41-call-staff-{state.value}")
    tracker.end()
    window.staff_overlay.hide()
    flow.go_welcome()
    assert FAKE_CARD.name not in "".join(w.text() for w in window.findChildren(QLabel))
    assert "見本" not in "".join(w.text() for w in window.findChildren(QLabel))


@pytest.mark.parametrize("orientation", list(SIZES))
@pytest.mark.parametrize("mode", ["large_text", "high_contrast", "easy_japanese"])
def test_display_modes(qtbot: Any, make_kiosk: Any, kiosk_config: Any, mode: str, orientation: str) -> None:
    window = make_kiosk(device="kiosk-3", state_poll_seconds=3600)
    window.resize(*SIZES[orientation])
    window.flow.toggle(mode)

    def shot(label: str) -> None:
        for _ in range(3):  # nested layouts settle over a few passes when a text's natural width changes
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            QApplication.processEvents()
        no_missing_text(window)
        nothing_cut(window)
        window.save_screenshot(f"g5-{orientation}-{label}-{mode}")

    shot("0-welcome")
    set_state(window, KioskStatus("out_of_service", ("server",)))
    shot("1-out-of-service")
    set_state(window, KioskStatus("closed", ("hours",), True, ("08:30", "17:15"), None))
    shot("2-closed")
    set_state(window, KioskStatus("degraded", ("printer",), printing=False, hours=("08:30", "17:15")))
    shot("3-welcome-no-printing")
    window.flow.begin()
    qtbot.waitUntil(lambda: bool(window.ctx.statuses))
    window.screens.procedures.retranslate()
    shot("4-procedures")
    window.ctx.session.service_id = "juminhyo"
    window.show_screen(window.screens.code_scan)
    window.flow.on_code(sample_prefill_code(kiosk_config))
    shot("5-code-confirm")
    window.open_preferences()
    shot("6-preferences")
    window.prefs_overlay.hide()
    window.show_staff_call()
    window.flow.staff_call._set(CallState.UNANSWERED)
    shot("7-call-staff-unanswered")
    window.flow.go_welcome()
    assert window.ctx.session.prefs.language == "ja" and not window.ctx.session.prefs.high_contrast
