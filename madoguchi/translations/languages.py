"""The shipped languages: how each is named in its own script, formatted, drawn and spoken."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Language:
    """One language a resident can pick.

    ``voice`` is ``"pyopenjtalk"`` for Japanese, an espeak-ng voice name for the others, or ``None``: then
    announcements play a chime and the text is shown instead. Chinese uses ``cmn-latn-pinyin`` (the ``cmn`` voice
    reads the pinyin of every character as English, tone numbers included). espeak-ng has no Tagalog voice: the
    stated fallback is its Indonesian one (``id``), which reads Tagalog spelling as Tagalog is said (a e i o u,
    ``ng`` as /ŋ/, ``h`` sounded, stress on the last-but-one syllable); numbers and letters are written out in
    Tagalog first (``spoken.py``), since it would say them in Indonesian.
    ``mt_code`` is the argostranslate language code (``None`` when no MT model family exists).
    """

    code: str
    native_name: str
    english_name: str
    babel_locale: str
    direction: Literal["ltr", "rtl"]
    font_family: str
    voice: str | None
    mt_code: str | None


LANGUAGES: tuple[Language, ...] = (
    Language("ja", "日本語", "Japanese", "ja_JP", "ltr", "Noto Sans CJK JP", "pyopenjtalk", "ja"),
    Language("ja-easy", "やさしい にほんご", "Easy Japanese", "ja_JP", "ltr", "Noto Sans CJK JP", "pyopenjtalk", None),
    Language("en", "English", "English", "en_US", "ltr", "Noto Sans", "en-us", "en"),
    Language(
        "zh-Hans", "简体中文", "Chinese (Simplified)", "zh_Hans_CN", "ltr", "Noto Sans CJK SC", "cmn-latn-pinyin", "zh"
    ),
    Language("ko", "한국어", "Korean", "ko_KR", "ltr", "Noto Sans CJK KR", "ko", "ko"),
    Language("pt-BR", "Português (Brasil)", "Portuguese (Brazil)", "pt_BR", "ltr", "Noto Sans", "pt-br", "pt"),
    Language("es", "Español", "Spanish", "es_419", "ltr", "Noto Sans", "es-419", "es"),
    Language("vi", "Tiếng Việt", "Vietnamese", "vi_VN", "ltr", "Noto Sans", "vi", "vi"),
    Language("tl", "Tagalog", "Tagalog", "fil_PH", "ltr", "Noto Sans", "id", "tl"),
    Language("ne", "नेपाली", "Nepali", "ne_NP", "ltr", "Noto Sans Devanagari", "ne", "ne"),
)

SOURCE_LANGUAGE = "ja"
FALLBACK_CHAIN: tuple[str, ...] = ("ja", "en")

_BY_CODE = {language.code: language for language in LANGUAGES}


def language(code: str) -> Language:
    """The registry entry for ``code``; raises KeyError for a language we do not ship."""
    return _BY_CODE[code]


def codes() -> tuple[str, ...]:
    """Codes in picker order (Japanese first)."""
    return tuple(language.code for language in LANGUAGES)


def is_shipped(code: str) -> bool:
    return code in _BY_CODE
