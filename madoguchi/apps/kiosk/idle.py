"""Inactivity: no touch for N seconds → a visible "continue?" countdown → everything cleared, back to welcome.

An application-wide event filter sees every press, touch and key; it never consumes them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


class IdleWatcher(QObject):
    #: countdown started (seconds left), ticking (seconds left), cancelled
    countdown_started = Signal(int)
    countdown_tick = Signal(int)
    countdown_cancelled = Signal()
    timed_out = Signal()

    def __init__(self, idle_seconds: Callable[[], int], countdown_seconds: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._idle_seconds = idle_seconds
        self.countdown_seconds = countdown_seconds
        self.enabled = False
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._start_countdown)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._count)
        self.left = 0

    @property
    def counting(self) -> bool:
        return self._tick.isActive()

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled
        self.reset()

    def reset(self) -> None:
        """Activity (or a screen change): restart the idle period; a countdown shown is not cancelled by this."""
        self._idle.stop()
        if self.enabled and not self.counting:
            self._idle.start(self._idle_seconds() * 1000)
        if not self.enabled:
            self._tick.stop()

    def keep_going(self) -> None:
        """The resident tapped "continue"."""
        self._tick.stop()
        self.countdown_cancelled.emit()
        self.reset()

    def trigger_now(self) -> None:
        """Start the countdown at once (tests, and the admin's "reset kiosk")."""
        self._idle.stop()
        self._start_countdown()

    def _start_countdown(self) -> None:
        if not self.enabled:
            return
        self.left = self.countdown_seconds
        self._tick.start()
        self.countdown_started.emit(self.left)

    def _count(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self._tick.stop()
            self.timed_out.emit()
        else:
            self.countdown_tick.emit(self.left)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and not self.counting:
            self.reset()
        return False
