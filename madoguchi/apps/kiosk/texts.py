"""The kiosk's words: catalog messages in the resident's language; easy Japanese with furigana.

Easy-Japanese text carries its readings as interlinear annotations (``madoguchi.qt.ruby_text.annotate``): the
kiosk's labels and buttons draw them as ruby above the kanji, and read-aloud speaks the readings.
"""

from __future__ import annotations

import functools

from madoguchi.core import api_models as m
from madoguchi.core.config import localized
from madoguchi.translations.catalog import translate
from madoguchi.translations.wait_text import format_wait_range


class Texts:
    def __init__(self, language: str = "ja") -> None:
        self.language = language

    def __call__(self, msgid: str, /, **params: object) -> str:
        if self.language == "ja-easy":
            from madoguchi.translations.furigana import message_segments
            from madoguchi.translations.ruby_markup import annotate

            return annotate(message_segments(msgid, **params))
        return translate(self.language, msgid, **params)

    def pick(self, text: dict[str, str] | None) -> str:
        """A text the administrator wrote per language (service names, areas), with the usual fallback."""
        if not text:
            return ""
        if self.language == "ja-easy" and "ja-easy" in text:
            from madoguchi.translations.ruby_markup import annotate_parens

            return annotate_parens(text["ja-easy"])  # readings the administrator wrote in brackets become ruby
        if self.language == "ja-easy" and "ja" in text:
            return _with_readings(text["ja"])
        return localized(text, self.language) if "ja" in text else next(iter(text.values()))

    def wait_range(self, estimate: m.Estimate | None, *, spoken: bool = False) -> str:
        """The wait as shown ("10–20 min"), or as said (``spoken``: "10 to 20 minutes")."""
        if estimate is None:
            return self("kiosk.estimate.unknown")
        if spoken:
            return format_wait_range(self.language, estimate.low_min, estimate.high_min, spoken=True)
        return format_wait_range(self.language, estimate.low_min, estimate.high_min)


@functools.lru_cache(maxsize=512)
def _with_readings(text: str) -> str:
    """Japanese an administrator wrote, with readings over the kanji (morphological analysis, cached)."""
    from madoguchi.translations.furigana import readings
    from madoguchi.translations.ruby_markup import annotate

    return annotate(readings(text))
