"""Read a sentence aloud on the counter's customer screen: synthesise on a worker, play with Qt Multimedia.

Without an audio device it stays silent and records what it would have played (``played``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QUrl, Signal

from madoguchi.qt.tasks import run_task

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QMediaPlayer

log = logging.getLogger(__name__)


class Speaker(Protocol):
    def speak(self, lang: str, text: str) -> Path | None: ...


class ReadAloud(QObject):
    spoken = Signal(object)  # Path | None (None: no offline voice for the language)

    def __init__(self, speaker: Speaker, *, audio: bool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.speaker = speaker
        self.played: list[Path] = []
        self._player: QMediaPlayer | None = None
        if audio is not False:
            from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer

            if QMediaDevices.audioOutputs():
                player = QMediaPlayer(self)
                player.setAudioOutput(QAudioOutput(self))
                self._player = player

    def say(self, lang: str, text: str) -> None:
        def ready(path: Path | None) -> None:
            if path is not None:
                self.played.append(path)
                if self._player is not None:
                    self._player.stop()
                    self._player.setSource(QUrl.fromLocalFile(str(path)))
                    self._player.play()
            self.spoken.emit(path)

        def failed(exc: BaseException) -> None:
            log.error("read-aloud synthesis failed in %s: %s", lang, type(exc).__name__)
            self.spoken.emit(None)

        run_task(lambda: self.speaker.speak(lang, text), ready, failed, parent=self)
