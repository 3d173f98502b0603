"""The board's voice on top of ``madoguchi.devices.speech.voice`` (pyopenjtalk, espeak-ng, cached WAVs, chime).

Kept apart so the announcer depends on the small ``AnnouncementVoice`` interface, not on speech engines.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from madoguchi.devices.speech.voice import VoiceSynthesizer, announcement_text

#: the short forms (calls said together while the board's queue is backed up) are said a little faster
SHORT_SPEED = 1.15


def default_cache_dir() -> Path:
    return Path(tempfile.gettempdir()) / "madoguchi-voice"


class TranslationsVoice:
    """Speech from the translations package; None for a language without an offline voice (chime + text)."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.synthesizer = VoiceSynthesizer(cache_dir or default_cache_dir())

    def chime(self) -> Path:
        return self.synthesizer.chime()

    def announcement(
        self, language: str, number: str, counter: int, *, recall: bool, short: bool = False
    ) -> Path | None:
        text = announcement_text(language, number, counter, recall, short=short)
        return self.synthesizer.speak(language, text, speed=SHORT_SPEED if short else 1.0)


class ChimeOnlyVoice(TranslationsVoice):
    """The chime and no speech (tests and machines where synthesis is unwanted); the board shows the text."""

    def announcement(
        self, language: str, number: str, counter: int, *, recall: bool, short: bool = False
    ) -> Path | None:
        return None


def default_voice(cache_dir: Path | None = None) -> TranslationsVoice:
    return TranslationsVoice(cache_dir)
