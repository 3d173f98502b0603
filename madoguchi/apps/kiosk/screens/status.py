"""Screens that only say something: issuing in progress, the calm "server unreachable" screen, and a message
with choices (locked card, no reader, a request the server refused)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer

from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.widgets import big_button, text_label


class IssuingScreen(Screen):
    name = "issuing"
    in_history = False

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        self.title = text_label(role="title", center=True)
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.title)
        self.layout_.addStretch(1)

    def retranslate(self) -> None:
        self.title.setText(self.t("kiosk.issuing"))


class UnavailableScreen(Screen):
    """Calm, no error codes, no buttons to press in vain; the flow polls the server and leaves by itself."""

    name = "unavailable"
    in_history = False

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        self.title = text_label(role="title", center=True)
        self.title.setObjectName("unavailableText")
        self.dots = text_label(center=True)
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.dots)
        self.layout_.addStretch(1)
        self._n = 0
        self._timer = QTimer(self)
        self._timer.setInterval(700)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self._n = (self._n + 1) % 4
        self.dots.setText("・" * self._n)

    def retranslate(self) -> None:
        self.title.setText(self.t("kiosk.server.unreachable"))

    def enter(self) -> None:
        self._timer.start()

    def leave(self) -> None:
        self._timer.stop()

    def speech_text(self) -> str:
        return self.t("kiosk.server.unreachable")


class MessageScreen(Screen):
    """A message and up to two choices, set by the flow: ``show(msgid, [(label_id, action), ...])``."""

    name = "message"
    in_history = False

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        self.text = text_label(role="title", center=True)
        self.text.setObjectName("messageText")
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.text)
        self.layout_.addStretch(1)
        self.buttons = [big_button(kind="primary"), big_button()]
        for i, button in enumerate(self.buttons):
            button.setObjectName(f"messageChoice{i}")
            button.clicked.connect(lambda _=False, i=i: self._chosen(i))
            self.layout_.addWidget(button)
        self._msgid = ""
        self._choices: list[tuple[str, Callable[[], None]]] = []

    def show_message(self, msgid: str, choices: list[tuple[str, Callable[[], None]]]) -> None:
        self._msgid = msgid
        self._choices = choices[:2]
        self.retranslate()

    def _chosen(self, i: int) -> None:
        if i < len(self._choices):
            self._choices[i][1]()

    def retranslate(self) -> None:
        self.text.setText(self.t(self._msgid) if self._msgid else "")
        for i, button in enumerate(self.buttons):
            if i < len(self._choices):
                button.setText(self.t(self._choices[i][0]))
                button.show()
            else:
                button.hide()

    def speech_text(self) -> str:
        return self.text.text()
