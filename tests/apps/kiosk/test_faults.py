"""Faults: printer out of paper, server down then up, double taps, call staff, and the heartbeat."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from madoguchi.client.local_server import HallServerProcess
from madoguchi.devices.printer.worker_printer import WorkerPrinter


def click(qtbot: Any, widget: Any) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def waiting(hall: HallServerProcess, service: str) -> int:
    with hall.client("kiosk-3") as c:
        return next(s.waiting for s in c.services() if s.id == service)


def test_printer_out_of_paper_keeps_the_number_and_says_so(qtbot: Any, make_kiosk: Any, printer_sim: Any) -> None:
    printer_sim.printer.set_state("paper_out")
    window = make_kiosk(printer=WorkerPrinter(printer_sim.url), device="kiosk-2")
    for language in ("ja", "en"):
        window.flow.set_language(language)
        click(qtbot, window.screens.welcome.start)
        with qtbot.waitSignal(window.flow.printed, timeout=10000) as printed:
            click(qtbot, window.screens.procedures.buttons["tenshutsu"])  # no kiosk questions
        assert printed.args[1] is False
        ticket = window.screens.ticket
        assert window.current_name() == "ticket" and ticket.print_state == "failed"
        assert ticket.number.text() == window.ctx.session.issued.ticket.number
        assert ticket.qr.pixmap() is not None and not ticket.qr.pixmap().isNull()
        window.save_screenshot("30-ticket-printer-failed")
        # kept on screen longer so the resident can photograph the QR code
        assert window.flow._ticket_timer.interval() == 1000 * window.settings.ticket_seconds_print_failed
        if language == "en":
            # paper refilled: "print again" prints the same, still valid ticket
            assert not any(j.complete for j in printer_sim.printer.jobs)
            printer_sim.printer.set_state("ok")
            with qtbot.waitSignal(window.flow.printed, timeout=10000) as again:
                click(qtbot, ticket.again)
            assert again.args[1] is True
            assert printer_sim.printer.wait_for_jobs(1)[-1].complete
        click(qtbot, ticket.done)


def test_no_printer_configured_still_gives_the_number(qtbot: Any, make_kiosk: Any) -> None:
    window = make_kiosk(device="kiosk-2")
    click(qtbot, window.screens.welcome.start)
    with qtbot.waitSignal(window.flow.printed, timeout=10000):
        click(qtbot, window.screens.procedures.buttons["tenkyo"])
    assert window.screens.ticket.print_state == "failed"


def test_double_tap_issues_one_ticket(qtbot: Any, make_kiosk: Any, hall: HallServerProcess) -> None:
    window = make_kiosk(device="kiosk-2")
    before = waiting(hall, "tenkyo")
    click(qtbot, window.screens.welcome.start)
    button = window.screens.procedures.buttons["tenkyo"]
    with qtbot.waitSignal(window.flow.issued, timeout=10000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        window.flow.issue()  # a third "tap" straight at the action
    qtbot.waitUntil(lambda: window.screens.ticket.print_state != "printing", timeout=10000)
    assert waiting(hall, "tenkyo") == before + 1


def test_same_request_id_is_one_ticket_on_the_server(hall: HallServerProcess) -> None:
    with hall.client("kiosk-3") as c:
        a = c.issue("inkan", request_id="kiosk-test-retry-1")
        b = c.issue("inkan", request_id="kiosk-test-retry-1")
    assert a.ticket.id == b.ticket.id


def test_server_down_then_up_recovers_and_never_shows_an_unconfirmed_number(
    qtbot: Any, make_kiosk: Any, hall: HallServerProcess
) -> None:
    window = make_kiosk(device="kiosk-3")
    click(qtbot, window.screens.welcome.start)
    hall.kill()
    try:
        click(qtbot, window.screens.procedures.buttons["tenshutsu"])
        qtbot.waitUntil(lambda: window.current_name() == "unavailable", timeout=10000)
        assert window.ctx.session.issued is None
        assert window.screens.ticket.number.text() == ""
        window.save_screenshot("31-server-unreachable")
        window.flow.set_language("en")
        window.save_screenshot("31-server-unreachable")
        request_id = window.ctx.session.request_id
    finally:
        hall.start()
    # Back by itself: the interrupted action is re-sent with the same request id, so exactly one ticket.
    qtbot.waitUntil(lambda: window.current_name() == "ticket", timeout=20000)
    assert window.ctx.session.request_id == request_id
    assert window.ctx.session.issued is not None


def test_call_staff_from_any_screen(qtbot: Any, make_kiosk: Any) -> None:
    window = make_kiosk(device="kiosk-3")
    click(qtbot, window.screens.welcome.start)
    click(qtbot, window.staff_button)
    assert window.staff_overlay.isVisible()
    window.save_screenshot("40-call-staff")
    assert window.staff_overlay.reached


def test_heartbeat_reports_devices(qtbot: Any, make_kiosk: Any, printer_sim: Any) -> None:
    window = make_kiosk(printer=WorkerPrinter(printer_sim.url), device="kiosk-3")
    qtbot.waitUntil(lambda: window.heartbeat.sent >= 1, timeout=10000)  # the one sent at start
    window.heartbeat.beat()
    qtbot.waitUntil(lambda: window.heartbeat.sent >= 2, timeout=10000)
    health = window.heartbeat.last
    assert health is not None and health.printer is not None and health.printer.status == "OK"
    assert health.screen == "welcome" and health.card_reader_present is False


def test_server_down_and_resident_gone_drops_the_pending_request(
    qtbot: Any, make_kiosk: Any, hall: HallServerProcess
) -> None:
    window = make_kiosk(device="kiosk-3", countdown_seconds=1)
    click(qtbot, window.screens.welcome.start)
    hall.kill()
    try:
        click(qtbot, window.screens.procedures.buttons["tenshutsu"])
        qtbot.waitUntil(lambda: window.current_name() == "unavailable", timeout=10000)
        window.idle.trigger_now()  # nobody touches the screen any more
        qtbot.waitUntil(lambda: window.ctx.session.request_id is None, timeout=5000)
        assert window.current_name() == "unavailable"  # still the calm screen: the server is still away
    finally:
        hall.start()
    qtbot.waitUntil(lambda: window.current_name() == "welcome", timeout=20000)
    assert window.ctx.session.issued is None
