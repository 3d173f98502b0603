"""Screens that only say something: issuing in progress, and a message with choices (locked card, no reader, a
request the server refused, no ticket after the network cut the request off)."""

from __future__ import annotations

from collections.abc import Callable

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
