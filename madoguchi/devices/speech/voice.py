"""Spoken announcements and read-aloud, offline: pyopenjtalk for Japanese, espeak-ng for the other languages
(the voice of each is in ``translations/languages.py``), and a chime (plus the text on screen) where no voice can
be had on the machine (pyopenjtalk or espeak-ng missing).

Announcement text comes from catalog templates whose readings are written out (``announce.call.spoken``:
pyopenjtalk reads ``番の方`` as "バンノホー"); ticket numbers, counters and counts are said as numbers in each
language (``translations/spoken.py``: ``A-006`` → エー ロク). Audio is cached as WAV files by (text, voice,
speed). Everything here is blocking and thread-safe: call it from a worker thread, never the UI thread.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from madoguchi.translations.catalog import translate
from madoguchi.translations.languages import language
from madoguchi.translations.spoken import speakable, spoken_counter, spoken_ticket_number

log = logging.getLogger(__name__)

PYOPENJTALK = "pyopenjtalk"
CHIME_RATE = 22050
#: espeak-ng's words per minute at speed 1.0: a little slower than its default 175, for a hall
ESPEAK_WPM = 150
_CACHE_VERSION = "3"  # bump to invalidate cached audio after a change in how text is voiced

# pyopenjtalk's engine is process-global and not reentrant: one lock for every synthesiser in the process.
_JTALK_LOCK = threading.Lock()


def announcement_text(lang: str, number: str, counter: str | int, recall: bool = False, *, short: bool = False) -> str:
    """The text to speak, with readings written out (not the text to display: use ``announce.call``).

    ``short``: the number and the counter only, for calls said together (the board's queue when it backs up)."""
    msgid = "announce.call.short.spoken" if short else "announce.recall.spoken" if recall else "announce.call.spoken"
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


#: silence kept before and after speech: the voices pad each clip with ~0.3 s that queued clips would add up
LEAD_SECONDS = 0.08
TAIL_SECONDS = 0.18
_QUIET = 300  # of 32767: below this a sample is silence (espeak-ng and pyopenjtalk pad with true zeros)


def trim_silence(samples: np.ndarray, rate: int) -> np.ndarray:
    """``samples`` without the padding silence at either end (what a voice adds around every sentence)."""
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > _QUIET)
    if loud.size == 0:
        return samples
    start = max(0, int(loud[0]) - int(LEAD_SECONDS * rate))
    end = min(len(samples), int(loud[-1]) + int(TAIL_SECONDS * rate))
    return samples[start:end]


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


_IMPORT_LOCK = threading.Lock()


def _import_pyopenjtalk() -> None:
    """Import pyopenjtalk once, with what it prints kept off stdout: pyopenjtalk-plus prints a notice there
    when ONNX Runtime (its optional reading model for 何) is missing, and stdout is not ours to write to."""
    with _IMPORT_LOCK:
        if "pyopenjtalk" in sys.modules:
            return
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            import pyopenjtalk  # noqa: F401
        if printed.getvalue().strip():
            log.info("pyopenjtalk: %s", " ".join(printed.getvalue().split()))


def pyopenjtalk_available() -> bool:
    try:
        _import_pyopenjtalk()
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

    def cache_path(self, text: str, voice: str, speed: float = 1.0) -> Path:
        digest = hashlib.sha256(f"{_CACHE_VERSION}\0{voice}\0{speed:.2f}\0{text}".encode()).hexdigest()[:24]
        return self.cache_dir / f"{voice.replace('/', '_')}-{digest}.wav"

    def speak(self, lang: str, text: str, speed: float = 1.0) -> Path | None:
        """WAV of ``text`` read in ``lang`` at ``speed`` (1.0 normal; cached), or None when no voice exists."""
        voice = self.voice_for(lang)
        if voice is None:
            return None
        text = speakable(lang, text)
        path = self.cache_path(text, voice, speed)
        if path.exists():
            return path
        if voice == PYOPENJTALK:
            self._speak_japanese(text, path, speed)
        else:
            self._speak_espeak(text, voice, path, speed)
        return path

    def _speak_japanese(self, text: str, path: Path, speed: float) -> None:
        _import_pyopenjtalk()
        import pyopenjtalk

        with _JTALK_LOCK:
            samples, rate = pyopenjtalk.tts(text, speed=speed)
        write_wav(path, trim_silence(np.clip(samples, -32768, 32767).astype(np.int16), int(rate)), int(rate))

    def _speak_espeak(self, text: str, voice: str, path: Path, speed: float) -> None:
        wpm = str(round(ESPEAK_WPM * speed))
        done = subprocess.run(
            ["espeak-ng", "-v", voice, "-s", wpm, "--stdout", "--", text], check=True, capture_output=True, timeout=30
        )
        with wave.open(io.BytesIO(done.stdout), "rb") as clip:
            rate = clip.getframerate()
            samples = np.frombuffer(clip.readframes(clip.getnframes()), dtype="<i2")
        write_wav(path, trim_silence(samples, rate), rate)

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
