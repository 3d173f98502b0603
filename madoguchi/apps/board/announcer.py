"""Announcement queue of the call board: chime, then Japanese, then the ticket's language; never overlapping.

Synthesis runs on a worker (``run_task``) so a cold voice never freezes the board; playback stays in order
whatever order syntheses finish in. Audio goes through Qt Multimedia (``QMediaPlayer``) when the machine has an
output device. Without one the announcer is silent but keeps its pace (each item "lasts" its WAV's length times
``time_scale``) and records every item in ``played`` — what it would have played, in order.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, QUrl, Signal

from madoguchi.devices.speech.announcement_voice import Announcement, AnnouncementVoice, AudioItem
from madoguchi.devices.speech.audio_length import wav_seconds
from madoguchi.qt.tasks import run_task
from madoguchi.translations.catalog import translate

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QMediaPlayer

log = logging.getLogger(__name__)

#: seconds a text-only item (no voice for the language) stays "playing" before the next one
TEXT_ONLY_SECONDS = 2.0


@dataclass
class _Pending:
    announcement: Announcement
    items: list[AudioItem] | None = None
    queued_at: float = field(default_factory=time.perf_counter)


def build_items(voice: AnnouncementVoice, a: Announcement) -> list[AudioItem]:
    """Synthesise one announcement (runs on a worker thread)."""
    msgid = "announce.recall" if a.recall else "announce.call"
    items = [AudioItem("chime", "", voice.chime())]
    for lang in a.languages():
        text = translate(lang, msgid, number=a.number, counter=str(a.counter))
        try:
            path = voice.announcement(lang, a.number, a.counter, recall=bool(a.recall))
        except Exception:  # a broken voice must not silence the board's other languages
            log.exception("voice failed for ticket %d in %s", a.ticket_id, lang)
            path = None
        items.append(AudioItem("speech" if path else "text", lang, path, text))
    return items


class Announcer(QObject):
    item_started = Signal(object)  # AudioItem
    announcement_started = Signal(object)  # Announcement
    announcement_finished = Signal(object)  # Announcement
    idle = Signal()

    def __init__(
        self,
        voice: AnnouncementVoice,
        *,
        audio: bool | None = None,
        time_scale: float = 1.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.voice = voice
        self.time_scale = time_scale
        self.played: list[AudioItem] = []
        #: seconds from ``announce()`` to its first item starting (the benchmark reads these)
        self.start_latencies: list[float] = []
        self._queue: deque[_Pending] = deque()
        self._current: _Pending | None = None
        self._items: deque[AudioItem] = deque()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._next_item)
        self._player = self._make_player() if audio is not False else None
        if audio is True and self._player is None:
            log.warning("no audio output device: announcements are silent")

    # ------------------------------------------------------------------ public
    @property
    def audio_available(self) -> bool:
        return self._player is not None

    @property
    def busy(self) -> bool:
        return self._current is not None or bool(self._queue)

    def announce(self, announcement: Announcement) -> None:
        pending = _Pending(announcement)
        self._queue.append(pending)

        def ready(items: list[AudioItem]) -> None:
            pending.items = items
            self._pump()

        def failed(exc: BaseException) -> None:
            log.error("announcement synthesis failed for ticket %d: %s", announcement.ticket_id, type(exc).__name__)
            pending.items = []
            self._pump()

        run_task(lambda: build_items(self.voice, announcement), ready, failed, parent=self)

    # ------------------------------------------------------------------ playback
    def _make_player(self) -> QMediaPlayer | None:
        from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer

        if not QMediaDevices.audioOutputs():
            return None
        player = QMediaPlayer(self)
        output = QAudioOutput(self)
        player.setAudioOutput(output)
        player.mediaStatusChanged.connect(self._media_status)
        player.errorOccurred.connect(lambda *_: self._next_item())
        return player

    def _media_status(self, status: object) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if status in (QMediaPlayer.MediaStatus.EndOfMedia, QMediaPlayer.MediaStatus.InvalidMedia):
            self._next_item()

    def _pump(self) -> None:
        if self._current is not None or not self._queue or self._queue[0].items is None:
            return
        self._current = self._queue.popleft()
        self._items = deque(self._current.items or [])
        self.start_latencies.append(time.perf_counter() - self._current.queued_at)
        self.announcement_started.emit(self._current.announcement)
        self._next_item()

    def _next_item(self) -> None:
        if self._current is None:
            return
        if not self._items:
            done, self._current = self._current, None
            self.announcement_finished.emit(done.announcement)
            if self._queue:
                self._pump()
            if self._current is None and not self._queue:
                self.idle.emit()
            return
        item = self._items.popleft()
        self.played.append(item)
        self.item_started.emit(item)
        if item.path is not None and self._player is not None:
            self._player.setSource(QUrl.fromLocalFile(str(item.path)))
            self._player.play()
            return
        seconds = wav_seconds(item.path) if item.path is not None else TEXT_ONLY_SECONDS
        self._timer.start(int(seconds * self.time_scale * 1000))

    def stop(self) -> None:
        self._queue.clear()
        self._items.clear()
        self._current = None
        self._timer.stop()
        if self._player is not None:
            self._player.stop()
