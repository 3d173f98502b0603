"""Texts of the server's HTML pages, from the shared catalogs (``translations``).

The catalogs (and Babel behind them) are loaded on the first page a phone asks for, not at server start.
"""

from __future__ import annotations


def text(lang: str, key: str, **params: object) -> str:
    from madoguchi.translations.catalog import translate

    return translate(lang, key, **params)


def wait_range(lang: str, low_min: float, high_min: float) -> str:
    from madoguchi.translations.wait_text import format_wait_range

    return format_wait_range(lang, low_min, high_min)


def text_html(lang: str, key: str, **params: object) -> str:
    """A catalog text as HTML (escaped)."""
    import html

    return html.escape(text(lang, key, **params))


def hall_text_html(texts: dict[str, str], lang: str) -> str:
    """A text from hall.toml in ``lang`` as HTML (escaped)."""
    import html

    return html.escape(hall_text(texts, lang))


def hall_text(texts: dict[str, str], lang: str) -> str:
    """A text of hall.toml in ``lang`` (plain; easy Japanese falls back to Japanese)."""
    from madoguchi.core.config import localized

    return localized(texts, lang)
