"""Thin layer over pyscard's PC/SC calls: one context, one exclusive connection, errors as CardError."""

from __future__ import annotations

import logging
import time

from smartcard import scard

from madoguchi.devices.card.errors import CardError, CardErrorReason

log = logging.getLogger(__name__)

_REMOVED = {
    scard.SCARD_W_REMOVED_CARD,
    scard.SCARD_E_NO_SMARTCARD,
    scard.SCARD_W_UNPOWERED_CARD,
    scard.SCARD_W_RESET_CARD,
}
_NO_READER = {
    scard.SCARD_E_NO_SERVICE,
    scard.SCARD_E_NO_READERS_AVAILABLE,
    scard.SCARD_E_UNKNOWN_READER,
    scard.SCARD_E_READER_UNAVAILABLE,
    scard.SCARD_E_SERVICE_STOPPED,
}
_TIMEOUT = {scard.SCARD_E_TIMEOUT, scard.SCARD_W_UNRESPONSIVE_CARD}


def error_for(hresult: int, what: str) -> CardError:
    """Map a PC/SC result code to the card error family."""
    if hresult in _REMOVED:
        reason = CardErrorReason.card_removed
    elif hresult in _NO_READER:
        reason = CardErrorReason.no_reader
    elif hresult in _TIMEOUT:
        reason = CardErrorReason.timeout
    else:
        reason = CardErrorReason.reader_error
    return CardError(reason, f"{what}: {scard.SCardGetErrorMessage(hresult)} (0x{hresult & 0xFFFFFFFF:08X})")


class PcscContext:
    """An SCard context; release it with ``close()`` (or use it as a context manager)."""

    def __init__(self) -> None:
        hresult, self.handle = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult != scard.SCARD_S_SUCCESS:
            raise error_for(hresult, "establish context")

    def list_readers(self) -> list[str]:
        hresult, names = scard.SCardListReaders(self.handle, [])
        if hresult in (scard.SCARD_E_NO_READERS_AVAILABLE, scard.SCARD_E_NO_SERVICE):
            return []
        if hresult != scard.SCARD_S_SUCCESS:
            raise error_for(hresult, "list readers")
        return list(names)

    def cancel(self) -> None:
        """Wake a blocked SCardGetStatusChange on this context (safe from another thread)."""
        scard.SCardCancel(self.handle)

    def close(self) -> None:
        scard.SCardReleaseContext(self.handle)

    def __enter__(self) -> PcscContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class PcscConnection:
    """An exclusive connection to the card in one reader; a ``Transport`` for the APDU channel.

    Exclusive: nobody else may talk to the card between our VERIFY and our reads. Closing resets the card,
    so the verified state does not outlive the session.
    """

    def __init__(self, context: PcscContext, reader: str) -> None:
        self.reader = reader
        self._context = context
        hresult, self._card, protocol = scard.SCardConnect(
            context.handle, reader, scard.SCARD_SHARE_EXCLUSIVE, scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
        )
        if hresult != scard.SCARD_S_SUCCESS:
            raise error_for(hresult, f"connect to {reader}")
        self._pci = scard.SCARD_PCI_T1 if protocol == scard.SCARD_PROTOCOL_T1 else scard.SCARD_PCI_T0
        self._open = True

    def transmit(self, apdu: list[int]) -> tuple[list[int], int, int]:
        if not self._open:
            raise CardError(CardErrorReason.reader_error, "connection closed")
        hresult, response = scard.SCardTransmit(self._card, self._pci, apdu)
        if hresult == scard.SCARD_S_SUCCESS and len(response) >= 2:
            return list(response[:-2]), response[-2], response[-1]
        error = error_for(hresult, "transmit") if hresult != scard.SCARD_S_SUCCESS else None
        if error is None or hresult == scard.SCARD_E_NOT_TRANSACTED:
            # A card pulled mid-command shows up as "not transacted" or an empty answer, before pcscd's
            # presence polling (~0.4 s) has noticed: wait for that verdict.
            if self._card_left():
                raise CardError(CardErrorReason.card_removed, "card left during a command")
            error = error or CardError(CardErrorReason.reader_error, "response shorter than a status word")
        raise error

    def _card_left(self, wait_s: float = 1.5) -> bool:
        deadline = time.monotonic() + wait_s
        state = scard.SCARD_STATE_UNAWARE
        while True:
            wait_ms = int(max(0.0, deadline - time.monotonic()) * 1000)
            hresult, states = scard.SCardGetStatusChange(self._context.handle, wait_ms, [(self.reader, state)])
            if hresult == scard.SCARD_E_TIMEOUT:
                return False
            if hresult != scard.SCARD_S_SUCCESS:
                return True  # the reader itself went away
            event = states[0][1]
            if not event & scard.SCARD_STATE_PRESENT:
                return True
            state = event & ~scard.SCARD_STATE_CHANGED

    def close(self) -> None:
        if self._open:
            self._open = False
            hresult = scard.SCardDisconnect(self._card, scard.SCARD_RESET_CARD)
            if hresult != scard.SCARD_S_SUCCESS:
                log.debug("disconnect from %s: 0x%08X", self.reader, hresult & 0xFFFFFFFF)
