"""The Japanese era calendar (和暦): the one table of eras for forms, the card and printed or shown dates.

Meiji 1 is dated from 1868-01-25, the Gregorian day of its lunar new year: the 1868 rescript renamed the whole
year Keiō 4 to Meiji 1. The era year counts from the Gregorian year of an era's first day, so 1870-05-01 is
明治3年 and the day and month stay Gregorian (as on every register written since 1873). Earlier dates are not
in any era here (``ValueError``); nobody on a living register was born before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Era:
    key: str  #: message-independent id ("showa"), also the JSON key of the pre-fill web site
    name: str  #: 昭和
    letter: str  #: S
    first_day: dt.date
    last_day: dt.date | None  #: None for the current era


ERAS: tuple[Era, ...] = (
    Era("meiji", "明治", "M", dt.date(1868, 1, 25), dt.date(1912, 7, 29)),
    Era("taisho", "大正", "T", dt.date(1912, 7, 30), dt.date(1926, 12, 24)),
    Era("showa", "昭和", "S", dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    Era("heisei", "平成", "H", dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    Era("reiwa", "令和", "R", dt.date(2019, 5, 1), None),
)

FIRST_DAY = ERAS[0].first_day


def era_of(day: dt.date) -> Era:
    """The era ``day`` falls in; raises ValueError before Meiji."""
    if isinstance(day, dt.datetime):
        day = day.date()
    for era in reversed(ERAS):
        if day >= era.first_day:
            return era
    raise ValueError("date before the Meiji era")


def era_year(day: dt.date) -> tuple[Era, int]:
    """``date(1980, 2, 17)`` → (昭和, 55); raises ValueError before Meiji."""
    era = era_of(day)
    return era, day.year - era.first_day.year + 1


def gregorian_year(era: Era, year_in_era: int) -> int:
    return era.first_day.year + year_in_era - 1


def wareki(day: dt.date, gannen: bool = True) -> str:
    """``"令和8年11月28日"``; year 1 is written 元年 unless ``gannen=False``. Raises ValueError before Meiji."""
    era, year = era_year(day)
    year_text = "元" if year == 1 and gannen else str(year)
    return f"{era.name}{year_text}年{day.month}月{day.day}日"
