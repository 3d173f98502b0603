from __future__ import annotations

from typing import Any

from madoguchi.devices.printer.print_worker import PrintWorker
from madoguchi.devices.printer.qt_bridge import PrinterSignals
from madoguchi.devices.printer.sim_harness import RunningSimulator
from madoguchi.devices.printer.simulator import SimState
from madoguchi.devices.printer.ticket_layout import TicketContent


def test_signals_reach_the_gui_thread(qtbot: Any, sim: RunningSimulator, content: TicketContent) -> None:
    worker = PrintWorker(sim.url, status_timeout_s=0.5)
    signals = PrinterSignals(worker)
    try:
        with qtbot.waitSignal(signals.printer_status_changed, timeout=10000) as status:
            worker.start()
            worker.check_status()
        assert status.args == ["OK", "ready"]
        with qtbot.waitSignal(signals.print_job_finished, timeout=15000) as finished:
            worker.submit("A-100", content=content)
        assert finished.args == ["A-100", True, "", False]
        with qtbot.waitSignal(signals.printer_status_changed, timeout=10000) as changed:
            sim.printer.set_state(SimState.PAPER_OUT)  # pushed by ASB while the worker is idle
        assert changed.args[0] == "PAPER_OUT"
    finally:
        signals.detach()
        worker.stop()


def test_preview_image_for_qt(content: TicketContent) -> None:
    from madoguchi.devices.printer.profiles import get_profile
    from madoguchi.devices.printer.qt_bridge import ticket_qimage
    from madoguchi.devices.printer.ticket_layout import render_ticket

    ticket = render_ticket(content, get_profile("TM-T88V"))
    qimage = ticket_qimage(ticket.image)
    assert (qimage.width(), qimage.height()) == ticket.image.size
    x, y = 2, ticket.image.height // 2
    assert (qimage.pixelColor(x, y).value() == 0) == (ticket.image.getpixel((x, y)) == 0)


def test_print_worker_is_a_ticket_printer(sim: RunningSimulator) -> None:

    printer = PrintWorker(sim.url)
    assert printer.profile.width_dots == 576
