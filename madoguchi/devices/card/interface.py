"""The card reader interface the kiosk depends on; ``CardService`` (PC/SC) and ``SimulatedCardService``
(in-process virtual card, no pcscd) both satisfy it."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from madoguchi.devices.card.session import MyNumberSession


class CardReaderService(Protocol):
    def available(self) -> bool: ...
    def readers(self) -> list[str]: ...
    def cancel(self) -> None: ...
    def wait_for_card(self, timeout: float) -> AbstractContextManager[MyNumberSession]: ...
    def wait_for_removal(self, timeout: float) -> bool: ...
