"""Where a line may break: at phrase boundaries for Japanese and Chinese (BudouX), at spaces elsewhere, with
the Japanese line-breaking rules (kinsoku: no line starts with 。」・ー or a small kana, none ends with 「（).

``pieces(text, lang)`` cuts a text into units that must stay on one line and runs of white space; a line may
break between any two of them, and white space at a break is dropped. Korean keeps whole words (keep-all), as
Korean typesetting does. A unit wider than a line is broken by :func:`characters` (between characters, still
obeying kinsoku) as a last resort. No Qt here: the kiosk's labels, the printed ticket and the phone page share it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

#: never at the start of a line (JIS X 4051 行頭禁則, the strict set)
NO_LINE_START = frozenset(
    "、。，．,.）)」』】〕〉》］]｝}！？!?‼⁇ー〜～・･：；:;％%‰°′″℃ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
    "ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻ゝゞヽヾ…‥"
)
#: never at the end of a line (行末禁則)
NO_LINE_END = frozenset("（(「『【〔〈《［[｛{")
#: white space a line may break at: not the no-break spaces (U+00A0, U+2007, U+202F in "10:15\u202fAM")
BREAKING_SPACE = re.compile(r"([^\S\u00a0\u2007\u202f]+)")
_KANA = re.compile(r"[\u3040-\u30ff\uff66-\uff9f]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
# Between these a line must not break (a number and its unit or range: 「0〜10分」「3番」「A-015」).
_DIGIT = re.compile(r"[0-9０-９A-Za-z]")


def _phrase_model(text: str, lang: str | None) -> str | None:
    """ "ja", "zh" or None (break at spaces only) for this text."""
    if _KANA.search(text):
        return "ja"
    if _HAN.search(text):
        return "zh" if lang in ("zh-Hans", "zh") else "ja"
    return None


@functools.cache
def _parser(model: str) -> Any:
    import budoux

    return budoux.load_default_japanese_parser() if model == "ja" else budoux.load_default_simplified_chinese_parser()


# Inside a phrase, a line may also break after these separators (「写し・記載事項証明書」「目安：15〜30分」).
_AFTER_SEPARATOR = re.compile(r"(?<=[・、，：])")


def _phrases(chunk: str, lang: str | None) -> list[str]:
    model = _phrase_model(chunk, lang)
    if model is None:
        return [chunk]
    out: list[str] = []
    for phrase in _parser(model).parse(chunk):
        # BudouX reads 東京都 as 東|京都 (Kyoto): a lone kanji never ends a phrase that more kanji continue
        if model == "ja" and out and len(out[-1]) == 1 and _HAN.match(out[-1]) and _HAN.match(phrase):
            phrase = out.pop() + phrase
        out.extend(part for part in _AFTER_SEPARATOR.split(phrase) if part)
    return out


def _may_break(before: str, after: str) -> bool:
    """Kinsoku and a few unbreakable pairs, between the last character of one piece and the first of the next."""
    if not before or not after:
        return True
    if after[0] in NO_LINE_START or before[-1] in NO_LINE_END:
        return False
    return not (_DIGIT.match(before[-1]) and _DIGIT.match(after[0]))


def _glue(parts: Iterable[str]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if out and not out[-1].isspace() and not part.isspace() and not _may_break(out[-1], part):
            out[-1] += part
        elif len(out) >= 2 and out[-1].isspace() and not part.isspace() and part[0] in NO_LINE_START:
            out[-2:] = [out[-2] + out[-1] + part]  # 「0人待ち ・」: not even a space lets ・ start a line
        else:
            out.append(part)
    return out


@functools.lru_cache(maxsize=4096)
def _pieces(text: str, lang: str | None) -> tuple[str, ...]:
    parts: list[str] = []
    for chunk in BREAKING_SPACE.split(text):
        if not chunk:
            continue
        if chunk.isspace():
            parts.append(chunk)
        else:
            parts.extend(_phrases(chunk, lang))
    return tuple(_glue(parts))


def pieces(text: str, lang: str | None = None) -> list[str]:
    """``"番号札をお取りください"`` → ``["番号札を", "お取りください"]``; ``"Please wait"`` → ``["Please", " ",
    "wait"]``.

    Joined they give ``text`` back. ``lang`` picks the Chinese model for Han-only text in ``zh-Hans``; Japanese
    is recognised by its kana (and is the default for Han-only text), so a Japanese word in an English text
    is still kept whole.
    """
    return list(_pieces(text, lang))


_AUXILIARY = re.compile(r"(?<=.)(?=ください|ません|ます)")


def _script(ch: str) -> str:
    if _HAN.match(ch) or ch in "々〆ヶ":
        return "han"
    if "\u3040" <= ch <= "\u309f":
        return "hiragana"
    if "\u30a0" <= ch <= "\u30ff" or "\uff66" <= ch <= "\uff9f":
        return "katakana"
    return "other"


def script_runs(unit: str) -> list[str]:
    """A phrase wider than a line, cut where the script changes (``入力|してください``, ``マイナンバーカード|交付``)
    before any cut between characters; kinsoku still holds."""
    runs: list[str] = []
    for ch in unit:
        if runs and (_script(runs[-1][-1]) == _script(ch) or ch in NO_LINE_START):
            runs[-1] += ch
        else:
            runs.append(ch)
    # Inside kana, the request or the polite ending is a word of its own: かざして|ください, 使え|ません.
    return _glue(part for run in runs for part in _AUXILIARY.split(run) if part)


def characters(unit: str) -> list[str]:
    """A unit that does not fit a line, cut between characters where kinsoku allows (ー, 。 stay attached)."""
    return _glue(unit)


def breaks(text: str, lang: str | None = None) -> list[int]:
    """Offsets where a line may start (after white space, or at a phrase boundary)."""
    offsets, pos = [], 0
    for piece in pieces(text, lang):
        if pos and not piece.isspace():
            offsets.append(pos)
        pos += len(piece)
    return offsets


def needs_phrase_layout(text: str) -> bool:
    """True for text a plain Unicode line breaker would split inside words: Japanese, Chinese, Korean."""
    return bool(_KANA.search(text) or _HAN.search(text) or _HANGUL.search(text))


def html_with_breaks(escaped_pieces: Iterable[str]) -> str:
    """Pieces (already HTML-escaped) as HTML that a browser breaks only between them: each phrase of more than
    one character in ``<span class="w">`` (styled ``display:inline-block``: whole, unless wider than a line)
    and ``<wbr>`` where phrases meet without a space. ``word-break: keep-all`` alone still breaks after 〜."""
    out: list[str] = []
    previous = ""
    for piece in escaped_pieces:
        if out and not piece.isspace() and not previous.isspace():
            out.append("<wbr>")
        out.append(f'<span class="w">{piece}</span>' if len(piece) > 1 and not piece.isspace() else piece)
        previous = piece
    return "".join(out)
