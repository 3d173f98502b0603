from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel

from madoguchi.qt.ruby_text import RubyLabel, qt_rich_text
from madoguchi.translations.furigana import message_segments


def test_rich_text_fallback_for_plain_labels() -> None:
    assert qt_rich_text("窓口へ") == "窓口<small>（まどぐち）</small>へ"


def test_ruby_label_draws_readings_above_and_wraps(qtbot, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    label = RubyLabel(message_segments("kiosk.card.pin.forgot_help"))
    label.setFont(QFont("Noto Sans CJK JP", 24))
    qtbot.addWidget(label)
    plain = QLabel(label.text())
    plain.setFont(label.font())
    qtbot.addWidget(plain)
    assert label.sizeHint().height() > plain.sizeHint().height()  # room for the furigana line
    one_line = label.heightForWidth(10_000)
    assert label.heightForWidth(200) > one_line  # wraps in a narrow column
    label.resize(420, label.heightForWidth(420))
    label.show()
    image = label.grab().toImage()
    assert not image.isNull()
    image.save(str(artifacts_dir / "translations_ruby_label.png"))
    label.setSegments("印鑑登録証明書")
    assert label.segments()[0] == ("印鑑", "いんかん")


def test_readings_travel_in_a_plain_string() -> None:
    from madoguchi.translations.ruby_markup import annotate, annotate_parens, has_ruby, parse, plain_text, spoken_text

    segments = [("受付", "うけつけ"), ("を する", None)]
    text = annotate(segments)
    assert has_ruby(text) and parse(text) == segments
    assert plain_text(text) == "受付を する" and spoken_text(text) == "うけつけを する"
    assert not has_ruby("Reception") and parse("Reception") == [("Reception", None)]
    # readings an administrator wrote the leaflet way
    written = annotate_parens("住民票（じゅうみんひょう）の 写し")
    assert parse(written) == [("住民票", "じゅうみんひょう"), ("の 写し", None)]


def test_ruby_size_follows_style_sheet_pixel_fonts_and_lines_keep_kinsoku(qtbot) -> None:  # type: ignore[no-untyped-def]
    from madoguchi.qt.ruby_text import RubyLayout, ruby_font

    font = QFont("Noto Sans CJK JP")
    font.setPixelSize(40)
    assert ruby_font(font).pixelSize() == 20
    layout = RubyLayout([("マイナンバーカード", None)], font)
    for width in range(60, 400, 20):
        for line in layout.lines(float(width))[1:]:
            assert line[0][0][0] not in "ーッャュョ", (width, line)
    with_reading = RubyLayout([("番号", "ばんごう"), ("を おして", None)], font)
    without = RubyLayout([("おして ください", None)], font)
    assert with_reading.height(10_000) > without.height(10_000)  # only lines with readings get the ruby band
