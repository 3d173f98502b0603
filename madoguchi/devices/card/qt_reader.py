"""The card reader over PC/SC: ``CardService`` for the blocking steps, ``QtCardMonitor`` for card presence."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from madoguchi.devices.card.interface import CardData


class PcscCardReader(QObject):
    """Implements ``interface.CardReader``; reader names are matched against ``reader_pattern``."""

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
