"""What the kiosk relies on from a My Number card reader, and the stand-in when there is none.

``PcscCardReader`` (``qt_reader``) is the real one over pyscard; tests and the demo use it too, against the
virtual card behind pcscd + vpcd. Blocking methods (``wait_card_tries``, ``read``) run on worker threads; the
signals come from the reader monitor's thread and are queued to the UI thread.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance

from madoguchi.devices.card.errors import CardError, CardErrorReason


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


class CardReader(Protocol):
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


class NoCardReader(QObject):
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
        raise CardError(CardErrorReason.no_reader)

    def read(self, pin: str, *, confirm_last_try: bool, individual_number_reason: str | None) -> CardData:
        raise CardError(CardErrorReason.no_reader)
