"""How to fill in the application: from the My Number card, from a 2D code, or just take a ticket.

Options whose device is missing (no reader, no camera) are not shown; with none left the flow skips this screen.
"""

from __future__ import annotations

from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.widgets import big_button, text_label


class MethodScreen(Screen):
    name = "method"

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        self.service_label = text_label(role="small", center=True)
        self.title = text_label(role="title", center=True)
        self.card = big_button(kind="primary", on_click=flow.use_card)
        self.card.setObjectName("method-card")
        self.code = big_button(kind="primary", on_click=flow.use_code)
        self.code.setObjectName("method-code")
        self.none = big_button(on_click=flow.skip_autofill)
        self.none.setObjectName("method-none")
        self.layout_.addWidget(self.service_label)
        self.layout_.addWidget(self.title)
        self.layout_.addStretch(1)
        for button in (self.card, self.code, self.none):
            button.setMinimumHeight(170)
            self.layout_.addWidget(button)
        self.layout_.addStretch(1)

    def retranslate(self) -> None:
        sid = self.ctx.session.service_id
        self.service_label.setText(self.t.pick(self.ctx.service(sid).name) if sid else "")
        self.title.setText(self.t("kiosk.method.title"))
        self.card.setText(self.t("kiosk.method.card"))
        self.code.setText(self.t("kiosk.method.code"))
        self.none.setText(self.t("kiosk.method.none"))

    def enter(self) -> None:
        self.card.setVisible(self.flow.card_option_available())
        self.code.setVisible(self.flow.code_option_available())

    def speech_text(self) -> str:
        return self.t("kiosk.method.title")
