"""Japanese dates: Gregorian and era (和暦) input such as 令和2年2月24日, R2.2.24, 昭和55年4月1日, H31/4/30.

``parse_date`` accepts what residents type on paper forms and phones and returns a ``datetime.date`` or raises
``DateInputError`` with a message id. Input is NFKC-normalised first, so full-width digits and the era
ligatures (㋿ ㍻ ㍼ ㍽ ㍾) work. 元年 is year 1. An era date outside its era (令和元年4月1日) is an error rather than
silently moved into the previous era, because it is most likely a typo.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from madoguchi.core.japanese_era import ERAS, FIRST_DAY, Era, gregorian_year
from madoguchi.core.japanese_era import wareki as era_date

#: the one era table (``madoguchi.core.japanese_era``); dates before Meiji's first day are out of range
MIN_DATE = FIRST_DAY
MAX_DATE = dt.date(2199, 12, 31)

_ERA_ALIASES: dict[str, Era] = {}
for _era in ERAS:
    _ERA_ALIASES[_era.name] = _era
    _ERA_ALIASES[_era.name[0]] = _era
    _ERA_ALIASES[_era.letter] = _era
    _ERA_ALIASES[_era.letter.lower()] = _era

_ERA_NAMES = "|".join(sorted((re.escape(a) for a in _ERA_ALIASES), key=len, reverse=True))
_SEP = r"\s*[-/.]\s*"
_YEAR_NUM = r"(?P<year>[0-9]{1,2}|元)"
_ERA_RE = re.compile(
    rf"^(?P<era>{_ERA_NAMES})\s*{_YEAR_NUM}\s*(?:年\s*(?P<month>[0-9]{{1,2}})\s*月\s*(?P<day>[0-9]{{1,2}})\s*日?"
    rf"|{_SEP}(?P<month2>[0-9]{{1,2}}){_SEP}(?P<day2>[0-9]{{1,2}}))$"
)
_ERA_YEAR_ONLY_RE = re.compile(rf"^(?P<era>{_ERA_NAMES})\s*{_YEAR_NUM}\s*年?$")
_GREGORIAN_RE = re.compile(
    r"^(?:西暦)?\s*(?P<year>[0-9]{4})\s*(?:年\s*(?P<month>[0-9]{1,2})\s*月\s*(?P<day>[0-9]{1,2})\s*日?"
    rf"|{_SEP}(?P<month2>[0-9]{{1,2}}){_SEP}(?P<day2>[0-9]{{1,2}}))$"
)
_COMPACT_RE = re.compile(r"^(?P<year>[0-9]{4})(?P<month>[0-9]{2})(?P<day>[0-9]{2})$")
_YEAR_MONTH_RE = re.compile(r"^(?:西暦)?\s*[0-9]{4}\s*(?:年\s*[0-9]{1,2}\s*月?|[-/.]\s*[0-9]{1,2})$")


class DateInputError(ValueError):
    """The text is not an acceptable date; ``message_id`` and ``params`` say why (no personal data)."""

    def __init__(self, message_id: str, params: dict[str, str | int] | None = None) -> None:
        self.message_id = message_id
        self.params = params or {}
        super().__init__(message_id)


def era_by_key(key: str) -> Era:
    for era in ERAS:
        if era.key == key:
            return era
    raise KeyError(key)


def _year(text: str) -> int:
    return 1 if text == "元" else int(text)


def _make(year: int, month: int, day: int) -> dt.date:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise DateInputError("form.error.date_invalid") from None
    if not MIN_DATE <= date <= MAX_DATE:
        raise DateInputError("form.error.date_out_of_range", {"min": MIN_DATE.isoformat(), "max": MAX_DATE.isoformat()})
    return date


def era_to_gregorian_year(era: Era, era_year: int) -> int:
    return gregorian_year(era, era_year)


def parse_era_year(text: str) -> int:
    """ "昭和55年", "S55", "令和元年" → the Gregorian year (1980, 1980, 2019); raises DateInputError."""
    s = unicodedata.normalize("NFKC", text).strip()
    m = _ERA_YEAR_ONLY_RE.match(s)
    if not m:
        raise DateInputError("form.error.date_format")
    era = _ERA_ALIASES[m.group("era")]
    year = _year(m.group("year"))
    if year < 1 or (era.last_day is not None and era_to_gregorian_year(era, year) > era.last_day.year):
        raise DateInputError("form.error.date_era_range", _era_params(era))
    return era_to_gregorian_year(era, year)


def _era_params(era: Era) -> dict[str, str | int]:
    return {
        "era": era.name,
        "first": era.first_day.isoformat(),
        "last": era.last_day.isoformat() if era.last_day else "",
    }


def parse_date(text: str) -> dt.date:
    """Parse a resident's date input (Gregorian or 和暦); raises DateInputError with a message id."""
    s = unicodedata.normalize("NFKC", text).strip()
    m = _ERA_RE.match(s)
    if m:
        era = _ERA_ALIASES[m.group("era")]
        era_year = _year(m.group("year"))
        month = int(m.group("month") or m.group("month2"))
        day = int(m.group("day") or m.group("day2"))
        if era_year < 1:
            raise DateInputError("form.error.date_era_range", _era_params(era))
        date = _make(era_to_gregorian_year(era, era_year), month, day)
        if date < era.first_day or (era.last_day is not None and date > era.last_day):
            raise DateInputError("form.error.date_era_range", _era_params(era))
        return date
    m = _GREGORIAN_RE.match(s) or _COMPACT_RE.match(s)
    if m:
        groups = m.groupdict()
        month = int(groups.get("month") or groups["month2"])
        day = int(groups.get("day") or groups["day2"])
        return _make(int(m.group("year")), month, day)
    if _ERA_YEAR_ONLY_RE.match(s) or _YEAR_MONTH_RE.match(s) or re.fullmatch(r"[0-9]{4}\s*年?", s):
        raise DateInputError("form.error.date_incomplete")
    raise DateInputError("form.error.date_format")


def to_wareki(date: dt.date) -> str:
    """A date written the Japanese way, 令和2年2月24日 (元年 for year 1), for display and forms."""
    if date < FIRST_DAY:
        return f"{date.year}年{date.month}月{date.day}日"
    return era_date(date)
