"""Qt adapter of CardMonitor: the only card_reader module that imports PySide6.

Signals are emitted from the monitor's thread; Qt queues them to receivers living in the UI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from madoguchi.devices.card.monitor import CardMonitor


class QtCardMonitor(QObject):
    card_inserted = Signal(str)  # reader name
    card_removed = Signal(str)  # reader name
    readers_changed = Signal(list)  # usable reader names

    def __init__(
        self, reader_pattern: str | None = None, allow_virtual: bool = False, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._monitor = CardMonitor(
            reader_pattern,
            allow_virtual,
            on_card_inserted=self.card_inserted.emit,
            on_card_removed=self.card_removed.emit,
            on_readers_changed=self.readers_changed.emit,
        )

    @property
    def readers(self) -> list[str]:
        return list(self._monitor.readers)

    def start(self) -> None:
        self._monitor.start()

    def stop(self) -> None:
        self._monitor.stop()
