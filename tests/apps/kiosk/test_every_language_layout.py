"""Every kiosk screen in every language at 1920×1080, 1080×1920 and 1280×1024, in normal and large text:
nothing cut, split inside a word, outside the screen or left as a message id.

The screens are set up directly (as the gallery does after one server round trip for the waiting counts), so
1,200 layouts take two or three minutes rather than twenty. Every layout is checked; a full set of screenshots
is saved for 1920×1080 in normal text in every language, and a sample of the other layouts, under
tests/artifacts/kiosk/all/ (every layout with MADOGUCHI_ALL_SHOTS=1).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QApplication, QLabel, QWidget

from madoguchi.apps.kiosk.demo_material import StubCard, StubScanner, sample_prefill_code
from madoguchi.apps.kiosk.kiosk_state import KioskStatus
from madoguchi.apps.kiosk.ruby_widgets import RubyButton, RubyTextLabel
from madoguchi.apps.kiosk.staff_call import CallState
from madoguchi.apps.kiosk.widgets import RichButton
from madoguchi.core import api_models as m
from madoguchi.devices.card.interface import CardData
from madoguchi.translations.languages import codes
from madoguchi.translations.line_breaking import NO_LINE_START, breaks, pieces
from madoguchi.translations.ruby_markup import plain_text

SIZES = ((1920, 1080), (1080, 1920), (1280, 1024))
READY = KioskStatus("ready", (), printing=True, hours=("08:30", "17:15"))
NO_PRINTING = KioskStatus("degraded", ("printer",), printing=False, hours=("08:30", "17:15"))
OUT_OF_SERVICE = KioskStatus("out_of_service", ("printer",), hours=("08:30", "17:15"))
CLOSED = KioskStatus("closed", ("hours",), True, ("08:30", "17:15"), None)
CARD = CardData("見本　太郎", "東京都みどり市中央1-2-3", dt.date(1980, 2, 17), "male", None)
# screenshots of every screen for these (size, large text); the rest are checked without a picture, unless
# MADOGUCHI_ALL_SHOTS=1 asks for all 1,200 (a minute more; for a review of every language and layout)
ALL_SHOTS = os.environ.get("MADOGUCHI_ALL_SHOTS") == "1"
SAVED = {((1920, 1080), False): set(codes())}
SAVED |= {((1920, 1080), True): {"ja", "ja-easy", "pt-BR", "ne"}}
SAVED |= {((1080, 1920), False): {"ja", "en", "vi"}, ((1080, 1920), True): {"ja-easy", "tl"}}
SAVED |= {((1280, 1024), False): {"zh-Hans", "ko", "es"}, ((1280, 1024), True): {"ja", "ne"}}


Step = Callable[[str], object]


def set_state(window: Any, status: KioskStatus) -> None:
    window.ctx.status = status
    window.flow.monitor.changed.emit(status)


def issued_ticket(route: tuple[str, ...] = ()) -> m.IssuedTicket:
    """A sample answer of the server: a ticket for 住民票, or with ``route`` one for a visit (its first step now)."""
    steps = [m.RouteStep(service_id=sid, state="current" if i == 0 else "pending") for i, sid in enumerate(route)]
    view = m.TicketView(
        id=7,
        number="D-021" if route else "A-015",
        day="2026-12-07",
        service_id=route[0] if route else "juminhyo",
        state="waiting",
        language="ja",
        source="touch",
        issued_at="2026-12-07T10:15:00+09:00",
        route=steps,
    )
    return m.IssuedTicket(
        ticket=view,
        people_ahead=4 if route else 3,
        estimate=m.Estimate(low_min=18, mid_min=22, high_min=27),
        route_estimate=m.Estimate(low_min=40, mid_min=55, high_min=70) if route else None,
        token="t",
        status_url="https://h.jp/t/xyz",
    )


def _clipped(widget: QWidget) -> bool:
    """Inside a scroll area: may lie outside the screen (it scrolls into view)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _text(widget: QWidget) -> str:
    if isinstance(widget, RichButton):
        return ""  # its lines are labels of their own
    return plain_text(widget.text()) if isinstance(widget, QLabel | QAbstractButton) else ""


def _cjk_split(label: RubyTextLabel, lang: str) -> str | None:
    """A line that starts inside a phrase (unless that phrase is wider than the whole line) or with 。」・."""
    text = label.text()
    lines = [line for line in label.line_texts() if line]
    rule = "ja" if lang == "ja-easy" else lang
    allowed = set(breaks(text, rule)) | {m.end() for m in re.finditer(r"\s+", text)}
    offset = 0
    for line, following in itertools.pairwise(lines):
        offset = text.index(following, offset + len(line))  # where the next line starts in the text
        if following[:1] in NO_LINE_START:
            return f"line starts with {following[:1]!r}: {lines}"
        if offset not in allowed:
            start = 0
            for piece in pieces(text, rule):
                if start < offset < start + len(piece):
                    width = label.fontMetrics().horizontalAdvance(piece)
                    if width <= label.contentsRect().width():
                        return f"split inside {piece!r}: {lines}"
                start += len(piece)
    return None


def layout_problems(window: QWidget, lang: str) -> list[str]:
    problems = []
    screen = window.rect()
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, QLabel | QAbstractButton):
            continue
        text = _text(widget)
        if not text.strip():
            continue
        name = f"{type(widget).__name__} {text[:40]!r}"
        if re.match(r"^[a-z_]+\.[a-z_.]+$", text):
            problems.append(f"message id shown: {name}")
        rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        if not _clipped(widget) and not screen.contains(rect):
            problems.append(f"off the screen: {name} {rect}")
        fixed = widget.minimumHeight() == widget.maximumHeight()  # the ticket number: tightened on purpose
        if (
            isinstance(widget, QLabel)
            and widget.wordWrap()
            and not fixed
            and widget.height() + 1 < widget.heightForWidth(widget.width())
        ):
            problems.append(f"cut: {name} {widget.height()} < {widget.heightForWidth(widget.width())}")
        if isinstance(widget, RubyButton) and not isinstance(widget, RichButton):
            hint = widget.sizeHint()
            if widget.width() + 1 < hint.width() or widget.height() + 1 < hint.height():
                problems.append(f"button cut: {name} {widget.size().toTuple()} < {hint.toTuple()}")
        laid_out_here = isinstance(widget, RubyTextLabel) and widget.line_texts() != [widget.text()]
        if laid_out_here:
            split = _cjk_split(widget, lang)
            if split:
                problems.append(f"{name}: {split}")
        elif isinstance(widget, QLabel) and widget.wordWrap():
            metrics = widget.fontMetrics()
            width = widget.contentsRect().width()
            for word in re.split(r"\s+|(?<=-)", text):
                if metrics.horizontalAdvance(word) > width + 1:
                    problems.append(f"word wider than its label: {name} {word!r}")
    return problems


def _steps(window: Any, kiosk_config: Any) -> tuple[Callable[[str, bool], None], list[tuple[str, Step]]]:
    """How to set the kiosk up for a language, and how to bring up each screen and overlay."""
    flow, s, screens = window.flow, window.ctx.session, window.screens

    def prepare(lang: str, large: bool) -> None:
        set_state(window, READY)
        flow.go_welcome()
        s.prefs.language, s.prefs.large_text = lang, large
        window.apply_preferences()

    def code_confirm(lang: str) -> None:
        s.service_id = "juminhyo"
        window.show_screen(screens.code_scan, speak=False)
        flow.on_code(sample_prefill_code(kiosk_config, language=lang))

    def staff_call() -> None:
        window.idle_overlay.hide()
        window.show_staff_call()
        flow.staff_call._set(CallState.NOBODY)  # the longest of its messages

    def out_of_service_in_flow() -> None:
        window.staff_overlay.hide()
        s.service_id = "kokuho"
        window.show_screen(screens.method, speak=False)
        set_state(window, OUT_OF_SERVICE)  # a resident half-way is told at once

    steps: list[tuple[str, Step]] = [
        ("01-welcome", lambda lang: window.show_screen(screens.welcome, speak=False)),
        ("02-welcome-no-printing", lambda lang: set_state(window, NO_PRINTING)),
        ("03-procedures", lambda lang: (set_state(window, READY), window.show_screen(screens.procedures, speak=False))),
        (
            "04-method",
            lambda lang: (setattr(s, "service_id", "kokuho"), window.show_screen(screens.method, speak=False)),
        ),
        ("05-card-place", lambda lang: window.show_screen(screens.card_place, speak=False)),
        (
            "06-pin-entry",
            lambda lang: (setattr(s, "card_tries", 1), window.show_screen(screens.pin_entry, speak=False)),
        ),
        ("07-card-reading", lambda lang: window.show_screen(screens.card_reading, speak=False)),
        (
            "08-card-confirm",
            lambda lang: (s.fill_from_card(CARD, {"name": CARD.name}), window.show_screen(screens.card_confirm)),
        ),
        ("09-card-take", lambda lang: (window.show_screen(screens.card_take, speak=False), s.drop_card_data())),
        (
            "10-code-scan",
            lambda lang: (
                window.show_screen(screens.code_scan, speak=False),
                screens.code_scan.show_message("payload.error.form_changed"),
            ),
        ),
        ("11-code-confirm", code_confirm),
        ("12-extra", lambda lang: (setattr(s, "service_id", "juminhyo"), s.form.clear(), flow.next_question())),
        ("13-issuing", lambda lang: window.show_screen(screens.issuing, speak=False)),
        (
            "14-ticket",
            lambda lang: (
                setattr(s, "issued", issued_ticket()),
                window.show_screen(screens.ticket, speak=False),
                screens.ticket.set_print_result("failed", "printer.error.paper_out"),
            ),
        ),
        ("15-message", lambda lang: flow._card_locked()),
        ("16-inactivity", lambda lang: (window.idle_overlay.set_left(9, window.ctx.texts), window.idle_overlay.open())),
        ("17-staff-call", lambda lang: staff_call()),
        ("18-out-of-service-in-flow", lambda lang: out_of_service_in_flow()),
        ("19-out-of-service", lambda lang: flow.go_welcome()),  # what the next resident walking up sees
        ("20-closed", lambda lang: set_state(window, CLOSED)),
    ]
    return prepare, steps


def test_every_screen_in_every_language_and_layout(qtbot: Any, make_kiosk: Any, shots: Any, kiosk_config: Any) -> None:
    folder = shots / "all"
    folder.mkdir(exist_ok=True)
    for old_shot in folder.glob("*.png"):
        old_shot.unlink()

    def settle() -> None:
        for _ in range(4):
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            QApplication.processEvents()

    problems: dict[str, list[str]] = {}
    checked = saved = 0
    for size in SIZES:
        # A kiosk of its own per screen size: a kiosk never turns from portrait to landscape while it runs.
        window = make_kiosk(card=StubCard(), scanner=StubScanner(), device="kiosk-3", state_poll_seconds=3600)
        window.resize(*size)
        window.flow.begin()
        qtbot.waitUntil(lambda w=window: bool(w.ctx.statuses))  # the one server round trip: real waiting counts
        prepare, steps = _steps(window, kiosk_config)
        for large in (False, True):
            for lang in codes():
                prepare(lang, large)
                save = ALL_SHOTS or lang in SAVED.get((size, large), set())
                for label, show in steps:
                    window.resize(*size)  # a screen that grew the window is reported once, not for the next ones
                    show(lang)
                    settle()
                    checked += 1
                    key = f"{size[0]}x{size[1]}-{'large' if large else 'normal'}-{lang}-{label}"
                    found = layout_problems(window, lang)
                    if window.size().toTuple() != size:
                        found.append(f"window grew to {window.size().toTuple()}")
                    if found:
                        problems[key] = found
                    if save or found:
                        window.grab().save(str(folder / f"{key}.png"))
                        saved += 1
                window.staff_overlay.hide()
        window.close()
    print(f"\n{checked} layouts checked, {saved} screenshots in {folder}")
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
