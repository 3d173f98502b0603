"""The one audio player of the kiosk, the board and the counter: WAV files through Qt Multimedia.

One sound at a time: a new ``play`` replaces the one playing. ``finished`` tells when a sound has ended, so a
queue (the board's announcements) can go on. Without an output device, or with ``audio=False`` (tests, a kiosk
without speakers), the player is silent but keeps the pace: ``finished`` comes after the WAV's length times
``time_scale``. ``played`` records every file asked for, in order, for tests (never logged).
"""

from __future__ import annotations

import logging
import wave
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, QUrl, Signal

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

log = logging.getLogger(__name__)


def wav_seconds(path: Path) -> float:
    """Duration of a WAV file (0 when it cannot be read: the player then moves on at once)."""
    try:
        with wave.open(str(path), "rb") as w:
            return w.getnframes() / float(w.getframerate() or 1)
    except (OSError, wave.Error, EOFError):
        return 0.0


class AudioPlayer(QObject):
    finished = Signal()

    def __init__(self, *, audio: bool | None = None, time_scale: float = 1.0, parent: QObject | None = None) -> None:
        """``audio``: None plays where the machine has an output device, False never, True warns without one."""
        super().__init__(parent)
        self.time_scale = time_scale
        self.played: list[Path] = []
        #: 0.0-1.0; kept when there is no output device (what it would be set to)
        self.volume = 1.0
        self._output: QAudioOutput | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.finished.emit)
        self._player = self._make_player() if audio is not False else None
        if audio is True and self._player is None:
            log.warning("no audio output device: sounds are silent")

    @property
    def available(self) -> bool:
        """True when sounds are heard (an output device), False when they are only timed."""
        return self._player is not None

    def play(self, path: Path | None, *, silent_seconds: float = 0.0) -> None:
        """Play ``path``; None (nothing to hear: a language without a voice) only waits ``silent_seconds``."""
        self.stop()
        if path is not None:
            self.played.append(path)
        if path is not None and self._player is not None:
            self._player.setSource(QUrl.fromLocalFile(str(path)))
            self._player.play()
            return
        seconds = wav_seconds(path) if path is not None else silent_seconds
        self._timer.start(int(seconds * self.time_scale * 1000))

    def stop(self) -> None:
        self._timer.stop()
        if self._player is not None:
            self._player.stop()

    def set_volume(self, volume: float) -> None:
        self.volume = min(1.0, max(0.0, volume))
        if self._output is not None:
            self._output.setVolume(self.volume)

    def _make_player(self) -> QMediaPlayer | None:
        from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer

        if not QMediaDevices.audioOutputs():
            return None
        player = QMediaPlayer(self)
        self._output = QAudioOutput(self)
        self._output.setVolume(self.volume)
        player.setAudioOutput(self._output)
        player.mediaStatusChanged.connect(self._media_status)
        player.errorOccurred.connect(lambda *_: self.finished.emit())
        return player

    def _media_status(self, status: object) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if status in (QMediaPlayer.MediaStatus.EndOfMedia, QMediaPlayer.MediaStatus.InvalidMedia):
            self.finished.emit()
