"""Requests the kiosk gave up on: once a resident was told "no ticket", that request must never become one.

The kiosk stops sending the request at once. The server may still have stored it (the answer was lost on the way
back) or may store it later (a request stuck in a buffer or a busy worker), so the kiosk asks the server to
withdraw it, again and again, until the server cancelled it or ``withdraw_for_seconds`` passed with nothing
stored. A ticket for such a request that arrives late at the kiosk is withdrawn the same way, never shown.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from madoguchi.client.hall_client import ClientError, HallClient
from madoguchi.core import api_models as m
from madoguchi.qt.tasks import run_task

log = logging.getLogger(__name__)

#: seconds between two rounds of asking
RETRY_S = 2.0


@dataclass
class _Pending:
    request_id: str
    given_up_at: float


class Withdrawals(QObject):
    #: a stored ticket was cancelled (its number): for tests and the log
    cancelled = Signal(str)

    def __init__(self, client: HallClient, keep_s: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.keep_s = keep_s
        self._pending: dict[str, _Pending] = {}
        self._busy = False
        #: rounds of asking the server answered (tests wait for a few)
        self.rounds = 0
        self._timer = QTimer(self)
        self._timer.setInterval(int(RETRY_S * 1000))
        self._timer.timeout.connect(self.run)

    def __contains__(self, request_id: object) -> bool:
        return request_id in self._pending

    def __len__(self) -> int:
        return len(self._pending)

    def add(self, request_id: str) -> None:
        """The resident was told this request failed: withdraw it from now on."""
        self._pending.setdefault(request_id, _Pending(request_id, time.monotonic()))
        if not self._timer.isActive():
            self._timer.start()
        self.run()

    def run(self) -> None:
        if self._busy or not self._pending:
            return
        self._busy = True
        client, wanted = self.client, list(self._pending)

        def ask() -> list[tuple[str, m.WithdrawResult | None]]:
            out: list[tuple[str, m.WithdrawResult | None]] = []
            for request_id in wanted:
                try:
                    out.append((request_id, client.withdraw(request_id)))
                except ClientError as exc:  # unreachable, or refused: try again next round
                    log.debug("withdrawal not delivered: %s", type(exc).__name__)
                    out.append((request_id, None))
            return out

        run_task(ask, self._answered, self._failed, parent=self)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        log.warning("withdrawing requests failed: %s", type(exc).__name__)

    def _answered(self, answers: list[tuple[str, m.WithdrawResult | None]]) -> None:
        self._busy = False
        self.rounds += 1
        now = time.monotonic()
        for request_id, result in answers:
            pending = self._pending.get(request_id)
            if pending is None or result is None:
                continue
            if result.status == "cancelled":
                log.warning("ticket %s, stored after the resident was told no ticket, is cancelled", result.number)
                self.cancelled.emit(result.number or "")
                del self._pending[request_id]
            elif result.status == "kept" or now - pending.given_up_at > self.keep_s:
                del self._pending[request_id]
        if not self._pending:
            self._timer.stop()

    def stop(self) -> None:
        self._timer.stop()
