"""The kiosk's read-aloud through the one audio player: the real voices, and the chime where none speaks."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from madoguchi.devices.speech.voice import VoiceSynthesizer
from madoguchi.qt.read_aloud import ReadAloud


@pytest.fixture
def no_espeak(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without espeak-ng: only Japanese (pyopenjtalk, a Python package) has a voice."""
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def test_a_language_without_a_voice_plays_the_chime(qtbot: QtBot, tmp_path: Path, no_espeak: None) -> None:
    voice = VoiceSynthesizer(tmp_path / "cache")
    speaker = ReadAloud(voice, audio=False)
    with qtbot.waitSignal(speaker.spoken, timeout=30000) as spoken:
        speaker.say("en", "What did you come for?")
    assert spoken.args[0] == voice.chime()
    assert speaker.player.played == [voice.chime()]


def test_parts_without_a_voice_are_left_out_not_chimed(qtbot: QtBot, tmp_path: Path, no_espeak: None) -> None:
    """A language's name said in its own language, then the place in the resident's: the part that has no voice
    is skipped, the rest is said (the chime is for nothing said at all)."""
    voice = VoiceSynthesizer(tmp_path / "cache")
    speaker = ReadAloud(voice, audio=False)
    with qtbot.waitSignal(speaker.spoken, timeout=30000) as spoken:
        speaker.say_parts([("en", "English"), ("ja", "3 / 11")])
    first = spoken.args[0]
    assert first is not None and first != voice.chime() and first.name.startswith("pyopenjtalk")
    assert speaker.player.played == [first]


def test_without_a_synthesizer_nothing_plays(qtbot: QtBot) -> None:
    speaker = ReadAloud(None, audio=False)
    speaker.say("ja", "ようこそ")
    assert not speaker.enabled and speaker.player.played == []
    assert speaker.said == [("ja", "ようこそ")]
