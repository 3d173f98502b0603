"""End to end, as a resident and the hall would: book a visit on a phone (headless Chromium at 390 px), carry the
confirmation's QR code to the real kiosk (the Qt kiosk reading it through its camera), follow the ticket on the
phone page with alerts allowed, be called by a clerk, and see the call on the browser board. Every page is checked
with axe-core (WCAG 2.1 AA) in the browser; screenshots go to tests/artifacts/booking/ and tests/artifacts/board/.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from madoguchi.client.local_server import HallServerProcess
from madoguchi.core.config import EXAMPLE_CONFIG
from tests.support.accessibility import axe_violations, describe
from tests.support.browser import HeadlessChromium, chromium_available, read_qr_png, wait_for
from tests.support.rehearsal_clock import hall_time_ahead, write_offset

pytestmark = pytest.mark.skipif(not chromium_available(), reason="chromium and chromedriver are not installed")


def booking_config(folder: Path) -> Path:
    """The example hall, bookable up to the slot's start on every day (the test's day may be a holiday)."""
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    text = re.sub(r"^lead_min = \d+", "lead_min = 0", text, flags=re.M)
    text = re.sub(r"^closed_weekdays = .*$", "closed_weekdays = []", text, flags=re.M)
    text = re.sub(r"^closed_dates = \[.*?\n\]", "closed_dates = []", text, flags=re.M | re.S)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hall.booking-test.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[HallServerProcess]:
    offset = tmp_path / "clock-offset"
    write_offset(offset, hall_time_ahead(10, 50))  # ten minutes before the 11:00 slot: inside its check-in window
    srv = HallServerProcess(
        tmp_path / "server",
        config_path=booking_config(tmp_path),
        extra_args=("--clock-offset-file", str(offset)),
    )
    with srv:
        yield srv


def accessible(driver: Any, what: str) -> None:
    """WCAG 2.1 AA by axe-core, and nothing wider than the screen (no sideways scrolling on a phone)."""
    found = axe_violations(driver)
    assert found == [], f"{what}:\n{describe(found)}"
    wider = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert wider <= 0, f"{what}: {wider} px wider than the screen"


def test_book_check_in_at_the_kiosk_follow_on_the_phone_and_see_the_board(
    hall: HallServerProcess, qtbot: Any, tmp_path: Path, artifacts_dir: Path
) -> None:
    shots = artifacts_dir / "booking"
    shots.mkdir(parents=True, exist_ok=True)
    phone = HeadlessChromium(390, 844)
    phone.as_phone(390, 844)
    board = HeadlessChromium(1280, 720)
    try:
        driver = phone.driver
        # ---- book on the phone: procedure → day → time → confirmation
        driver.get(f"{hall.base_url}/book?lang=en")
        accessible(driver, "booking: procedures")
        driver.save_screenshot(str(shots / "1-procedures-390.png"))
        driver.find_element("css selector", "a[href^='/book/tennyu']").click()
        wait_for(lambda: "day=" in driver.page_source)
        accessible(driver, "booking: days")
        driver.save_screenshot(str(shots / "2-days-390.png"))
        driver.find_element("css selector", "a.choice.day").click()  # the first open day: the hall's today
        wait_for(lambda: driver.find_elements("id", "slot-11:00"))
        accessible(driver, "booking: times")
        driver.save_screenshot(str(shots / "3-times-390.png"))
        driver.find_element("css selector", "label[for='slot-11:00']").click()
        driver.find_element("id", "book").click()
        wait_for(lambda: "/book/r/" in driver.current_url)
        accessible(driver, "booking: confirmation")
        phone.as_phone(390, 1400)
        png = driver.get_screenshot_as_png()
        (shots / "4-confirmation-390.png").write_bytes(png)
        codes = read_qr_png(png)
        assert len(codes) == 1 and codes[0].startswith("MDR1:")
        reference = driver.find_element("css selector", ".reference").text

        # ---- the board, before the call: never blank
        board.driver.get(f"{hall.base_url}/board?sub=en#token={hall.tokens['board-1']}")
        wait_for(lambda: board.driver.execute_script("return document.body.dataset.calls") == "0")
        assert "No numbers called yet" in board.driver.find_element("id", "now").text
        accessible(board.driver, "board before any call")

        # ---- check in at the kiosk: its camera reads the code the phone shows
        ticket = check_in_at_kiosk(hall, qtbot, tmp_path, codes[0])
        assert ticket.ticket.source == "reservation" and ticket.ticket.service_id == "tennyu"
        assert ticket.ticket.language == "en"

        # ---- the phone page, alerts allowed with one tap
        driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": hall.base_url, "permissions": ["notifications"]})
        phone.as_phone(390, 844)
        driver.get(f"{hall.base_url}/t/{ticket.token}")
        wait_for(lambda: driver.find_element("id", "alerts").is_displayed())
        accessible(driver, "phone page, waiting")
        driver.find_element("id", "alerts").click()
        assert driver.find_element("id", "alerts").get_attribute("aria-pressed") == "true"
        driver.save_screenshot(str(shots / "5-phone-waiting-390.png"))

        # ---- a clerk calls it
        hall.staff_client(4).call_next(4)
        wait_for(lambda: driver.execute_script("return document.body.dataset.state") == "called")
        alerts = wait_for(lambda: driver.execute_script("return window.madoguchiAlerts"))
        assert alerts[-1]["kind"] == "called"
        assert "sound" in alerts[-1]["by"] and "notification" in alerts[-1]["by"], alerts
        # booked in English at home, checked in at a kiosk left in Japanese: the phone speaks English
        assert "counter 4" in driver.find_element("id", "status").text
        accessible(driver, "phone page, called")
        driver.save_screenshot(str(shots / "6-phone-called-390.png"))

        # ---- the board shows the call with the counter word
        number = ticket.ticket.number
        wait_for(lambda: board.driver.execute_script("return document.body.dataset.last") == number)
        now = board.driver.find_element("id", "now").text
        assert number in now and "4番窓口" in now and "please go to counter 4" in now
        accessible(board.driver, "board with a call")
        board_shots = artifacts_dir / "board"
        board_shots.mkdir(parents=True, exist_ok=True)
        for width, height in ((1280, 720), (1920, 1080), (3840, 2160), (1080, 1920)):
            board.set_viewport(width, height)
            time.sleep(0.2)
            overflow = board.driver.execute_script(
                "return document.documentElement.scrollWidth - innerWidth + "
                "Math.max(0, document.documentElement.scrollHeight - innerHeight)"
            )
            assert overflow <= 0, (width, height, overflow)
            board.driver.save_screenshot(str(board_shots / f"board-{width}x{height}.png"))
    finally:
        phone.close()
        board.close()

    # ---- staff see the booking, checked in with its ticket
    day = hall.staff_client(4).reservations()
    mine = [r for r in day.reservations if r.reference == reference]
    assert mine and mine[0].state == "checked_in" and mine[0].ticket_number == number and mine[0].source == "web"


def check_in_at_kiosk(hall: HallServerProcess, qtbot: Any, folder: Path, code: str) -> Any:
    """The real kiosk, its camera pointed at a video of the phone's QR code: the issued ticket."""
    from PySide6.QtCore import QThreadPool

    from madoguchi.apps.kiosk.main_window import KioskWindow
    from madoguchi.apps.kiosk.settings import KioskSettings
    from madoguchi.client.hall_client import HallClient
    from madoguchi.devices.card.interface import NoCardReader
    from madoguchi.devices.printer.interface import NoPrinter
    from madoguchi.devices.scanner.qt_camera import CameraScanner
    from madoguchi.devices.scanner.video_sim import write_video
    from madoguchi.qt.read_aloud import ReadAloud

    video = write_video(folder / "checkin.avi", [code], seconds_per_code=1.5, gap_seconds=0.3)
    client = HallClient(hall.base_url, hall.tokens["kiosk-1"], timeout=5.0)
    settings = KioskSettings(kiosk_name="kiosk-1", heartbeat_seconds=3600, state_poll_seconds=0.5)
    window = KioskWindow(
        client,
        NoCardReader(),
        CameraScanner(str(video)),
        NoPrinter(),
        settings,
        speaker=ReadAloud(None, audio=False),
    )
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    window.start()
    try:
        qtbot.waitUntil(lambda: window.ctx.session.issued is not None, timeout=30000)
        return window.ctx.session.issued
    finally:
        window.shutdown()
        client.close()
        QThreadPool.globalInstance().waitForDone(10000)
