"""The call board window: composes the panels, adapts the layout to the screen, wires server data to them.

Built in one place (``board_cli`` or the demo) from a ``HallClient``, an ``EventBridge`` and an ``Announcer``.
All I/O goes through ``run_task``; the model decides what is a fresh call (see ``board_model``).
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

import websockets.sync.client  # noqa: F401 - see below
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from madoguchi.apps.board.announcer import Announcer
from madoguchi.apps.board.board_header import Clock, HeaderBar, Ticker
from madoguchi.apps.board.board_model import LEAVE_EVENTS, BoardModel, CallEntry
from madoguchi.apps.board.board_panels import (
    BG,
    MovesPanel,
    NowCallingPanel,
    RecentCallsPanel,
    ServingPanel,
    WaitingPanel,
)
from madoguchi.client.hall_client import HallClient
from madoguchi.core import api_models as m
from madoguchi.core.config import localized
from madoguchi.devices.speech.announcement_voice import Announcement
from madoguchi.qt.event_bridge import EventBridge, retire_bridge
from madoguchi.qt.health_report import AppHeartbeat
from madoguchi.qt.tasks import run_task, wait_for_tasks
from madoguchi.translations.places import counters_phrase

log = logging.getLogger(__name__)

# The event stream imports its WebSocket client lazily on its own thread; with PySide6 loaded, that import runs
# shiboken's import hook off the UI thread and crashed the process in tests. Importing it here, on the UI
# thread, makes the stream's import a no-op.

RESYNC_RETRY_MS = 1000
#: events after which a ticket's call need not be said any more
NOT_CALLED_EVENTS = LEAVE_EVENTS | {"ticket.serving"}
#: a full resync now and then corrects waiting counts the events cannot (e.g. tickets expired by the server)
PERIODIC_RESYNC_MS = 60_000
#: the moves' subtitle language changes this often (as the browser board's), and moves past their minutes leave
MOVES_TICK_MS = 8_000


class BoardWindow(QWidget):
    call_shown = Signal(object)  # CallEntry: a fresh call reached the screen
    resynced = Signal()

    def __init__(
        self,
        client: HallClient,
        events: EventBridge,
        announcer: Announcer | None = None,
        *,
        clock: Clock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.events = events
        self.announcer = announcer
        self.model = BoardModel()
        self.services: dict[str, m.ServiceInfo] = {}
        self.counter_infos: list[m.CounterInfo] = []
        self.connected = False
        self._started = False
        self.heartbeat = AppHeartbeat(client, parent=self)
        self.setWindowTitle("Madoguchi board")
        self.setStyleSheet(f"background: {BG.name()};")
        self.header = HeaderBar(clock, self)
        self.now_calling = NowCallingPanel(self.model, self)
        self.recent = RecentCallsPanel(self.model, self)
        self.serving = ServingPanel(self.model, self)
        self.waiting = WaitingPanel(self.model, self._service_name, self)
        self.moves = MovesPanel(self.model, self._service_name_in, self.place_of, self)
        self.moves.hide()
        self.ticker = Ticker(self)
        self._body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._left = QVBoxLayout()
        self._right = QVBoxLayout()
        for lay in (self._body, self._left, self._right):
            lay.setContentsMargins(0, 0, 0, 0)
            lay.setSpacing(0)
        self._left.addWidget(self.now_calling, 5)
        self._left.addWidget(self.recent, 4)
        # moves (shown for a few minutes) take their room from now serving and waiting
        self._right.addWidget(self.serving, 2)
        self._right.addWidget(self.moves, 3)
        self._right.addWidget(self.waiting, 2)
        self._body.addLayout(self._left, 3)
        self._body.addLayout(self._right, 2)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.header)
        outer.addLayout(self._body, 1)
        outer.addWidget(self.ticker)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.resync)
        self._periodic = QTimer(self)
        self._periodic.setInterval(PERIODIC_RESYNC_MS)
        self._periodic.timeout.connect(self._periodic_resync)
        self._moves_tick = QTimer(self)
        self._moves_tick.setInterval(MOVES_TICK_MS)
        self._moves_tick.timeout.connect(self._on_moves_tick)
        self._moves_tick.start()
        events.event_received.connect(self._on_event)
        events.connection_changed.connect(self._on_connection)
        self._apply_layout()

    # ------------------------------------------------------------------ start-up and data
    def start(self) -> None:
        """Load the hall description, open the event stream; the first connection triggers the snapshot."""
        run_task(self.client.hall, self._on_hall, lambda exc: QTimer.singleShot(2000, self.start), parent=self)
        if not self._started:
            self.heartbeat.start()
            self._started = True
            self.events.start()
        self._periodic.start()

    def _on_hall(self, hall: m.HallInfo) -> None:
        self.services = {s.id: s for s in hall.services}
        self.counter_infos = list(hall.counters)
        self.moves.sub_languages = [lang for lang in hall.languages if lang not in ("ja", "ja-easy")] or ["en"]
        self.header.hall_name = hall.name.get("ja", "")
        try:
            self.header.timezone = ZoneInfo(hall.timezone)
        except (KeyError, ValueError):
            log.warning("unknown hall time zone; the clock shows local time")
        self._repaint()

    def _service_name(self, service_id: str) -> str:
        s = self.services.get(service_id)
        return s.name.get("ja", service_id) if s else service_id

    def _service_name_in(self, service_id: str, lang: str) -> str:
        s = self.services.get(service_id)
        return localized(s.name, lang) if s else service_id

    def place_of(self, service_id: str, lang: str) -> tuple[str, str]:
        """Where a procedure is served: its counters (``9・10番窓口``) and their waiting area when they share one."""
        counters = [c for c in self.counter_infos if service_id in c.services]
        if not counters:
            return "", ""
        areas = [c.area for c in counters]
        area = areas[0] if areas[0] and all(a == areas[0] for a in areas) else None
        return counters_phrase(lang, sorted(c.number for c in counters)), localized(area, lang) if area else ""

    def _on_moves_tick(self) -> None:
        if self.moves.isVisible():
            self.moves.next_language()
        self._show_moves()

    def _show_moves(self) -> None:
        """The moves panel while there are moves to show; without, its room goes back to the others."""
        shown = bool(self.model.current_moves())
        if shown != self.moves.isVisible():
            self.moves.setVisible(shown)

    def resync(self) -> None:
        run_task(self.client.board, self._on_snapshot, self._on_snapshot_failed, parent=self)

    def _periodic_resync(self) -> None:
        if self.connected and not self.model.resync_pending:
            run_task(self.client.board, self._on_periodic_snapshot, lambda exc: None, parent=self)

    def _on_periodic_snapshot(self, state: m.BoardState) -> None:
        # only the counts and notices: calls keep coming from events, so nothing re-blinks
        if state.last_event_id == self.model.last_event_id:
            self.model.waiting = dict(state.waiting)
            self.model.notices = list(state.notices)
            self.ticker.set_notices(self.model.notices)
            self._repaint()

    def _on_snapshot(self, state: m.BoardState) -> None:
        fresh = self.model.resync(state)
        self.ticker.set_notices(self.model.notices)
        self._repaint()
        self.resynced.emit()
        for entry in fresh:
            self._show_fresh(entry)

    def _on_snapshot_failed(self, exc: BaseException) -> None:
        log.info("board snapshot failed (%s); retrying", type(exc).__name__)
        self._retry.start(RESYNC_RETRY_MS)

    def _on_connection(self, up: bool) -> None:
        self.connected = up
        self.header.connected = up
        self.header.update()
        if up:
            self.resync()
        else:
            self.model.connection_lost()

    def _on_event(self, event: m.Event) -> None:
        if self.announcer is not None and event.ticket_id and event.type in NOT_CALLED_EVENTS:
            self.announcer.withdraw(event.ticket_id)  # the resident is at the counter, or the ticket left
        was_pending = self.model.resync_pending
        entry = self.model.apply(event)
        if self.model.resync_pending and not was_pending:
            self.resync()  # the day rolled over: start again from a snapshot
            return
        if entry is not None:
            self._show_fresh(entry)
        elif not self.model.resync_pending:
            self._repaint()

    def _show_fresh(self, entry: CallEntry) -> None:
        self.now_calling.highlight()
        self._repaint()
        self.call_shown.emit(entry)
        if self.announcer is not None:
            self.announcer.announce(
                Announcement(entry.ticket_id, entry.number, entry.counter, entry.language, entry.recall)
            )

    def _repaint(self) -> None:
        self._show_moves()
        for w in (self.now_calling, self.recent, self.serving, self.waiting, self.moves):
            w.update()

    # ------------------------------------------------------------------ layout
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_layout()

    @property
    def portrait(self) -> bool:
        return self.height() > self.width()

    def _apply_layout(self) -> None:
        w, h = max(1, self.width()), max(1, self.height())
        if self.portrait:
            unit = min(w / 1080, h / 1920)
            self._body.setDirection(QBoxLayout.Direction.TopToBottom)
            self._body.setStretch(0, 3)
            self._body.setStretch(1, 2)
        else:
            unit = min(w / 1920, h / 1080)
            self._body.setDirection(QBoxLayout.Direction.LeftToRight)
            self._body.setStretch(0, 3)
            self._body.setStretch(1, 2)
        for widget in (self.header, self.now_calling, self.recent, self.serving, self.waiting, self.moves, self.ticker):
            widget.set_unit(unit)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._periodic.stop()
        self._moves_tick.stop()
        if self._started:
            self.events.stop()
            retire_bridge(self.events)
        wait_for_tasks()
        if self.announcer is not None:
            self.announcer.stop()
        super().closeEvent(event)
