"""Numbers, wait ranges, dates, times and the Japanese era calendar, per language (Babel).

Dates are never ambiguous: the year in full and the month as a word or with its unit ("2026年12月7日",
"Dec 7, 2026", "7 de dez. de 2026"), never "12/7/26" (December or July?) or "26/12/7". Aware date-times are shown
in the hall's time zone, whatever the machine's own.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Literal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton
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


#: the date skeleton of every shown or printed date: full year, abbreviated month name, day
DATE_SKELETON = "yMMMd"


def _local(value: dt.datetime, timezone: str | dt.tzinfo | None) -> dt.datetime:
    if timezone is None or value.tzinfo is None:
        return value
    return value.astimezone(ZoneInfo(timezone) if isinstance(timezone, str) else timezone)


def format_time(lang: str, value: dt.time | dt.datetime, timezone: str | dt.tzinfo | None = None) -> str:
    """Short clock time: ``"14:05"`` (ja), ``"2:05 PM"`` (en); an aware date-time in ``timezone``."""
    if isinstance(value, dt.datetime):
        value = _local(value, timezone).replace(tzinfo=None)
    return babel_format_time(value, "short", locale=babel_locale(lang))


def format_date(lang: str, value: dt.date, length: Literal["long", "full"] | None = None) -> str:
    """``"2026年12月7日"`` (ja), ``"Dec 7, 2026"`` (en), ``"2026 डिसेम्बर 7"`` (ne): never all digits. ``"long"``
    spells the month out (``"December 7, 2026"``), ``"full"`` adds the weekday; the short forms are not offered."""
    if length is not None:
        return babel_format_date(value, length, locale=babel_locale(lang))
    return format_skeleton(DATE_SKELETON, value, locale=babel_locale(lang))


def format_datetime(lang: str, value: dt.datetime, timezone: str | dt.tzinfo | None = None) -> str:
    """Date and time in the language's order: ``"2026年12月7日 1:24"``, ``"Dec 7, 2026, 1:24 AM"``."""
    local = _local(value, timezone).replace(tzinfo=None)
    pattern = Locale.parse(babel_locale(lang)).datetime_formats["medium"]
    return str(pattern).format(format_time(lang, local), format_date(lang, local.date()))


def era_year(value: dt.date) -> tuple[str, int]:
    """``date(2026, 11, 28)`` → ``("令和", 8)``; raises ValueError before Meiji (``madoguchi.core.japanese_era``)."""
    era, year = japanese_era.era_year(value)
    return era.name, year


def wareki(value: dt.date, gannen: bool = True) -> str:
    """Japanese era date as forms use it: ``"令和8年11月28日"``; year 1 is written 元年 unless ``gannen=False``."""
    return japanese_era.wareki(value, gannen)


def format_day(lang: str, value: dt.date) -> str:
    """A day with its weekday, short: ``"12月7日(月)"`` (ja), ``"Mon, Dec 7"`` (en)."""
    from babel.dates import format_skeleton

    return format_skeleton("MMMEd", value, locale=babel_locale(lang))


def format_number_list(lang: str, numbers: Sequence[int]) -> str:
    """Counter numbers read as one list: ``9・10`` (Japanese), ``9、10`` (Chinese), ``9, 10`` (Korean),
    ``9 and 10`` / ``9 e 10`` (the others, Babel's list pattern)."""
    from babel.lists import format_list

    texts = [str(n) for n in numbers]
    if lang in ("ja", "ja-easy"):
        return "・".join(texts)
    if lang == "zh-Hans":
        return "、".join(texts)
    if lang == "ko" or len(texts) < 2:
        return ", ".join(texts)
    return format_list(texts, locale=babel_locale(lang))
