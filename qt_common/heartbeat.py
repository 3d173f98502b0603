"""A plain heartbeat for apps without devices of their own (staff console, call board, admin console).

Every few seconds, on a worker thread, the app tells the server it is alive with its version, uptime and free
disk, so the facility manager's tiles turn red when a console or board freezes or loses the network. The
kiosk has a richer one with printer, card reader and camera health (``kiosk/heartbeat.py``).
"""

from __future__ import annotations

import logging
import shutil
import time

from PySide6.QtCore import QObject, QTimer

from qt_common.tasks import run_task
from queueing import api_models as m
from queueing.client import HallClient

log = logging.getLogger(__name__)


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("madoguchi")
    except Exception:
        return "0.0.0"


class AppHeartbeat(QObject):
    def __init__(self, client: HallClient, period_s: float = 5.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.sent = 0
        self._busy = False
        self._started = time.monotonic()
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
        client, started = self.client, self._started

        def send() -> None:
            try:
                free = shutil.disk_usage("/").free / 1e6
            except OSError:
                free = None
            client.heartbeat(
                m.DeviceHealth(app_version=_version(), uptime_s=round(time.monotonic() - started, 1), free_disk_mb=free)
            )

        def ok(_result: object) -> None:
            self._busy = False
            self.sent += 1

        def failed(exc: BaseException) -> None:
            self._busy = False
            log.debug("heartbeat not delivered: %s", type(exc).__name__)

        run_task(send, ok, failed, parent=self)
