"""Every few seconds, tell the server how this kiosk is: printer, card reader, camera, the screen shown.

The printer status query and the HTTP call run on a worker thread; one heartbeat at a time (a slow printer
never piles them up). Failures are only logged: the flow notices an unreachable server on its own.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from kiosk.context import KioskContext
from qt_common.tasks import run_task
from queueing import api_models as m

log = logging.getLogger(__name__)


def collect_health(ctx: KioskContext, screen: str, started: float) -> m.DeviceHealth:
    """Blocking (printer status query): call it on a worker thread."""
    printer = ctx.printer
    status = printer.status() if printer.available() else "NONE"
    try:
        free = shutil.disk_usage("/").free / 1e6
    except OSError:
        free = None
    return m.DeviceHealth(
        app_version=ctx.settings.app_version,
        uptime_s=round(time.monotonic() - started, 1),
        free_disk_mb=free,
        printer=m.PrinterHealth(status=status),  # type: ignore[arg-type]
        card_reader_present=ctx.card.available(),
        camera_frames=ctx.scanner.frames_seen(),
        camera_ok=ctx.scanner.available(),
        screen=screen or None,
    )


class HeartbeatSender(QObject):
    def __init__(self, ctx: KioskContext, screen: Callable[[], str], period_s: float, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._screen = screen
        self._started = time.monotonic()
        self._busy = False
        self.sent = 0
        self.last: m.DeviceHealth | None = None
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
        ctx, screen, started = self.ctx, self._screen(), self._started

        def send() -> m.DeviceHealth:
            health = collect_health(ctx, screen, started)
            ctx.client.heartbeat(health)
            return health

        def ok(health: m.DeviceHealth) -> None:
            self._busy = False
            self.sent += 1
            self.last = health

        def failed(exc: BaseException) -> None:
            self._busy = False
            log.debug("heartbeat failed: %s", type(exc).__name__)

        run_task(send, ok, failed, parent=self)
