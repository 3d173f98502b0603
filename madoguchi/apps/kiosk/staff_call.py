"""A resident's call for help, followed until a person answers: the kiosk says only what is true.

"Call staff" raises a call on every staff console and admin console, naming this kiosk. The server's answer says
how many consoles can see it; the kiosk then asks every second whether someone pressed "on my way". States:

- sending: on its way to the server;
- nobody: no staff console or admin console is open anywhere: go to the information desk instead;
- waiting: consoles have it, nobody has answered yet;
- answered: someone is on the way (from counter N, or from the office);
- unanswered: nobody answered within ``answer_s``: go to the information desk or a counter (a late answer still
  turns it into "answered");
- failed: the call could not be sent (the server is unreachable).
"""

from __future__ import annotations

import logging
import time
from enum import StrEnum

from PySide6.QtCore import QObject, QTimer, Signal

from madoguchi.client.hall_client import ClientError, HallClient
from madoguchi.core import api_models as m
from madoguchi.qt.tasks import run_task

log = logging.getLogger(__name__)

POLL_MS = 1000


class CallState(StrEnum):
    IDLE = "idle"
    SENDING = "sending"
    NOBODY = "nobody"
    WAITING = "waiting"
    ANSWERED = "answered"
    UNANSWERED = "unanswered"
    FAILED = "failed"


class StaffCallTracker(QObject):
    changed = Signal()

    def __init__(self, client: HallClient, answer_s: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.answer_s = answer_s
        self.state = CallState.IDLE
        self.counter: int | None = None
        self.call_id: int | None = None
        self._sent_at = 0.0
        self._asking = False
        self._generation = 0  # a call ended meanwhile: its late answers are dropped
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._ask)

    @property
    def active(self) -> bool:
        return self.state not in (CallState.IDLE, CallState.FAILED)

    def call(self, screen: str, language: str) -> None:
        """Raise a call; while one is open for this resident, only show where it stands."""
        if self.active:
            self.changed.emit()
            return
        self._generation += 1
        generation = self._generation
        self._set(CallState.SENDING)
        client = self.client

        def sent(call: m.StaffCall) -> None:
            if generation != self._generation:
                return
            self.call_id = call.call_id
            self._sent_at = time.monotonic()
            self._timer.start()
            self._set(CallState.WAITING if call.watching else CallState.NOBODY)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                log.warning("call staff failed: %s", type(exc).__name__)
                self._set(CallState.FAILED)

        run_task(lambda: client.call_staff(screen, language), sent, failed, parent=self)

    def _ask(self) -> None:
        call_id, generation = self.call_id, self._generation
        if self._asking or call_id is None:
            return
        self._asking = True
        client = self.client

        def answered(status: m.StaffCall) -> None:
            self._asking = False
            if generation != self._generation:
                return
            if status.acknowledged:
                self.counter = status.counter
                self._timer.stop()
                self._set(CallState.ANSWERED)
            elif self.state is CallState.WAITING and time.monotonic() - self._sent_at >= self.answer_s:
                self._set(CallState.UNANSWERED)
            elif self.state is CallState.NOBODY and status.watching:
                self._set(CallState.WAITING)  # a console came up meanwhile

        def failed(exc: BaseException) -> None:
            self._asking = False
            if isinstance(exc, ClientError):
                log.debug("call status not known: %s", type(exc).__name__)

        run_task(lambda: client.call_status(call_id), answered, failed, parent=self)

    def end(self) -> None:
        """The resident's session ended: stop following the call (it stays on the consoles)."""
        self._generation += 1
        self._timer.stop()
        self.call_id = None
        self.counter = None
        self._set(CallState.IDLE)

    def _set(self, state: CallState) -> None:
        self.state = state
        self.changed.emit()
