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
    """A catalog text as HTML: escaped, ``<wbr>`` between Japanese and Chinese phrases, and for easy Japanese
    ``<ruby>`` furigana from the catalog's stored readings (no analyser in the server)."""
    if lang == "ja-easy":
        from madoguchi.translations.furigana import message_ruby_html

        return message_ruby_html(key, **params)
    return phrases_html(text(lang, key, **params), lang)


def phrases_html(plain: str, lang: str) -> str:
    import html

    from madoguchi.translations.line_breaking import html_with_breaks, needs_phrase_layout, pieces

    if not needs_phrase_layout(plain):
        return html.escape(plain)  # spaces are the break opportunities: the browser's own line breaking
    return html_with_breaks(html.escape(piece) for piece in pieces(plain, lang))


def hall_text_html(texts: dict[str, str], lang: str) -> str:
    """A text from hall.toml in ``lang`` as HTML. Easy Japanese comes with the readings its author wrote in
    brackets, 住民票（じゅうみんひょう）, as ``<ruby>`` (never the brackets themselves)."""
    from madoguchi.core.config import localized

    if lang == "ja-easy" and "ja-easy" in texts:
        from madoguchi.translations.furigana import ruby_html
        from madoguchi.translations.ruby_markup import annotate_parens, parse

        return ruby_html(parse(annotate_parens(texts["ja-easy"])))
    shown = "ja" if lang == "ja-easy" else lang
    return phrases_html(localized(texts, shown), shown)
