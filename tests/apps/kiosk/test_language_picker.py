"""Every language name on the welcome screen is fully visible on the usual kiosk panels, in every display mode."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

SIZES = [(1920, 1080), (1280, 1024), (1080, 1920)]


def clipped(buttons: list[QPushButton]) -> list[str]:
    """Buttons narrower or lower than their text needs (a QPushButton cuts its label silently)."""
    return [
        f"{b.objectName()} {b.width()}x{b.height()} < {b.sizeHint().width()}x{b.sizeHint().height()}"
        for b in buttons
        if b.isVisible() and (b.width() < b.sizeHint().width() or b.height() < b.sizeHint().height())
    ]


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize(
    ("mode", "language"),
    [("normal", "ja"), ("normal", "pt-BR"), ("high_contrast", "vi"), ("large_text", "en"), ("large_text", "ja-easy")],
)
def test_language_names_are_never_clipped(make_kiosk: Any, width: int, height: int, mode: str, language: str) -> None:
    from madoguchi.translations.languages import LANGUAGES

    window = make_kiosk(device="kiosk-3")
    window.flow.set_language(language)
    if mode != "normal":
        window.flow.toggle(mode)
    window.resize(width, height)
    QApplication.processEvents()
    welcome = window.screens.welcome
    window.save_screenshot(f"40-languages-{width}x{height}-{mode}")
    for lang in LANGUAGES:
        button = welcome.language_buttons[lang.code]
        assert button.isVisible()
        assert button.text().replace("\n", " ") == lang.native_name  # whole, at most broken at a space
    assert clipped(list(welcome.language_buttons.values()) + list(welcome.toggles.values())) == []
    assert welcome.start.height() >= window.theme.touch_px
    assert window.width() == width and window.height() == height  # it fits: the window did not have to grow
    # Only large text on a panel under 1080 lines may need to scroll; the panels the kiosk is made for never do.
    scrolls = welcome.scroll_area.verticalScrollBar().isVisible()
    assert not scrolls or (mode == "large_text" and min(width, height) < 1080)
    if not scrolls:  # and nothing hangs out of the screen's bottom edge
        buttons = list(welcome.language_buttons.values()) + list(welcome.toggles.values())
        assert [b.objectName() for b in buttons if b.visibleRegion().boundingRect() != b.rect()] == []


def test_hall_name_gives_way_only_while_the_screen_is_full(qtbot: Any, make_kiosk: Any, printer_sim: Any) -> None:
    from madoguchi.devices.printer.worker_printer import WorkerPrinter

    window = make_kiosk(device="kiosk-3", printer=WorkerPrinter(printer_sim.url))  # it prints: no notice
    welcome = window.screens.welcome
    qtbot.waitUntil(lambda: window.ctx.status.printing, timeout=10000)
    QApplication.processEvents()
    assert not welcome.notice.isVisible()
    assert welcome.title.isVisible()
    window.flow.toggle("easy_japanese")
    window.flow.toggle("large_text")  # furigana and large text: the title's room goes to the buttons
    QApplication.processEvents()
    assert not welcome.title.isVisible() and window.hall_label.isVisible()
    window.flow.toggle("large_text")
    QApplication.processEvents()
    assert welcome.title.isVisible()
