"""Check digit of the 12-digit individual number (個人番号)."""

from __future__ import annotations

import re

_DIGITS_11 = re.compile(r"[0-9]{11}")
_DIGITS_12 = re.compile(r"[0-9]{12}")


def check_digit(first11: str) -> int:
    """Check digit for the first 11 digits: Pn counts from the right, Qn = n+1 (n ≤ 6) or n−5 (n ≥ 7)."""
    if not _DIGITS_11.fullmatch(first11):
        raise ValueError("expected 11 ASCII digits")
    total = 0
    for n, ch in enumerate(reversed(first11), start=1):
        q = n + 1 if n <= 6 else n - 5
        total += int(ch) * q
    r = total % 11
    return 0 if r <= 1 else 11 - r


def is_valid_individual_number(number: str) -> bool:
    return bool(_DIGITS_12.fullmatch(number)) and check_digit(number[:11]) == int(number[11])


def with_check_digit(first11: str) -> str:
    """The full 12-digit number (used to make valid test numbers)."""
    return first11 + str(check_digit(first11))
