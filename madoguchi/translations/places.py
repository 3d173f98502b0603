"""Where a procedure is served, in words: ``9・10番窓口``, ``Counters 9 and 10``. The phone page's route, the browser
board's and the Qt board's moves say it the same way."""

from __future__ import annotations

from collections.abc import Sequence

from madoguchi.translations.catalog import translate
from madoguchi.translations.formatting import format_number_list


def counters_phrase(lang: str, counters: Sequence[int]) -> str:
    """``9・10番窓口``, ``Counters 9 and 10``, ``Counter 4`` (one counter)."""
    if len(counters) == 1:
        return translate(lang, "board.counter", counter=str(counters[0]))
    return translate(lang, "board.counters", counters=format_number_list(lang, counters))
