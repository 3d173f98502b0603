"""照合番号B: birth date as Japanese-era YYMMDD + card expiry year + 4-digit security code (14 digits)."""

from __future__ import annotations

import datetime
import re

# (first day of the era, Gregorian). Meiji is dated from 1868-01-25 as the modern calendar law does.
_ERAS: tuple[tuple[str, datetime.date], ...] = (
    ("reiwa", datetime.date(2019, 5, 1)),
    ("heisei", datetime.date(1989, 1, 8)),
    ("showa", datetime.date(1926, 12, 25)),
    ("taisho", datetime.date(1912, 7, 30)),
    ("meiji", datetime.date(1868, 1, 25)),
)

_CODE = re.compile(r"[0-9]{4}")


def era_year(day: datetime.date) -> tuple[str, int]:
    """(era name, year within the era) of a Gregorian date."""
    for name, start in _ERAS:
        if day >= start:
            return name, day.year - start.year + 1
    raise ValueError("date before the Meiji era")


def collation_number_b(birth_date: datetime.date, expiry_year: int, security_code: str) -> str:
    """The 14-digit 照合番号B, e.g. Showa 55-02-17, expiry 2035, code 2285 → ``55021720352285``."""
    _, year = era_year(birth_date)
    if not 2000 <= expiry_year <= 9999:
        raise ValueError("expiry year must be a 4-digit Western year")
    if not _CODE.fullmatch(security_code):
        raise ValueError("security code must be 4 ASCII digits")
    return f"{year:02d}{birth_date.month:02d}{birth_date.day:02d}{expiry_year:04d}{security_code}"
