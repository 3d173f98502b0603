"""Calls for help from kiosks, for the staff console and the admin console: who called, and "on my way".

Fed with the event stream's ``alert.call_staff`` (a new call, naming the kiosk) and ``alert.call_staff_ack``
(someone answered; the first answer stands) events. The button answers the selected call, or the newest open
one; the kiosk then tells its resident who is coming. The panel only emits ``acknowledge(call_id)``: the
console sends it to the server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from madoguchi.core import api_models as m

MAX_CALLS = 20
CALL_ID = Qt.ItemDataRole.UserRole
OPEN = Qt.ItemDataRole.UserRole + 1
OPEN_COLOUR = QColor("#ffe08a")

Translate = Callable[..., str]


def _time(event: m.Event) -> str:
    try:
        return dt.datetime.fromisoformat(event.at).strftime("%H:%M")
    except ValueError:
        return ""


class CallsPanel(QWidget):
    acknowledge = Signal(int)

    def __init__(self, t: Translate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = t
        self.list = QListWidget()
        self.list.setObjectName("calls")
        self.button = QPushButton(t("staff.alert.ack"))
        self.button.setObjectName("callAck")
        self.button.clicked.connect(self._ack)
        self.list.currentItemChanged.connect(lambda *_: self._update_button())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addWidget(self.button)
        self._update_button()

    def _items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def open_calls(self) -> list[int]:
        return [int(item.data(CALL_ID)) for item in self._items() if item.data(OPEN)]

    def add_event(self, event: m.Event) -> None:
        if event.type == "alert.call_staff":
            self._called(event)
        elif event.type == "alert.call_staff_ack":
            self._answered(event)

    def _called(self, event: m.Event) -> None:
        device = str(event.data.get("device", ""))
        item = QListWidgetItem(f"{_time(event)}  {self.t('staff.alert.call_staff', device=device)}")
        item.setData(CALL_ID, event.id)
        item.setData(OPEN, True)
        item.setBackground(OPEN_COLOUR)
        self.list.insertItem(0, item)
        while self.list.count() > MAX_CALLS:
            self.list.takeItem(self.list.count() - 1)
        self._update_button()

    def _answered(self, event: m.Event) -> None:
        call_id = event.data.get("call_id")
        device = str(event.data.get("device", ""))
        for item in self._items():
            if item.data(CALL_ID) == call_id and item.data(OPEN):
                if event.counter:
                    text = self.t("staff.alert.answered_counter", device=device, counter=event.counter)
                else:
                    text = self.t("staff.alert.answered_office", device=device)
                item.setText(f"{_time(event)}  {text}")
                item.setData(OPEN, False)
                item.setBackground(QColor(0, 0, 0, 0))
        self._update_button()

    def _target(self) -> int | None:
        current = self.list.currentItem()
        if current is not None and current.data(OPEN):
            return int(current.data(CALL_ID))
        calls = self.open_calls()
        return calls[0] if calls else None

    def _ack(self) -> None:
        target = self._target()
        if target is not None:
            self.acknowledge.emit(target)

    def _update_button(self) -> None:
        self.button.setEnabled(self._target() is not None)
