"""Where a procedure is served, in words: its counters (``9・10番窓口``) and its waiting area (hall.toml's text).

The phone page's route, the browser board's and the Qt board's moves say it the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from madoguchi.core.config import localized
from madoguchi.translations.catalog import translate
from madoguchi.translations.formatting import format_number_list

#: between the counters and the area on one line
SEPARATORS = {"ja": "　", "ja-easy": "　", "zh-Hans": "　"}


def counters_phrase(lang: str, counters: Sequence[int]) -> str:
    """``9・10番窓口``, ``Counters 9 and 10``, ``Counter 4`` (one counter)."""
    if len(counters) == 1:
        return translate(lang, "board.counter", counter=str(counters[0]))
    return translate(lang, "board.counters", counters=format_number_list(lang, counters))


def place_text(lang: str, counters: Sequence[int], area: dict[str, str] | None) -> str:
    """Counters and area on one line: ``9・10番窓口　2階 保険年金課の待合ロビー``,
    ``Counters 9 and 10 · 2nd floor, …``."""
    parts = (counters_phrase(lang, counters) if counters else "", localized(area, lang) if area else "")
    return SEPARATORS.get(lang, " · ").join(part for part in parts if part)
