"""CardMonitor: a worker thread that watches readers and card insert/remove with SCardGetStatusChange.

It only calls the callbacks it was given (on its own thread); it never touches widgets. Qt code wraps it
with ``madoguchi.devices.card.qt_monitor.QtCardMonitor``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from smartcard import scard

from madoguchi.devices.card.errors import CardError
from madoguchi.devices.card.pcsc import PcscContext, error_for
from madoguchi.devices.card.readers import select_readers

log = logging.getLogger(__name__)

PNP_READER = "\\\\?PnP?\\Notification"

ReaderCallback = Callable[[str], None]
ReadersCallback = Callable[[list[str]], None]


def _noop(*_args: object) -> None:
    pass


class CardMonitor:
    """Publishes ``on_readers_changed(readers)``, ``on_card_inserted(reader)``, ``on_card_removed(reader)``.

    Only readers matching ``reader_pattern`` are watched; ``Virtual PCD`` readers only with allow_virtual.
    When pcscd is down the monitor reports no readers and retries every ``retry_s`` seconds.
    """

    def __init__(
        self,
        reader_pattern: str | None = None,
        allow_virtual: bool = False,
        *,
        on_card_inserted: ReaderCallback = _noop,
        on_card_removed: ReaderCallback = _noop,
        on_readers_changed: ReadersCallback = _noop,
        poll_ms: int = 1000,
        retry_s: float = 2.0,
    ) -> None:
        self.reader_pattern = reader_pattern
        self.allow_virtual = allow_virtual
        self.on_card_inserted = on_card_inserted
        self.on_card_removed = on_card_removed
        self.on_readers_changed = on_readers_changed
        self._poll_ms = poll_ms
        self._retry_s = retry_s
        self._stop = threading.Event()
        self._ctx: PcscContext | None = None
        self._ctx_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.readers: list[str] = []
        self.cards: set[str] = set()

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("monitor already started")
        self._thread = threading.Thread(target=self._run, name="card-monitor", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        with self._ctx_lock:
            if self._ctx is not None:
                self._ctx.cancel()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _emit(self, callback: Callable[..., None], *args: object) -> None:
        try:
            callback(*args)
        except Exception:
            log.exception("card monitor callback failed")

    def _set_readers(self, readers: list[str]) -> None:
        if readers == self.readers:
            return
        for gone in [r for r in self.cards if r not in readers]:
            self.cards.discard(gone)
            self._emit(self.on_card_removed, gone)
        self.readers = readers
        log.info("card readers: %s", readers)
        self._emit(self.on_readers_changed, list(readers))

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                ctx = PcscContext()
            except CardError:
                self._set_readers([])
                self._stop.wait(self._retry_s)
                continue
            with self._ctx_lock:
                self._ctx = ctx
            try:
                self._watch(ctx)
            except CardError as exc:
                log.warning("card monitor: %s", exc)
                self._set_readers([])
                self._stop.wait(self._retry_s)
            finally:
                with self._ctx_lock:
                    self._ctx = None
                ctx.close()

    def _watch(self, ctx: PcscContext) -> None:
        known: dict[str, int] = {}
        pnp_state = scard.SCARD_STATE_UNAWARE
        use_pnp = True
        refresh = True
        while not self._stop.is_set():
            if refresh:
                self._set_readers(select_readers(ctx.list_readers(), self.reader_pattern, self.allow_virtual))
                known = {r: known.get(r, scard.SCARD_STATE_UNAWARE) for r in self.readers}
                refresh = False
            states = list(known.items()) + ([(PNP_READER, pnp_state)] if use_pnp else [])
            hresult, new_states = scard.SCardGetStatusChange(ctx.handle, self._poll_ms, states)
            if hresult == scard.SCARD_E_TIMEOUT:
                refresh = not use_pnp  # without PnP notification, look for new readers at every poll
                continue
            if hresult == scard.SCARD_E_CANCELLED:
                return
            if hresult in (scard.SCARD_E_UNKNOWN_READER, scard.SCARD_E_READER_UNAVAILABLE):
                refresh = True
                continue
            if hresult != scard.SCARD_S_SUCCESS:
                raise error_for(hresult, "watch readers")
            for name, event, _atr in new_states:
                current = event & ~scard.SCARD_STATE_CHANGED
                if name == PNP_READER:
                    if event & scard.SCARD_STATE_UNKNOWN:
                        use_pnp = False  # a PC/SC stack without the PnP pseudo-reader: poll instead
                        refresh = True
                    elif event & scard.SCARD_STATE_CHANGED:
                        refresh = True
                    pnp_state = current
                    continue
                if event & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE):
                    refresh = True
                known[name] = current
                present = bool(event & scard.SCARD_STATE_PRESENT) and not event & scard.SCARD_STATE_MUTE
                if present and name not in self.cards:
                    self.cards.add(name)
                    self._emit(self.on_card_inserted, name)
                elif not present and name in self.cards:
                    self.cards.discard(name)
                    self._emit(self.on_card_removed, name)
