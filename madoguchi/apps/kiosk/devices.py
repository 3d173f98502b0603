"""What the kiosk needs from each device, and the adapters that give it over the device packages.

Each port is a small interface: the kiosk never imports pyscard, OpenCV or ESC/POS details directly. Blocking
methods (``wait_card_tries``, ``read``, ``print_ticket``, ``status``) run on worker threads through
``madoguchi.qt.tasks.run_task``; watchers (card presence, camera frames, decoded codes) are QObjects that only emit
signals. A device that is missing answers ``available() == False`` and its option disappears from the screens.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance

log = logging.getLogger(__name__)


@dataclass(frozen=True, repr=False)
class CardData:
    """What was read from the card for one resident's flow. Never logged; dropped by ``Session.clear``."""

    name: str
    address: str
    birth_date: dt.date
    sex: str  # "male" / "female" / "not_applicable"
    individual_number: str | None = None

    def __repr__(self) -> str:
        return "CardData(<personal data hidden>)"

    __str__ = __repr__


class CardPort(Protocol):
    """A My Number card reader. Signals: ``card_inserted()``, ``card_removed()``, ``availability_changed(bool)``."""

    card_inserted: SignalInstance
    card_removed: SignalInstance
    availability_changed: SignalInstance

    def available(self) -> bool: ...
    def card_present(self) -> bool: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def cancel(self) -> None: ...
    def wait_card_tries(self, timeout: float) -> int | None: ...
    def read(self, pin: str, *, confirm_last_try: bool, individual_number_reason: str | None) -> CardData: ...


class PrinterPort(Protocol):
    """The ticket printer. ``print_ticket``/``reprint`` block until printed and raise
    ``madoguchi.devices.printer.errors.PrinterError`` (reason code) on failure."""

    def available(self) -> bool: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def status(self) -> str: ...  # a ``PrinterHealth.status`` value
    def print_ticket(self, content: object, job_id: str = "") -> None: ...
    def reprint(self, job_id: str) -> None: ...


class ScannerPort(Protocol):
    """The camera with 2D code decoding. Signals: ``code_decoded(str)``, ``frame_ready(QImage)``."""

    code_decoded: SignalInstance
    frame_ready: SignalInstance
    availability_changed: SignalInstance

    def available(self) -> bool: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def set_active(self, active: bool) -> None: ...
    def frames_seen(self) -> int: ...


class NoCard(QObject):
    """No card reader configured: the card option never shows."""

    card_inserted = Signal()
    card_removed = Signal()
    availability_changed = Signal(bool)

    def available(self) -> bool:
        return False

    def card_present(self) -> bool:
        return False

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def cancel(self) -> None:
        pass

    def wait_card_tries(self, timeout: float) -> int | None:
        from madoguchi.devices.card.errors import CardError, CardErrorReason

        raise CardError(CardErrorReason.no_reader)

    def read(self, pin: str, *, confirm_last_try: bool, individual_number_reason: str | None) -> CardData:
        from madoguchi.devices.card.errors import CardError, CardErrorReason

        raise CardError(CardErrorReason.no_reader)


class NoScanner(QObject):
    code_decoded = Signal(str)
    frame_ready = Signal(object)
    availability_changed = Signal(bool)

    def available(self) -> bool:
        return False

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def set_active(self, active: bool) -> None:
        pass

    def frames_seen(self) -> int:
        return 0


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
        from madoguchi.devices.printer.errors import PrinterError, PrinterErrorReason

        raise PrinterError(PrinterErrorReason.NOT_FOUND, "no printer configured")

    def reprint(self, job_id: str) -> None:
        self.print_ticket(None)


class PcscCardReader(QObject):
    """``card_reader.CardService`` for the blocking steps plus ``QtCardMonitor`` for presence."""

    card_inserted = Signal()
    card_removed = Signal()
    availability_changed = Signal(bool)

    def __init__(self, reader_pattern: str | None = None, allow_virtual: bool = False) -> None:
        super().__init__()
        from madoguchi.devices.card.qt_monitor import QtCardMonitor
        from madoguchi.devices.card.service import CardService

        self._service = CardService(reader_pattern, allow_virtual)
        self._monitor = QtCardMonitor(reader_pattern, allow_virtual, parent=self)
        self._readers: list[str] = []
        self._present: set[str] = set()
        self._monitor.readers_changed.connect(self._on_readers)
        self._monitor.card_inserted.connect(self._on_inserted)
        self._monitor.card_removed.connect(self._on_removed)

    def _on_readers(self, readers: list[str]) -> None:
        was = bool(self._readers)
        self._readers = list(readers)
        self._present &= set(readers)
        if was != bool(readers):
            self.availability_changed.emit(bool(readers))

    def _on_inserted(self, reader: str) -> None:
        self._present.add(reader)
        self.card_inserted.emit()

    def _on_removed(self, reader: str) -> None:
        self._present.discard(reader)
        if not self._present:
            self.card_removed.emit()

    def available(self) -> bool:
        return bool(self._readers)

    def card_present(self) -> bool:
        return bool(self._present)

    def start(self) -> None:
        self._monitor.start()

    def stop(self) -> None:
        self._service.cancel()
        self._monitor.stop()

    def cancel(self) -> None:
        self._service.cancel()

    def wait_card_tries(self, timeout: float) -> int | None:
        with self._service.wait_for_card(timeout) as session:
            return session.read_pin_tries()

    def read(self, pin: str, *, confirm_last_try: bool, individual_number_reason: str | None) -> CardData:
        # A fresh connection: the PIN is sent exactly once, here, and the card is reset when the block ends.
        with self._service.wait_for_card(3.0) as session:
            session.verify_pin(pin, confirm_last_try=confirm_last_try)
            info = session.read_basic_info()
            number = None
            if individual_number_reason:
                number = session.read_individual_number(individual_number_reason).value
        return CardData(info.name, info.address, info.birth_date, info.sex.value, number)


class WorkerPrinter:
    """``madoguchi.devices.printer.print_worker.PrintWorker`` behind the kiosk's ``PrinterPort``.

    The worker owns the printer connection on its own thread, asks the status before every ticket, and ends a
    job only when the printer confirmed it; ``print_ticket`` waits for that on the calling (worker) thread.
    """

    def __init__(self, url: str, *, job_timeout_s: float = 30.0) -> None:
        from madoguchi.devices.printer.print_worker import PrintWorker

        self.worker = PrintWorker(url)
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
