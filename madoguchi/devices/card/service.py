"""CardService: the high-level API the kiosk uses from a worker thread.

service = CardService(reader_pattern=kiosk.card_reader, allow_virtual=demo)
with service.wait_for_card(timeout=30) as session:   # raises CardError(no_reader / no_card / not_mynumber)
    tries = session.read_pin_tries()
    session.verify_pin(pin)                            # the resident's entry, sent once
    info = session.read_basic_info()
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from smartcard import scard

from madoguchi.devices.card.errors import CardError, CardErrorReason
from madoguchi.devices.card.pcsc import PcscConnection, PcscContext, error_for
from madoguchi.devices.card.readers import select_readers
from madoguchi.devices.card.session import MyNumberSession

log = logging.getLogger(__name__)


class CardService:
    """Find a usable reader, wait for a card, hand out a ``MyNumberSession`` with the AP selected."""

    def __init__(self, reader_pattern: str | None = None, allow_virtual: bool = False) -> None:
        if reader_pattern is not None:
            re.compile(reader_pattern)  # fail at construction, not at the first resident
        self.reader_pattern = reader_pattern
        self.allow_virtual = allow_virtual
        self._lock = threading.Lock()
        self._waiting: PcscContext | None = None
        self._cancelled = False

    def readers(self) -> list[str]:
        """Usable readers now (empty when pcscd is not running)."""
        try:
            with PcscContext() as ctx:
                return select_readers(ctx.list_readers(), self.reader_pattern, self.allow_virtual)
        except CardError:
            return []

    def available(self) -> bool:
        return bool(self.readers())

    def cancel(self) -> None:
        """Stop a ``wait_for_card`` blocked in another thread (it raises CardError(no_card))."""
        with self._lock:
            self._cancelled = True
            if self._waiting is not None:
                self._waiting.cancel()

    @contextmanager
    def wait_for_card(self, timeout: float) -> Iterator[MyNumberSession]:
        """Wait up to ``timeout`` s for a card in a usable reader; yield a session on it.

        The card is connected exclusively and reset when the block ends (the verified PIN does not
        outlive it). Raises CardError: no_reader, no_card (timeout or cancel), not_mynumber, reader_error.
        """
        with self._lock:
            self._cancelled = False
        ctx = PcscContext()
        try:
            reader = self._wait_present(ctx, timeout)
            connection = PcscConnection(ctx, reader)
            try:
                session = MyNumberSession(connection)
                session.select_ap()
                log.info("My Number card in %s", reader)
                yield session
            finally:
                connection.close()
        finally:
            ctx.close()

    def wait_for_removal(self, timeout: float) -> bool:
        """Wait until no usable reader holds a card (the resident took it back). False on timeout."""
        deadline = time.monotonic() + timeout
        with PcscContext() as ctx:
            readers = select_readers(ctx.list_readers(), self.reader_pattern, self.allow_virtual)
            states = [(r, scard.SCARD_STATE_UNAWARE) for r in readers]
            while states:
                remaining = int(max(0.0, deadline - time.monotonic()) * 1000)
                hresult, new_states = scard.SCardGetStatusChange(ctx.handle, remaining, states)
                if hresult == scard.SCARD_E_TIMEOUT:
                    return False
                if hresult != scard.SCARD_S_SUCCESS:
                    raise error_for(hresult, "wait for removal")
                if not any(event & scard.SCARD_STATE_PRESENT for _, event, _ in new_states):
                    return True
                states = [(name, event & ~scard.SCARD_STATE_CHANGED) for name, event, _ in new_states]
        return True

    def _wait_present(self, ctx: PcscContext, timeout: float) -> str:
        readers = select_readers(ctx.list_readers(), self.reader_pattern, self.allow_virtual)
        if not readers:
            raise CardError(CardErrorReason.no_reader, f"no reader matches {self.reader_pattern!r}")
        states = [(r, scard.SCARD_STATE_UNAWARE) for r in readers]
        deadline = time.monotonic() + timeout
        with self._lock:
            if self._cancelled:
                raise CardError(CardErrorReason.no_card, "cancelled")
            self._waiting = ctx
        try:
            while True:
                remaining = int(max(0.0, deadline - time.monotonic()) * 1000)
                hresult, new_states = scard.SCardGetStatusChange(ctx.handle, remaining, states)
                if hresult == scard.SCARD_E_TIMEOUT:
                    raise CardError(CardErrorReason.no_card, f"no card within {timeout:g} s")
                if hresult == scard.SCARD_E_CANCELLED:
                    raise CardError(CardErrorReason.no_card, "cancelled")
                if hresult != scard.SCARD_S_SUCCESS:
                    raise error_for(hresult, "wait for card")
                for name, event, _atr in new_states:
                    if event & scard.SCARD_STATE_PRESENT and not event & (
                        scard.SCARD_STATE_MUTE | scard.SCARD_STATE_EXCLUSIVE
                    ):
                        return str(name)
                if all(event & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_IGNORE) for _, event, _ in new_states):
                    raise CardError(CardErrorReason.no_reader, "the readers went away")
                states = [(name, event & ~scard.SCARD_STATE_CHANGED) for name, event, _ in new_states]
        finally:
            with self._lock:
                self._waiting = None
