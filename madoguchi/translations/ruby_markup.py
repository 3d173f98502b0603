"""Ruby (furigana) carried in plain strings, with Unicode's interlinear annotation characters.

``\\ufff9受付\\ufffaうけつけ\\ufffb`` (:func:`annotate`) travels through every API that takes a ``str``
(``setText``, message parameters); Qt widgets that understand it draw ruby (``madoguchi.qt.ruby_text``), and
:func:`plain_text` / :func:`spoken_text` give the text without readings / in kana (read-aloud). No Qt here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from madoguchi.translations.furigana import Segment

ANCHOR, SEPARATOR, TERMINATOR = "\ufff9", "\ufffa", "\ufffb"
_ANNOTATION = re.compile(f"{ANCHOR}([^{SEPARATOR}]*){SEPARATOR}([^{TERMINATOR}]*){TERMINATOR}")


def annotate(segments: Sequence[Segment]) -> str:
    """Segments as one string, readings as interlinear annotations (what ``RubyText`` widgets draw)."""
    return "".join(f"{ANCHOR}{s}{SEPARATOR}{r}{TERMINATOR}" if r else s for s, r in segments)


_PAREN_READING = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]+)（([\u3041-\u3096ー]+)）")


def annotate_parens(text: str) -> str:
    """Readings written the leaflet way, ``住民票（じゅうみんひょう）``, as annotations over the kanji before them."""
    return _PAREN_READING.sub(lambda m: f"{ANCHOR}{m.group(1)}{SEPARATOR}{m.group(2)}{TERMINATOR}", text)


_ANNOTATION_CHARACTERS = str.maketrans("", "", ANCHOR + SEPARATOR + TERMINATOR)


def without_annotations(text: str) -> str:
    """Text from outside (a resident's card or code) with any annotation characters dropped: it is shown as
    written, never read as readings (a code could otherwise put a made-up reading over a name)."""
    return text.translate(_ANNOTATION_CHARACTERS)


def has_ruby(text: str) -> bool:
    return ANCHOR in text


def parse(text: str) -> list[Segment]:
    """The segments of an annotated string (plain text is one segment without reading)."""
    segments: list[Segment] = []
    pos = 0
    for match in _ANNOTATION.finditer(text):
        if match.start() > pos:
            segments.append((text[pos : match.start()], None))
        segments.append((match.group(1), match.group(2) or None))
        pos = match.end()
    if pos < len(text):
        segments.append((text[pos:], None))
    return segments


def plain_text(text: str) -> str:
    """The text as written, readings dropped (``受付``)."""
    return _ANNOTATION.sub(r"\1", text)


def spoken_text(text: str) -> str:
    """The text with readings in place of their kanji (``うけつけ``), for read-aloud."""
    return _ANNOTATION.sub(r"\2", text)
