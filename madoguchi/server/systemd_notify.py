"""systemd ``sd_notify`` without a library: READY=1 once the server ticks, then WATCHDOG=1 pings.

The pings come from the server's ticker (the asyncio loop), so a hung loop stops them and systemd restarts the
service after ``WatchdogSec``. Without ``NOTIFY_SOCKET`` (not started by systemd) everything is a no-op.
"""

from __future__ import annotations

import logging
import os
import socket
import time

log = logging.getLogger(__name__)


def sd_notify(message: str) -> bool:
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):  # abstract namespace socket
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.sendto(message.encode(), address)
    except OSError as exc:
        log.warning("sd_notify failed: %s", type(exc).__name__)
        return False
    return True


class SystemdWatchdog:
    """``tick()`` from the server's ticker: READY=1 the first time, then WATCHDOG=1 at half the interval."""

    def __init__(self) -> None:
        usec = os.environ.get("WATCHDOG_USEC", "")
        self.interval_s = int(usec) / 2e6 if usec.isdigit() and int(usec) > 0 else None
        self._ready = False
        self._last = 0.0

    def tick(self) -> None:
        if not self._ready:
            self._ready = sd_notify("READY=1\nSTATUS=hall server running")
            if not self._ready:
                self._ready = True  # no systemd: nothing to tell, ever
                self.interval_s = None
            return
        now = time.monotonic()
        if self.interval_s is not None and now - self._last >= self.interval_s:
            self._last = now
            sd_notify("WATCHDOG=1")
