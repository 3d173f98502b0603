from __future__ import annotations

import wave
from pathlib import Path

import pytest

from madoguchi.devices.speech.voice import (
    VoiceSynthesizer,
    announcement_text,
    espeak_available,
    synthesize_announcement,
)


def test_japanese_announcement_has_its_readings_written_out() -> None:
    text = announcement_text("ja", "A-015", 3)
    # the number as a number (pyopenjtalk reads 15 ジューゴ), 番 and 方 as kana (it reads 番の方 バンノホー)
    assert text == "エー 15ばんの かた、3ばん まどぐちへ おこしください。"
    assert not any("A" <= ch <= "Z" for ch in text)
    assert announcement_text("ja", "A-015", 3, short=True) == "エー 15ばん、3ばん まどぐちへ。"


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


@pytest.mark.skipif(not espeak_available(), reason="espeak-ng not installed")
def test_tagalog_is_spoken_through_the_stated_fallback_voice(tmp_path: Path) -> None:
    announcement = VoiceSynthesizer(tmp_path).synthesize_announcement("tl", "A-015", 3)
    assert announcement.voiced and announcement.paths[1].name.startswith("id-")
    assert announcement.spoken_text == "Numero, ey labinlima. Pumunta po sa kawnter tatlo."
    assert announcement.display_text == "Numero A-015, pumunta po sa counter 3"


def test_machine_without_a_voice_gets_chime_and_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng on this machine
    announcement = VoiceSynthesizer(tmp_path).synthesize_announcement("en", "A-015", 3)
    assert not announcement.voiced
    assert [p.name for p in announcement.paths] == ["chime.wav"]
    assert announcement.display_text == "Number A-015, please go to counter 3"


def test_speed_is_part_of_the_voice(tmp_path: Path) -> None:
    voice = VoiceSynthesizer(tmp_path)
    normal = voice.speak("ja", "うけつけばんごう")
    slow = voice.speak("ja", "うけつけばんごう", speed=0.75)
    assert normal is not None and slow is not None and normal != slow
    assert _wav_seconds(slow) > 1.1 * _wav_seconds(normal)


def test_voice_is_usable_from_worker_threads(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    voice = VoiceSynthesizer(tmp_path)
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda n: voice.synthesize_announcement("ja", f"B-00{n}", 2), range(3)))
    assert len({a.paths[1] for a in results}) == 3
    assert all(_wav_seconds(a.paths[1]) > 1.0 for a in results)
