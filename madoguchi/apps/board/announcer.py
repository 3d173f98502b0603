"""Announcement queue of the call board: chime, then Japanese, then the ticket's language; never overlapping.

Synthesis runs on a worker (``run_task``) so a cold voice never freezes the board; playback stays in order
whatever order syntheses finish in. Audio goes through the one ``AudioPlayer``: without an output device the
announcer is silent but keeps its pace (each item "lasts" its WAV's length times ``time_scale``) and records
every item in ``played`` — what it would have played, in order.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from madoguchi.devices.speech.announcement_voice import Announcement, AnnouncementVoice, AudioItem
from madoguchi.devices.speech.audio_player import AudioPlayer
from madoguchi.qt.tasks import run_task
from madoguchi.translations.catalog import translate

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
        self.player = AudioPlayer(audio=audio, time_scale=time_scale, parent=self)
        self.player.finished.connect(self._next_item)

    # ------------------------------------------------------------------ public
    @property
    def audio_available(self) -> bool:
        return self.player.available

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
        self.player.play(item.path, silent_seconds=TEXT_ONLY_SECONDS)

    def stop(self) -> None:
        self._queue.clear()
        self._items.clear()
        self._current = None
        self.player.stop()
