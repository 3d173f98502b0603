"""A wait estimate in words, per language: ``(18, 27)`` → ``"15〜30分"``, short waits → ``"まもなく"``."""

from __future__ import annotations

from madoguchi.translations.catalog import translate
from madoguchi.translations.formatting import CAP_MINUTES, wait_range_minutes


def format_wait_range(lang: str, low_min: float, high_min: float) -> str:
    """``(18, 27)`` → ``"15〜30分"`` / ``"15–30 min"``; short waits → ``"まもなく"`` / ``"Soon"``."""
    rounded = wait_range_minutes(low_min, high_min)
    if rounded is None:
        return translate(lang, "wait.soon")
    low, high = rounded
    if low >= CAP_MINUTES:
        return translate(lang, "wait.over", low=CAP_MINUTES)
    return translate(lang, "wait.range", low=low, high=high)
