"""Every few seconds, on a worker thread, an app tells the server it is alive (``AppHeartbeat``).

By default it reports its version, uptime and free disk, so the facility manager's tiles turn red when a
console or board freezes or loses the network; the kiosk passes its own ``collect`` with printer, card reader
and camera health (``kiosk/heartbeat.py``). One heartbeat at a time: a slow device never piles them up.
Failures are only logged: each app notices an unreachable server on its own.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from madoguchi import package_version
from madoguchi.client.hall_client import HallClient
from madoguchi.core import api_models as m
from madoguchi.qt.tasks import run_task

log = logging.getLogger(__name__)


def basic_health(started: float) -> m.DeviceHealth:
    try:
        free = shutil.disk_usage("/").free / 1e6
    except OSError:
        free = None
    return m.DeviceHealth(
        app_version=package_version(), uptime_s=round(time.monotonic() - started, 1), free_disk_mb=free
    )


class AppHeartbeat(QObject):
    """``collect(screen)`` runs on a worker thread and may block (a printer status query); ``screen()`` is read
    on the UI thread just before, since widgets must not be touched from the worker."""

    def __init__(
        self,
        client: HallClient,
        period_s: float = 5.0,
        parent: QObject | None = None,
        *,
        collect: Callable[[str], m.DeviceHealth] | None = None,
        screen: Callable[[], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.started_at = time.monotonic()
        self._collect = collect or (lambda _screen: basic_health(self.started_at))
        self._screen = screen or (lambda: "")
        self.sent = 0
        self.last: m.DeviceHealth | None = None
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setInterval(int(period_s * 1000))
        self._timer.timeout.connect(self.beat)

    def start(self) -> None:
        self._timer.start()
        self.beat()

    def stop(self) -> None:
        self._timer.stop()

    def beat(self) -> None:
        if self._busy:
            return
        self._busy = True
        client, collect, screen = self.client, self._collect, self._screen()

        def send() -> m.DeviceHealth:
            health = collect(screen)
            client.heartbeat(health)
            return health

        def ok(health: m.DeviceHealth) -> None:
            self._busy = False
            self.sent += 1
            self.last = health

        def failed(exc: BaseException) -> None:
            self._busy = False
            log.debug("heartbeat not delivered: %s", type(exc).__name__)

        run_task(send, ok, failed, parent=self)
