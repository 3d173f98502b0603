"""What the kiosk relies on from its ticket printer, and the stand-in when there is none.

``WorkerPrinter`` (``worker_printer``) is the real one; tests and the demo point it at the ESC/POS printer
simulator on a loopback port. ``print_ticket`` and ``reprint`` block until printed (worker threads only).
"""

from __future__ import annotations

from typing import Protocol

from madoguchi.devices.printer.errors import PrinterError, PrinterErrorReason


class TicketPrinter(Protocol):
    """The ticket printer. ``print_ticket``/``reprint`` block until printed and raise
    ``madoguchi.devices.printer.errors.PrinterError`` (reason code) on failure."""

    def available(self) -> bool: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def status(self) -> str: ...  # a ``PrinterHealth.status`` value
    def print_ticket(self, content: object, job_id: str = "") -> None: ...
    def reprint(self, job_id: str) -> None: ...


class NoPrinter:
    def available(self) -> bool:
        return False

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def status(self) -> str:
        return "NONE"

    def print_ticket(self, content: object, job_id: str = "") -> None:
        raise PrinterError(PrinterErrorReason.NOT_FOUND, "no printer configured")

    def reprint(self, job_id: str) -> None:
        self.print_ticket(None)
