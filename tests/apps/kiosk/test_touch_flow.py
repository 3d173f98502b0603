"""The plain touch flow end to end: welcome → procedure → extra answers → ticket printed, in ja and en."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from madoguchi.devices.printer.worker_printer import WorkerPrinter


def click(qtbot: Any, widget: Any) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_touch_flow_prints_the_confirmed_ticket(
    qtbot: Any, make_kiosk: Any, printer_sim: Any, shots: Path, language: str
) -> None:
    window = make_kiosk(printer=WorkerPrinter(printer_sim.url))
    welcome = window.screens.welcome
    click(qtbot, welcome.language_buttons[language])
    window.save_screenshot("01-welcome")
    click(qtbot, welcome.start)
    procedures = window.screens.procedures
    qtbot.waitUntil(lambda: window.current_name() == "procedures" and bool(window.ctx.statuses))
    separator = "・" if language == "ja" else "·"  # the status line: waiting count · estimate
    qtbot.waitUntil(lambda: separator in procedures.buttons["juminhyo"].text())
    assert not procedures.buttons["jido_teate"].isEnabled()  # closed now: disabled, says when
    window.save_screenshot("02-procedures")
    click(qtbot, procedures.buttons["juminhyo"])
    extra = window.screens.extra
    assert window.current_name() == "extra"
    window.save_screenshot("03-extra-copies")
    click(qtbot, extra.findChild(type(extra.pad_ok), "answer-2"))
    assert window.current_name() == "extra"
    window.save_screenshot("04-extra-purpose")
    with qtbot.waitSignal(window.flow.printed, timeout=10000) as printed:
        click(qtbot, extra.findChild(type(extra.pad_ok), "answer-bank"))
    assert printed.args[1] is True
    assert window.current_name() == "ticket"
    issued = window.ctx.session.issued
    assert issued is not None
    ticket = window.screens.ticket
    assert ticket.number.text() == issued.ticket.number
    qtbot.waitUntil(lambda: ticket.print_state == "printed")
    window.save_screenshot("05-ticket")
    jobs = printer_sim.printer.wait_for_jobs(1)
    assert jobs[-1].complete
    assert issued.status_url in jobs[-1].qr_payloads
    jobs[-1].image.save(shots / f"printed-ticket-{language}.png")
    click(qtbot, ticket.done)
    assert window.current_name() == "welcome"
    assert window.ctx.session.issued is None
