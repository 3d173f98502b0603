from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel

from translations.furigana import message_segments
from translations.qt_ruby import RubyLabel, qt_rich_text


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
