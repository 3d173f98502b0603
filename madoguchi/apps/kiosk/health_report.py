"""Every few seconds, tell the server how this kiosk is: printer, card reader, camera, the screen shown, and the
state a resident meets (``kiosk_state``), which the admin console shows per kiosk.

The shared ``madoguchi.qt.health_report.AppHeartbeat`` does the sending (worker thread, one at a time); this module
only collects the kiosk's device health.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable

from PySide6.QtCore import QObject

from madoguchi import package_version
from madoguchi.apps.kiosk.context import KioskContext
from madoguchi.core import api_models as m
from madoguchi.qt.health_report import AppHeartbeat

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
        app_version=package_version(),
        uptime_s=round(time.monotonic() - started, 1),
        free_disk_mb=free,
        printer=m.PrinterHealth(status=status),  # type: ignore[arg-type]
        card_reader_present=ctx.card.available(),
        camera_frames=ctx.scanner.frames_seen(),
        camera_ok=ctx.scanner.available(),
        screen=screen or None,
        kiosk_state=ctx.status.state,
        kiosk_state_reasons=list(ctx.status.reasons),  # type: ignore[arg-type]
    )


def kiosk_heartbeat(
    ctx: KioskContext, screen: Callable[[], str], period_s: float, parent: QObject | None = None
) -> AppHeartbeat:
    """The shared heartbeat, reporting the kiosk's device health and the screen shown."""
    started = time.monotonic()
    return AppHeartbeat(
        ctx.client, period_s, parent, collect=lambda shown: collect_health(ctx, shown, started), screen=screen
    )
