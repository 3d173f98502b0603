from __future__ import annotations

import subprocess

import pytest
from babel import Locale

from madoguchi.devices.speech.voice import espeak_available
from madoguchi.translations.languages import LANGUAGES, codes, language


def test_the_ten_shipped_languages_in_picker_order() -> None:
    assert codes() == ("ja", "ja-easy", "en", "zh-Hans", "ko", "pt-BR", "es", "vi", "tl", "ne")


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
def test_registry_entries_are_usable(lang) -> None:  # type: ignore[no-untyped-def]
    Locale.parse(lang.babel_locale)
    assert lang.direction in ("ltr", "rtl")
    assert lang.native_name and lang.font_family


def test_native_names_are_in_their_own_script() -> None:
    assert language("ja").native_name == "日本語"
    assert language("zh-Hans").native_name == "简体中文"
    assert language("ko").native_name == "한국어"
    assert language("ne").native_name == "नेपाली"
    assert language("vi").native_name == "Tiếng Việt"


@pytest.mark.skipif(not espeak_available(), reason="espeak-ng not installed")
def test_espeak_voices_named_in_the_registry_exist() -> None:
    listed = subprocess.run(["espeak-ng", "--voices"], capture_output=True, text=True, check=True).stdout
    names = {line.split()[1] for line in listed.splitlines()[1:] if line.split()}
    for lang in LANGUAGES:
        if lang.voice not in (None, "pyopenjtalk"):
            assert lang.voice in names, lang.code
    # espeak-ng has no Tagalog voice: the stated fallback is the Indonesian one (languages.py says why)
    assert language("tl").voice == "id"
    assert language("zh-Hans").voice == "cmn-latn-pinyin"  # "cmn" reads pinyin as English
    assert all(lang.voice for lang in LANGUAGES), "every kiosk language is spoken"
