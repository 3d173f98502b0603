"""Call staff reaches a person: the call appears on the staff console and the admin console naming the kiosk, a
person answers "on my way", and the kiosk says only what is true at each moment (nobody there, waiting, who is
coming, nobody answered: where to go)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from madoguchi.apps.admin.window import AdminWindow
from madoguchi.apps.kiosk.demo_material import always_open_config
from madoguchi.apps.kiosk.staff_call import CallState
from madoguchi.client.admin_client import AdminClient
from madoguchi.client.local_server import HallServerProcess
from madoguchi.qt.event_bridge import EventBridge
from madoguchi.translations.catalog import translate
from tests.support.qt_apps import login, make_console


@pytest.fixture
def quiet_hall(tmp_path: Path) -> Iterator[HallServerProcess]:
    """A hall of its own: no console of another test may look like someone watching."""
    srv = HallServerProcess(tmp_path / "server", config_path=always_open_config(tmp_path / "config")).start()
    yield srv
    srv.stop()


def click(qtbot: Any, widget: Any) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_with_nobody_at_a_console_the_kiosk_says_where_to_go(
    qtbot: Any, make_kiosk: Any, quiet_hall: HallServerProcess
) -> None:
    window = make_kiosk(device="kiosk-1", server=quiet_hall)
    click(qtbot, window.screens.welcome.start)
    click(qtbot, window.staff_button)
    overlay = window.staff_overlay
    assert overlay.isVisible()
    qtbot.waitUntil(lambda: overlay.state is CallState.NOBODY, timeout=10000)
    t = window.ctx.texts
    assert (overlay.text.text(), overlay.hint.text()) == (t("kiosk.staff.nobody"), t("kiosk.staff.where_to_go"))
    window.save_screenshot("41-call-staff-nobody")
    # a second tap does not raise a second call: it shows where the first one stands
    call_id = window.flow.staff_call.call_id
    click(qtbot, overlay.button)
    click(qtbot, window.staff_button)
    assert window.flow.staff_call.call_id == call_id and overlay.state is CallState.NOBODY


def test_staff_answer_on_my_way_and_the_kiosk_names_the_counter(
    qtbot: Any, make_kiosk: Any, quiet_hall: HallServerProcess, shots: Path
) -> None:
    console = make_console(quiet_hall, 3)
    qtbot.addWidget(console)
    console.show()
    with qtbot.waitSignal(console.controller.logged_in, timeout=10000):
        login(console)
    qtbot.waitUntil(lambda: console.controller.events.last_id is not None, timeout=10000)
    token = quiet_hall.tokens["admin-1"]
    admin = AdminWindow(AdminClient(quiet_hall.base_url, token), EventBridge(quiet_hall.base_url, token), language="en")
    qtbot.addWidget(admin)
    admin.resize(1280, 800)
    admin.show()
    admin.start()
    try:
        qtbot.waitUntil(lambda: admin.events is not None and admin.events.last_id is not None, timeout=10000)
        window = make_kiosk(device="kiosk-2", server=quiet_hall)
        window.flow.toggle("read_aloud")
        click(qtbot, window.screens.welcome.start)
        click(qtbot, window.staff_button)
        overlay = window.staff_overlay
        qtbot.waitUntil(lambda: overlay.state is CallState.WAITING, timeout=10000)
        t = window.ctx.texts
        assert (overlay.text.text(), overlay.hint.text()) == (t("kiosk.staff.waiting"), t("kiosk.staff.stay_here"))
        # the call is on both consoles, naming the kiosk
        calls = console.counter_screen.calls
        qtbot.waitUntil(lambda: calls.list.count() == 1 and admin.calls.list.count() == 1, timeout=10000)
        assert "kiosk-2" in calls.list.item(0).text() and "kiosk-2" in admin.calls.list.item(0).text()
        admin.grab().save(str(shots / "51-admin-call-for-help-en.png"))
        # counter 3 answers: the kiosk says who is coming (and says it aloud: read-aloud is on)
        assert calls.button.isEnabled()
        calls.button.click()
        qtbot.waitUntil(lambda: overlay.state is CallState.ANSWERED, timeout=10000)
        assert overlay.text.text() == t("kiosk.staff.coming_from_counter", counter=3)
        assert overlay.isVisible()
        qtbot.waitUntil(lambda: any(text == overlay.speech_text() for _lang, text in window.ctx.speaker.said))
        window.save_screenshot("42-call-staff-answered")
        # both consoles show it answered; nothing is left to answer
        answered = translate("en", "staff.alert.answered_counter", device="kiosk-2", counter=3)
        qtbot.waitUntil(lambda: answered in admin.calls.list.item(0).text(), timeout=10000)
        qtbot.waitUntil(lambda: not calls.button.isEnabled(), timeout=10000)
        assert not admin.calls.button.isEnabled()
        # the session ends: the overlay goes with it
        window.flow.go_welcome()
        assert not overlay.isVisible() and window.flow.staff_call.state is CallState.IDLE
    finally:
        admin.stop()
        console.close()


def test_nobody_answers_then_the_office_does(qtbot: Any, make_kiosk: Any, quiet_hall: HallServerProcess) -> None:
    token = quiet_hall.tokens["admin-1"]
    admin = AdminWindow(AdminClient(quiet_hall.base_url, token), EventBridge(quiet_hall.base_url, token))
    qtbot.addWidget(admin)
    admin.start()
    try:
        qtbot.waitUntil(lambda: admin.heartbeat is not None and admin.heartbeat.sent > 0, timeout=10000)
        window = make_kiosk(device="kiosk-3", server=quiet_hall, staff_answer_seconds=1)
        click(qtbot, window.screens.welcome.start)
        click(qtbot, window.staff_button)
        overlay = window.staff_overlay
        qtbot.waitUntil(lambda: overlay.state is CallState.UNANSWERED, timeout=10000)
        t = window.ctx.texts
        assert (overlay.text.text(), overlay.hint.text()) == (t("kiosk.staff.unanswered"), t("kiosk.staff.where_to_go"))
        window.save_screenshot("41-call-staff-unanswered")
        qtbot.waitUntil(lambda: admin.calls.button.isEnabled(), timeout=10000)
        admin.calls.button.click()
        qtbot.waitUntil(lambda: overlay.state is CallState.ANSWERED, timeout=10000)  # a late answer still counts
        assert overlay.text.text() == t("kiosk.staff.coming")
    finally:
        admin.stop()


def test_a_call_that_cannot_be_sent_says_so(qtbot: Any, make_kiosk: Any, quiet_hall: HallServerProcess) -> None:
    window = make_kiosk(device="kiosk-1", server=quiet_hall, state_poll_seconds=3600)
    click(qtbot, window.screens.welcome.start)
    quiet_hall.kill()
    try:
        click(qtbot, window.staff_button)
        overlay = window.staff_overlay
        qtbot.waitUntil(lambda: overlay.state is CallState.FAILED, timeout=10000)
        t = window.ctx.texts
        assert (overlay.text.text(), overlay.hint.text()) == (t("kiosk.staff.failed"), t("kiosk.staff.where_to_go"))
    finally:
        quiet_hall.start()
