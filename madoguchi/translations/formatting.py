"""Numbers, wait ranges, dates, times and the Japanese era calendar, per language (Babel)."""

from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_time as babel_format_time
from babel.numbers import format_decimal

from madoguchi.translations.languages import is_shipped, language

# Waits at or under this many minutes read "soon": an estimate that short is noise, not information.
SOON_MINUTES = 5
# Ranges are shown in steps of this many minutes so nobody reads false precision into them.
STEP_MINUTES = 5
# Beyond this the range collapses to "over N min".
CAP_MINUTES = 120


def babel_locale(lang: str) -> str:
    return language(lang).babel_locale if is_shipped(lang) else "ja_JP"


def format_count(lang: str, count: int) -> str:
    """``1234`` → ``"1,234"`` (ja/en) or ``"1.234"`` (pt-BR), always in Latin digits."""
    return format_decimal(count, locale=babel_locale(lang), numbering_system="latn")


def wait_range_minutes(low_min: float, high_min: float) -> tuple[int, int] | None:
    """Round an estimate outwards to whole steps; ``None`` means "soon". Never a single minute value."""
    low, high = sorted((max(0.0, low_min), max(0.0, high_min)))
    if high <= SOON_MINUTES:
        return None
    low_step = int(low // STEP_MINUTES) * STEP_MINUTES
    high_step = math.ceil(high / STEP_MINUTES) * STEP_MINUTES
    if high_step <= low_step:
        high_step = low_step + STEP_MINUTES
    return low_step, high_step


def format_time(lang: str, value: dt.time | dt.datetime) -> str:
    """Short clock time: ``"14:05"`` (ja), ``"2:05 PM"`` (en)."""
    return babel_format_time(value, "short", locale=babel_locale(lang))


def format_date(lang: str, value: dt.date, form: str = "medium") -> str:
    return babel_format_date(value, form, locale=babel_locale(lang))


def format_datetime(lang: str, value: dt.datetime, form: str = "short") -> str:
    return babel_format_datetime(value, form, locale=babel_locale(lang))


# (first day, era name); Meiji is counted from the 1873 switch to the Gregorian calendar.
_ERAS: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
    (dt.date(1926, 12, 25), "昭和"),
    (dt.date(1912, 7, 30), "大正"),
    (dt.date(1873, 1, 1), "明治"),
)


def era_year(value: dt.date) -> tuple[str, int]:
    """``date(2026, 11, 28)`` → ``("令和", 8)``; raises ValueError before 1873."""
    day = value.date() if isinstance(value, dt.datetime) else value
    for start, name in _ERAS:
        if day >= start:
            return name, day.year - start.year + 1
    raise ValueError("date before the Gregorian calendar in Japan")


def wareki(value: dt.date, gannen: bool = True) -> str:
    """Japanese era date as forms use it: ``"令和8年11月28日"``; year 1 is written 元年 unless ``gannen=False``."""
    name, year = era_year(value)
    year_text = "元" if year == 1 and gannen else str(year)
    return f"{name}{year_text}年{value.month}月{value.day}日"


def format_day(lang: str, value: dt.date) -> str:
    """A day with its weekday, short: ``"12月7日(月)"`` (ja), ``"Mon, Dec 7"`` (en)."""
    from babel.dates import format_skeleton

    return format_skeleton("MMMEd", value, locale=babel_locale(lang))
