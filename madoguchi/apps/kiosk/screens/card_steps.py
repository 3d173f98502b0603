"""The short card screens: 'reading, do not move the card' and 'please take your card' (until it is removed)."""

from __future__ import annotations

from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.screens.card_place import CardAnimation
from madoguchi.apps.kiosk.widgets import text_label


class CardReadingScreen(Screen):
    name = "card_reading"
    in_history = False

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        self.title = text_label(role="title", center=True)
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.title)
        self.layout_.addStretch(1)

    def retranslate(self) -> None:
        self.title.setText(self.t("kiosk.card.reading"))

    def speech_text(self) -> str:
        return self.t("kiosk.card.reading")


class CardTakeScreen(Screen):
    name = "card_take"
    in_history = False

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        self.title = text_label(role="title", center=True)
        self.animation = CardAnimation()
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.animation, 1)

    def retranslate(self) -> None:
        self.title.setText(self.t("kiosk.card.take"))

    def enter(self) -> None:
        self.animation.phase = 0.6
        self.animation.update()

    def speech_text(self) -> str:
        return self.t("kiosk.card.take")
