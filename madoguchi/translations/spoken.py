"""Text as it is to be heard: ticket numbers, counters and counts said as numbers, the way each language says them.

A voice reads digits itself, in its own language, and reads them right for most of ours (espeak-ng: ``15`` is
"fifteen", "quince", "mười lăm", 십오; pyopenjtalk: ジュウゴ). Where it does not, the text is rewritten before it is
spoken (``speakable``):

- Nepali: espeak-ng reads Latin digits in English; Devanagari digits (``१५``) it reads in Nepali (पन्ध्र).
- Chinese: espeak-ng drops the inner zero (``106`` → 一百六, which means 160); Chinese numerals keep it (一百零六).
- Vietnamese: espeak-ng says 15 "mười năm" (it is "mười lăm"); numbers are written out in Vietnamese words.
- Tagalog has no espeak-ng voice; it is read by the Indonesian one (see ``languages.py``), which would say numbers
  in Indonesian: they are written out in Tagalog words (num2words' Tagalog says "tatlo daan" for 300: wrong).

A ticket number is the service's letter and a number: ``A-006`` is said "A six" (エー ろく in Japanese), never
"A minus zero zero six" (``spoken_ticket_number``).
"""

from __future__ import annotations

import re

from madoguchi.translations.languages import is_shipped

_JA_LETTERS = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        [
            "エー",
            "ビー",
            "シー",
            "ディー",
            "イー",
            "エフ",
            "ジー",
            "エイチ",
            "アイ",
            "ジェー",
            "ケー",
            "エル",
            "エム",
            "エヌ",
            "オー",
            "ピー",
            "キュー",
            "アール",
            "エス",
            "ティー",
            "ユー",
            "ブイ",
            "ダブリュー",
            "エックス",
            "ワイ",
            "ゼット",
        ],
        strict=True,
    )
)
# Tagalog names Latin letters as English does; spelt so that a voice reading Tagalog spelling says them so.
_TL_LETTERS = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        [
            "ey",
            "bi",
            "si",
            "di",
            "i",
            "ef",
            "dyi",
            "eyts",
            "ay",
            "dyey",
            "key",
            "el",
            "em",
            "en",
            "o",
            "pi",
            "kyu",
            "ar",
            "es",
            "ti",
            "yu",
            "vi",
            "dobolyu",
            "eks",
            "way",
            "zi",
        ],
        strict=True,
    )
)
_NUMBER = re.compile(r"\d+")
_DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")


def _is_japanese(lang: str) -> bool:
    return lang in ("ja", "ja-easy")


def spoken_ticket_number(lang: str, number: str) -> str:
    """``A-006`` → ``エー 6`` (ja, read ロク by the voice), ``A 6`` (en), ``ey anim`` (tl): letters, then the
    number without its leading zeros."""
    letters = "".join(ch for ch in number.upper() if ch.isalpha())
    digits = "".join(ch for ch in number if ch.isdigit())
    if _is_japanese(lang):
        said = [_JA_LETTERS.get(ch, ch) for ch in letters]
    elif lang == "tl":
        said = [_TL_LETTERS.get(ch, ch) for ch in letters]
    else:
        said = list(letters)
    if digits:
        said.append(str(int(digits)))
    return speakable(lang, " ".join(said))


def spoken_counter(lang: str, counter: str | int) -> str:
    """A counter's number as a number in ``lang`` (``12`` → twelve, じゅうに, labindalawa); a letter as a letter."""
    text = str(counter)
    if text.isdigit():
        return speakable(lang, str(int(text)))
    return spoken_ticket_number(lang, text)


def speakable(lang: str, text: str) -> str:
    """``text`` rewritten so that ``lang``'s voice says its numbers in ``lang`` (see the module's docstring)."""
    if not is_shipped(lang):
        return text
    if lang == "ne":
        return text.translate(_DEVANAGARI)
    if lang == "zh-Hans":
        return _NUMBER.sub(lambda m: chinese_number(int(m.group())), text)
    if lang == "tl":
        return _NUMBER.sub(lambda m: tagalog_number(int(m.group())), text)
    if lang == "vi":
        return _NUMBER.sub(lambda m: vietnamese_number(int(m.group())), text)
    return text


# ---------------------------------------------------------------------------------------------- Chinese
_ZH_DIGITS = "零一二三四五六七八九"
_ZH_UNITS = ("", "十", "百", "千")


def chinese_number(n: int) -> str:
    """``106`` → 一百零六, ``15`` → 十五, ``1010`` → 一千零一十; beyond 9999 digit by digit (never a ticket)."""
    if n == 0:
        return "零"
    if n > 9999:
        return "".join(_ZH_DIGITS[int(d)] for d in str(n))
    digits = [int(d) for d in str(n)]
    out: list[str] = []
    zero_pending = False
    for i, d in enumerate(digits):
        unit = _ZH_UNITS[len(digits) - 1 - i]
        if d == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        # 十五, not 一十五, at the head of a number (一百一十 inside one); 两千, 两百 at the head
        if d == 1 and unit == "十" and not out:
            out.append(unit)
        else:
            out.append(("两" if d == 2 and unit in ("百", "千") and not out else _ZH_DIGITS[d]) + unit)
    return "".join(out)


# ---------------------------------------------------------------------------------------------- Tagalog
_TL_ONES = ("sero", "isa", "dalawa", "tatlo", "apat", "lima", "anim", "pito", "walo", "siyam")
_TL_TEENS = (
    "sampu",
    "labing-isa",
    "labindalawa",
    "labintatlo",
    "labing-apat",
    "labinlima",
    "labing-anim",
    "labimpito",
    "labingwalo",
    "labinsiyam",
)
_TL_TENS = ("", "", "dalawampu", "tatlumpu", "apatnapu", "limampu", "animnapu", "pitumpu", "walumpu", "siyamnapu")


def _tl_linked(word: str, noun: str) -> str:
    """The linker before a unit word: ``isang daan``, ``apat na raan`` (daan → raan after a vowel sound)."""
    if word[-1] in "aeiou":
        return f"{word}ng {noun}"
    return f"{word} na {'raan' if noun == 'daan' else noun}"


def _tl_below_100(n: int) -> str:
    if n < 10:
        return _TL_ONES[n]
    if n < 20:
        return _TL_TEENS[n - 10]
    tens, ones = divmod(n, 10)
    return _TL_TENS[tens] + (f" at {_TL_ONES[ones]}" if ones else "")


def tagalog_number(n: int) -> str:
    """Native Tagalog cardinals: ``6`` anim, ``15`` labinlima, ``106`` isang daan at anim, ``400`` apat na raan."""
    if n < 100:
        return _tl_below_100(n)
    if n >= 10000:
        return " ".join(_TL_ONES[int(d)] for d in str(n))
    parts: list[str] = []
    thousands, rest = divmod(n, 1000)
    if thousands:
        parts.append(_tl_linked(_TL_ONES[thousands], "libo"))
    hundreds, rest = divmod(rest, 100)
    if hundreds:
        parts.append(_tl_linked(_TL_ONES[hundreds], "daan"))
    if rest:
        parts.append("at " + _tl_below_100(rest))
    return " ".join(parts)


# ---------------------------------------------------------------------------------------------- Vietnamese
_VI_ONES = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _vi_below_100(n: int) -> str:
    if n < 10:
        return _VI_ONES[n]
    tens, ones = divmod(n, 10)
    head = "mười" if tens == 1 else f"{_VI_ONES[tens]} mươi"
    if ones == 0:
        return head
    # after a ten, 5 is "lăm" and (from twenty on) 1 is "mốt"
    tail = "lăm" if ones == 5 else "mốt" if ones == 1 and tens > 1 else _VI_ONES[ones]
    return f"{head} {tail}"


def vietnamese_number(n: int) -> str:
    """``15`` mười lăm, ``21`` hai mươi mốt, ``106`` một trăm linh sáu, ``1005`` một nghìn không trăm linh năm."""
    if n < 100:
        return _vi_below_100(n)
    if n >= 10000:
        return " ".join(_VI_ONES[int(d)] for d in str(n))
    thousands, rest = divmod(n, 1000)
    hundreds, below = divmod(rest, 100)
    parts: list[str] = []
    if thousands:
        parts.append(f"{_VI_ONES[thousands]} nghìn")
    if hundreds or (thousands and below):
        parts.append(f"{_VI_ONES[hundreds]} trăm")
    if below:
        parts.append(("linh " if below < 10 else "") + _vi_below_100(below))
    return " ".join(parts)
