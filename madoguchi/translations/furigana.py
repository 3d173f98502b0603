"""Readings (furigana) for Japanese text: fugashi + unidic-lite, a hand-written override table, ruby rendering.

Readings of the easy-Japanese catalog are generated once into ``catalogs/ja-easy.readings.json`` (``python -m
madoguchi.translations.tools readings``) so kiosks never need the analyser at run time, and a person can correct them by
editing ``catalogs/readings.overrides.json`` (surface → hiragana) and regenerating.
"""

from __future__ import annotations

import html
import json
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

CATALOG_DIR = Path(__file__).resolve().parent / "catalogs"
OVERRIDES_PATH = CATALOG_DIR / "readings.overrides.json"
EASY_READINGS_PATH = CATALOG_DIR / "ja-easy.readings.json"

# A segment is (surface, reading); reading is None for text that needs no furigana (kana, digits, placeholders).
Segment = tuple[str, str | None]

_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]")
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_tagger_lock = threading.Lock()


def has_kanji(text: str) -> bool:
    return _KANJI.search(text) is not None


def to_hiragana(katakana: str) -> str:
    return "".join(chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in katakana)


@cache
def _tagger() -> Any:
    import fugashi  # heavy (loads the dictionary): only where readings are generated

    return fugashi.Tagger()


@cache
def load_overrides(path: Path = OVERRIDES_PATH) -> Mapping[str, str]:
    """Surface → hiragana reading, for words the analyser gets wrong (``番号札`` → ``ばんごうふだ``)."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {surface: reading for surface, reading in data.items() if not surface.startswith("_")}


def split_okurigana(surface: str, reading: str) -> list[Segment]:
    """``写し``/``うつし`` → ``[("写", "うつ"), ("し", None)]``: ruby only over the kanji part."""
    head = 0
    while head < len(surface) and head < len(reading) and not has_kanji(surface[head]):
        if surface[head] != reading[head]:
            break
        head += 1
    tail = 0
    while (
        tail < len(surface) - head
        and tail < len(reading) - head
        and not has_kanji(surface[-1 - tail])
        and to_hiragana(surface[-1 - tail]) == reading[-1 - tail]
    ):
        tail += 1
    segments: list[Segment] = []
    if head:
        segments.append((surface[:head], None))
    core = surface[head : len(surface) - tail]
    core_reading = reading[head : len(reading) - tail]
    if core:
        segments.append((core, core_reading if has_kanji(core) and core_reading else None))
    if tail:
        segments.append((surface[len(surface) - tail :], None))
    return segments


def _analyse(text: str, overrides: Mapping[str, str]) -> list[Segment]:
    """Readings for plain text (no placeholders) using overrides first, then the analyser."""
    if not has_kanji(text):
        return [(text, None)]
    for surface in sorted(overrides, key=len, reverse=True):
        index = text.find(surface)
        if index >= 0:
            return [
                *(_analyse(text[:index], overrides) if index else []),
                *split_okurigana(surface, overrides[surface]),
                *(_analyse(text[index + len(surface) :], overrides) if index + len(surface) < len(text) else []),
            ]
    segments: list[Segment] = []
    with _tagger_lock:
        words = [(word.surface, word.feature.kana, word.white_space) for word in _tagger()(text)]
    for surface, kana, white_space in words:
        if white_space:
            segments.append((white_space, None))
        if has_kanji(surface) and kana:
            segments.extend(split_okurigana(surface, to_hiragana(kana)))
        else:
            segments.append((surface, None))
    consumed = sum(len(surface) for surface, _ in segments)
    if consumed < len(text):
        # fugashi only reports whitespace *before* a word; keep what trails the text.
        segments.append((text[consumed:], None))
    return segments


def readings(text: str, overrides: Mapping[str, str] | None = None) -> list[Segment]:
    """Segments of ``text`` with hiragana readings over kanji; placeholders like ``{count}`` stay as they are.

    A placeholder is analysed as the digit 3 so counters after it read as counters (``{count}人`` → にん).
    """
    table = load_overrides() if overrides is None else overrides
    parts = _PLACEHOLDER.split(text)
    fields = _PLACEHOLDER.findall(text)
    segments: list[Segment] = []
    for index, part in enumerate(parts):
        if part:
            prefix = "3" if index > 0 else ""
            analysed = _analyse(prefix + part, table)
            if prefix:
                analysed = _drop_prefix(analysed, len(prefix))
            segments.extend(analysed)
        if index < len(fields):
            segments.append((fields[index], None))
    return merge(segments)


def _drop_prefix(segments: list[Segment], length: int) -> list[Segment]:
    surface, reading = segments[0]
    rest = surface[length:]
    return ([(rest, reading)] if rest else []) + segments[1:]


def merge(segments: Iterable[Segment]) -> list[Segment]:
    """Join neighbouring segments without readings so stored readings stay short and readable."""
    merged: list[Segment] = []
    for surface, reading in segments:
        if reading is None and merged and merged[-1][1] is None:
            merged[-1] = (merged[-1][0] + surface, None)
        elif surface:
            merged.append((surface, reading))
    return merged


def ruby_html(text_or_segments: str | Sequence[Segment]) -> str:
    """HTML with ``<ruby>漢字<rt>かんじ</rt></ruby>`` for browsers (the phone page, the web board)."""
    segments = readings(text_or_segments) if isinstance(text_or_segments, str) else text_or_segments
    return "".join(
        f"<ruby>{html.escape(surface)}<rt>{html.escape(reading)}</rt></ruby>" if reading else html.escape(surface)
        for surface, reading in segments
    )


def paren_text(text_or_segments: str | Sequence[Segment]) -> str:
    """``漢字（かんじ）`` fallback for places that cannot draw ruby (printed tickets, plain Qt labels)."""
    segments = readings(text_or_segments) if isinstance(text_or_segments, str) else text_or_segments
    grouped: list[list[str]] = []  # neighbouring words share one parenthesis: 印鑑登録（いんかんとうろく）
    for surface, reading in segments:
        if reading and grouped and grouped[-1][1]:
            grouped[-1][0] += surface
            grouped[-1][1] += reading
        else:
            grouped.append([surface, reading or ""])
    return "".join(f"{surface}（{reading}）" if reading else surface for surface, reading in grouped)


def reading_text(text_or_segments: str | Sequence[Segment]) -> str:
    """The whole text in kana (for read-aloud and for checks)."""
    segments = readings(text_or_segments) if isinstance(text_or_segments, str) else text_or_segments
    return "".join(reading or surface for surface, reading in segments)


def fill(segments: Sequence[Segment], **params: object) -> list[Segment]:
    """Substitute placeholder segments (``{count}``) with values, keeping the readings of the rest."""
    filled: list[Segment] = []
    for surface, reading in segments:
        if reading is None and "{" in surface:
            filled.append((surface.format_map(_Keep({k: str(v) for k, v in params.items()})), None))
        else:
            filled.append((surface, reading))
    return _counted_people(filled)


_PEOPLE = {"1": "ひとり", "2": "ふたり"}
#: 分 after a number ending in these digits reads ぷん (いっぷん, さんぷん, よんぷん, ろっぷん, はっぷん, じゅっぷん)
_PUN = frozenset("134680")


def _counted_people(segments: list[Segment]) -> list[Segment]:
    """Counters read as the number makes them: 1人 and 2人 are ひとり and ふたり (the number joins 人 under one
    reading), 分 is ぷん after 1, 3, 4, 6, 8 and 0 (3分 さんぷん), ふん after the others."""
    out: list[Segment] = []
    for surface, reading in segments:
        previous = out[-1] if out else None
        before = previous[0] if previous is not None and previous[1] is None else ""
        if surface == "人" and reading == "にん" and previous is not None:
            number = re.search(r"(?<![0-9０-９])[12]$", before)
            if number is not None:
                out[-1] = (before[: number.start()], None)
                out.append((number.group() + surface, _PEOPLE[number.group()]))
                continue
        if surface == "分" and reading in ("ふん", "ぷん") and before[-1:].isdigit():
            reading = "ぷん" if before[-1] in _PUN else "ふん"
        out.append((surface, reading))
    return [segment for segment in out if segment[0]]


class _Keep(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# ---- stored readings of the easy-Japanese catalog -------------------------------------------------------


def generate_catalog_readings(messages: Mapping[str, str]) -> dict[str, list[list[str | None]]]:
    return {msgid: [[s, r] for s, r in readings(text)] for msgid, text in sorted(messages.items())}


def write_catalog_readings(messages: Mapping[str, str], path: Path = EASY_READINGS_PATH) -> None:
    data = generate_catalog_readings(messages)
    # One message per line keeps the file reviewable and its diffs small.
    lines = [f" {json.dumps(msgid)}: {json.dumps(segments, ensure_ascii=False)}" for msgid, segments in data.items()]
    path.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


@cache
def stored_readings(path: Path = EASY_READINGS_PATH) -> Mapping[str, tuple[Segment, ...]]:
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {msgid: tuple((str(s), r) for s, r in segments) for msgid, segments in data.items()}


def message_segments(msgid: str, **params: object) -> list[Segment]:
    """Stored readings of an easy-Japanese message with its placeholders filled (no analyser needed)."""
    from madoguchi.translations.catalog import default_catalogs

    stored = stored_readings().get(msgid)
    if stored is None:
        # Not generated yet (new message): analyse now rather than show kanji without readings.
        stored = tuple(readings(default_catalogs().template("ja-easy", msgid)))
    return fill(stored, **params)


def message_ruby_html(msgid: str, **params: object) -> str:
    return ruby_html(message_segments(msgid, **params))
