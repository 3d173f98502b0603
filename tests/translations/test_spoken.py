"""Numbers as each language says them: ticket numbers, counters, counts (the text handed to the voice)."""

from __future__ import annotations

import pytest

from madoguchi.translations.spoken import (
    chinese_number,
    speakable,
    spoken_counter,
    spoken_ticket_number,
    tagalog_number,
    vietnamese_number,
)


@pytest.mark.parametrize(
    ("lang", "number", "expected"),
    [
        ("ja", "A-006", "エー 6"),  # the voice says エー ロク: a number, not ゼロ ゼロ ロク
        ("ja-easy", "B-203", "ビー 203"),
        ("en", "A-006", "A 6"),  # "A six", never "A minus zero zero six"
        ("ko", "A-015", "A 15"),
        ("zh-Hans", "C-106", "C 一百零六"),
        ("vi", "A-015", "A mười lăm"),
        ("tl", "A-006", "ey anim"),
        ("ne", "A-006", "A ६"),  # Devanagari digits: espeak-ng reads them in Nepali (Latin ones in English)
        ("en", "A-000", "A 0"),
    ],
)
def test_ticket_numbers_are_a_letter_and_a_number(lang: str, number: str, expected: str) -> None:
    assert spoken_ticket_number(lang, number) == expected


def test_counters_are_numbers() -> None:
    assert spoken_counter("ja", 12) == "12"
    assert spoken_counter("tl", 12) == "labindalawa"
    assert spoken_counter("zh-Hans", "03") == "三"
    assert spoken_counter("ne", 3) == "३"
    assert spoken_counter("ja", "C") == "シー"


@pytest.mark.parametrize(
    ("n", "zh", "vi", "tl"),
    [
        (0, "零", "không", "sero"),
        (6, "六", "sáu", "anim"),
        (10, "十", "mười", "sampu"),
        (15, "十五", "mười lăm", "labinlima"),
        (21, "二十一", "hai mươi mốt", "dalawampu at isa"),
        (106, "一百零六", "một trăm linh sáu", "isang daan at anim"),
        (110, "一百一十", "một trăm mười", "isang daan at sampu"),
        (400, "四百", "bốn trăm", "apat na raan"),
        (1005, "一千零五", "một nghìn không trăm linh năm", "isang libo at lima"),
        (2300, "两千三百", "hai nghìn ba trăm", "dalawang libo tatlong daan"),
    ],
)
def test_number_words(n: int, zh: str, vi: str, tl: str) -> None:
    assert (chinese_number(n), vietnamese_number(n), tagalog_number(n)) == (zh, vi, tl)


def test_speakable_rewrites_the_numbers_in_a_sentence_only_where_the_voice_needs_it() -> None:
    assert speakable("ne", "तपाईंभन्दा अगाडि: 12 जना") == "तपाईंभन्दा अगाडि: १२ जना"
    assert speakable("zh-Hans", "您前面还有106人") == "您前面还有一百零六人"
    assert speakable("tl", "Mga nauuna sa inyo: 3") == "Mga nauuna sa inyo: tatlo"
    assert speakable("en", "People ahead of you: 3") == "People ahead of you: 3"  # espeak-ng says "three"
    assert speakable("ja", "あなたの前に3人") == "あなたの前に3人"  # pyopenjtalk says サンニン
    assert speakable("ne", speakable("ne", "12")) == "१२"  # idempotent: a spoken form may pass twice
