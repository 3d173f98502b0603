"""Announcement queue of the call board: chime, Japanese, then the ticket's language; never overlapping, and never
far behind the board.

A call to a quiet board is said in full (「エー 6ばんの かた、3ばん まどぐちへ おこしください。」 then the resident's
language); when another call comes meanwhile, what is left of it is said in the short form, and so is a call that
had to wait or that others wait behind (still being synthesised). Calls that wait together are said together after
one chime, each in its short form, a little faster (「エー 6ばん、3ばん まどぐちへ。」 then the resident's language),
as many as fit ``COMBINED_BUDGET_S``. A call leaves the queue unsaid
once it is no longer current: its resident reached the counter (``withdraw``), the ticket left, its counter called
someone else, or a recall of the same ticket replaced it. Nothing current is skipped: every call still current
when the player is free is in the next announcement.

Synthesis runs on a worker (``run_task``) as soon as a call arrives, both forms at once, so a cold voice never
freezes the board and a combined announcement needs no new synthesis; playback stays in call order whatever order
syntheses finish in. Audio goes through the one ``AudioPlayer``: without an output device the announcer is silent
but keeps its pace (each item "lasts" its WAV's length times ``time_scale``) and records every item in
``played``, what it would have played, in order. Where no voice can be had, the chime plays and the text shows.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from madoguchi.devices.speech.announcement_voice import Announcement, AnnouncementVoice, AudioItem
from madoguchi.devices.speech.audio_player import AudioPlayer, wav_seconds
from madoguchi.qt.tasks import run_task
from madoguchi.translations.catalog import translate

log = logging.getLogger(__name__)

#: seconds a text-only item (no voice for the language) stays "playing" before the next one
TEXT_ONLY_SECONDS = 2.0
#: at most this many calls in one announcement: a longer list is hard to follow; the rest come next
MAX_COMBINED = 4
#: calls are added to a combined announcement while it stays this short (seconds of audio); one always goes
COMBINED_BUDGET_S = 12.0


@dataclass(frozen=True)
class Spoken:
    """One call's sentences in one language: the full form, the short one (None: no voice), the text shown."""

    language: str
    full: AudioItem
    short: AudioItem


@dataclass
class _Pending:
    announcement: Announcement
    spoken: list[Spoken] | None = None
    queued_at: float = field(default_factory=time.perf_counter)
    #: it came while another call was being said: the hall is busy, it is said in the short form
    waited: bool = False

    @property
    def ticket_id(self) -> int:
        return self.announcement.ticket_id


@dataclass
class AnnouncerStats:
    """What the queue did (the benchmark and tests read it): seconds from ``announce()`` to the start of the
    announcement that carried the call (``start_delays``) and to its own words in Japanese (``heard_delays``)."""

    start_delays: list[float] = field(default_factory=list)
    heard_delays: list[float] = field(default_factory=list)
    announcements: int = 0
    #: calls said in an announcement together with others
    combined: int = 0
    #: calls taken out of the queue unsaid because they were no longer current
    dropped: int = 0


def _seconds(item: AudioItem) -> float:
    return wav_seconds(item.path) if item.path is not None else TEXT_ONLY_SECONDS


def build_spoken(voice: AnnouncementVoice, a: Announcement) -> list[Spoken]:
    """Synthesise one call in every language it is said in, both forms (runs on a worker thread)."""
    msgid = "announce.recall" if a.recall else "announce.call"
    said: list[Spoken] = []
    for lang in a.languages():
        text = translate(lang, msgid, number=a.number, counter=str(a.counter))
        forms: list[AudioItem] = []
        for short in (False, True):
            try:
                path = voice.announcement(lang, a.number, a.counter, recall=bool(a.recall), short=short)
            except Exception:  # a broken voice must not silence the board's other languages
                log.exception("voice failed for ticket %d in %s", a.ticket_id, lang)
                path = None
            forms.append(AudioItem("speech" if path else "text", lang, path, text, (a.ticket_id,)))
        said.append(Spoken(lang, forms[0], forms[1]))
    return said


class Announcer(QObject):
    item_started = Signal(object)  # AudioItem
    announcement_started = Signal(object)  # list[Announcement]: the calls it carries
    announcement_finished = Signal(object)  # list[Announcement]
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
        self.stats = AnnouncerStats()
        self.combined_budget_s = COMBINED_BUDGET_S
        #: the voices are loaded (``warm_up``)
        self.warmed = False
        self._queue: deque[_Pending] = deque()
        self._current: list[_Pending] | None = None
        self._items: deque[AudioItem] = deque()
        self._unheard: dict[int, float] = {}
        self.player = AudioPlayer(audio=audio, time_scale=time_scale, parent=self)
        self.player.finished.connect(self._next_item)

    # ------------------------------------------------------------------ public
    @property
    def audio_available(self) -> bool:
        return self.player.available

    @property
    def busy(self) -> bool:
        return self._current is not None or bool(self._queue)

    @property
    def start_latencies(self) -> list[float]:
        return self.stats.start_delays

    def queued(self) -> list[tuple[Announcement, bool]]:
        """The calls waiting to be said, in order, and whether each is synthesised yet."""
        return [(p.announcement, p.spoken is not None) for p in self._queue]

    def announce(self, announcement: Announcement) -> None:
        # The counter called someone else, or the same ticket again: the waiting call is no longer current.
        self._drop(lambda p: p.ticket_id == announcement.ticket_id or p.announcement.counter == announcement.counter)
        pending = _Pending(announcement, waited=self.busy)
        self._queue.append(pending)
        self._shorten_current()

        def ready(spoken: list[Spoken]) -> None:
            pending.spoken = spoken
            self._pump()

        def failed(exc: BaseException) -> None:
            log.error("announcement synthesis failed for ticket %d: %s", announcement.ticket_id, type(exc).__name__)
            pending.spoken = []
            self._pump()

        run_task(lambda: build_spoken(self.voice, announcement), ready, failed, parent=self)

    def warm_up(self) -> None:
        """Load the voices now (pyopenjtalk reads its dictionary on first use: seconds), not at the first call."""
        sample = Announcement(0, "A-001", 1, "en")

        def done(_: object) -> None:
            self.warmed = True

        run_task(lambda: build_spoken(self.voice, sample), done, done, parent=self)

    def withdraw(self, ticket_id: int) -> None:
        """The ticket is no longer called (its resident reached the counter, it was finished or cancelled):
        its call leaves the queue unsaid. One already being said is said to the end."""
        self._drop(lambda p: p.ticket_id == ticket_id)

    # ------------------------------------------------------------------ queue
    def _drop(self, stale: Callable[[_Pending], bool]) -> None:
        kept = [p for p in self._queue if not stale(p)]
        self.stats.dropped += len(self._queue) - len(kept)
        self._queue = deque(kept)
        self._pump()  # the head may have been the call still being synthesised

    def _pump(self) -> None:
        if self._current is not None or not self._queue:
            return
        ready: list[_Pending] = []
        seconds = wav_seconds(self.voice.chime())
        # in call order, but a call still being synthesised does not hold up those after it (it comes next)
        for pending in self._queue:
            if pending.spoken is None:
                continue
            cost = sum(_seconds(s.short) for s in pending.spoken)
            if len(ready) == MAX_COMBINED or (ready and seconds + cost > self.combined_budget_s):
                break
            ready.append(pending)
            seconds += cost
        if not ready:
            return
        self._queue = deque(p for p in self._queue if p not in ready)
        self._start(ready)

    def _start(self, calls: list[_Pending]) -> None:
        now = time.perf_counter()
        self._current = calls
        self._items = deque(self._compose(calls))
        stats = self.stats
        stats.announcements += 1
        if len(calls) > 1:
            stats.combined += len(calls)
        for pending in calls:
            stats.start_delays.append(now - pending.queued_at)
            self._unheard[pending.ticket_id] = pending.queued_at
        self.announcement_started.emit([p.announcement for p in calls])
        self._next_item()

    def _compose(self, calls: list[_Pending]) -> list[AudioItem]:
        """A call to a quiet board: chime, then every language in full. Several, one that had to wait, or one
        with others waiting behind it: one chime, then call after call in its short form, in Japanese and then in
        its resident's language."""
        items = [AudioItem("chime", "", self.voice.chime())]
        # others already waiting (still being synthesised: not in ``calls``) make it a busy board too
        if len(calls) == 1 and not calls[0].waited and not self._queue:
            return items + [s.full for s in calls[0].spoken or []]
        return items + [s.short for p in calls for s in p.spoken or []]

    def _shorten_current(self) -> None:
        """Others are waiting: what is left of the announcement being said switches to the short forms."""
        if self._current is None or len(self._current) != 1:
            return
        shorter = {id(s.full): s.short for s in self._current[0].spoken or []}
        self._items = deque(shorter.get(id(item), item) for item in self._items)

    def _next_item(self) -> None:
        if self._current is None:
            return
        if not self._items:
            done, self._current = self._current, None
            self.announcement_finished.emit([p.announcement for p in done])
            if self._queue:
                self._pump()
            if self._current is None and not self._queue:
                self.idle.emit()
            return
        item = self._items.popleft()
        now = time.perf_counter()
        for ticket_id in item.ticket_ids:
            queued_at = self._unheard.pop(ticket_id, None)
            if queued_at is not None:
                self.stats.heard_delays.append(now - queued_at)
        self.played.append(item)
        self.item_started.emit(item)
        self.player.play(item.path, silent_seconds=TEXT_ONLY_SECONDS)

    def stop(self) -> None:
        self._queue.clear()
        self._items.clear()
        self._unheard.clear()
        self._current = None
        self.player.stop()
