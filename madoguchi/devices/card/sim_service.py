"""SimulatedCardService: the CardService API over an in-process virtual card, without pcscd.

For UI tests and a demo on a machine where pcscd cannot run (no root). The session, TLV parsing and the
card's behaviour are the real ones; only the PC/SC layer is skipped. Tests of the reader path itself use
pcscd + vpcd (``madoguchi.devices.card.pcscd_harness``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from madoguchi.devices.card.errors import CardError, CardErrorReason
from madoguchi.devices.card.session import MyNumberSession
from madoguchi.devices.card.virtual_card import CardProfile, DirectTransport, VirtualMyNumberCard

SIMULATED_READER = "Simulated card reader"


class _PullableTransport(DirectTransport):
    def __init__(self, card: VirtualMyNumberCard, service: SimulatedCardService) -> None:
        super().__init__(card)
        self._service = service
        self._generation = service.generation

    def transmit(self, command: list[int]) -> tuple[list[int], int, int]:
        if not self._service.present or self._service.generation != self._generation:
            raise CardError(CardErrorReason.card_removed, "simulated card pulled")
        limit = self.card.profile.remove_after_apdus
        if limit is not None and self._service.apdu_count >= limit:
            self._service.remove()
            raise CardError(CardErrorReason.card_removed, "simulated card pulled")
        self._service.apdu_count += 1
        return super().transmit(command)


class SimulatedCardService:
    """``insert()`` / ``remove()`` play the resident; everything else behaves like ``CardService``."""

    def __init__(self, profile: CardProfile | None = None, *, present: bool = False) -> None:
        self.card = VirtualMyNumberCard(profile or CardProfile())
        self.present = present
        self.generation = 0
        self.apdu_count = 0
        self._cond = threading.Condition()
        self._cancelled = False

    def available(self) -> bool:
        return True

    def readers(self) -> list[str]:
        return [SIMULATED_READER]

    def insert(self, profile: CardProfile | None = None) -> None:
        with self._cond:
            if profile is not None:
                self.card = VirtualMyNumberCard(profile)
            self.card.reset()
            self.present = True
            self.generation += 1
            self.apdu_count = 0
            self._cond.notify_all()

    def remove(self) -> None:
        with self._cond:
            self.present = False
            self._cond.notify_all()

    def cancel(self) -> None:
        with self._cond:
            self._cancelled = True
            self._cond.notify_all()

    @contextmanager
    def wait_for_card(self, timeout: float) -> Iterator[MyNumberSession]:
        deadline = time.monotonic() + timeout
        with self._cond:
            self._cancelled = False
            while not self.present:
                remaining = deadline - time.monotonic()
                if self._cancelled:
                    raise CardError(CardErrorReason.no_card, "cancelled")
                if remaining <= 0:
                    raise CardError(CardErrorReason.no_card, f"no card within {timeout:g} s")
                self._cond.wait(remaining)
        session = MyNumberSession(_PullableTransport(self.card, self))
        try:
            session.select_ap()
            yield session
        finally:
            self.card.reset()  # like the PC/SC disconnect with reset: the verified PIN does not outlive it

    def wait_for_removal(self, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: not self.present, timeout)
