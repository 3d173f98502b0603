"""Read a sentence aloud: synthesised on a worker thread, played by the one ``AudioPlayer``.

The kiosk reads its screens with it, the counter's customer screen the staff's sentences. A newer sentence
silences an older one, even one still being synthesised. Easy Japanese carries its readings as ruby: the
readings are spoken, not the kanji they annotate.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from madoguchi.devices.speech.audio_player import AudioPlayer
from madoguchi.qt.tasks import run_task
from madoguchi.translations.ruby_markup import spoken_text

log = logging.getLogger(__name__)


class Synthesizer(Protocol):
    def speak(self, lang: str, text: str) -> Path | None: ...


class ReadAloud(QObject):
    #: the WAV that plays (None: no offline voice for the language, or synthesis failed)
    spoken = Signal(object)

    def __init__(
        self, synthesizer: Synthesizer | None, *, audio: bool | None = None, parent: QObject | None = None
    ) -> None:
        """``synthesizer`` None: nothing is synthesised or played (read-aloud switched off for this machine)."""
        super().__init__(parent)
        self.synthesizer = synthesizer
        self.player = AudioPlayer(audio=audio, parent=self)
        #: (language, text) of the last 20 sentences asked for, for tests; never logged
        self.said: list[tuple[str, str]] = []
        self._generation = 0

    @property
    def enabled(self) -> bool:
        return self.synthesizer is not None

    def say(self, lang: str, text: str) -> None:
        text = spoken_text(text)
        self.said.append((lang, text))
        del self.said[:-20]
        self.stop()
        if self.synthesizer is None or not text:
            return
        generation = self._generation
        synthesizer = self.synthesizer

        def ready(path: Path | None) -> None:
            if generation != self._generation:
                return  # a newer sentence was asked for meanwhile
            if path is not None:
                self.player.play(path)
            self.spoken.emit(path)

        def failed(exc: BaseException) -> None:
            log.error("read-aloud synthesis failed in %s: %s", lang, type(exc).__name__)
            if generation == self._generation:
                self.spoken.emit(None)

        run_task(lambda: synthesizer.speak(lang, text), ready, failed, parent=self)

    def stop(self) -> None:
        self._generation += 1
        self.player.stop()
