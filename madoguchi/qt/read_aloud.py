"""Read a sentence aloud: synthesised on a worker thread, played by the one ``AudioPlayer``.

The kiosk reads its screens with it (and its voice guide, ``apps/kiosk/audio_guide``), the counter's customer
screen the staff's sentences. A newer sentence silences an older one, even one still being synthesised. A
sentence may be made of parts in different languages (a language's name said in that language, then "3 of 15" in
the resident's): they play one after the other. Easy Japanese carries its readings as ruby: the readings are
spoken, not the kanji they annotate. Where no voice speaks the language, the chime plays instead: something
changed, and the screen says what.
"""

from __future__ import annotations

import logging
from collections import deque
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from madoguchi.devices.speech.audio_player import AudioPlayer
from madoguchi.qt.tasks import run_task
from madoguchi.translations.ruby_markup import spoken_text

log = logging.getLogger(__name__)


class Synthesizer(Protocol):
    def speak(self, lang: str, text: str, speed: float = 1.0) -> Path | None: ...

    def chime(self) -> Path: ...


class ReadAloud(QObject):
    #: the first WAV that plays (the chime where no voice speaks the language; None: synthesis failed)
    spoken = Signal(object)

    def __init__(
        self, synthesizer: Synthesizer | None, *, audio: bool | None = None, parent: QObject | None = None
    ) -> None:
        """``synthesizer`` None: nothing is synthesised or played (read-aloud switched off for this machine)."""
        super().__init__(parent)
        self.synthesizer = synthesizer
        self.player = AudioPlayer(audio=audio, parent=self)
        self.player.finished.connect(self._next_part)
        #: speaking rate, 1.0 normal (the voice guide's 7 and 9 keys change it)
        self.speed = 1.0
        #: (language, text) of the last 20 sentences asked for, for tests; never logged, forgotten with the session
        self.said: list[tuple[str, str]] = []
        self._generation = 0
        self._parts: deque[Path] = deque()

    @property
    def enabled(self) -> bool:
        return self.synthesizer is not None

    @property
    def volume(self) -> float:
        return self.player.volume

    def set_volume(self, volume: float) -> None:
        self.player.set_volume(volume)

    def say(self, lang: str, text: str) -> None:
        self.say_parts([(lang, text)])

    def say_parts(self, parts: list[tuple[str, str]]) -> None:
        """Say the parts one after the other, each in its own language."""
        parts = [(lang, spoken_text(text)) for lang, text in parts if text]
        if parts:
            self.said.append((parts[0][0], " ".join(text for _, text in parts)))
            del self.said[:-20]
        self.stop()
        if self.synthesizer is None or not parts:
            return
        generation = self._generation
        synthesizer, speed = self.synthesizer, self.speed

        def synthesise() -> list[Path]:
            paths = [synthesizer.speak(lang, text, speed) for lang, text in parts]
            found = [p for p in paths if p is not None]
            return found or [synthesizer.chime()]  # no voice at all: the chime says something changed

        def ready(paths: list[Path]) -> None:
            if generation != self._generation:
                return  # a newer sentence was asked for meanwhile
            self._parts = deque(paths)
            self._next_part()
            self.spoken.emit(paths[0])

        def failed(exc: BaseException) -> None:
            log.error("read-aloud synthesis failed: %s", type(exc).__name__)
            if generation == self._generation:
                self.spoken.emit(None)

        run_task(synthesise, ready, failed, parent=self)

    def _next_part(self) -> None:
        if self._parts:
            self.player.play(self._parts.popleft())

    def stop(self) -> None:
        self._generation += 1
        self._parts.clear()
        self.player.stop()

    def forget(self) -> None:
        """The session ended: what was said (names from a card, a ticket number) is not kept, and the next
        resident hears the usual volume and speed."""
        self.stop()
        self.said.clear()
        self.speed = 1.0
        self.set_volume(1.0)
