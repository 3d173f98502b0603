"""The ticket printer over a ``PrintWorker``: the kiosk's ``TicketPrinter``."""

from __future__ import annotations

from typing import Any


class WorkerPrinter:
    """``madoguchi.devices.printer.print_worker.PrintWorker`` behind the kiosk's ``PrinterPort``.

    The worker owns the printer connection on its own thread, asks the status before every ticket, and ends a
    job only when the printer confirmed it; ``print_ticket`` waits for that on the calling (worker) thread.
    """

    def __init__(self, url: str, *, job_timeout_s: float = 30.0, idle_poll_s: float = 1.0) -> None:
        """``idle_poll_s``: how often an idle printer is asked its status (DLE EOT, a few bytes). A kiosk tells
        residents that paper ran out before they start, so it must know within seconds even from a printer
        without automatic status messages."""
        from madoguchi.devices.printer.print_worker import PrintWorker

        self.worker = PrintWorker(url, idle_poll_s=idle_poll_s)
        self.url = self.worker.url
        self.job_timeout_s = job_timeout_s

    def available(self) -> bool:
        return True  # configured; whether it can print right now is ``status()``

    def start(self) -> None:
        self.worker.start()

    def stop(self) -> None:
        self.worker.stop()

    def status(self) -> str:
        return str(self.worker.status.status.value)

    def warm_up(self) -> None:
        """Load the ticket fonts and python-escpos once (the first render costs about a second, later ones
        milliseconds)."""
        from madoguchi.devices.printer.escpos_loader import preload
        from madoguchi.devices.printer.ticket_layout import warm_up

        warm_up(self.url.profile)
        preload()

    def print_ticket(self, content: object, job_id: str = "") -> None:
        from madoguchi.devices.printer.ticket_layout import TicketContent

        assert isinstance(content, TicketContent)
        self._wait(self.worker.submit(job_id or content.number, content=content))

    def reprint(self, job_id: str) -> None:
        self._wait(self.worker.reprint(job_id))

    def _wait(self, future: Any) -> None:
        from madoguchi.devices.printer.errors import PrinterError, PrinterErrorReason

        result = future.result(timeout=self.job_timeout_s)
        if not result.ok:
            raise PrinterError(result.reason or PrinterErrorReason.UNKNOWN, result.detail)
