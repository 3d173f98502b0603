from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageOps

from madoguchi.devices.printer.fonts import covers, font_chain, missing_glyphs, split_runs
from madoguchi.devices.printer.profiles import PROFILES, get_profile
from madoguchi.devices.printer.sim_harness import LANGUAGE_SAMPLES, sample_content
from madoguchi.devices.printer.ticket_layout import (
    SCRIPT_SAMPLES,
    TicketContent,
    TicketKind,
    render_test_page,
    render_ticket,
)

SHIPPED = ["ja", "en", "zh-Hans", "ko", "pt-BR", "es", "vi", "tl", "ne", "ja-easy"]


def _texts(content: TicketContent) -> list[str]:
    return [
        content.hall_name,
        content.number,
        content.service_name_ja,
        content.service_name_local,
        content.people_ahead,
        content.estimate,
        content.issued_at,
        content.guidance,
        content.number_label,
        content.qr_caption,
        content.reprint_label,
    ]


def test_samples_cover_every_shipped_language() -> None:
    assert sorted(LANGUAGE_SAMPLES) == sorted(SHIPPED) == sorted(SCRIPT_SAMPLES)


@pytest.mark.parametrize("language", SHIPPED)
def test_every_language_renders_without_tofu(language: str, printer_artifacts: Path) -> None:
    content = sample_content(language)
    for text in _texts(content):
        assert missing_glyphs(text, language) == [], text
        for face, run in split_runs(text, font_chain(language)):
            # Each run is drawn with a font that has every visible character of it.
            assert all(c.isspace() or covers(face, c) for c in run), (face, run)
    ticket = render_ticket(content, get_profile("TM-T20II"))
    ticket.image.save(printer_artifacts / f"ticket-{language}.png")
    assert ticket.image.mode == "1"


def test_nepali_uses_a_devanagari_font() -> None:
    runs = split_runs("बसोबास प्रमाणपत्र", font_chain("ne"))
    assert len(runs) == 1
    assert "Devanagari" in runs[0][0].path


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_width_comes_from_the_profile(name: str, content: TicketContent) -> None:
    profile = get_profile(name)
    ticket = render_ticket(content, profile)
    assert ticket.image.width == profile.width_dots
    assert ticket.image.height % 8 == 0


@pytest.mark.parametrize("language", SHIPPED)
def test_ticket_job_at_576_dots_stays_under_75_kb_and_15_cm(language: str) -> None:
    # What is sent: the raster around the printer's own QR code. With the example hall's real texts, text of
    # 4 mm (a kanji's ink 3.5 mm) and where to wait, tickets run from 105 mm (Chinese) to 147 mm (Tagalog);
    # Japanese 121 mm, ~58 KB. Main's bound (a 60 KB image, ~107 mm) held only for its short sample texts.
    from madoguchi.devices.printer.escpos_output import build_ticket_job

    content = sample_content(language)
    profile = get_profile("TM-T20II")
    ticket = render_ticket(content, profile)
    assert content.wait_area
    assert len(build_ticket_job(ticket, profile).data) <= 75 * 1024
    assert profile.mm(ticket.image.height) <= 150


def test_number_is_as_wide_as_the_paper_allows(content: TicketContent) -> None:
    image = render_ticket(content, get_profile("TM-T20II")).image
    widths = []
    for y in range(image.height):
        row = image.crop((0, y, image.width, y + 1)).point(lambda v: 255 - v).getbbox()
        if row:
            widths.append((row[2] - row[0], y))
    # The widest ink (apart from rules) is the number, spanning most of the printable width.
    number_rows = [w for w, y in widths if 100 < y < 300]
    assert max(number_rows) > 0.8 * image.width


def test_qr_in_the_image_decodes_to_the_status_url(content: TicketContent) -> None:
    ticket = render_ticket(content, get_profile("TM-T88V"))
    assert ticket.qr is not None
    found = zxingcpp.read_barcodes(ticket.image.convert("L"))
    assert [r.text for r in found] == [content.status_url]


def test_reprint_is_marked_with_a_black_banner(content: TicketContent, printer_artifacts: Path) -> None:
    profile = get_profile("TM-T20II")
    normal = render_ticket(content, profile)
    reprint = render_ticket(content, profile, reprint=True)
    reprint.image.save(printer_artifacts / "ticket-reprint.png")
    assert reprint.kind is TicketKind.REPRINT and normal.kind is TicketKind.TICKET
    # The banner's left edge is solid black where a normal ticket is blank.
    assert [reprint.image.getpixel((2, y)) for y in range(20, 30)] == [0] * 10
    assert [normal.image.getpixel((2, y)) for y in range(20, 30)] == [1] * 10
    assert reprint.image.height > normal.image.height


def test_test_page_shows_every_script(printer_artifacts: Path) -> None:
    profile = get_profile("TM-T88V")
    page = render_test_page(profile, "tcp 127.0.0.1:9100", "2026-11-28 10:15", "tcp://127.0.0.1:9100")
    page.image.save(printer_artifacts / "test-page.png")
    assert page.kind is TicketKind.TEST_PAGE
    for language, sample in SCRIPT_SAMPLES.items():
        assert missing_glyphs(sample, language) == []
    # the frame marks the outermost printable dots
    assert page.image.getpixel((0, page.image.height // 2)) == 0
    assert page.image.getpixel((profile.width_dots - 1, page.image.height // 2)) == 0


def test_the_preview_is_the_printed_image(content: TicketContent) -> None:
    ticket = render_ticket(content, get_profile("58mm"))
    assert isinstance(ticket.image, Image.Image)
    assert ticket.qr is not None and ticket.qr.top + ticket.qr.size < ticket.image.height


def test_long_text_wraps_inside_the_margins() -> None:
    from madoguchi.devices.printer.text_lines import TextStyle, measure, wrap

    style = TextStyle("tl", 24)
    text = "Pakihintay po ang pagtawag sa inyong numero bago lumapit sa bintana ng serbisyo " * 3
    lines = wrap(text, style, 400)
    assert len(lines) > 3 and all(measure(line, style) <= 400 for line in lines)
    ja = wrap("番号が呼ばれたら窓口へお越しください。" * 4, TextStyle("ja", 24), 300)
    assert all(not line.startswith(("。", "、")) for line in ja)
    assert all(measure(line, TextStyle("ja", 24)) <= 300 for line in ja)


@pytest.mark.parametrize("language", SHIPPED)
def test_every_line_a_resident_reads_is_at_least_3_5_mm_high(language: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from madoguchi.devices.printer import ticket_layout
    from madoguchi.devices.printer.text_lines import TextStyle

    drawn: list[tuple[str, TextStyle]] = []
    real = ticket_layout.draw_wrapped

    def record(draw, text, style, *args, **kwargs):  # type: ignore[no-untyped-def]
        drawn.append((text, style))
        return real(draw, text, style, *args, **kwargs)

    monkeypatch.setattr(ticket_layout, "draw_wrapped", record)
    profile = get_profile("TM-T20II")
    content = sample_content(language)
    render_ticket(content, profile)
    texts = {text for text, _ in drawn}
    assert {content.guidance, content.qr_caption, content.wait_area, content.people_ahead} <= texts
    for text, style in drawn:
        assert profile.mm(style.size) >= 3.5, (text, style.size)
        if style.language in ("ja", "ja-easy", "zh-Hans", "ko"):
            ink = style.primary().getbbox("番" if style.language != "ko" else "한")
            assert profile.mm(ink[3] - ink[1]) >= 3.5, (text, style.size)


def test_printed_lines_break_between_phrases_only() -> None:
    from madoguchi.devices.printer.text_lines import TextStyle, wrap
    from madoguchi.translations.line_breaking import NO_LINE_START, breaks

    texts = ("呼ばれるまでこの番号札をお持ちください", "住民票の写し・記載事項証明書の交付", "待ち時間の目安：15〜30分")
    for text in texts:
        for width in (300, 400, 528):  # every phrase fits: up to 9 characters of 32 dots
            lines = wrap(text, TextStyle("ja", 32), width)
            assert "".join(lines) == text
            allowed = set(breaks(text, "ja"))
            cut = 0
            for line in lines[:-1]:
                cut += len(line)
                assert cut in allowed, (text, width, lines)
            assert all(line[0] not in NO_LINE_START for line in lines), lines
    # A phrase wider than the paper starts its own line and only then is cut between characters.
    cut = wrap("番号 マイナンバーカード交付", TextStyle("ja", 32), 170)
    assert cut[0] == "番号" and "".join(cut[1:]) == "マイナンバーカード交付"
    assert all(line[0] not in NO_LINE_START for line in cut)


@pytest.mark.parametrize("language", ["ja", "pt-BR", "ne"])
def test_a_visit_prints_its_route_within_the_paper(language: str, printer_artifacts: Path) -> None:
    """One number, the steps numbered with where each is (the first marked), the whole visit's wait: every glyph
    there, nothing past the margins, every line at least 3.5 mm, and a ticket still short enough to hand."""
    import dataclasses

    from madoguchi.devices.printer.ticket_layout import RouteLine

    plain = sample_content(language)
    place = "窓口 4・5・6・8　1階 市民課の待合ロビー" if language == "ja" else "Guichês 4, 5, 6, 8 – 1F, área de espera"
    route = (
        RouteLine("1  転入届", "" if language == "ja" else "Notificação de entrada (mudança)", place, now="▶"),
        RouteLine("2  国民健康保険", "" if language == "ja" else "Seguro Nacional de Saúde", place),
        RouteLine("3  児童手当", "" if language == "ja" else "Abono infantil", place),
    )
    visit = dataclasses.replace(
        plain,
        route_heading="手続きの順番（3件）",
        route=route,
        route_estimate="すべての手続きが終わるまでの目安：40〜70分",
        route_note="1つの窓口が終わると、同じ番号で次の窓口の順番に並びます",
        wait_area="",
    )
    for line in route:
        for text in (line.step, line.now, line.name_local, line.place):
            assert missing_glyphs(text, language) == [] and missing_glyphs(text, "ja") == [], text
    profile = get_profile("TM-T20II")
    ticket = render_ticket(visit, profile)
    ticket.image.save(printer_artifacts / f"ticket-visit-{language}.png")
    assert ticket.image.width == profile.width_dots
    margin = max(8, profile.width_dots // 24)
    box = ImageOps.invert(ticket.image.convert("L")).getbbox()  # the ink's extent (rules run margin to margin)
    assert box is not None and box[0] >= margin - 1 and box[2] <= profile.width_dots - margin + 1
    assert ticket.image.height > render_ticket(plain, profile).image.height
    assert profile.mm(ticket.image.height) <= 250  # three steps add ~6 cm to the 10–15 cm of a ticket
    found = zxingcpp.read_barcodes(ticket.image.convert("L"))
    assert [r.text for r in found] == [visit.status_url]
