from __future__ import annotations

import wave
from pathlib import Path

import pytest

from madoguchi.devices.speech.voice import (
    VoiceSynthesizer,
    announcement_text,
    espeak_available,
    spoken_counter,
    spoken_ticket_number,
    synthesize_announcement,
)


def test_ticket_numbers_are_spoken_character_by_character() -> None:
    assert spoken_ticket_number("ja", "A-015") == "エー、ゼロ、イチ、ゴ"
    assert spoken_ticket_number("ja-easy", "B203") == "ビー、ニ、ゼロ、サン"
    assert spoken_ticket_number("en", "A-015") == "A, 0, 1, 5"


def test_counters_are_spoken_as_numbers() -> None:
    assert spoken_counter("ja", 3) == "さん"
    assert spoken_counter("ja", 12) == "じゅうに"
    assert spoken_counter("ja", "20") == "にじゅう"
    assert spoken_counter("ja", "C") == "シー"
    assert spoken_counter("en", 12) == "12"


def test_japanese_announcement_has_every_reading_written_out() -> None:
    text = announcement_text("ja", "A-015", 3)
    assert text == "うけつけばんごう、エー、ゼロ、イチ、ゴ、ばんの かた。さんばん まどぐちへ、おこしください。"
    assert not any("0" <= ch <= "9" or "A" <= ch <= "Z" for ch in text)


def _wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as clip:
        assert clip.getnchannels() == 1 and clip.getsampwidth() == 2
        return clip.getnframes() / clip.getframerate()


def test_japanese_announcement_is_synthesised_offline_and_cached(tmp_path: Path, no_network: list[str]) -> None:
    voice = VoiceSynthesizer(tmp_path)
    first = voice.synthesize_announcement("ja", "A-015", 3)
    assert no_network == []  # pyopenjtalk-plus bundles its dictionary: nothing is fetched
    assert first.voiced and len(first.paths) == 2
    chime, speech = first.paths
    assert _wav_seconds(chime) > 0.5
    assert _wav_seconds(speech) > 2.0
    stamp = speech.stat().st_mtime_ns
    again = voice.synthesize_announcement("ja", "A-015", 3)
    assert again.paths == first.paths and speech.stat().st_mtime_ns == stamp
    assert first.display_text == "受付番号A-015番の方、3番窓口へお越しください"


@pytest.mark.skipif(not espeak_available(), reason="espeak-ng not installed")
def test_other_languages_use_espeak(tmp_path: Path) -> None:
    paths = synthesize_announcement(tmp_path, "pt-BR", "A-015", 3)
    assert len(paths) == 2 and _wav_seconds(paths[1]) > 1.0
    assert paths[1].name.startswith("pt-br-")


def test_language_without_offline_voice_gets_chime_and_text(tmp_path: Path) -> None:
    announcement = VoiceSynthesizer(tmp_path).synthesize_announcement("tl", "A-015", 3)
    assert not announcement.voiced
    assert [p.name for p in announcement.paths] == ["chime.wav"]
    assert announcement.display_text == "Numero A-015, pumunta po sa counter 3"


def test_voice_is_usable_from_worker_threads(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    voice = VoiceSynthesizer(tmp_path)
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda n: voice.synthesize_announcement("ja", f"B-00{n}", 2), range(3)))
    assert len({a.paths[1] for a in results}) == 3
    assert all(_wav_seconds(a.paths[1]) > 1.0 for a in results)
