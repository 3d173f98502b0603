"""What the kiosk needs from each device, and the adapters that give it over the device packages.

Each port is a small interface: the kiosk never imports pyscard, OpenCV or ESC/POS details directly. Blocking
methods (``wait_card_tries``, ``read``, ``print_ticket``, ``status``) run on worker threads through
``qt_common.tasks.run_task``; watchers (card presence, camera frames, decoded codes) are QObjects that only emit
signals. A device that is missing answers ``available() == False`` and its option disappears from the screens.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject, Signal

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

    card_inserted: Signal
    card_removed: Signal
    availability_changed: Signal

    def available(self) -> bool: ...
    def card_present(self) -> bool: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def cancel(self) -> None: ...
    def wait_card_tries(self, timeout: float) -> int | None: ...
    def read(self, pin: str, *, confirm_last_try: bool, individual_number_reason: str | None) -> CardData: ...


class PrinterPort(Protocol):
    """The ticket printer. ``print_ticket`` raises ``printers.errors.PrinterError`` (reason code) on failure."""

    def available(self) -> bool: ...
    def status(self) -> str: ...  # a ``PrinterHealth.status`` value
    def print_ticket(self, content: object) -> None: ...


class ScannerPort(Protocol):
    """The camera with 2D code decoding. Signals: ``code_decoded(str)``, ``frame_ready(QImage)``."""

    code_decoded: Signal
    frame_ready: Signal
    availability_changed: Signal

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
        from card_reader.errors import CardError, CardErrorReason

        raise CardError(CardErrorReason.no_reader)

    def read(self, pin: str, *, confirm_last_try: bool, individual_number_reason: str | None) -> CardData:
        from card_reader.errors import CardError, CardErrorReason

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

    def status(self) -> str:
        return "NONE"

    def print_ticket(self, content: object) -> None:
        from printers.errors import PrinterError, PrinterErrorReason

        raise PrinterError(PrinterErrorReason.NOT_FOUND, "no printer configured")


class PcscCardReader(QObject):
    """``card_reader.CardService`` for the blocking steps plus ``QtCardMonitor`` for presence."""

    card_inserted = Signal()
    card_removed = Signal()
    availability_changed = Signal(bool)

    def __init__(self, reader_pattern: str | None = None, allow_virtual: bool = False) -> None:
        super().__init__()
        from card_reader.qt_monitor import QtCardMonitor
        from card_reader.service import CardService

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


class EscPosTicketPrinter:
    """Render a ``TicketContent`` and send it as ESC/POS to the printer URL, after an honest status check.

    One job at a time (a lock): the heartbeat's status query never lands in the middle of a ticket.
    """

    def __init__(self, url: str) -> None:
        from printers.printer_url import parse_printer_url

        self.url = parse_printer_url(url)
        self._lock = threading.Lock()

    def available(self) -> bool:
        return True

    def _connection(self):  # type: ignore[no-untyped-def]
        from printers.connection import PrinterConnection
        from printers.transports import open_transport

        transport = open_transport(self.url)
        transport.open()
        return PrinterConnection(transport)

    def status(self) -> str:
        from printers.errors import PrinterError

        with self._lock:
            try:
                conn = self._connection()
            except PrinterError:
                return "OFFLINE"
            try:
                return str(conn.query_status(timeout=1.5).status.value)
            finally:
                conn.transport.close()

    def warm_up(self) -> None:
        """Load the ticket fonts and layout code once (the first render costs seconds, later ones ~50 ms)."""
        from printers.escpos_output import build_ticket_job
        from printers.ticket_layout import TicketContent, render_ticket

        sample = TicketContent("窓口", "A-000", "住民票", "Residence", "0", "5–10 min", "http://x/t/0", "", "", "en")
        build_ticket_job(render_ticket(sample, self.url.profile), self.url.profile)

    def print_ticket(self, content: object) -> None:
        from printers.errors import PrinterError, PrinterErrorReason
        from printers.escpos_output import build_ticket_job
        from printers.status import PrinterStatus
        from printers.ticket_layout import TicketContent, render_ticket

        assert isinstance(content, TicketContent)
        reasons = {
            PrinterStatus.PAPER_OUT: PrinterErrorReason.PAPER_OUT,
            PrinterStatus.COVER_OPEN: PrinterErrorReason.COVER_OPEN,
            PrinterStatus.CUTTER_ERROR: PrinterErrorReason.CUTTER_ERROR,
            PrinterStatus.OFFLINE: PrinterErrorReason.OFFLINE,
        }
        job = build_ticket_job(render_ticket(content, self.url.profile), self.url.profile)
        with self._lock:
            conn = self._connection()
            try:
                report = conn.query_status(timeout=1.5)
                if not report.status.can_print:
                    raise PrinterError(reasons.get(report.status, PrinterErrorReason.UNKNOWN), report.detail)
                conn.write(job.data, timeout=10.0)
            finally:
                conn.transport.close()
