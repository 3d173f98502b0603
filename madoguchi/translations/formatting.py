"""Numbers, wait ranges, dates, times and the Japanese era calendar, per language (Babel)."""

from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_time as babel_format_time
from babel.numbers import format_decimal

from madoguchi.core import japanese_era
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


def era_year(value: dt.date) -> tuple[str, int]:
    """``date(2026, 11, 28)`` → ``("令和", 8)``; raises ValueError before Meiji (``madoguchi.core.japanese_era``)."""
    era, year = japanese_era.era_year(value)
    return era.name, year


def wareki(value: dt.date, gannen: bool = True) -> str:
    """Japanese era date as forms use it: ``"令和8年11月28日"``; year 1 is written 元年 unless ``gannen=False``."""
    return japanese_era.wareki(value, gannen)
