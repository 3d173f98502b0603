"""Issue 29 end to end: a family moving in with a child goes through three counters on one ticket.

Real hall server (everything open), the kiosk with pcscd + vpcd and the virtual My Number card and the printer
simulator, three staff consoles (転入届 at 4, 国民健康保険 at 9, 児童手当 at 10), the Qt board and the phone page's
own stream. The data read once from the card shows at each counter (as each procedure needs it); the board and the
phone follow each step.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from madoguchi.apps.staff.staff_console import StaffConsole
from madoguchi.client.local_server import HallServerProcess
from madoguchi.devices.card.qt_reader import PcscCardReader
from madoguchi.devices.printer.worker_printer import WorkerPrinter
from tests.server.test_phone_page_live import Stream
from tests.support.qt_apps import logged_in_console, make_board, press

ROUTE = ["tennyu", "kokuho", "jido_teate"]
COUNTERS = {"tennyu": 4, "kokuho": 9, "jido_teate": 10}
#: the virtual card's resident (its default profile)
NAME = "平塚　花子"
BIRTH = "1980-02-17"


def _tap(qtbot: QtBot, button: Any) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _press(qtbot: QtBot, console: StaffConsole, name: str) -> None:
    press(qtbot, console, console.counter_screen.action_buttons.buttons[name], name)


def _shown_form(qtbot: QtBot, console: StaffConsole) -> dict[str, str]:
    sheet = console.counter_screen.form
    qtbot.waitUntil(lambda: sheet.showing, timeout=10000)
    return {r.key: r.value for r in sheet.rows}


def _phone_status(stream: Stream, qtbot: QtBot, until: Any) -> dict[str, Any]:
    """The phone page's latest status once ``until(status)`` holds (its stream pushes each change)."""
    seen: list[dict[str, Any]] = []

    def arrived() -> bool:
        while not stream.events.empty():
            kind, data = stream.events.get_nowait()
            if kind == "status":
                seen.append(data)
        return bool(seen) and until(seen[-1])

    qtbot.waitUntil(arrived, timeout=10000)
    return seen[-1]


def test_a_family_moving_in_goes_through_three_counters_on_one_ticket(
    qtbot: QtBot,
    make_kiosk: Any,
    open_hall: HallServerProcess,
    printer_sim: Any,
    pcscd: Any,
    insert_card: Any,
    shots: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    folder = shots / "visit-e2e"
    folder.mkdir(exist_ok=True)
    board = make_board(open_hall)
    qtbot.addWidget(board)
    board.resize(1920, 1080)
    board.show()
    with qtbot.waitSignal(board.resynced, timeout=10000):
        board.start()

    # --- the kiosk: the life event, its two questions, the route, then the card fills the visit's form once
    reader = PcscCardReader(None, allow_virtual=True)
    window = make_kiosk(server=open_hall, card=reader, printer=WorkerPrinter(printer_sim.url), screenshot_dir=folder)
    qtbot.waitUntil(reader.available, timeout=10000)
    screens = window.screens
    _tap(qtbot, screens.welcome.language_buttons["ja"])
    _tap(qtbot, screens.welcome.start)
    qtbot.waitUntil(lambda: bool(window.ctx.statuses), timeout=10000)
    _tap(qtbot, screens.procedures.life_button)
    _tap(qtbot, screens.life_events.buttons["moving_in"])
    _tap(qtbot, screens.life_question.yes)  # joining the national health insurance
    _tap(qtbot, screens.life_question.yes)  # a child moves too
    qtbot.waitUntil(lambda: window.current_name() == "life_route", timeout=5000)
    assert screens.life_route.offered is not None and list(screens.life_route.offered.route) == ROUTE
    window.save_screenshot("route")
    _tap(qtbot, screens.life_route.go)
    qtbot.waitUntil(lambda: window.current_name() == "method", timeout=5000)
    _tap(qtbot, screens.method.card)
    card = insert_card()
    qtbot.waitUntil(lambda: window.current_name() == "pin_entry", timeout=10000)
    for digit in "1234":
        _tap(qtbot, screens.pin_entry.pad.keys[digit])
    _tap(qtbot, screens.pin_entry.ok)
    qtbot.waitUntil(lambda: window.current_name() == "card_confirm", timeout=10000)
    _tap(qtbot, screens.card_confirm.correct)
    card.remove()
    qtbot.waitUntil(lambda: window.current_name() in ("extra", "ticket"), timeout=10000)
    while window.current_name() == "extra":
        _tap(qtbot, screens.extra.buttons[-1])
    qtbot.waitUntil(lambda: window.ctx.session.issued is not None and window.current_name() == "ticket", timeout=10000)
    issued = window.ctx.session.issued
    assert issued is not None and issued.ticket.source == "card" and issued.ticket.has_form
    assert [s.service_id for s in issued.ticket.route] == ROUTE and issued.route_estimate is not None
    number = issued.ticket.number
    window.save_screenshot("ticket")
    printed = printer_sim.printer.wait_for_jobs(1)[0]
    assert printed.complete and issued.token in "".join(printed.qr_payloads)  # the phone page
    printed.image.save(str(folder / "printed-ticket.png"))

    # --- the phone page follows the ticket on its own stream
    stream = Stream(open_hall.base_url, issued.token)
    first = _phone_status(stream, qtbot, lambda st: True)
    assert number in first["title"] and first["step"] == "1"

    consoles: list[StaffConsole] = []
    try:
        for step, sid in enumerate(ROUTE, start=1):
            counter = COUNTERS[sid]
            console = logged_in_console(qtbot, open_hall, counter, f"staff{step}")
            consoles.append(console)
            with qtbot.waitSignal(board.call_shown, timeout=10000) as shown:
                _press(qtbot, console, "call_next")
            assert console.counter_screen.current.number.text() == number
            assert (shown.args[0].number, shown.args[0].step, shown.args[0].steps) == (number, step, 3)
            # the one form, as this procedure needs it: the card's name at every counter
            fields = _shown_form(qtbot, console)
            assert fields["name"].replace(" ", "").replace("\u3000", "") == NAME.replace("\u3000", "")
            if sid == "tennyu":
                assert "previous_address" in fields
            else:
                assert "previous_address" not in fields
            # called: no longer in the waiting list (and the console has drawn what it shows)
            qtbot.waitUntil(lambda c=console: number not in c.counter_screen.waiting.numbers(), timeout=10000)
            console.grab().save(str(folder / f"counter-{counter}.png"))
            _press(qtbot, console, "done")
            if step < len(ROUTE):
                nxt = ROUTE[step]
                # the board says where the visit goes now; the phone shows the next step
                qtbot.waitUntil(lambda: bool(board.model.moves), timeout=10000)
                move = board.model.moves[0]
                assert (move.number, move.service_id, move.step) == (number, nxt, step + 1)
                status = _phone_status(stream, qtbot, lambda st, n=step + 1: st["step"] == str(n))
                assert status["state"] == "waiting" and not status["final"]
            console.close()
        final = _phone_status(stream, qtbot, lambda st: st["final"])
        assert final["final"] is True
    finally:
        stream.close()
        for console in consoles:
            console.close()
        board.close()

    ticket = open_hall.staff_client(10, staff_id="staff3")
    try:
        view = ticket.ticket(issued.ticket.id)
    finally:
        ticket.logout()
        ticket.close()
    assert view.state == "done" and [s.state for s in view.route] == ["done", "done", "done"]
    assert [s.counter for s in view.route] == [4, 9, 10]
    visits = httpx.get(
        f"{open_hall.base_url}/api/v1/admin/statistics/visits",
        headers={"Authorization": f"Bearer {open_hall.tokens['admin-1']}"},
    ).json()
    assert (visits["visits"], visits["completed"], visits["by_event"]) == (1, 1, {"moving_in": 1})
    for secret in (NAME, "平塚", BIRTH):
        assert secret not in caplog.text
