from __future__ import annotations

import json

import pytest

from madoguchi.translations.catalog import Catalogs
from madoguchi.translations.furigana import (
    EASY_READINGS_PATH,
    generate_catalog_readings,
    message_ruby_html,
    message_segments,
    paren_text,
    reading_text,
    readings,
    ruby_html,
    split_okurigana,
)


@pytest.mark.parametrize(
    ("text", "kana"),
    [
        ("出生届", "しゅっしょうとどけ"),
        ("住民票の写し", "じゅうみんひょうのうつし"),
        ("印鑑登録証明書", "いんかんとうろくしょうめいしょ"),
        ("転入届", "てんにゅうとどけ"),
        ("番号札", "ばんごうふだ"),  # fugashi says さつ: fixed by the override table
        ("日本語", "にほんご"),
    ],
)
def test_city_hall_terms_read_correctly(text: str, kana: str) -> None:
    assert reading_text(text) == kana


def test_okurigana_stays_outside_the_ruby() -> None:
    assert split_okurigana("写し", "うつし") == [("写", "うつ"), ("し", None)]
    assert ruby_html("住民票の写し") == (
        "<ruby>住民<rt>じゅうみん</rt></ruby><ruby>票<rt>ひょう</rt></ruby>の<ruby>写<rt>うつ</rt></ruby>し"
    )


def test_placeholders_are_kept_and_counters_read_as_counters() -> None:
    segments = readings("{count}人 まって います")
    assert segments[0] == ("{count}", None)
    assert ("人", "にん") in segments
    assert "".join(surface for surface, _ in segments) == "{count}人 まって います"


def test_paren_fallback_groups_neighbouring_words() -> None:
    assert paren_text("印鑑登録証明書") == "印鑑登録証明書（いんかんとうろくしょうめいしょ）"
    assert paren_text("カードを 読む") == "カードを 読（よ）む"


def test_html_is_escaped() -> None:
    assert ruby_html("<b>窓口</b>") == "&lt;b&gt;<ruby>窓口<rt>まどぐち</rt></ruby>&lt;/b&gt;"


def test_stored_readings_are_up_to_date_with_the_easy_catalog() -> None:
    """Fails when ja-easy.po changed without `python -m madoguchi.translations.tools readings`."""
    messages = Catalogs(strict=True).messages("ja-easy")
    stored = json.loads(EASY_READINGS_PATH.read_text(encoding="utf-8"))
    assert stored == generate_catalog_readings(messages)
    for msgid, segments in stored.items():
        assert "".join(surface for surface, _ in segments) == messages[msgid]


def test_every_kanji_in_easy_japanese_has_a_reading() -> None:
    from madoguchi.translations.furigana import has_kanji

    stored = json.loads(EASY_READINGS_PATH.read_text(encoding="utf-8"))
    for msgid, segments in stored.items():
        for surface, reading in segments:
            assert reading or not has_kanji(surface), (msgid, surface)


def test_message_ruby_fills_placeholders() -> None:
    html = message_ruby_html("kiosk.waiting.count", count=12)
    assert html == "12<ruby>人<rt>にん</rt></ruby> まって います"
    assert message_segments("board.counter", counter=3)[0] == ("3", None)


@pytest.mark.parametrize(
    ("count", "reading"), [(1, "ひとり"), (2, "ふたり"), (3, "3にん"), (12, "12にん"), (21, "21にん")]
)
def test_one_and_two_people_read_hitori_and_futari(count: int, reading: str) -> None:
    segments = message_segments("kiosk.ticket.people_ahead", count=count)
    assert reading_text(segments).endswith(reading)
    assert "".join(surface for surface, _ in segments).endswith(f"{count}人")


@pytest.mark.parametrize(
    ("minutes", "reading"), [(1, "ぷん"), (2, "ふん"), (3, "ぷん"), (5, "ふん"), (10, "ぷん"), (15, "ふん")]
)
def test_minutes_read_pun_or_fun_by_the_number(minutes: int, reading: str) -> None:
    segments = message_segments("conv.phrase.takes_minutes", minutes=minutes)
    assert ("分", reading) in segments
