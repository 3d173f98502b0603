"""One yes/no question of a life event per screen ("Are children moving with you?"): which question of how many,
the question in large type, and two big buttons. An unanswered question counts as no (``core.life_events``)."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout

from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.widgets import big_button, text_label
from madoguchi.core.config import LifeEvent


class LifeQuestionScreen(Screen):
    name = "life_question"

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        self.life_event: LifeEvent | None = None
        self.index = 0
        self.event_label = text_label(role="small", center=True)
        self.position = text_label(role="strong", center=True)
        self.position.setObjectName("lifeQuestionPosition")
        self.question = text_label(role="title", center=True)
        self.question.setObjectName("lifeQuestion")
        self.yes = big_button(kind="primary", on_click=lambda: flow.answer_life_question(True))
        self.yes.setObjectName("life-yes")
        self.no = big_button(kind="primary", on_click=lambda: flow.answer_life_question(False))
        self.no.setObjectName("life-no")
        for button in (self.yes, self.no):
            button.setMinimumHeight(170)
        self.layout_.addWidget(self.event_label)
        self.layout_.addWidget(self.position)
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.question)
        self.layout_.addStretch(1)
        self.answers = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.answers.setSpacing(40)
        self.answers.addWidget(self.yes)
        self.answers.addWidget(self.no)
        self.layout_.addLayout(self.answers)
        self.layout_.addStretch(1)

    def ask(self, event: LifeEvent, index: int) -> None:
        self.life_event, self.index = event, index
        self.retranslate()

    def orient(self, portrait: bool) -> None:
        """Side by side on a landscape panel; one above the other within thumb's reach on a portrait one."""
        direction = QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        self.answers.setDirection(direction)

    def retranslate(self) -> None:
        self.yes.setText(self.t("common.yes"))
        self.no.setText(self.t("common.no"))
        event = self.life_event
        if event is None or self.index >= len(event.questions):
            return
        count = len(event.questions)
        self.event_label.setText(self.t.pick(event.name))
        self.position.setText(self.t("kiosk.life.question_of", number=self.index + 1, count=count))
        self.question.setText(self.t.pick(event.questions[self.index].text))

    def clear(self) -> None:
        self.life_event = None
        for label in (self.event_label, self.position, self.question):
            label.setText("")

    def speech_text(self) -> str:
        return f"{self.position.text()}. {self.question.text()}"
