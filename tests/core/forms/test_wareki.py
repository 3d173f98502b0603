"""Japanese era (和暦) and Gregorian date input."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.core.forms.wareki import DateInputError, parse_date, parse_era_year, to_wareki

GOOD = [
    ("令和2年2月24日", dt.date(2020, 2, 24)),
    ("R2.2.24", dt.date(2020, 2, 24)),
    ("r2/2/24", dt.date(2020, 2, 24)),
    ("令2-2-24", dt.date(2020, 2, 24)),
    ("㋿2年2月24日", dt.date(2020, 2, 24)),
    ("令和元年5月1日", dt.date(2019, 5, 1)),
    ("平成31年4月30日", dt.date(2019, 4, 30)),
    ("H31.4.30", dt.date(2019, 4, 30)),
    ("平成元年1月8日", dt.date(1989, 1, 8)),
    ("昭和64年1月7日", dt.date(1989, 1, 7)),
    ("昭和55年4月1日", dt.date(1980, 4, 1)),
    ("S55.4.1", dt.date(1980, 4, 1)),
    ("Ｓ５５．４．１", dt.date(1980, 4, 1)),
    ("㍼55年4月1日", dt.date(1980, 4, 1)),
    ("昭和元年12月25日", dt.date(1926, 12, 25)),
    ("大正15年12月24日", dt.date(1926, 12, 24)),
    ("T1.7.30", dt.date(1912, 7, 30)),
    ("明治45年7月29日", dt.date(1912, 7, 29)),
    ("M33.1.1", dt.date(1900, 1, 1)),
    ("1980-04-01", dt.date(1980, 4, 1)),
    ("1980/4/1", dt.date(1980, 4, 1)),
    ("1980.4.1", dt.date(1980, 4, 1)),
    ("19800401", dt.date(1980, 4, 1)),
    ("1980年4月1日", dt.date(1980, 4, 1)),
    ("西暦1980年4月1日", dt.date(1980, 4, 1)),
    ("１９８０年４月１日", dt.date(1980, 4, 1)),
    (" 2000-02-29 ", dt.date(2000, 2, 29)),
]

BAD = [
    ("令和元年4月1日", "form.error.date_era_range"),
    ("H31.5.1", "form.error.date_era_range"),
    ("昭和64年1月8日", "form.error.date_era_range"),
    ("大正16年1月1日", "form.error.date_era_range"),
    ("S0.1.1", "form.error.date_era_range"),
    ("昭和55年", "form.error.date_incomplete"),
    ("1980年4月", "form.error.date_incomplete"),
    ("1980", "form.error.date_incomplete"),
    ("2001-02-29", "form.error.date_invalid"),
    ("1980/13/1", "form.error.date_invalid"),
    ("1800-01-01", "form.error.date_out_of_range"),
    ("yesterday", "form.error.date_format"),
    ("X55.4.1", "form.error.date_format"),
    ("", "form.error.date_format"),
]


@pytest.mark.parametrize(("text", "expected"), GOOD)
def test_accepted_dates(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "message_id"), BAD)
def test_rejected_dates(text: str, message_id: str) -> None:
    with pytest.raises(DateInputError) as info:
        parse_date(text)
    assert info.value.message_id == message_id


def test_era_range_error_names_the_era() -> None:
    with pytest.raises(DateInputError) as info:
        parse_date("令和元年4月1日")
    assert info.value.params == {"era": "令和", "first": "2019-05-01", "last": ""}


def test_era_year_and_display() -> None:
    assert parse_era_year("昭和55年") == 1980
    assert parse_era_year("令和元年") == 2019
    assert parse_era_year("H1") == 1989
    with pytest.raises(DateInputError):
        parse_era_year("平成32年")
    assert to_wareki(dt.date(2019, 5, 1)) == "令和元年5月1日"
    assert to_wareki(dt.date(1980, 4, 1)) == "昭和55年4月1日"
    assert to_wareki(dt.date(2019, 4, 30)) == "平成31年4月30日"
