from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.translations.formatting import (
    format_count,
    format_date,
    format_datetime,
    format_time,
    wait_range_minutes,
    wareki,
)
from madoguchi.translations.languages import codes
from madoguchi.translations.wait_text import format_wait_range


@pytest.mark.parametrize(
    ("lang", "low", "high", "expected"),
    [
        ("ja", 20, 30, "20〜30分"),
        ("en", 20, 30, "20–30 min"),
        ("zh-Hans", 18, 27, "15～30分钟"),
        ("ja", 0, 4, "まもなく"),
        ("en", 1, 3, "Soon"),
        ("ja-easy", 2, 5, "もうすぐ"),
        ("ja", 20, 20, "20〜25分"),
        ("ja", 150, 200, "120分以上"),
    ],
)
def test_wait_ranges(lang: str, low: float, high: float, expected: str) -> None:
    assert format_wait_range(lang, low, high) == expected


@given(st.floats(0, 300), st.floats(0, 300))
def test_wait_range_is_never_a_single_fake_precise_minute(low: float, high: float) -> None:
    rounded = wait_range_minutes(low, high)
    if rounded is not None:
        start, end = rounded
        assert start < end
        assert start % 5 == 0 and end % 5 == 0
        assert start <= min(low, high) and end >= max(low, high)


def test_counts_use_locale_grouping_in_latin_digits() -> None:
    assert format_count("ja", 1234) == "1,234"
    assert format_count("pt-BR", 1234) == "1.234"
    assert format_count("ne", 1234) == "1,234"


def test_times_and_dates_per_locale() -> None:
    moment = dt.datetime(2026, 11, 28, 14, 5)
    assert format_time("ja", moment) == "14:05"
    assert format_time("en", moment) == "2:05\u202fPM" or format_time("en", moment) == "2:05 PM"
    assert format_date("zh-Hans", moment.date()) == "2026年11月28日"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 11, 28), "令和8年11月28日"),
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(1989, 1, 7), "昭和64年1月7日"),
        (dt.date(1989, 1, 8), "平成元年1月8日"),
        (dt.date(1926, 12, 25), "昭和元年12月25日"),
        (dt.date(1920, 3, 3), "大正9年3月3日"),
    ],
)
def test_wareki(day: dt.date, expected: str) -> None:
    assert wareki(day) == expected


def test_wareki_without_gannen() -> None:
    assert wareki(dt.date(2019, 5, 1), gannen=False) == "令和1年5月1日"


ISSUED = dt.datetime(2026, 12, 6, 16, 24, tzinfo=dt.UTC)  # 2026-12-07 01:24 in Tokyo


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ja", "2026年12月7日 1:24"),
        ("en", "Dec 7, 2026, 1:24\u202fAM"),
        ("zh-Hans", "2026年12月7日 01:24"),
        ("ko", "2026년 12월 7일 오전 1:24"),
        ("pt-BR", "7 de dez. de 2026 01:24"),
        ("ne", "2026 डिसेम्बर 7, 01:24"),
    ],
)
def test_date_times_are_in_the_halls_time_zone_and_never_ambiguous(lang: str, expected: str) -> None:
    assert format_datetime(lang, ISSUED, "Asia/Tokyo") == expected


def test_no_language_writes_a_date_in_digits_only() -> None:
    # "12/7/26" (December or July? 2026 or 1926?) and "26/12/7" are what tickets printed before.
    for lang in codes():
        text = format_datetime(lang, ISSUED, "Asia/Tokyo")
        assert "2026" in text, (lang, text)
        assert not re.search(r"\d+/\d+/\d+", text), (lang, text)
        assert not re.search(r"\b12\b.*\b7\b.*\b26\b(?!\d)", text.replace("2026", "")), (lang, text)


def test_the_halls_time_zone_wins_over_the_machines() -> None:
    assert format_time("ja", ISSUED, "Asia/Tokyo") == "1:24"
    assert format_time("ja", ISSUED, "Europe/Lisbon") == "16:24"
    assert format_date("es", ISSUED.date()) == "6 dic 2026"


def test_long_dates_spell_the_month_out() -> None:
    assert format_date("en", dt.date(1980, 2, 17), "long") == "February 17, 1980"
    assert format_date("es", dt.date(1980, 2, 17), "long") == "17 de febrero de 1980"
