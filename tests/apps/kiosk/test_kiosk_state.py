"""The kiosk's state follows its causes, before anyone starts: paper out and back (number on screen, or stop), the
hall closing and opening (the server's clock moved), and the admin console shows the same state per kiosk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt

from madoguchi.apps.admin.window import AdminWindow
from madoguchi.apps.kiosk.demo_material import always_open_config
from madoguchi.client.admin_client import AdminClient
from madoguchi.client.local_server import HallServerProcess
from madoguchi.core.config import EXAMPLE_CONFIG
from madoguchi.devices.printer.worker_printer import WorkerPrinter
from madoguchi.translations.catalog import translate

TOKYO = ZoneInfo("Asia/Tokyo")


def click(qtbot: Any, widget: Any) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.fixture
def stopping_hall(tmp_path: Path) -> Iterator[HallServerProcess]:
    """A hall whose kiosks stop issuing when their printer cannot print."""
    config = always_open_config(tmp_path / "config")
    text = config.read_text(encoding="utf-8").replace(
        'kiosk_when_printer_fails = "show_number"', 'kiosk_when_printer_fails = "stop"'
    )
    assert 'kiosk_when_printer_fails = "stop"' in text
    config.write_text(text, encoding="utf-8")
    srv = HallServerProcess(tmp_path / "server", config_path=config).start()
    yield srv
    srv.stop()


class ShiftedHall:
    """The example hall (08:30–17:15) on a server whose clock is set by a rehearsal offset file."""

    def __init__(self, tmp_path: Path) -> None:
        self.offset_file = tmp_path / "clock-offset"
        self.at(dt.time(20, 0))
        self.server = HallServerProcess(
            tmp_path / "server", config_path=EXAMPLE_CONFIG, extra_args=("--clock-offset-file", str(self.offset_file))
        ).start()

    def at(self, time_of_day: dt.time) -> None:
        """The server's clock reads ``time_of_day`` (Tokyo, today) from now on."""
        now = dt.datetime.now(TOKYO)
        target = dt.datetime.combine(now.date(), time_of_day, TOKYO)
        self.offset_file.write_text(f"{(target - now).total_seconds():.0f}\n", encoding="utf-8")


@pytest.fixture
def shifted_hall(tmp_path: Path) -> Iterator[ShiftedHall]:
    hall = ShiftedHall(tmp_path)
    yield hall
    hall.server.stop()


def test_paper_out_and_back_with_the_number_on_screen(
    qtbot: Any, make_kiosk: Any, hall: HallServerProcess, printer_sim: Any, shots: Path
) -> None:
    window = make_kiosk(printer=WorkerPrinter(printer_sim.url), device="kiosk-1")
    welcome = window.screens.welcome
    qtbot.waitUntil(lambda: window.ctx.status.state == "ready", timeout=10000)
    assert window.current_name() == "welcome" and not welcome.notice.isVisible()
    token = hall.tokens["admin-1"]
    # (no heartbeat of its own: the session's hall must not look watched to other tests' calls for help)
    admin = AdminWindow(AdminClient(hall.base_url, token), None, refresh_ms=300, language="en", heartbeat_seconds=None)
    qtbot.addWidget(admin)
    admin.resize(1280, 800)
    admin.show()
    admin.start()
    try:
        printer_sim.printer.set_state("paper_out")
        qtbot.waitUntil(lambda: welcome.notice.isVisible(), timeout=10000)
        assert window.ctx.status.state == "degraded" and window.ctx.status.reasons == ("printer",)
        assert welcome.notice.text() == window.ctx.texts("kiosk.welcome.no_printing")
        # the heartbeat the state change sent reaches the admin console's tile of this kiosk
        expected = "{} ({})".format(
            translate("en", "admin.kiosk.state", state=translate("en", "admin.kiosk_state.degraded")),
            translate("en", "admin.kiosk_reason.printer"),
        )
        qtbot.waitUntil(lambda: "kiosk-1" in admin.tiles.tiles, timeout=10000)
        qtbot.waitUntil(lambda: admin.tiles.tiles["kiosk-1"].kiosk.text() == expected, timeout=10000)
        admin.grab().save(str(shots / "50-admin-kiosk-state-en.png"))
        printer_sim.printer.set_state("ok")
        qtbot.waitUntil(lambda: not welcome.notice.isVisible(), timeout=10000)
        assert window.ctx.status.state == "ready"
        ready = translate("en", "admin.kiosk.state", state=translate("en", "admin.kiosk_state.ready"))
        qtbot.waitUntil(lambda: admin.tiles.tiles["kiosk-1"].kiosk.text() == ready, timeout=10000)
    finally:
        admin.stop()


def test_a_hall_that_stops_on_no_paper_says_so_and_what_to_do(
    qtbot: Any, make_kiosk: Any, stopping_hall: HallServerProcess, printer_sim: Any
) -> None:
    window = make_kiosk(printer=WorkerPrinter(printer_sim.url), device="kiosk-1", server=stopping_hall)
    qtbot.waitUntil(lambda: window.ctx.status.state == "ready", timeout=10000)
    # a resident already choosing is told at once, not after answering every question
    click(qtbot, window.screens.welcome.start)
    assert window.current_name() == "procedures"
    printer_sim.printer.set_state("paper_out")
    qtbot.waitUntil(lambda: window.current_name() == "message", timeout=10000)
    assert window.screens.message.text.text() == window.ctx.texts("kiosk.out_of_service.in_flow")
    click(qtbot, window.screens.message.buttons[0])
    # the next resident meets the out-of-service screen: 発券停止中, in every language, and what to do instead
    assert window.current_name() == "out_of_service"
    screen = window.screens.out_of_service
    assert screen.title.text() == "発券停止中"
    assert screen.detail.text() == translate("ja", "kiosk.out_of_service.this_kiosk")
    for code in ("en", "zh-Hans", "ko", "pt-BR", "es", "vi", "tl", "ne"):
        _cell, headline, detail = screen.cells[code]
        assert headline.isVisible() and headline.text() == translate(code, "kiosk.out_of_service.title")
        assert detail.text() == translate(code, "kiosk.out_of_service.this_kiosk")
    assert window.staff_button.isVisible()  # the server is there: help can still be called
    window.save_screenshot("32-out-of-service-no-paper")
    printer_sim.printer.set_state("ok")
    qtbot.waitUntil(lambda: window.current_name() == "welcome", timeout=10000)


def test_closed_shows_todays_hours_and_the_next_opening_then_opens(
    qtbot: Any, make_kiosk: Any, shifted_hall: ShiftedHall
) -> None:
    window = make_kiosk(device="kiosk-1", server=shifted_hall.server)
    qtbot.waitUntil(lambda: window.current_name() == "closed", timeout=15000)
    closed = window.screens.closed
    t = window.ctx.texts
    assert closed.title.text() == t("kiosk.closed.title")
    assert closed.hours.text() == t("kiosk.closed.hours", start="08:30", end="17:15")
    assert closed.detail.text() == t("kiosk.closed.opens_next_day", time="08:30")  # evening: the next day
    window.save_screenshot("33-closed-evening")
    window.flow.set_language("en")
    window.save_screenshot("33-closed-evening")
    shifted_hall.at(dt.time(7, 0))  # early morning: opens later today
    later_today = window.ctx.texts("kiosk.closed.opens_today", time="08:30")
    qtbot.waitUntil(lambda: closed.detail.text() == later_today, timeout=15000)
    shifted_hall.at(dt.time(9, 0))  # opening time: the welcome screen, by itself
    qtbot.waitUntil(lambda: window.current_name() == "welcome", timeout=15000)
    assert window.ctx.status.state in ("ready", "degraded")
