"""My Number card flows through real pcscd + vpcd and the virtual card: PIN, confirm, take the card, ticket."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel

from madoguchi.client.local_server import HallServerProcess
from madoguchi.devices.card.qt_reader import PcscCardReader
from madoguchi.devices.printer.worker_printer import WorkerPrinter

RESIDENT_NAME = "平塚　花子"
RESIDENT_ADDRESS = "神奈川県平塚市浅間町９－１"


def click(qtbot: Any, widget: Any) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_pin(qtbot: Any, window: Any, pin: str) -> None:
    pin_screen = window.screens.pin_entry
    for digit in pin:
        click(qtbot, pin_screen.pad.keys[digit])
    click(qtbot, pin_screen.ok)


def start_card_flow(qtbot: Any, window: Any, language: str, service: str = "juminhyo") -> None:
    click(qtbot, window.screens.welcome.language_buttons[language])
    click(qtbot, window.screens.welcome.start)
    click(qtbot, window.screens.procedures.buttons[service])
    assert window.current_name() == "method"
    click(qtbot, window.screens.method.card)
    assert window.current_name() == "card_place"


def visible_texts(window: Any) -> str:
    parts = [w.text() for w in window.findChildren(QLabel)] + [w.text() for w in window.findChildren(QAbstractButton)]
    return "\n".join(parts)


@pytest.fixture
def card_kiosk(make_kiosk: Any, printer_sim: Any, qtbot: Any, pcscd: Any) -> Any:
    reader = PcscCardReader(None, allow_virtual=True)
    window = make_kiosk(card=reader, printer=WorkerPrinter(printer_sim.url))
    qtbot.waitUntil(reader.available, timeout=10000)
    return window


@pytest.mark.parametrize("language", ["ja", "en"])
def test_card_autofill_end_to_end(
    qtbot: Any,
    card_kiosk: Any,
    insert_card: Any,
    printer_sim: Any,
    hall: HallServerProcess,
    language: str,
    caplog: Any,
) -> None:
    caplog.set_level(logging.DEBUG)
    window = card_kiosk
    start_card_flow(qtbot, window, language)
    window.save_screenshot("10-card-place")
    card = insert_card()
    qtbot.waitUntil(lambda: window.current_name() == "pin_entry", timeout=10000)
    pin = window.screens.pin_entry
    assert not pin.tries.isVisible()  # 3 tries left: nothing to worry the resident with
    for digit in "12":
        click(qtbot, pin.pad.keys[digit])
    assert pin.dots.text() == "●●○○"
    window.save_screenshot("11-pin-entry")
    for digit in "34":
        click(qtbot, pin.pad.keys[digit])
    click(qtbot, pin.ok)
    qtbot.waitUntil(lambda: window.current_name() == "card_confirm", timeout=10000)
    confirm = window.screens.card_confirm
    assert confirm.values["name"].text() == RESIDENT_NAME
    assert not confirm.values["individual_number"].isVisible()  # this procedure does not need it
    window.save_screenshot("12-card-confirm")
    assert card.card.verify_attempts == 1
    click(qtbot, confirm.correct)
    assert window.current_name() == "card_take"
    window.save_screenshot("13-card-take")
    card.remove()
    qtbot.waitUntil(lambda: window.current_name() == "extra", timeout=10000)
    extra = window.screens.extra
    click(qtbot, extra.buttons[0])
    with qtbot.waitSignal(window.flow.printed, timeout=10000):
        click(qtbot, extra.buttons[-1])
    issued = window.ctx.session.issued
    assert issued is not None and issued.ticket.has_form and issued.ticket.source == "card"
    staff = hall.staff_client(1)
    try:
        staff.call_ticket(issued.ticket.id, 1)  # only the counter that called a ticket may see its form
        form = staff.form(issued.ticket.id)
        staff.done(issued.ticket.id, 1)
    finally:
        staff.close()
    assert form.fields["name"].replace(" ", "") == RESIDENT_NAME.replace("\u3000", "")
    assert form.fields["copies"] == "1"
    assert "individual_number" not in form.fields
    for secret in (RESIDENT_NAME, RESIDENT_ADDRESS, "平塚", "1980-02-17"):
        assert secret not in caplog.text  # kiosk, card reader, printer and client logs alike


def test_individual_number_only_when_needed_and_masked(
    qtbot: Any, card_kiosk: Any, insert_card: Any, hall: HallServerProcess
) -> None:
    window = card_kiosk
    start_card_flow(qtbot, window, "ja", service="kokuho")
    insert_card()
    qtbot.waitUntil(lambda: window.current_name() == "pin_entry", timeout=10000)
    type_pin(qtbot, window, "1234")
    qtbot.waitUntil(lambda: window.current_name() == "card_confirm", timeout=10000)
    shown = window.screens.card_confirm.values["individual_number"]
    assert shown.isVisible() and shown.text() == "●●●●●●●●9018"
    window.save_screenshot("12-card-confirm-individual-number")


def test_wrong_pin_counts_down_confirms_last_try_and_locks(qtbot: Any, card_kiosk: Any, insert_card: Any) -> None:
    window = card_kiosk
    start_card_flow(qtbot, window, "ja")
    card = insert_card()
    qtbot.waitUntil(lambda: window.current_name() == "pin_entry", timeout=10000)
    pin = window.screens.pin_entry
    type_pin(qtbot, window, "9999")
    qtbot.waitUntil(lambda: window.current_name() == "pin_entry" and pin.error.isVisible(), timeout=10000)
    assert pin.tries.isVisible() and "2" in pin.tries.text()
    window.save_screenshot("14-pin-wrong")
    type_pin(qtbot, window, "8888")
    qtbot.waitUntil(lambda: window.ctx.session.card_tries == 1, timeout=10000)
    qtbot.waitUntil(lambda: window.current_name() == "pin_entry")
    # One try left: OK asks for confirmation first, and nothing is sent until the resident confirms.
    type_pin(qtbot, window, "7777")
    assert pin.confirm_box.isVisible()
    assert card.card.verify_attempts == 2
    window.save_screenshot("15-pin-last-try")
    click(qtbot, pin.confirm)
    qtbot.waitUntil(lambda: window.current_name() == "message", timeout=10000)
    assert card.card.verify_attempts == 3  # each PIN sent once, never retried
    assert card.card.profile.tries_left == 0
    window.save_screenshot("16-card-locked")
    click(qtbot, window.screens.message.buttons[0])  # continue without the card
    assert window.current_name() == "card_take"
    card.remove()
    qtbot.waitUntil(lambda: window.current_name() == "extra", timeout=10000)
    assert window.ctx.session.card is None and "name" not in window.ctx.session.form


def test_locked_card_is_said_before_any_pin(qtbot: Any, card_kiosk: Any, insert_card: Any) -> None:
    window = card_kiosk
    start_card_flow(qtbot, window, "en")
    card = insert_card(tries_left=0)
    qtbot.waitUntil(lambda: window.current_name() == "message", timeout=10000)
    assert card.card.verify_attempts == 0
    window.save_screenshot("16-card-locked")


def test_forgotten_pin_issues_a_ticket_without_card_data(qtbot: Any, card_kiosk: Any, insert_card: Any) -> None:
    window = card_kiosk
    start_card_flow(qtbot, window, "ja", service="kokuho")  # no kiosk questions: the ticket follows at once
    card = insert_card()
    qtbot.waitUntil(lambda: window.current_name() == "pin_entry", timeout=10000)
    click(qtbot, window.screens.pin_entry.forgot)
    assert window.current_name() == "card_take"
    with qtbot.waitSignal(window.flow.issued, timeout=10000):
        card.remove()
    issued = window.ctx.session.issued
    assert issued is not None and not issued.ticket.has_form and issued.ticket.source == "touch"
    assert card.card.verify_attempts == 0


def test_card_pulled_mid_read_asks_to_place_it_again(qtbot: Any, card_kiosk: Any, insert_card: Any) -> None:
    window = card_kiosk
    start_card_flow(qtbot, window, "ja")
    # SELECT + tries query while waiting, then SELECT + query again for the read: pulled when the PIN is sent.
    insert_card(remove_after_apdus=4)
    qtbot.waitUntil(lambda: window.current_name() == "pin_entry", timeout=10000)
    type_pin(qtbot, window, "1234")
    qtbot.waitUntil(lambda: window.current_name() == "card_place", timeout=10000)
    place = window.screens.card_place
    assert place.error.isVisible()
    window.save_screenshot("17-card-removed-mid-read")
    assert window.ctx.session.card is None


def test_inactivity_clears_every_field(qtbot: Any, make_kiosk: Any, insert_card: Any, pcscd: Any) -> None:
    reader = PcscCardReader(None, allow_virtual=True)
    window = make_kiosk(card=reader, countdown_seconds=1)
    qtbot.waitUntil(reader.available, timeout=10000)
    start_card_flow(qtbot, window, "en")
    card = insert_card()
    qtbot.waitUntil(lambda: window.current_name() == "pin_entry", timeout=10000)
    type_pin(qtbot, window, "1234")
    qtbot.waitUntil(lambda: window.current_name() == "card_confirm", timeout=10000)
    assert RESIDENT_NAME in visible_texts(window)
    window.idle.trigger_now()
    assert window.idle_overlay.isVisible()
    window.save_screenshot("18-inactivity-countdown")
    qtbot.waitUntil(lambda: window.current_name() == "card_take", timeout=5000)  # the card goes back first
    card.remove()
    qtbot.waitUntil(lambda: window.current_name() == "welcome", timeout=10000)
    texts = visible_texts(window)
    for secret in (RESIDENT_NAME, RESIDENT_ADDRESS, "1980", "昭和55", "●●"):
        assert secret not in texts
    s = window.ctx.session
    assert s.card is None and s.form == {} and s.service_id is None and s.prefs.language == "ja"


def test_no_reader_hides_the_card_option(qtbot: Any, make_kiosk: Any) -> None:
    window = make_kiosk()  # NoCardReader, NoScanner
    click(qtbot, window.screens.welcome.start)
    click(qtbot, window.screens.procedures.buttons["juminhyo"])
    assert window.current_name() == "extra"  # nothing to choose: straight to the questions
