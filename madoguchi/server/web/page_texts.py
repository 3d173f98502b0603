"""Texts of the server's HTML pages, from the shared catalogs (``translations``).

The catalogs (and Babel behind them) are loaded on the first page a phone asks for, not at server start.
"""

from __future__ import annotations

EASY_JAPANESE = "ja-easy"


def text(lang: str, key: str, **params: object) -> str:
    from madoguchi.translations.catalog import translate

    return translate(lang, key, **params)


def wait_range(lang: str, low_min: float, high_min: float) -> str:
    from madoguchi.translations.wait_text import format_wait_range

    return format_wait_range(lang, low_min, high_min)


def text_html(lang: str, key: str, **params: object) -> str:
    """A catalog text as HTML (escaped); in easy Japanese with furigana over its kanji (``<ruby>``), from the
    catalog's stored readings; Japanese and Chinese with ``<wbr>`` between phrases. Element content only: an
    attribute takes :func:`text`, escaped."""
    if lang == EASY_JAPANESE:
        from madoguchi.translations.furigana import message_ruby_html

        return message_ruby_html(key, **{k: _plain(lang, v) for k, v in params.items()})
    return phrases_html(text(lang, key, **params), lang)


def hall_text_html(texts: dict[str, str], lang: str) -> str:
    """A text from hall.toml in ``lang`` as HTML (escaped); in easy Japanese the readings written the leaflet way,
    ``住民票（じゅうみんひょう）``, become furigana over their kanji; Japanese and Chinese break between phrases."""
    shown = hall_text(texts, lang)
    if lang == EASY_JAPANESE:
        from madoguchi.translations.furigana import ruby_html
        from madoguchi.translations.ruby_markup import annotate_parens, parse

        return ruby_html(parse(annotate_parens(shown)))
    return phrases_html(shown, lang)


def _plain(lang: str, value: object) -> str:
    """A message parameter as the catalog writes it (large counts grouped)."""
    if isinstance(value, int) and not isinstance(value, bool):
        from madoguchi.translations.formatting import format_count

        return format_count(lang, value)
    return str(value)


def hall_text(texts: dict[str, str], lang: str) -> str:
    """A text of hall.toml in ``lang`` (plain; easy Japanese falls back to Japanese)."""
    from madoguchi.core.config import localized

    return localized(texts, lang)


def phrases_html(plain: str, lang: str) -> str:
    """Plain text as HTML (escaped) that a browser breaks between Japanese or Chinese phrases only."""
    import html

    from madoguchi.translations.line_breaking import html_with_breaks, needs_phrase_layout, pieces

    if not needs_phrase_layout(plain):
        return html.escape(plain)  # spaces are the break opportunities: the browser's own line breaking
    return html_with_breaks(html.escape(piece) for piece in pieces(plain, lang))
