"""Ticket layouts rendered with Pillow: the resident's ticket, a marked reprint, and the installer test page.

The input is already localised text (``TicketContent``); lines break where ``translations.line_breaking``
allows (``text_lines``). The result is a 1-bit image as wide as the printer profile; the kiosk shows the same
image as its preview. Every line a resident reads is set at least ``MIN_TEXT_MM`` high (the font's em), so
even the ink of a kanji is 3.5 mm; the number stays as wide as the paper allows.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum

from PIL import Image, ImageDraw

from madoguchi.devices.printer.profiles import PrinterProfile
from madoguchi.devices.printer.qr_image import QrErrorCorrection, qr_image
from madoguchi.devices.printer.text_lines import (
    TextStyle,
    baseline_offset,
    draw_line,
    draw_wrapped,
    line_height,
    measure,
)

WHITE = 1
BLACK = 0
QR_EC = QrErrorCorrection.M
#: the smallest text on a resident's ticket, as the font's em: a kanji's ink is ~0.93 em, so ≥ 3.5 mm
MIN_TEXT_MM = 4.0
#: Devanagari's letters sit in ~0.62 em (Latin capitals ~0.73): Nepali lines are set larger to read alike
SCRIPT_SCALE = {"ne": 1.2}


class TicketKind(StrEnum):
    TICKET = "ticket"
    REPRINT = "reprint"
    TEST_PAGE = "test_page"


@dataclass(frozen=True)
class TicketContent:
    """Everything printed on a ticket, already in the right language(s). Empty strings are not drawn."""

    hall_name: str
    number: str  # "A-015"
    service_name_ja: str
    service_name_local: str  # in the resident's language; same as ja (or "") for Japanese residents
    people_ahead: str  # "あなたの前に 3 人 / 3 people ahead"
    estimate: str  # "20〜30分"
    status_url: str  # phone-status page, printed as the QR code
    issued_at: str  # "2026年11月28日 10:15"
    guidance: str  # short line: "番号が呼ばれたら窓口へお越しください"
    language: str = "ja"
    number_label: str = ""  # "受付番号"
    qr_caption: str = ""  # "スマートフォンで順番を確認できます"
    reprint_label: str = "再発行 / REPRINT"
    wait_area: str = ""  # where to wait: "1階 市民課の待合ロビーでお待ちください"
    #: a visit of several procedures: "手続きの順番（3件）", its steps in order, the whole visit's wait and what
    #: happens after each counter (empty for a ticket of one procedure)
    route_heading: str = ""
    route: tuple[RouteLine, ...] = ()
    route_estimate: str = ""
    route_note: str = ""


@dataclass(frozen=True)
class RouteLine:
    """One step of a visit as printed: "▶ 1 転入届", its name in the resident's language, where it is."""

    step: str  # "1  転入届"
    name_local: str  # "" when the same as the Japanese
    place: str  # "窓口 4・5・6・8　1階 市民課の待合ロビー"
    now: str = ""  # "▶" on the step the ticket waits for now (its line is bold)


@dataclass(frozen=True)
class QrPlacement:
    """Where the QR code sits in the image; lets the ESC/POS builder print it natively in the same place."""

    payload: str
    top: int
    left: int
    module_px: int
    modules: int
    ec: QrErrorCorrection

    @property
    def size(self) -> int:
        return self.module_px * self.modules


@dataclass(frozen=True)
class RenderedTicket:
    image: Image.Image  # mode "1", width == profile.width_dots
    kind: TicketKind
    qr: QrPlacement | None


class _Canvas:
    """A tall white page we draw down and crop at the end."""

    def __init__(self, profile: PrinterProfile) -> None:
        self.profile = profile
        self.width = profile.width_dots
        self.margin = max(8, self.width // 24)
        self.image = Image.new("1", (self.width, 3000), WHITE)
        self.draw = ImageDraw.Draw(self.image)
        self.y = self.margin // 2
        self.qr: QrPlacement | None = None

    def px(self, fraction_of_width: float) -> int:
        return max(12, round(self.width * fraction_of_width))

    @property
    def min_text_px(self) -> int:
        return round(MIN_TEXT_MM * self.profile.dots_per_mm)

    def text_px(self, fraction_of_width: float, language: str) -> int:
        """The size of a line a resident reads: relative to the paper, never under ``MIN_TEXT_MM``."""
        return round(max(self.px(fraction_of_width), self.min_text_px) * SCRIPT_SCALE.get(language, 1.0))

    def text(self, text: str, language: str, rel_size: float, bold: bool = False) -> None:
        if text:
            style = TextStyle(language, self.text_px(rel_size, language), bold)
            self.y = draw_wrapped(self.draw, text, style, self.y, self.width, self.margin)

    def gap(self, fraction_of_width: float) -> None:
        self.y += round(self.width * fraction_of_width)

    def rule(self) -> None:
        thickness = max(2, self.width // 192)
        self.draw.rectangle((self.margin, self.y, self.width - self.margin - 1, self.y + thickness - 1), BLACK)
        self.y += thickness + self.width // 48

    def banner(self, text: str, language: str) -> None:
        style = TextStyle(language, self.px(0.055), bold=True)
        top = self.y
        height = line_height(style) + self.width // 48
        self.draw.rectangle((0, top, self.width - 1, top + height - 1), BLACK)
        draw_line(self.draw, text, style, top + self.width // 96, self.width, fill=WHITE)
        self.y = top + height + self.width // 48

    def big_number(self, number: str, language: str) -> None:
        size = _fit_size(number, language, self.width - 2 * self.margin, cap=self.width // 2)
        style = TextStyle(language, size, bold=True)
        font = style.primary()
        # Tight vertical box: big digits carry a lot of empty ascent/descent in the font metrics.
        _, top, _, bottom = font.getbbox(number, anchor="ls")
        baseline = self.y - int(top)
        draw_line(self.draw, number, style, baseline - baseline_offset(style), self.width)
        self.y = baseline + int(bottom) + self.width // 40

    def qr_code(self, payload: str) -> None:
        if not payload:
            return
        # ~0.6 mm modules: readable by any phone camera while keeping the ticket short.
        module_px = max(3, round(0.6 * self.profile.dots_per_mm))
        code = qr_image(payload, module_px, QR_EC)
        left = (self.width - code.width) // 2
        # A quiet zone of 4 modules above and below is part of the image, so a native QR needs none.
        self.y += 4 * module_px
        self.image.paste(code, (left, self.y))
        self.qr = QrPlacement(payload, self.y, left, module_px, code.width // module_px, QR_EC)
        self.y += code.height + 2 * module_px

    def finish(self, kind: TicketKind) -> RenderedTicket:
        height = self.y + self.margin
        height += (-height) % 8  # whole bytes vertically keeps fragmenting simple
        return RenderedTicket(self.image.crop((0, 0, self.width, height)), kind, self.qr)


def _fit_size(text: str, language: str, max_width: int, cap: int) -> int:
    """Largest bold font size at which ``text`` fits ``max_width`` (capped for very short numbers).

    Sized on a template with every digit replaced by the widest one, so all numbers of a service share one
    size (and one cached font object) and the size does not jump from A-011 to A-012.
    """
    template = re.sub(r"[0-9]", _widest_digit(language), text)
    size = _fit_template(template, language, max_width, cap)
    while size > 12 and measure(text, TextStyle(language, size, bold=True)) > max_width:
        size -= 2
    return size


@functools.lru_cache(maxsize=8)
def _widest_digit(language: str) -> str:
    style = TextStyle(language, 100, bold=True)
    return max("0123456789", key=lambda d: measure(d, style))


@functools.lru_cache(maxsize=256)
def _fit_template(text: str, language: str, max_width: int, cap: int) -> int:
    probe = 100
    width = measure(text, TextStyle(language, probe, bold=True)) or 1.0
    size = min(cap, int(probe * max_width / width))
    while size > 12 and measure(text, TextStyle(language, size, bold=True)) > max_width:
        size -= 2
    return size


def render_ticket(content: TicketContent, profile: PrinterProfile, reprint: bool = False) -> RenderedTicket:
    """Render the resident's ticket (or its marked reprint) at the profile's width."""
    c = _Canvas(profile)
    if reprint:
        c.banner(content.reprint_label, content.language)
    c.text(content.hall_name, "ja", 0.045)
    c.rule()
    c.text(content.number_label, content.language, 0.045)
    c.big_number(content.number, "ja")
    if content.route:
        _route(c, content)
    else:
        c.text(content.service_name_ja, "ja", 0.06, bold=True)
        if content.service_name_local and content.service_name_local != content.service_name_ja:
            c.text(content.service_name_local, content.language, 0.05)
        c.gap(0.015)
    c.text(content.people_ahead, content.language, 0.05)
    c.text(content.estimate, content.language, 0.05, bold=True)
    c.text(content.route_estimate, content.language, 0.05, bold=True)
    c.text(content.wait_area, content.language, 0.05, bold=True)
    c.text(content.route_note, content.language, 0.04)
    c.qr_code(content.status_url)
    c.text(content.qr_caption, content.language, 0.04)
    c.gap(0.01)
    c.text(content.guidance, content.language, 0.04)
    c.rule()
    c.text(content.issued_at, content.language, 0.04)
    return c.finish(TicketKind.REPRINT if reprint else TicketKind.TICKET)


def _route(c: _Canvas, content: TicketContent) -> None:
    """The visit's steps, numbered, each with where it is; the step now in bold with its mark."""
    c.text(content.route_heading, content.language, 0.05)
    for line in content.route:
        c.gap(0.008)
        c.text(f"{line.now} {line.step}" if line.now else line.step, "ja", 0.055, bold=bool(line.now))
        c.text(line.name_local, content.language, 0.045)
        c.text(line.place, content.language, 0.045)
    c.rule()


def warm_up(profile: PrinterProfile, languages: tuple[str, ...] = ("ja", "en", "ne")) -> None:
    """Load fonts and glyph tables (~1 s) so the first resident's ticket renders in milliseconds.

    Call once at kiosk start, off the UI thread.
    """
    for language in languages:
        render_ticket(
            TicketContent("窓口", "A-000", "住民票", "Aa", "0", "0", "https://example.invalid/t", "0", "0", language),
            profile,
        )


# One sample line per shipped language script, used by the test page so an installer sees every script print.
SCRIPT_SAMPLES: dict[str, str] = {
    "ja": "日本語 ひらがな カタカナ",
    "en": "English ABC abc 0123456789",
    "zh-Hans": "简体中文 请稍候",
    "ko": "한국어 잠시 기다려 주세요",
    "pt-BR": "Português: aguarde, ação",
    "es": "Español: espere, ñ ¿?",
    "vi": "Tiếng Việt: vui lòng chờ",
    "tl": "Tagalog: pakihintay po",
    "ne": "नेपाली: कृपया पर्खनुहोस्",
    "ja-easy": "やさしい にほんご",
}


def render_test_page(profile: PrinterProfile, device: str, when: str, qr_payload: str) -> RenderedTicket:
    """Installer test page: profile, a frame at the printable edge, a mm ruler, every script, and a QR."""
    c = _Canvas(profile)
    c.banner("テスト印刷 / TEST PAGE", "ja")
    c.text(f"{profile.name}  {profile.width_dots} dots  {profile.dpi} dpi", "en", 0.045, bold=True)
    c.text(device, "en", 0.04)
    c.text(when, "en", 0.04)
    c.rule()
    _ruler(c)
    for language, sample in SCRIPT_SAMPLES.items():
        c.text(sample, language, 0.045)
    c.qr_code(qr_payload)
    c.text("QR: " + qr_payload, "en", 0.035)
    page = c.finish(TicketKind.TEST_PAGE)
    # Frame on the outermost dots: if a side is missing on paper, the profile width is wrong for this model.
    ImageDraw.Draw(page.image).rectangle((0, 0, profile.width_dots - 1, page.image.height - 1), outline=BLACK)
    return page


def _ruler(c: _Canvas) -> None:
    per_mm = c.profile.dots_per_mm
    top = c.y
    mm = 0
    while round(mm * per_mm) < c.width:
        x = min(c.width - 1, round(mm * per_mm))
        tick = 24 if mm % 10 == 0 else (14 if mm % 5 == 0 else 7)
        c.draw.line((x, top, x, top + tick), fill=BLACK)
        mm += 1
    c.y = top + 30
    label = TextStyle("en", c.px(0.03))
    for cm in range(0, int(c.width / per_mm / 10) + 1):
        x = round(cm * 10 * per_mm)
        text = f"{cm * 10}"
        if x + measure(text, label) < c.width:
            c.draw.text((x + 2, c.y), text, font=label.primary(), fill=BLACK)
    c.y += line_height(label) + 6
