"""Easy Japanese shows furigana above the kanji on every text the resident reads, in every display mode."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from madoguchi.apps.kiosk.demo_material import StubCard, StubScanner
from madoguchi.apps.kiosk.ruby_widgets import RubyButton, RubyTextLabel
from madoguchi.translations.furigana import has_kanji

# Not easy-Japanese text: language names are in their own script, the toggle names the mode in plain Japanese.
EXEMPT = {"toggle-easy_japanese"}


def check_ruby(window: Any) -> list[str]:
    """Visible texts with kanji but no readings, or with readings drawn in less room than they need."""
    problems = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, RubyTextLabel | RubyButton) or not widget.isVisible():
            continue
        if widget.objectName() in EXEMPT or widget.property("kind") == "language" or not has_kanji(widget.text()):
            continue
        name = f"{widget.objectName() or type(widget).__name__} {widget.text()!r}"
        if widget.ruby() is None:
            problems.append(f"no furigana: {name}")
        elif isinstance(widget, RubyTextLabel) and widget.height() < widget.heightForWidth(widget.width()):
            problems.append(f"label cut: {name} {widget.height()} < {widget.heightForWidth(widget.width())}")
        elif isinstance(widget, RubyButton) and (
            widget.width() < widget.sizeHint().width() or widget.height() < widget.sizeHint().height()
        ):
            problems.append(f"button cut: {name} {widget.size()} < {widget.sizeHint()}")
    return problems


@pytest.mark.parametrize(
    ("mode", "size"),
    [("normal", (1920, 1080)), ("large_text", (1920, 1080)), ("high_contrast", (1920, 1080)), ("normal", (1080, 1920))],
)
def test_every_screen_shows_furigana(qtbot: Any, make_kiosk: Any, mode: str, size: tuple[int, int]) -> None:
    window = make_kiosk(card=StubCard(), scanner=StubScanner(), device="kiosk-3")
    window.resize(*size)
    flow = window.flow
    flow.toggle("easy_japanese")
    if mode != "normal":
        flow.toggle(mode)
    assert window.ctx.session.prefs.language == "ja-easy"
    seen: dict[str, list[str]] = {}

    def shot(label: str) -> None:
        QApplication.processEvents()
        seen[label] = check_ruby(window)
        if window.size().toTuple() != size:  # the content needed more than the screen
            seen[label].append(f"window grew to {window.size().toTuple()}")
        window.save_screenshot(f"50-easy-{mode}-{size[0]}x{size[1]}-{label}")

    shot("welcome")
    flow.begin()
    qtbot.waitUntil(lambda: bool(window.ctx.statuses))
    window.screens.procedures.retranslate()
    shot("procedures")
    flow.choose_service("kokuho")
    shot("method")
    window.show_screen(window.screens.card_place)
    shot("card-place")
    window.ctx.session.card_tries = 2
    window.show_screen(window.screens.pin_entry)
    shot("pin-entry")
    window.ctx.session.service_id = "juminhyo"
    flow.next_question()
    shot("extra")
    with qtbot.waitSignal(flow.printed, timeout=10000):
        flow.answer("copies", "1")
        flow.answer("purpose", "work")
    shot("ticket")
    window.idle_overlay.set_left(12, window.ctx.texts)
    window.idle_overlay.open()
    shot("inactivity")
    window.idle_overlay.hide()
    assert {label: problems for label, problems in seen.items() if problems} == {}


def test_read_aloud_speaks_the_readings(make_kiosk: Any) -> None:
    window = make_kiosk(device="kiosk-3")
    window.flow.toggle("easy_japanese")
    window.flow.toggle("read_aloud")
    window.flow.begin()
    lang, text = window.ctx.speaker.said[-1]
    assert lang == "ja-easy" and text and not has_kanji(text)
