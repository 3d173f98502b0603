"""Character normalisation for form input, per field kind.

Two strategies, chosen per kind (docs: ``docs/payload-format.md``, "Normalisation"):

* **Full NFKC** for machine-like values (dates, numbers, phone numbers, postal codes, kana readings): full-width
  digits and letters become ASCII, half-width katakana become full-width, era ligatures (㋿ ㍼) become 令和 昭和.
* **Width folding only** for names, addresses and other free text. NFKC would also rewrite CJK compatibility
  ideographs (神 U+FA19 → 神 U+795E) and enclosed characters, and in a name or place name the exact glyph matters
  (異体字), so only full-width ASCII (！–～) is folded to ASCII and half-width katakana to full-width.

Addresses: block numbers are kept as the resident wrote them in words (一丁目, 2番3号), digits are folded to
ASCII ("１－２－３" → "1-2-3") and dash look-alikes between digits become "-" ("1ー2" → "1-2"), so the same
address typed on a phone or read from the card compares equal.
"""

from __future__ import annotations

import re
import unicodedata

#: half-width katakana block, including the half-width voiced marks and the half-width long vowel mark
_HALF_KATAKANA = re.compile(r"[\uff61-\uff9f]+")
_FULL_ASCII = re.compile(r"[\uff01-\uff5e]")
#: control characters and other invisible format characters a resident cannot mean to type
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_SPACES = re.compile(r"[\s\u3000]+")
#: dashes residents use between digits (hyphen, minus, full-width hyphen-minus, katakana long vowel, bars)
_DASHES = "\u002d\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u30fc\uff70\u2500\u2501"
_DASH_BETWEEN_DIGITS = re.compile(rf"(?<=[0-9])\s*[{_DASHES}]\s*(?=[0-9])")
_HIRAGANA = re.compile(r"[\u3041-\u3096\u309d\u309e]")
#: in kana readings, everything that looks like a long vowel mark or dash after a kana becomes ー
_KANA_DASHES = re.compile(r"[\u002d\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\uff70\u301c\uff5e~]")


def has_control_characters(text: str) -> bool:
    """True when the text holds control or invisible format characters (newlines are not allowed either)."""
    return bool(_CONTROL.search(text)) or "\n" in text or "\r" in text or "\t" in text


def fold_width(text: str) -> str:
    """Full-width ASCII → ASCII and half-width katakana → full-width; every other character is kept as is."""
    text = _FULL_ASCII.sub(lambda m: chr(ord(m.group()) - 0xFEE0), text)
    return _HALF_KATAKANA.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def collapse_spaces(text: str, space: str = " ") -> str:
    """Trim, and turn every run of white space (incl. the ideographic space U+3000) into one ``space``."""
    return _SPACES.sub(space, text).strip(" \u3000")


def normalize_text(text: str) -> str:
    """Names and free text: width folding, single ASCII spaces."""
    return collapse_spaces(fold_width(text))


def normalize_address(text: str) -> str:
    """Addresses: width folding, single spaces, dash look-alikes between digits → "-"."""
    folded = collapse_spaces(fold_width(text))
    return _DASH_BETWEEN_DIGITS.sub("-", folded)


def normalize_machine(text: str) -> str:
    """Dates, numbers, phone numbers, postal codes: full NFKC, trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def normalize_kana(text: str) -> str:
    """Kana readings: NFKC (half-width → full-width), hiragana → katakana, dashes → ー, one full-width space."""
    text = unicodedata.normalize("NFKC", text)
    text = _HIRAGANA.sub(lambda m: chr(ord(m.group()) + 0x60), text)
    text = _KANA_DASHES.sub("\u30fc", text)
    return collapse_spaces(text, "\u3000")
