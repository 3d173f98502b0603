"""One era table: the card's collation number, the forms and the formatting agree at every era boundary."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.core import japanese_era
from madoguchi.core.forms.wareki import DateInputError, parse_date, to_wareki
from madoguchi.devices.card.collation import collation_number_b
from madoguchi.devices.card.collation import era_year as card_era_year
from madoguchi.translations.formatting import era_year as formatting_era_year
from madoguchi.translations.formatting import wareki as formatting_wareki

BOUNDARIES = [
    # (day, era key, era name, year within the era, written form)
    (dt.date(1868, 1, 25), "meiji", "明治", 1, "明治元年1月25日"),
    (dt.date(1870, 5, 1), "meiji", "明治", 3, "明治3年5月1日"),
    (dt.date(1912, 7, 29), "meiji", "明治", 45, "明治45年7月29日"),
    (dt.date(1912, 7, 30), "taisho", "大正", 1, "大正元年7月30日"),
    (dt.date(1926, 12, 24), "taisho", "大正", 15, "大正15年12月24日"),
    (dt.date(1926, 12, 25), "showa", "昭和", 1, "昭和元年12月25日"),
    (dt.date(1989, 1, 7), "showa", "昭和", 64, "昭和64年1月7日"),
    (dt.date(1989, 1, 8), "heisei", "平成", 1, "平成元年1月8日"),
    (dt.date(2019, 4, 30), "heisei", "平成", 31, "平成31年4月30日"),
    (dt.date(2019, 5, 1), "reiwa", "令和", 1, "令和元年5月1日"),
]


@pytest.mark.parametrize(("day", "key", "name", "year", "written"), BOUNDARIES)
def test_every_user_of_the_table_agrees(day: dt.date, key: str, name: str, year: int, written: str) -> None:
    era, in_era = japanese_era.era_year(day)
    assert (era.key, era.name, in_era) == (key, name, year)
    assert card_era_year(day) == (key, year)
    assert collation_number_b(day, 2035, "2285")[:6] == f"{year:02d}{day.month:02d}{day.day:02d}"
    assert formatting_era_year(day) == (name, year)
    assert formatting_wareki(day) == written
    assert to_wareki(day) == written
    assert parse_date(written) == day
    assert parse_date(f"{era.letter}{year}.{day.month}.{day.day}") == day


def test_the_day_before_each_era_belongs_to_the_previous_one() -> None:
    for previous, era in zip(japanese_era.ERAS, japanese_era.ERAS[1:], strict=False):
        before = era.first_day - dt.timedelta(days=1)
        assert japanese_era.era_of(before) is previous
        assert previous.last_day == before


def test_before_meiji_is_in_no_era_everywhere() -> None:
    before = dt.date(1868, 1, 24)
    with pytest.raises(ValueError):
        japanese_era.era_year(before)
    with pytest.raises(ValueError):
        card_era_year(before)
    with pytest.raises(ValueError):
        formatting_wareki(before)
    with pytest.raises(DateInputError):
        parse_date("1868-01-24")
    assert to_wareki(before) == "1868年1月24日"  # display falls back to the Gregorian year
