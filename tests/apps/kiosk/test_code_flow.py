"""2D codes from a camera video: a pre-filled application, a reservation check-in, and an unknown code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from madoguchi.core.config import EXAMPLE_CONFIG
from madoguchi.devices.printer.worker_printer import WorkerPrinter
from madoguchi.devices.scanner.qt_camera import CameraScanner


def click(qtbot: Any, widget: Any) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_prefill_code_shown_at_welcome_is_confirmed_then_gives_a_ticket(
    qtbot: Any, make_kiosk: Any, camera_videos: dict[str, Path], printer_sim: Any, language: str
) -> None:
    # The code was made at home in the resident's language; nobody chose one here, so it sets the kiosk's.
    video = camera_videos["prefill" if language == "ja" else f"prefill-{language}"]
    window = make_kiosk(scanner=CameraScanner(str(video)), printer=WorkerPrinter(printer_sim.url))
    qtbot.waitUntil(lambda: window.current_name() == "code_confirm", timeout=20000)  # the resident only holds it up
    confirm = window.screens.code_confirm
    assert window.ctx.session.prefs.language == language
    shown = [value.text() for _label, value in confirm.rows if value.isVisible()]
    assert "見本 太郎" in shown and "みどり市中央1-2-3" in shown  # what the code filled in, to check
    assert window.ctx.session.issued is None  # nothing issued before the resident confirmed
    window.save_screenshot("21-code-confirm")
    with qtbot.waitSignal(window.flow.printed, timeout=20000):
        click(qtbot, confirm.correct)
    issued = window.ctx.session.issued
    assert issued is not None
    assert issued.ticket.service_id == "juminhyo" and issued.ticket.source == "code" and issued.ticket.has_form
    assert issued.ticket.language == language
    window.save_screenshot("21-ticket-from-code")


def test_a_chosen_language_stays_whatever_the_code_says(
    qtbot: Any, make_kiosk: Any, camera_videos: dict[str, Path], printer_sim: Any
) -> None:
    """Measured on main: a Vietnamese session switched silently to English because the code was English."""
    window = make_kiosk(
        scanner=CameraScanner(str(camera_videos["prefill-en"])),
        printer=WorkerPrinter(printer_sim.url),
        codes_on_welcome=False,  # the resident chooses first, then shows the code
    )
    click(qtbot, window.screens.welcome.language_buttons["vi"])
    click(qtbot, window.screens.welcome.start)
    click(qtbot, window.screens.procedures.buttons["juminhyo"])
    qtbot.waitUntil(lambda: window.screens.method.code.isVisible(), timeout=20000)  # the camera is there
    click(qtbot, window.screens.method.code)
    qtbot.waitUntil(lambda: window.current_name() == "code_confirm", timeout=20000)
    assert window.ctx.session.prefs.language == "vi" and window.ctx.texts.language == "vi"
    assert window.screens.code_confirm.title.text() == window.ctx.texts("kiosk.code.confirm.title")
    with qtbot.waitSignal(window.flow.printed, timeout=20000):
        click(qtbot, window.screens.code_confirm.correct)
    assert window.ctx.session.issued.ticket.language == "vi"


def test_something_wrong_in_the_code_forgets_what_it_filled(qtbot: Any, make_kiosk: Any, kiosk_config: Path) -> None:
    from madoguchi.apps.kiosk.demo_material import sample_prefill_code

    window = make_kiosk()
    window.flow.begin()
    window.flow.on_code(sample_prefill_code(kiosk_config))
    assert window.current_name() == "code_confirm"
    click(qtbot, window.screens.code_confirm.wrong)
    s = window.ctx.session
    assert s.service_id == "juminhyo" and s.source == "touch" and "name" not in s.form
    assert window.current_name() == "extra"  # asked by touch instead
    window.flow.go_welcome()
    assert all(not value.text() for _label, value in window.screens.code_confirm.rows)


def test_unknown_code_says_so_without_leaving_the_screen(
    qtbot: Any, make_kiosk: Any, camera_videos: dict[str, Path]
) -> None:
    scanner = CameraScanner(str(camera_videos["unknown"]))
    window = make_kiosk(scanner=scanner)
    code_screen = window.screens.code_scan
    qtbot.waitUntil(lambda: window.current_name() == "code_scan" and code_screen.message.isVisible(), timeout=20000)
    qtbot.waitUntil(lambda: code_screen.preview.image is not None, timeout=5000)
    window.save_screenshot("20-code-unknown")
    assert window.ctx.session.issued is None
    window.flow.set_language("en")
    qtbot.waitUntil(lambda: code_screen.preview.image is not None, timeout=5000)
    window.save_screenshot("20-code-unknown")
    assert window.current_name() == "code_scan"

    # the heartbeat reports the camera's frames
    def reported() -> bool:
        window.heartbeat.beat()  # (a beat already on its way is not doubled)
        last = window.heartbeat.last
        return last is not None and bool(last.camera_ok) and (last.camera_frames or 0) > 0

    qtbot.waitUntil(reported, timeout=10000)


def test_reservation_checkin_code_gives_a_reservation_ticket(
    qtbot: Any, make_kiosk: Any, camera_videos: dict[str, Path]
) -> None:
    window = make_kiosk(scanner=CameraScanner(str(camera_videos["checkin"])))
    qtbot.waitUntil(lambda: window.ctx.session.issued is not None, timeout=20000)
    issued = window.ctx.session.issued
    assert issued.ticket.source == "reservation" and issued.ticket.service_id == "koseki"
    assert issued.ticket.reservation
    window.save_screenshot("22-ticket-from-reservation")


def test_forged_checkin_code_is_refused_on_the_code_screen(
    qtbot: Any, make_kiosk: Any, camera_videos: dict[str, Path]
) -> None:
    window = make_kiosk(scanner=CameraScanner(str(camera_videos["forged-checkin"])))
    code_screen = window.screens.code_scan
    qtbot.waitUntil(lambda: window.current_name() == "code_scan" and code_screen.message.isVisible(), timeout=20000)
    assert window.ctx.session.issued is None and window.ctx.session.reservation_code is None


def test_family_members_of_a_moving_in_code_reach_the_form(qtbot: Any, make_kiosk: Any) -> None:
    from madoguchi.core.config import load_config
    from madoguchi.core.forms.payload import build_prefill
    from madoguchi.core.forms.qr_measure import FAMILY_OF_FOUR_MEMBERS, FAMILY_OF_FOUR_VALUES

    window = make_kiosk()
    qtbot.waitUntil(lambda: window.ctx.hall is not None, timeout=20000)
    cfg = load_config(EXAMPLE_CONFIG)
    code = build_prefill(cfg, "tennyu", FAMILY_OF_FOUR_VALUES, {"members": FAMILY_OF_FOUR_MEMBERS})
    window.flow.use_code()
    window.flow.on_code(code)
    qtbot.waitUntil(lambda: window.ctx.session.service_id == "tennyu", timeout=5000)
    members = window.ctx.session.form.get("members")
    assert isinstance(members, list) and len(members) == len(FAMILY_OF_FOUR_MEMBERS)


def test_a_code_cannot_draw_a_reading_over_the_residents_data(qtbot: Any, make_kiosk: Any) -> None:
    # Readings travel as Unicode annotation characters (ruby_markup); the resident's own data is shown as written.
    from madoguchi.core.config import load_config
    from madoguchi.core.forms.payload import build_prefill
    from madoguchi.translations.ruby_markup import ANCHOR, SEPARATOR, TERMINATOR

    window = make_kiosk()
    qtbot.waitUntil(lambda: window.ctx.hall is not None, timeout=20000)
    name = f"{ANCHOR}山田{SEPARATOR}べつじん{TERMINATOR} 太郎"
    values = {"name": name, "address": "東京都みどり市中央1-2-3", "birth_date": "1980-04-01", "copies": "1"}
    code = build_prefill(load_config(EXAMPLE_CONFIG), "juminhyo", {**values, "purpose": "work"}, language="ja")
    window.flow.use_code()
    window.flow.on_code(code)
    qtbot.waitUntil(lambda: window.current_name() == "code_confirm", timeout=5000)
    shown = [value for _label, value in window.screens.code_confirm.rows if value.isVisible()]
    names = [value for value in shown if "太郎" in value.text()]
    assert names and all(value.ruby() is None for value in shown)
    assert names[0].text() == "山田べつじん 太郎"  # every character the code carries, none of them hidden
