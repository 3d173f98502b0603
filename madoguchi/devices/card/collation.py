"""照合番号B: birth date as Japanese-era YYMMDD + card expiry year + 4-digit security code (14 digits)."""

from __future__ import annotations

import datetime
import re

from madoguchi.core import japanese_era

_CODE = re.compile(r"[0-9]{4}")


def era_year(day: datetime.date) -> tuple[str, int]:
    """(era key, year within the era) of a Gregorian date, from the one era table in ``core``."""
    era, year = japanese_era.era_year(day)
    return era.key, year


def collation_number_b(birth_date: datetime.date, expiry_year: int, security_code: str) -> str:
    """The 14-digit 照合番号B, e.g. Showa 55-02-17, expiry 2035, code 2285 → ``55021720352285``."""
    _, year = era_year(birth_date)
    if not 2000 <= expiry_year <= 9999:
        raise ValueError("expiry year must be a 4-digit Western year")
    if not _CODE.fullmatch(security_code):
        raise ValueError("security code must be 4 ASCII digits")
    return f"{year:02d}{birth_date.month:02d}{birth_date.day:02d}{expiry_year:04d}{security_code}"
