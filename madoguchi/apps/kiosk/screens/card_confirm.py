"""Confirm what the card filled in: name, address, birth date, sex, and the individual number only when the
procedure needs it (masked but the last 4 digits). "Correct" keeps it; "something is wrong" drops it all."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel

from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.widgets import big_button, text_label
from madoguchi.translations.formatting import format_date, wareki
from madoguchi.translations.ruby_markup import without_annotations


def mask_individual_number(number: str) -> str:
    return "●" * (len(number) - 4) + number[-4:]


class CardConfirmScreen(Screen):
    name = "card_confirm"
    in_history = False

    FIELDS = ("name", "address", "birth_date", "sex", "individual_number")

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        self.title = text_label(role="title")
        self.layout_.addWidget(self.title)
        box = QFrame()
        box.setProperty("role", "card")
        grid = QGridLayout(box)
        grid.setContentsMargins(32, 24, 32, 24)
        grid.setVerticalSpacing(18)
        self.labels: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for row, key in enumerate(self.FIELDS):
            self.labels[key] = text_label(role="small")
            self.values[key] = text_label()
            self.values[key].setObjectName(f"value-{key}")
            grid.addWidget(self.labels[key], row, 0)
            grid.addWidget(self.values[key], row, 1)
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(32)
        self.layout_.addWidget(box, 1)
        self.layout_.addStretch(0)  # portrait: the rows stay together, the room goes below them
        self.box = box
        buttons = QHBoxLayout()
        self.wrong = big_button(on_click=lambda: flow.confirm_card(False))
        self.wrong.setObjectName("cardWrong")
        self.correct = big_button(kind="primary", on_click=lambda: flow.confirm_card(True))
        self.correct.setObjectName("cardCorrect")
        buttons.addWidget(self.wrong)
        buttons.addWidget(self.correct)
        self.layout_.addLayout(buttons)

    def orient(self, portrait: bool) -> None:
        self.layout_.setStretchFactor(self.box, 0 if portrait else 1)
        self.layout_.setStretch(self.layout_.indexOf(self.box) + 1, 1 if portrait else 0)

    def retranslate(self) -> None:
        self.title.setText(self.t("kiosk.card.confirm.title"))
        self.wrong.setText(self.t("kiosk.card.confirm.wrong"))
        self.correct.setText(self.t("kiosk.card.confirm.correct"))
        for key in self.FIELDS:
            self.labels[key].setText(self.t(f"kiosk.card.field.{key}"))
        card = self.ctx.session.card
        if card is None:
            self.clear()
            return
        lang = self.t.language
        # the card's data as written: annotation characters in it are never drawn as readings
        self.values["name"].setText(without_annotations(card.name))
        self.values["address"].setText(without_annotations(card.address))
        self.values["birth_date"].setText(self._date(card.birth_date, lang))
        self.values["sex"].setText(self.t(f"kiosk.card.sex.{card.sex}"))
        number = card.individual_number
        self.values["individual_number"].setText(mask_individual_number(number) if number else "")
        self.labels["individual_number"].setVisible(bool(number))
        self.values["individual_number"].setVisible(bool(number))

    @staticmethod
    def _date(value: dt.date, lang: str) -> str:
        if lang in ("ja", "ja-easy"):
            return f"{wareki(value)}（{value.year}年）"
        return format_date(lang, value)

    def enter(self) -> None:
        self.retranslate()

    def clear(self) -> None:
        for value in self.values.values():
            value.setText("")

    def speech_text(self) -> str:
        return self.t("kiosk.card.confirm.title")
