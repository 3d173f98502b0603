"""Staff console against a real hall server: login, every action, its event reaching a board, transfer, scan."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from madoguchi.client.local_server import HallServerProcess
from madoguchi.devices.speech.voice_adapter import TranslationsVoice
from tests.support.qt_apps import drain_counter, login, make_board, make_console, silent_announcer

COUNTER = 7  # mynumber only: no other test calls this service


def _logged_in(qtbot: QtBot, srv: HallServerProcess, counter: int = COUNTER):  # type: ignore[no-untyped-def]
    console = make_console(srv, counter)
    qtbot.addWidget(console)
    console.show()
    with qtbot.waitSignal(console.controller.logged_in, timeout=10000):
        login(console)
    qtbot.waitUntil(lambda: console.controller.queue is not None and console.controller.hall is not None, timeout=10000)
    return console


def test_wrong_password_is_refused(qtbot: QtBot, hall_server: HallServerProcess) -> None:
    console = make_console(hall_server, COUNTER)
    qtbot.addWidget(console)
    console.login_screen.staff_id.setText("staff1")
    console.login_screen.password.setText("not-the-password")
    with qtbot.waitSignal(console.controller.login_failed, timeout=10000) as blocker:
        console.login_screen.button.click()
    assert blocker.args == ["staff.login_failed"]
    assert console.stack.currentWidget() is console.login_screen


def test_actions_reach_the_board(
    qtbot: QtBot, hall_server: HallServerProcess, shots_dir: Path, voice_cache: Path
) -> None:
    drain_counter(hall_server, COUNTER)
    kiosk = hall_server.client("kiosk-1")
    first = kiosk.issue("mynumber", language="en").ticket
    second = kiosk.issue("mynumber", language="ja").ticket
    announcer = silent_announcer(voice_cache, TranslationsVoice(voice_cache))
    board = make_board(hall_server, announcer)
    qtbot.addWidget(board)
    board.resize(1280, 720)
    board.show()
    with qtbot.waitSignal(board.resynced, timeout=10000):
        board.start()
    console = _logged_in(qtbot, hall_server)
    buttons = console.counter_screen.action_buttons.buttons
    qtbot.waitUntil(lambda: buttons["call_next"].isEnabled())
    assert "[F1]" in buttons["call_next"].text()

    with qtbot.waitSignal(board.call_shown, timeout=10000) as shown:
        buttons["call_next"].click()
    assert shown.args[0].number == first.number and shown.args[0].counter == COUNTER
    qtbot.waitUntil(lambda: console.counter_screen.current.number.text() == first.number)
    assert board.model.now_serving[COUNTER] == first.number
    assert board.now_calling.blinking
    console.grab().save(str(shots_dir / "staff_console_called.png"))

    # the call is being said before the recall (a recall replaces a call still waiting to be said: test_board)
    qtbot.waitUntil(lambda: len(announcer.played) > 0, timeout=30000)
    qtbot.waitUntil(buttons["recall"].isEnabled, timeout=10000)
    with qtbot.waitSignal(board.call_shown, timeout=10000) as shown:
        buttons["recall"].click()
    assert shown.args[0].recall == 1
    # call and recall, each announced: chime, Japanese, then English (the ticket's language)
    qtbot.waitUntil(lambda: len(announcer.played) == 6, timeout=30000)
    assert [(i.kind, i.language) for i in announcer.played] == [("chime", ""), ("speech", "ja"), ("speech", "en")] * 2
    assert all(i.path is not None and i.path.stat().st_size > 1000 for i in announcer.played)
    assert announcer.played[1].path != announcer.played[4].path  # "お待ちしています" the second time

    # the board may hear of the recall before the console has its answer: buttons wait while an action runs
    qtbot.waitUntil(buttons["start"].isEnabled, timeout=10000)
    with qtbot.waitSignal(console.controller.action_done, timeout=10000):
        buttons["start"].click()
    qtbot.waitUntil(lambda: console.controller.current is not None and console.controller.current.state == "serving")
    assert not buttons["recall"].isEnabled() and buttons["done"].isEnabled()

    qtbot.waitUntil(buttons["done"].isEnabled, timeout=10000)
    with qtbot.waitSignal(console.controller.action_done, timeout=10000):
        buttons["done"].click()
    qtbot.waitUntil(lambda: COUNTER not in board.model.now_serving, timeout=10000)
    qtbot.waitUntil(lambda: console.controller.current is None)
    assert console.counter_screen.current.number.text() == "—"

    qtbot.waitUntil(buttons["call_next"].isEnabled, timeout=10000)
    with qtbot.waitSignal(board.call_shown, timeout=10000) as shown:
        buttons["call_next"].click()
    assert shown.args[0].number == second.number
    qtbot.waitUntil(lambda: buttons["no_show"].isEnabled())
    with qtbot.waitSignal(console.controller.action_done, timeout=10000):
        buttons["no_show"].click()
    qtbot.waitUntil(lambda: COUNTER not in board.model.now_serving, timeout=10000)

    third = kiosk.issue("mynumber").ticket
    qtbot.waitUntil(lambda: board.model.waiting.get("mynumber", 0) >= 1, timeout=10000)
    qtbot.waitUntil(lambda: buttons["call_next"].isEnabled())
    with qtbot.waitSignal(board.call_shown, timeout=10000):
        buttons["call_next"].click()
    qtbot.waitUntil(lambda: buttons["cancel"].isEnabled())
    with qtbot.waitSignal(console.controller.action_done, timeout=10000):
        buttons["cancel"].click()
    qtbot.waitUntil(lambda: COUNTER not in board.model.now_serving, timeout=10000)
    assert hall_server.client("kiosk-1").ticket_status  # the server kept every ticket
    assert third.number.startswith("G-")
    board.close()
    console.close()


def test_nothing_waiting_says_so(qtbot: QtBot, hall_server: HallServerProcess) -> None:
    drain_counter(hall_server, COUNTER)
    console = _logged_in(qtbot, hall_server)
    with qtbot.waitSignal(console.controller.error, timeout=10000) as err:
        console.counter_screen.action_buttons.buttons["call_next"].click()
    assert err.args == ["staff.no_waiting"]
    assert console.counter_screen.status.text()
    console.close()


def test_transfer_moves_the_ticket(qtbot: QtBot, hall_server: HallServerProcess) -> None:
    drain_counter(hall_server, COUNTER)
    ticket = hall_server.client("kiosk-2").issue("mynumber").ticket
    console = _logged_in(qtbot, hall_server)
    buttons = console.counter_screen.action_buttons.buttons
    qtbot.waitUntil(lambda: buttons["call_next"].isEnabled())
    buttons["call_next"].click()
    qtbot.waitUntil(lambda: buttons["transfer"].isEnabled(), timeout=10000)
    buttons["transfer"].click()
    dialog = console.transfer_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.service.setCurrentIndex(dialog.service.findData("kokuho"))
    dialog.reason.setText("insurance question")
    with qtbot.waitSignal(console.controller.action_done, timeout=10000) as done:
        dialog.accept()
    assert done.args == ["transfer"]
    qtbot.waitUntil(lambda: console.controller.current is None, timeout=10000)
    staff = hall_server.staff_client(9, staff_id="staff2")
    moved = staff.ticket(ticket.id)
    assert moved.service_id == "kokuho" and moved.state == "waiting"
    drain_counter(hall_server, 9)
    console.close()


def test_scanned_ticket_is_pulled_up_and_called_here(qtbot: QtBot, hall_server: HallServerProcess) -> None:
    drain_counter(hall_server, COUNTER)
    issued = hall_server.client("kiosk-1").issue("mynumber")
    console = _logged_in(qtbot, hall_server)
    console.setFocus()
    with qtbot.waitSignal(console.controller.scanned, timeout=10000) as scanned:
        qtbot.keyClicks(console, issued.status_url)  # a USB code reader types the QR's text and Enter
        qtbot.keyClick(console, "\r")
    assert scanned.args[0].id == issued.ticket.id
    assert issued.ticket.number in console.counter_screen.scanned_label.text()
    assert console.counter_screen.call_scanned.isVisible()
    console.counter_screen.call_scanned.click()
    qtbot.waitUntil(lambda: console.controller.current is not None, timeout=10000)
    assert console.controller.current.id == issued.ticket.id
    console.handle_scan("not a ticket at all")
    assert console.counter_screen.status.text()
    drain_counter(hall_server, COUNTER)
    console.close()


def test_mini_mode_calls_next(qtbot: QtBot, hall_server: HallServerProcess) -> None:
    drain_counter(hall_server, COUNTER)
    ticket = hall_server.client("kiosk-1").issue("mynumber").ticket
    console = _logged_in(qtbot, hall_server)
    console.enter_mini()
    assert console.mini.isVisible() and not console.isVisible()
    assert console.mini.windowFlags() & console.mini.windowFlags().WindowStaysOnTopHint
    qtbot.waitUntil(lambda: console.mini.call_next.isEnabled(), timeout=10000)
    console.mini.call_next.click()
    qtbot.waitUntil(lambda: console.mini.number.text() == ticket.number, timeout=10000)
    console.leave_mini()
    assert console.isVisible()
    drain_counter(hall_server, COUNTER)
    console.close()


def test_kiosk_call_staff_alert_and_f1_shortcut(qtbot: QtBot, hall_server: HallServerProcess) -> None:
    drain_counter(hall_server, COUNTER)
    console = _logged_in(qtbot, hall_server)
    qtbot.waitUntil(lambda: console.controller.events.last_id is not None, timeout=10000)
    hall_server.client("kiosk-2").call_staff("pin_entry", "vi")
    qtbot.waitUntil(lambda: console.counter_screen.alerts.count() == 1, timeout=10000)
    assert "kiosk-2" in console.counter_screen.alerts.item(0).text()

    ticket = hall_server.client("kiosk-1").issue("mynumber").ticket
    console.activateWindow()
    qtbot.waitUntil(lambda: console.counter_screen.action_buttons.buttons["call_next"].isEnabled(), timeout=10000)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is console, timeout=5000)
    qtbot.keyClick(console, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: console.controller.current is not None, timeout=10000)
    assert console.controller.current.number == ticket.number
    drain_counter(hall_server, COUNTER)
    console.close()
