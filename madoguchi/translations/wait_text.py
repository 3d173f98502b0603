"""A wait estimate in words, per language: ``(18, 27)`` → ``"15〜30分"``, short waits → ``"まもなく"``."""

from __future__ import annotations

from madoguchi.translations.catalog import translate
from madoguchi.translations.formatting import CAP_MINUTES, wait_range_minutes


def format_wait_range(lang: str, low_min: float, high_min: float, *, spoken: bool = False) -> str:
    """``(18, 27)`` → ``"15〜30分"`` / ``"15–30 min"``; short waits → ``"まもなく"`` / ``"Soon"``.

    ``spoken``: the words to say ("15 to 30 minutes", 「15分から30分」): a voice reads "15–30 min" as "fifteen
    thirty min" and 10~20분 with "tilde"."""
    rounded = wait_range_minutes(low_min, high_min)
    if rounded is None:
        return translate(lang, "wait.soon")
    low, high = rounded
    suffix = ".spoken" if spoken else ""
    if low >= CAP_MINUTES:
        return translate(lang, "wait.over" + suffix, low=CAP_MINUTES)
    return translate(lang, "wait.range" + suffix, low=low, high=high)
