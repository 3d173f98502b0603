"""Keeps the kiosk's state (``kiosk_state.evaluate``) current: the server, the printer, the card reader, the camera.

Every ``state_poll_seconds`` a worker thread asks the server's ``/healthz`` (with a short timeout: a silent network
must not hold the answer) and reads the printer's last known status (the print worker follows the printer by its
automatic status messages and a status query every two seconds); every few probes it also loads the procedures'
open hours and waiting counts. The card reader and camera report their availability by signal and count at once.
A cause therefore reaches the screen within about two probe periods (bench/kiosk_state.py measures it).

One unanswered probe already shows a walking-up resident that no ticket can be had (refused at once, or silent
for ``state_probe_timeout_seconds``); a resident in the middle of a flow is interrupted only when the next probe
fails too (``server_gone``): a hiccup must not throw away their answers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QTimer, Signal

from madoguchi.apps.kiosk.context import KioskContext
from madoguchi.apps.kiosk.kiosk_state import Inputs, KioskStatus, evaluate
from madoguchi.client.hall_client import ClientError
from madoguchi.core import api_models as m
from madoguchi.qt.tasks import run_task

log = logging.getLogger(__name__)

#: failed probes in a row before a resident in the middle of a flow is told (one hiccup must not end it)
SERVER_FAILURES = 2


@dataclass(frozen=True)
class Probe:
    printer: str
    server_ok: bool
    services: list[m.ServiceStatus] | None = None


class StateMonitor(QObject):
    #: the state changed (KioskStatus)
    changed = Signal(object)
    #: fresh open hours and waiting counts are in ``ctx.statuses``
    services_updated = Signal()
    #: the server answers again after it was gone (or for the first time)
    server_back = Signal()
    #: the server failed ``SERVER_FAILURES`` probes in a row (not a hiccup)
    server_gone = Signal()

    def __init__(self, ctx: KioskContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        settings = ctx.settings
        self.timeout_s = settings.state_probe_timeout_seconds
        self._services_every = max(1, round(settings.services_refresh_seconds / settings.state_poll_seconds))
        self._timer = QTimer(self)
        self._timer.setInterval(int(settings.state_poll_seconds * 1000))
        self._timer.timeout.connect(self.probe)
        self._busy = False
        self._ticks = 0
        self._failures = SERVER_FAILURES  # gone until the first answer
        self._inputs = Inputs()
        self._seen: set[str] = set()
        self.probes = 0
        ctx.status = evaluate(self._inputs)
        ctx.card.availability_changed.connect(self._devices_changed)
        ctx.scanner.availability_changed.connect(self._devices_changed)

    @property
    def status(self) -> KioskStatus:
        return self.ctx.status

    @property
    def server_ok(self) -> bool:
        return self._inputs.server_ok

    def start(self) -> None:
        self._timer.start()
        self.probe()

    def stop(self) -> None:
        self._timer.stop()

    def probe(self) -> None:
        """Ask now (also after an action failed on an unreachable server: no need to wait for the next tick)."""
        if self._busy:
            return
        self._busy = True
        want_services = self._ticks % self._services_every == 0 or not self.ctx.statuses
        self._ticks += 1
        client, printer, timeout = self.ctx.client, self.ctx.printer, self.timeout_s

        def ask() -> Probe:
            status = printer.status() if printer.available() else "NONE"
            try:
                health = client.health(timeout=timeout)
                services = client.services() if want_services and health.status == "ok" else None
            except ClientError as exc:
                log.debug("state probe: %s", type(exc).__name__)
                return Probe(status, False)
            return Probe(status, health.status == "ok", services)

        def failed(exc: BaseException) -> None:
            self._busy = False
            if self._timer.isActive():  # (stopped: the kiosk is closing and its client with it)
                log.warning("state probe failed: %s", type(exc).__name__)

        run_task(ask, self._answered, failed, parent=self)

    def server_lost(self) -> None:
        """An action found the server gone: count it now rather than at the next probes."""
        self._failures = SERVER_FAILURES
        self._update(server_ok=False)

    def _answered(self, probe: Probe) -> None:
        self._busy = False
        self.probes += 1
        was_ok = self._inputs.server_ok
        self._failures = 0 if probe.server_ok else self._failures + 1
        server_ok = probe.server_ok
        if probe.services is not None:
            self.ctx.statuses = {s.id: s for s in probe.services}
        self._update(server_ok=server_ok, printer=probe.printer, statuses=dict(self.ctx.statuses))
        if probe.services is not None:
            self.services_updated.emit()
        if probe.server_ok and not was_ok:
            log.info("hall server reachable")
            self.server_back.emit()
        if self._failures == SERVER_FAILURES:
            log.warning("hall server unreachable (%d probes)", self._failures)
            self.server_gone.emit()
        elif self._failures == 1:
            # the second probe at once, not at the next tick: a resident in the middle of a flow is told
            # within one more timeout (only once: while the server stays away, probes keep their pace)
            QTimer.singleShot(0, self, self.probe)

    def _devices_changed(self, _available: bool) -> None:
        self._update()

    def hall_loaded(self) -> None:
        """The server just gave the hall: it answers (the next probe confirms it)."""
        self._failures = 0
        self._update(server_ok=True)

    def _update(self, **changes: object) -> None:
        ctx = self.ctx
        for name, device in (("card_reader", ctx.card), ("camera", ctx.scanner)):
            if device.available():
                self._seen.add(name)
        self._inputs = replace(
            self._inputs,
            hall=ctx.hall,
            card_reader_lost="card_reader" in self._seen and not ctx.card.available(),
            camera_lost="camera" in self._seen and not ctx.scanner.available(),
            **changes,  # type: ignore[arg-type]
        )
        status = evaluate(self._inputs)
        if status != ctx.status:
            log.info("kiosk state %s (%s)", status.state, ", ".join(status.reasons) or "all well")
            ctx.status = status
            self.changed.emit(status)
