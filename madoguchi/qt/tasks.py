"""One helper for "do I/O off the UI thread, then update the UI": ``run_task``.

The function runs on the global QThreadPool; its result or exception is delivered back on the UI thread
through a queued signal, so callbacks may touch widgets. The relay object has no Qt parent (Python owns it
until it has delivered), so no C++ object is ever deleted under Python's feet; a ``parent`` only decides
whether the callbacks still run: they are dropped once that widget has been destroyed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Relay(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


_live: set[_Relay] = set()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # delivered to the UI, which decides what the person sees
            outcome, value = self.relay.failed, exc
        else:
            outcome, value = self.relay.succeeded, result
        try:
            outcome.emit(value)
        except RuntimeError:  # the application is shutting down: nobody to tell
            pass


def run_task(
    fn: Callable[[], Any],
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    *,
    parent: QObject | None = None,
) -> None:
    """Run ``fn()`` on a worker thread; ``on_success(result)`` / ``on_failure(exc)`` run on the UI thread.

    With ``parent`` set, callbacks are dropped once the parent is destroyed (a screen that went away).
    """
    relay = _Relay()
    _live.add(relay)

    def alive() -> bool:
        return parent is None or shiboken6.isValid(parent)

    def done_ok(result: Any) -> None:
        _live.discard(relay)
        if on_success is not None and alive():
            on_success(result)

    def done_err(exc: BaseException) -> None:
        _live.discard(relay)
        if on_failure is not None and alive():
            on_failure(exc)

    relay.succeeded.connect(done_ok)
    relay.failed.connect(done_err)
    QThreadPool.globalInstance().start(_Runnable(fn, relay))


def wait_for_tasks(timeout_ms: int = 3000) -> None:
    """On closing a window: let its background requests finish, so none answers into a deleted object."""
    QThreadPool.globalInstance().waitForDone(timeout_ms)
