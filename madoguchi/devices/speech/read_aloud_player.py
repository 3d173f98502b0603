"""Read-aloud: speak a screen's main text when the resident turned it on.

``madoguchi.devices.speech.voice.VoiceSynthesizer`` makes (and caches) the WAV: pyopenjtalk for Japanese and easy
Japanese, espeak-ng for the others, nothing for a language without an offline voice. Synthesis and playback run
on a daemon thread and a child process, never on the UI thread; a newer utterance silences an older one.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

log = logging.getLogger(__name__)


def _player() -> list[str] | None:
    for cmd in (["aplay", "-q"], ["paplay"], ["pw-play"]):
        if shutil.which(cmd[0]):
            return cmd
    return None


class Speaker:
    def __init__(self, enabled: bool = True, cache_dir: Path | None = None) -> None:
        self.player = _player() if enabled else None
        self.enabled = self.player is not None
        self.cache_dir = cache_dir or Path(tempfile.gettempdir()) / "madoguchi-kiosk-voice"
        self._generation = 0
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self.spoken: list[tuple[str, str]] = []  # (language, text), last 20, for tests; never logged

    def say(self, lang: str, text: str) -> None:
        from madoguchi.qt.ruby_text import spoken_text

        text = spoken_text(text)  # easy Japanese: the readings, not the kanji they annotate
        self.spoken.append((lang, text))
        del self.spoken[:-20]
        self.stop()
        if not self.enabled or not text:
            return
        with self._lock:
            self._generation += 1
            generation = self._generation
        threading.Thread(target=self._speak, args=(lang, text, generation), name="read-aloud", daemon=True).start()

    def _speak(self, lang: str, text: str, generation: int) -> None:
        try:
            from madoguchi.devices.speech.voice import VoiceSynthesizer

            self.cache_dir.mkdir(parents=True, exist_ok=True)
            wav = VoiceSynthesizer(self.cache_dir).speak(lang, text)
        except Exception:
            log.warning("read-aloud synthesis failed for %s", lang)
            return
        with self._lock:
            if wav is None or generation != self._generation or self.player is None:
                return
            try:
                self._proc = subprocess.Popen(
                    [*self.player, str(wav)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
            except OSError:
                log.warning("read-aloud player could not start")

    def stop(self) -> None:
        with self._lock:
            self._generation += 1
            if self._proc is not None and self._proc.poll() is None:
                self._proc.terminate()
            self._proc = None
