"""Texts of the server's HTML pages, from the shared catalogs (``translations``)."""

from __future__ import annotations

from translations.catalog import translate
from translations.formatting import format_wait_range


def text(lang: str, key: str, **params: object) -> str:
    return translate(lang, key, **params)


def wait_range(lang: str, low_min: float, high_min: float) -> str:
    return format_wait_range(lang, low_min, high_min)
