"""One resident's "issue" action on the wire: sent, re-sent while the network cuts it off, or given up for good.

The request keeps one request id, so however often it is re-sent the server stores at most one ticket. Re-sending
stops ``retry_s`` after the first try; the resident is then told there is no ticket, and from that moment the
request is withdrawn (``withdrawals.Withdrawals``): a ticket the server stored anyway is cancelled, and one that
still arrives at the kiosk is never shown. The kiosk never sends it again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from madoguchi.apps.kiosk.withdrawals import Withdrawals
from madoguchi.client.hall_client import ServerUnreachable
from madoguchi.core import api_models as m
from madoguchi.qt.tasks import run_task

log = logging.getLogger(__name__)

RESEND_AFTER_MS = 500


class IssueRequest(QObject):
    #: the server confirmed the ticket (IssuedTicket)
    issued = Signal(object)
    #: the server refused it (the ClientError): nothing was stored
    refused = Signal(object)
    #: cut off for ``retry_s``: the resident must be told; the request is being withdrawn
    gave_up = Signal()

    def __init__(
        self,
        send: Callable[[], m.IssuedTicket],
        request_id: str,
        retry_s: float,
        withdrawals: Withdrawals,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.request_id = request_id
        self._send = send
        self._retry_s = retry_s
        self._withdrawals = withdrawals
        self._started = 0.0
        self._attempts = 0
        self._abandoned = False
        self._settled = False  # answered: a ticket or a refusal

    @property
    def abandoned(self) -> bool:
        return self._abandoned

    def start(self) -> None:
        self._started = time.monotonic()
        self._attempt()

    def _attempt(self) -> None:
        if self._abandoned:
            return
        self._attempts += 1
        run_task(self._send, self._answered, self._failed, parent=self)

    def _answered(self, issued: m.IssuedTicket) -> None:
        if self._abandoned:
            # the resident was told "no ticket": this one must not stay in the queue
            log.warning("ticket %s arrived after the resident was told there was none", issued.ticket.number)
            self._withdrawals.add(self.request_id)
            return
        self._settled = True
        self.issued.emit(issued)

    def _failed(self, exc: BaseException) -> None:
        if self._abandoned:
            return
        if not isinstance(exc, ServerUnreachable):
            self._settled = True
            self.refused.emit(exc)
            return
        if time.monotonic() - self._started + RESEND_AFTER_MS / 1000 < self._retry_s:
            log.info("issue cut off (%s); sending again (same request id)", exc.detail or type(exc).__name__)
            QTimer.singleShot(RESEND_AFTER_MS, self, self._attempt)
            return
        log.warning("issue given up after %d tries: the resident is told there is no ticket", self._attempts)
        self.abandon()
        self.gave_up.emit()

    def abandon(self) -> None:
        """No ticket for this request, ever (the resident was told so, or left before an answer)."""
        if not self._abandoned and not self._settled:
            self._abandoned = True
            self._withdrawals.add(self.request_id)
