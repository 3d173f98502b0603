"""Spoken announcements and read-aloud, offline: pyopenjtalk for Japanese, espeak-ng for other languages
where it has a voice, and a chime (plus the text on screen) where no offline voice exists (e.g. Tagalog).

Announcement text comes from catalog templates whose readings are written out (``announce.call.spoken``);
ticket numbers are spoken character by character by this module (``A-015`` → ``エー、ゼロ、イチ、ゴ``), because
pyopenjtalk reads ``A015`` as "エーゼロジューゴ" and ``番の方`` as "バンノホー". Audio is cached as WAV files by
(text, voice). Everything here is blocking and thread-safe: call it from a worker thread, never the UI thread.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
import threading
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from madoguchi.translations.catalog import translate
from madoguchi.translations.languages import language

log = logging.getLogger(__name__)

PYOPENJTALK = "pyopenjtalk"
CHIME_RATE = 22050
_CACHE_VERSION = "1"  # bump to invalidate cached audio after a change in how text is voiced

_JA_DIGITS = ("ゼロ", "イチ", "ニ", "サン", "ヨン", "ゴ", "ロク", "ナナ", "ハチ", "キュウ")
_JA_LETTERS = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        [
            "エー",
            "ビー",
            "シー",
            "ディー",
            "イー",
            "エフ",
            "ジー",
            "エイチ",
            "アイ",
            "ジェー",
            "ケー",
            "エル",
            "エム",
            "エヌ",
            "オー",
            "ピー",
            "キュー",
            "アール",
            "エス",
            "ティー",
            "ユー",
            "ブイ",
            "ダブリュー",
            "エックス",
            "ワイ",
            "ゼット",
        ],
        strict=True,
    )
)
# pyopenjtalk's engine is process-global and not reentrant: one lock for every synthesiser in the process.
_JTALK_LOCK = threading.Lock()

_JA_UNITS = ("", "いち", "に", "さん", "よん", "ご", "ろく", "なな", "はち", "きゅう")


def spoken_ticket_number(lang: str, number: str) -> str:
    """Character by character: ``A-015`` → ``エー、ゼロ、イチ、ゴ`` (ja) / ``A, 0, 1, 5`` (other languages)."""
    characters = [ch for ch in number.upper() if ch.isalnum()]
    if language(lang).voice == PYOPENJTALK:
        spoken = [_JA_DIGITS[int(ch)] if ch.isdigit() else _JA_LETTERS.get(ch, ch) for ch in characters]
        return "、".join(spoken)
    return ", ".join(characters)


def spoken_counter(lang: str, counter: str | int) -> str:
    """Counter numbers as numbers (``12`` → ``じゅうに``), other labels character by character."""
    text = str(counter)
    if language(lang).voice != PYOPENJTALK:
        return text if text.isdigit() else ", ".join(ch for ch in text if ch.isalnum())
    if text.isdigit() and 0 < int(text) < 100:
        tens, units = divmod(int(text), 10)
        head = "" if tens == 0 else ("じゅう" if tens == 1 else _JA_UNITS[tens] + "じゅう")
        return head + _JA_UNITS[units]
    return spoken_ticket_number(lang, text)


def announcement_text(lang: str, number: str, counter: str | int, recall: bool = False) -> str:
    """The text to speak, with readings written out (not the text to display: use ``announce.call``)."""
    msgid = "announce.recall.spoken" if recall else "announce.call.spoken"
    return translate(
        lang, msgid, number_spoken=spoken_ticket_number(lang, number), counter_spoken=spoken_counter(lang, counter)
    )


def chime_samples(rate: int = CHIME_RATE) -> np.ndarray:
    """Two falling tones with a soft decay: the classic "ping-pong" before a public announcement."""
    tones = []
    for frequency in (880.0, 698.5):
        t = np.arange(int(rate * 0.45)) / rate
        envelope = np.exp(-4.0 * t) * np.minimum(1.0, t * 200)
        tones.append(0.45 * envelope * (np.sin(2 * np.pi * frequency * t) + 0.2 * np.sin(4 * np.pi * frequency * t)))
    samples = np.concatenate([*tones, np.zeros(int(rate * 0.15))])
    return (np.clip(samples, -1, 1) * 32767).astype(np.int16)


def write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    """Atomic write of mono 16-bit PCM, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(suffix=".wav.part", dir=path.parent)
    os.close(handle)
    with wave.open(temporary, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.astype("<i2").tobytes())
    os.replace(temporary, path)


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def pyopenjtalk_available() -> bool:
    try:
        import pyopenjtalk  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class Announcement:
    """Audio clips to play in order, and the text to show; ``voiced`` is False when only a chime plays."""

    lang: str
    display_text: str
    spoken_text: str
    paths: list[Path] = field(default_factory=list)
    voiced: bool = True


class VoiceSynthesizer:
    """Synthesises and caches WAV files in ``cache_dir``; one instance may serve several threads."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir

    def voice_for(self, lang: str) -> str | None:
        """The usable offline voice for ``lang`` on this machine, or None (then: chime + text)."""
        voice = language(lang).voice
        if voice == PYOPENJTALK:
            return voice if pyopenjtalk_available() else None
        if voice is not None and espeak_available():
            return voice
        return None

    def chime(self) -> Path:
        path = self.cache_dir / "chime.wav"
        if not path.exists():
            write_wav(path, chime_samples(), CHIME_RATE)
        return path

    def cache_path(self, text: str, voice: str) -> Path:
        digest = hashlib.sha256(f"{_CACHE_VERSION}\0{voice}\0{text}".encode()).hexdigest()[:24]
        return self.cache_dir / f"{voice.replace('/', '_')}-{digest}.wav"

    def speak(self, lang: str, text: str) -> Path | None:
        """WAV of ``text`` read in ``lang`` (cached), or None when no offline voice exists."""
        voice = self.voice_for(lang)
        if voice is None:
            return None
        path = self.cache_path(text, voice)
        if path.exists():
            return path
        if voice == PYOPENJTALK:
            self._speak_japanese(text, path)
        else:
            self._speak_espeak(text, voice, path)
        return path

    def _speak_japanese(self, text: str, path: Path) -> None:
        import pyopenjtalk

        with _JTALK_LOCK:
            samples, rate = pyopenjtalk.tts(text)
        write_wav(path, np.clip(samples, -32768, 32767).astype(np.int16), int(rate))

    def _speak_espeak(self, text: str, voice: str, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(suffix=".wav.part", dir=path.parent)
        os.close(handle)
        try:
            subprocess.run(
                ["espeak-ng", "-v", voice, "-s", "150", "-w", temporary, "--", text],
                check=True,
                capture_output=True,
                timeout=30,
            )
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)

    def synthesize_announcement(self, lang: str, number: str, counter: str | int, recall: bool = False) -> Announcement:
        """Chime, then the call in ``lang``; for a language without an offline voice just the chime."""
        display = translate(lang, "announce.recall" if recall else "announce.call", number=number, counter=counter)
        spoken = announcement_text(lang, number, counter, recall)
        speech = self.speak(lang, spoken)
        if speech is None:
            log.info("no offline voice for %s: chime and text only", lang)
            return Announcement(lang, display, spoken, [self.chime()], voiced=False)
        return Announcement(lang, display, spoken, [self.chime(), speech], voiced=True)


def synthesize_announcement(
    cache_dir: Path, lang: str, number: str, counter: str | int, recall: bool = False
) -> list[Path]:
    """Convenience wrapper: the WAV files to play, in order."""
    return VoiceSynthesizer(cache_dir).synthesize_announcement(lang, number, counter, recall).paths
