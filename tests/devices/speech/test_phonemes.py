"""What each language's voice says for a set of announcements, read from its phonemes: numbers as numbers.

The announcement is rendered to phonemes by the voice the synthesiser uses (espeak-ng ``-x``, pyopenjtalk's
``g2p``) and compared with the same sentence where the ticket number and the counter are written out by hand as
the number words of the language ("C one hundred six", 「シー ひゃくろく」, "isang daan at anim"). Equal phonemes mean
the voice says those words: never "minus zero zero six", never English numbers in Nepali, never 一百六 for 106.
Spanish, Portuguese, Korean and Nepali get a near match: espeak-ng's number rules give allophones of what its
dictionary gives for the written word (ciento: sjento/sjEnto, 삼번: sam p@n/samb@n, पन्ध्र: pVndr@/pVnd#r@); the
last test shows that a wrong reading falls well below that bar.
"""

from __future__ import annotations

import difflib
import re
import subprocess

import pytest

from madoguchi.devices.speech.voice import PYOPENJTALK, announcement_text
from madoguchi.translations.catalog import translate
from madoguchi.translations.languages import codes, language
from madoguchi.translations.spoken import speakable, spoken_counter, spoken_ticket_number

CASES = (("A-006", 3), ("B-015", 12), ("C-106", 7))

#: (ticket number, counter) as the language's number words, for each of CASES
WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "ja": (("エー ろく", "さん"), ("ビー じゅうご", "じゅうに"), ("シー ひゃくろく", "なな")),
    "ja-easy": (("エー ろく", "さん"), ("ビー じゅうご", "じゅうに"), ("シー ひゃくろく", "なな")),
    "en": (("A six", "three"), ("B fifteen", "twelve"), ("C one hundred six", "seven")),
    "zh-Hans": (("A 六", "三"), ("B 十五", "十二"), ("C 一百零六", "七")),
    "ko": (("A 육", "삼"), ("B 십오", "십이"), ("C 백육", "칠")),
    "pt-BR": (("A seis", "três"), ("B quinze", "doze"), ("C cento e seis", "sete")),
    "es": (("A seis", "tres"), ("B quince", "doce"), ("C ciento seis", "siete")),
    "vi": (("A sáu", "ba"), ("B mười lăm", "mười hai"), ("C một trăm linh sáu", "bảy")),
    "tl": (("ey anim", "tatlo"), ("bi labinlima", "labindalawa"), ("si isang daan at anim", "pito")),
    "ne": (("A छ", "तीन"), ("B पन्ध्र", "बाह्र"), ("C एक सय छ", "सात")),
}


#: languages whose number words come out as allophones of the written words (see above), and the bar they pass
NEAR = frozenset({"es", "pt-BR", "ko", "ne"})
NEAR_RATIO = 0.85


def phonemes(lang: str, text: str, *, as_sent: bool = True) -> str:
    """What the voice of ``lang`` says for ``text``, as the synthesiser sends it (``as_sent=False``: raw)."""
    voice = language(lang).voice
    assert voice is not None, lang
    if voice == PYOPENJTALK:
        import pyopenjtalk

        return str(pyopenjtalk.g2p(text, kana=True))
    done = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", voice, "--", speakable(lang, text) if as_sent else text],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return done.stdout


def _squeezed(said: str) -> str:
    """Phonemes without stress marks, pauses and word gaps (they shift with the neighbouring words)."""
    return re.sub(r"[\s'’,_|!:;#]", "", said)


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _squeezed(a), _squeezed(b)).ratio()


def test_every_kiosk_language_has_a_set_of_number_words() -> None:
    assert set(WORDS) == set(codes())


def _span(lang: str, number: str, counter: str) -> str:
    """The number and the counter alone, as the voice says them (no sentence around them to blur the match)."""
    return phonemes(lang, f"{number}. {counter}")


@pytest.mark.parametrize("lang", sorted(WORDS))
def test_announcements_say_numbers_as_the_language_says_them(lang: str) -> None:
    for (number, counter), (number_words, counter_words) in zip(CASES, WORDS[lang], strict=True):
        said = phonemes(lang, announcement_text(lang, number, counter))
        reference = translate(lang, "announce.call.spoken", number_spoken=number_words, counter_spoken=counter_words)
        expected = phonemes(lang, reference)
        if lang in NEAR:
            span = _span(lang, spoken_ticket_number(lang, number), spoken_counter(lang, counter))
            assert similarity(span, _span(lang, number_words, counter_words)) >= NEAR_RATIO, (number, span)
            assert said.count("(en)") == expected.count("(en)"), said  # English for a letter at most, as written
        else:
            assert _squeezed(said) == _squeezed(expected), (number, said, expected)


@pytest.mark.parametrize(
    ("lang", "wrong", "words"),
    [
        ("ne", ("A 6", "3"), ("A छ", "तीन")),  # Latin digits: espeak-ng says "six", "three" in English
        ("es", ("C, 1, 0, 6", "7"), ("C ciento seis", "siete")),  # digit by digit
        ("pt-BR", ("A, 0, 0, 6", "3"), ("A seis", "três")),
        ("ko", ("A, 0, 0, 6", "3"), ("A 육", "삼")),
    ],
)
def test_the_near_match_fails_on_the_old_readings(lang: str, wrong: tuple[str, str], words: tuple[str, str]) -> None:
    """What the kiosk said before (digit by digit, English numbers in Nepali) does not pass the near-match bar."""

    said = phonemes(lang, f"{wrong[0]}. {wrong[1]}", as_sent=False)
    assert similarity(said, _span(lang, *words)) < NEAR_RATIO


def test_the_exact_match_fails_on_the_old_readings() -> None:
    old_ja = "エー、ゼロ、ゼロ、ロク、ばんの かた、さんばん まどぐちへ おこしください。"
    right = translate("ja", "announce.call.spoken", number_spoken="エー ろく", counter_spoken="さん")
    assert _squeezed(phonemes("ja", old_ja)) != _squeezed(phonemes("ja", right))
    # espeak-ng reading the digits itself says 一百六 (160) for 106
    raw = phonemes("zh-Hans", "C 106号", as_sent=False)
    assert _squeezed(raw) != _squeezed(phonemes("zh-Hans", "C 一百零六号"))


def test_japanese_number_and_ban_are_one_phrase() -> None:
    """No pause between the number and 番: 「エーロクバンノカタ」 in one breath."""
    said = phonemes("ja", announcement_text("ja", "A-006", 3))
    assert "エーロクバンノカタ、サンバンマドグチエ" in said, said
