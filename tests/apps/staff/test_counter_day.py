"""A day at the counter on the staff console, against a real hall server: open, break and close; the waiting list
with a priority mark and a chosen call; undo of a no-show and a cancel; a late arrival scanned and put back;
transfers to a counter and to a clerk; mini mode with its keys; refusals in words. Screenshots of each screen.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from madoguchi.apps.staff.staff_console import StaffConsole
from madoguchi.client.local_server import HallServerProcess
from madoguchi.translations.catalog import translate
from tests.support.halls import open_all_day
from tests.support.qt_apps import logged_in_console
from tests.support.rehearsal_clock import TOKYO

#: a raw message id shown instead of words
RAW_ID = re.compile(r"\b(staff|server|queue)\.[a-z_.]+\b")


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HallServerProcess]:
    folder = tmp_path_factory.mktemp("counter-day")
    srv = HallServerProcess(folder / "data", config_path=open_all_day(folder, undo_seconds="3")).start()
    yield srv
    srv.stop()


def _console(qtbot: QtBot, srv: HallServerProcess, counter: int, staff_id: str = "staff1") -> StaffConsole:
    return logged_in_console(qtbot, srv, counter, staff_id, size=(1400, 860))


def _t(msgid: str, **params: object) -> str:
    return translate("ja", msgid, **params)


def test_open_break_with_a_reason_and_close(qtbot: QtBot, hall: HallServerProcess, shots_dir: Path) -> None:
    console = _console(qtbot, hall, 4)
    bar = console.counter_screen.state_bar
    qtbot.waitUntil(lambda: bar.state == "open", timeout=10000)
    assert bar.label.text() == _t("staff.counter.state_line", state=_t("staff.counter.state.open"))
    bar.reason_box.setCurrentIndex(bar.reason_box.findData("lunch"))
    qtbot.waitUntil(bar.break_button.isEnabled)
    with qtbot.waitSignal(console.controller.state_changed, timeout=10000):
        bar.break_button.click()
    assert (bar.state, bar.reason) == ("break", "lunch")
    assert _t("staff.break.lunch") in bar.label.text()
    with hall.client("board-1") as board:
        assert board.board().counters[4] == "break"
    console.grab().save(str(shots_dir / "counter_state_break.png"))
    # a ticket in hand: no break and no closing until it is finished
    ticket = hall.client("kiosk-1").issue("tennyu").ticket
    qtbot.waitUntil(lambda: console.counter_screen.action_buttons.buttons["call_next"].isEnabled(), timeout=10000)
    console.counter_screen.action_buttons.buttons["call_next"].click()
    qtbot.waitUntil(lambda: console.controller.current is not None, timeout=10000)
    assert console.controller.current.id == ticket.id
    qtbot.waitUntil(lambda: bar.state == "open", timeout=10000)  # calling reopened the counter
    assert not bar.break_button.isEnabled() and not bar.close_button.isEnabled()
    qtbot.waitUntil(console.counter_screen.action_buttons.buttons["done"].isEnabled, timeout=10000)
    console.counter_screen.action_buttons.buttons["done"].click()
    qtbot.waitUntil(lambda: console.controller.current is None and bar.close_button.isEnabled(), timeout=10000)
    with qtbot.waitSignal(console.controller.state_changed, timeout=10000):
        bar.close_button.click()
    assert bar.state == "closed"
    console.close()


def test_the_waiting_list_a_priority_mark_and_a_chosen_call(
    qtbot: QtBot, hall: HallServerProcess, shots_dir: Path
) -> None:
    kiosk = hall.client("kiosk-1")
    first, second, third = (kiosk.issue("tenshutsu").ticket for _ in range(3))
    console = _console(qtbot, hall, 5)
    panel = console.counter_screen.waiting
    qtbot.waitUntil(lambda: panel.numbers()[:3] == [first.number, second.number, third.number], timeout=10000)
    assert panel.select(third.id)
    panel.need_box.setCurrentIndex(panel.need_box.findData("wheelchair"))
    qtbot.waitUntil(panel.priority_button.isEnabled)
    panel.priority_button.click()
    qtbot.waitUntil(lambda: panel.numbers()[:3] == [third.number, first.number, second.number], timeout=10000)
    marks = panel.table.item(0, 3).text()
    assert _t("staff.mark.priority", need=_t("staff.priority.wheelchair")) in marks
    console.grab().save(str(shots_dir / "waiting_list_priority.png"))
    assert panel.select(second.id)
    qtbot.waitUntil(panel.call_button.isEnabled)
    panel.call_button.click()
    qtbot.waitUntil(lambda: console.controller.current is not None, timeout=10000)
    assert console.controller.current.id == second.id
    # the current ticket shows the marks where the clerk looks first
    console.controller.done()
    qtbot.waitUntil(lambda: console.controller.current is None, timeout=10000)
    qtbot.waitUntil(console.counter_screen.action_buttons.buttons["call_next"].isEnabled, timeout=10000)
    console.counter_screen.action_buttons.buttons["call_next"].click()
    qtbot.waitUntil(lambda: console.controller.current is not None, timeout=10000)
    assert console.controller.current.id == third.id  # the marked one first
    assert _t("staff.priority.wheelchair") in console.counter_screen.current.marks.text()
    console.controller.done()
    qtbot.waitUntil(lambda: console.controller.current is None, timeout=10000)
    console.close()


def test_undo_a_no_show_then_put_a_late_arrival_back(qtbot: QtBot, hall: HallServerProcess, shots_dir: Path) -> None:
    issued = hall.client("kiosk-1").issue("mynumber")
    console = _console(qtbot, hall, 7)
    buttons = console.counter_screen.action_buttons.buttons
    undo = console.counter_screen.undo_bar
    qtbot.waitUntil(buttons["call_next"].isEnabled, timeout=10000)
    buttons["call_next"].click()
    qtbot.waitUntil(buttons["no_show"].isEnabled, timeout=10000)
    buttons["no_show"].click()
    qtbot.waitUntil(undo.isVisible, timeout=10000)
    assert _t("staff.undo.no_show", number=issued.ticket.number) in undo.label.text()
    qtbot.waitUntil(lambda: issued.ticket.number not in console.counter_screen.waiting.numbers(), timeout=10000)
    console.grab().save(str(shots_dir / "undo_no_show.png"))
    with qtbot.waitSignal(console.controller.undone, timeout=10000):
        undo.button.click()
    qtbot.waitUntil(lambda: console.controller.current is not None, timeout=10000)
    assert console.controller.current.state == "called"
    assert console.counter_screen.status.text() == _t("staff.undo.done", number=issued.ticket.number)

    qtbot.waitUntil(buttons["cancel"].isEnabled, timeout=10000)
    buttons["cancel"].click()
    qtbot.waitUntil(undo.isVisible, timeout=10000)
    console.activateWindow()
    qtbot.waitUntil(lambda: console.isActiveWindow(), timeout=5000)
    with qtbot.waitSignal(console.controller.undone, timeout=10000):
        qtbot.keyClick(console, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the same, by its keys
    qtbot.waitUntil(buttons["no_show"].isEnabled, timeout=10000)
    buttons["no_show"].click()
    qtbot.waitUntil(undo.isVisible, timeout=10000)
    qtbot.waitUntil(lambda: not undo.isVisible(), timeout=10000)  # its three seconds passed: final
    assert console.controller.current is None

    # the resident arrives late: their ticket's code, scanned, offers to put them back
    with qtbot.waitSignal(console.controller.scanned, timeout=10000):
        console.handle_scan(issued.status_url)
    screen = console.counter_screen
    assert screen.put_back_scanned.isVisible() and not screen.call_scanned.isVisible()
    assert _t("staff.scan.late_arrival") in screen.scanned_label.text()
    assert issued.ticket.number in [
        screen.waiting.no_shows.item(r, 0).text() for r in range(screen.waiting.no_shows.rowCount())
    ]
    console.grab().save(str(shots_dir / "late_arrival_scanned.png"))
    with qtbot.waitSignal(console.controller.action_done, timeout=10000):
        screen.put_back_scanned.click()
    qtbot.waitUntil(lambda: screen.waiting.numbers()[:1] == [issued.ticket.number], timeout=10000)
    console.close()


def test_transfer_to_a_counter_and_to_a_clerk(qtbot: QtBot, hall: HallServerProcess, shots_dir: Path) -> None:
    kiosk = hall.client("kiosk-1")
    one, two = (kiosk.issue("koseki").ticket for _ in range(2))
    elsewhere = hall.staff_client(6, staff_id="staff2")  # staff2 works at counter 6 today
    console = _console(qtbot, hall, 3, staff_id="staff3")
    buttons = console.counter_screen.action_buttons.buttons
    for ticket, kind in ((one, "counter"), (two, "staff")):
        qtbot.waitUntil(buttons["call_next"].isEnabled, timeout=10000)
        buttons["call_next"].click()
        qtbot.waitUntil(lambda: console.controller.current is not None, timeout=10000)
        assert console.controller.current.id == ticket.id
        qtbot.waitUntil(buttons["transfer"].isEnabled, timeout=10000)
        buttons["transfer"].click()
        dialog = console.transfer_dialog
        assert dialog is not None
        dialog.kind_buttons[kind].setChecked(True)
        if kind == "counter":
            dialog.counter.setCurrentIndex(dialog.counter.findData(1))
        else:
            qtbot.waitUntil(lambda d=dialog: d.staff.findData("staff2") >= 0, timeout=10000)
            dialog.staff.setCurrentIndex(dialog.staff.findData("staff2"))
            assert "6" in dialog.staff.currentText()  # where staff2 is logged in
            dialog.grab().save(str(shots_dir / "transfer_to_clerk.png"))
        with qtbot.waitSignal(console.controller.action_done, timeout=10000):
            dialog.accept()
        qtbot.waitUntil(lambda: console.controller.current is None, timeout=10000)
    assert elsewhere.ticket(one.id).target_counter == 1
    assert elsewhere.ticket(two.id).target_staff == "staff2"
    called = elsewhere.call_next(6)  # staff2 gets the one sent to them, at whatever counter
    assert called is not None and called.id == two.id
    elsewhere.done(two.id, 6)
    elsewhere.close()
    console.close()


def test_mini_mode_has_the_main_actions_and_their_keys(qtbot: QtBot, hall: HallServerProcess, shots_dir: Path) -> None:
    kiosk = hall.client("kiosk-1")
    first, second = (kiosk.issue("zei_shomei").ticket for _ in range(2))
    console = _console(qtbot, hall, 11)
    console.enter_mini()
    mini = console.mini
    mini.activateWindow()
    qtbot.waitUntil(lambda: mini.isActiveWindow(), timeout=5000)
    qtbot.waitUntil(mini.buttons["call_next"].isEnabled, timeout=10000)
    assert mini.buttons["call_next"].text().endswith("[F1]") and mini.buttons["no_show"].text().endswith("[F5]")
    qtbot.keyClick(mini, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: mini.number.text() == first.number, timeout=10000)
    qtbot.waitUntil(mini.buttons["done"].isEnabled, timeout=10000)
    mini.grab().save(str(shots_dir / "mini_mode.png"))
    qtbot.keyClick(mini, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: mini.number.text() == "—", timeout=10000)
    qtbot.waitUntil(mini.buttons["call_next"].isEnabled, timeout=10000)
    qtbot.keyClick(mini, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: mini.number.text() == second.number, timeout=10000)
    qtbot.waitUntil(mini.buttons["no_show"].isEnabled, timeout=10000)
    qtbot.keyClick(mini, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: console.controller.current is None, timeout=10000)
    assert mini.state.text() == console.counter_screen.state_bar.text()
    console.leave_mini()
    console.close()


def test_a_refusal_is_said_in_words(qtbot: QtBot, hall: HallServerProcess) -> None:
    ticket = hall.client("kiosk-1").issue("kokuho").ticket
    console = _console(qtbot, hall, 9)
    panel = console.counter_screen.waiting
    qtbot.waitUntil(lambda: ticket.number in panel.numbers(), timeout=10000)
    assert panel.select(ticket.id)
    other = hall.staff_client(10, staff_id="staff2")  # a colleague calls it first
    other.call_ticket(ticket.id, 10)
    qtbot.waitUntil(panel.call_button.isEnabled)
    with qtbot.waitSignal(console.controller.error, timeout=10000) as refused:
        panel.call_button.click()
    assert refused.args == ["staff.error.changed_meanwhile"]
    shown = console.counter_screen.status.text()
    assert shown == _t("staff.error.changed_meanwhile") and not RAW_ID.search(shown)
    other.done(ticket.id, 10)
    other.close()
    console.close()


def test_a_reservation_is_marked_in_the_list_and_at_the_counter_in_large_text(
    qtbot: QtBot, hall: HallServerProcess, shots_dir: Path, large_text: None
) -> None:
    """A checked-in reservation carries its mark to the waiting list and the ticket in hand; the screens still fit
    with the desktop's large text (150 %)."""
    slot = (dt.datetime.now(TOKYO) + dt.timedelta(minutes=5)).replace(second=0, microsecond=0)
    with hall.client("admin-1") as admin:
        booked = admin.create_reservation("juminhyo", slot.date().isoformat(), slot.strftime("%H:%M"))
    walk_in = hall.client("kiosk-1").issue("juminhyo").ticket
    reserved = hall.client("kiosk-1").check_in(booked.checkin_code).ticket
    console = _console(qtbot, hall, 2)
    console.resize(1920, 1080)
    panel = console.counter_screen.waiting
    qtbot.waitUntil(lambda: {walk_in.number, reserved.number} <= set(panel.numbers()), timeout=10000)
    marks = {panel.table.item(r, 0).text(): panel.table.item(r, 3).text() for r in range(panel.table.rowCount())}
    assert marks[reserved.number] == _t("staff.mark.reservation") and marks[walk_in.number] == ""
    assert console.minimumSizeHint().width() <= 1920 and console.minimumSizeHint().height() <= 1080
    services = console.counter_screen.queue.table  # every service of the counter in view, none cut off
    qtbot.waitUntil(lambda: services.rowCount() == 3 and services.height() >= services.minimumHeight(), timeout=5000)
    assert services.verticalScrollBar().maximum() == 0
    console.grab().save(str(shots_dir / "reservation_large_text.png"))
    buttons = console.counter_screen.action_buttons.buttons
    qtbot.waitUntil(buttons["call_next"].isEnabled, timeout=10000)
    buttons["call_next"].click()
    qtbot.waitUntil(lambda: console.controller.current is not None, timeout=10000)
    assert console.controller.current.id == reserved.id  # a reservation before an earlier walk-in
    assert _t("staff.mark.reservation") in console.counter_screen.current.marks.text()
    qtbot.waitUntil(buttons["no_show"].isEnabled, timeout=10000)
    buttons["no_show"].click()  # the undo bar, in large text
    undo = console.counter_screen.undo_bar
    qtbot.waitUntil(lambda: undo.isVisible() and reserved.number not in panel.numbers(), timeout=10000)
    console.grab().save(str(shots_dir / "undo_large_text.png"))
    with qtbot.waitSignal(console.controller.undone, timeout=10000):
        undo.button.click()
    qtbot.waitUntil(lambda: console.controller.current is not None, timeout=10000)
    console.controller.done()
    qtbot.waitUntil(lambda: console.controller.current is None, timeout=10000)
    console.enter_mini()
    qtbot.waitUntil(console.mini.buttons["call_next"].isEnabled, timeout=10000)
    console.mini.grab().save(str(shots_dir / "mini_mode_large_text.png"))
    console.leave_mini()
    console.close()
