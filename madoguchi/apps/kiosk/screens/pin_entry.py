"""PIN pad: 4 digits, masked, fixed key layout, tries left shown when fewer than 3 remain.

At one try left the resident is told that a wrong PIN locks the card and must confirm before the PIN is sent.
The digits live only in this widget until "OK" hands them to the flow; the pad clears itself at once.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtWidgets import QBoxLayout, QSizePolicy, QSpacerItem, QVBoxLayout, QWidget

from madoguchi.apps.kiosk.ruby_widgets import RubyButton, two_lines
from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.widgets import FittingScrollArea, NumberPad, big_button, text_label

PIN_LENGTH = 4


class PinEntryScreen(Screen):
    name = "pin_entry"

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        self._pin = ""
        self._error_id: str | None = None
        self._error_tries: int | None = None
        self.title = text_label(role="title", center=True)
        self.dots = text_label(center=True)
        self.dots.setObjectName("pinDots")
        self.dots.setStyleSheet("font-size: 80px; letter-spacing: 24px;")
        self.tries = text_label(role="strong", center=True)
        self.tries.setObjectName("pinTries")
        self.error = text_label(role="error", center=True)
        self.privacy = text_label(role="small", center=True)

        self.body = body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        texts = QWidget()
        texts.setProperty("screen", True)
        column = QVBoxLayout(texts)
        column.setContentsMargins(0, 0, 0, 0)
        for w in (self.title, self.dots, self.tries, self.error, self.privacy):
            column.addWidget(w)
        column.addStretch(1)
        self.left = left = QVBoxLayout()
        left.addWidget(FittingScrollArea(texts))  # easy Japanese in large text on a 1280×1024 panel scrolls
        left.addStretch(1)
        self.forgot = big_button(on_click=self._forgot)
        self.forgot.setObjectName("pinForgot")
        left.addWidget(self.forgot)
        body.addLayout(left, 1)

        right = QVBoxLayout()
        self.pad = NumberPad()
        self.pad.digit.connect(self._digit)
        self.pad.delete.connect(self._delete)
        self.pad.clear_all.connect(self._clear_pin)
        self.ok = big_button(kind="primary", on_click=self._submit)
        self.ok.setObjectName("pinOk")
        right.addWidget(self.pad)
        right.addWidget(self.ok)
        self.pad_box = QWidget()
        self.pad_box.setLayout(right)

        # The last-try confirmation replaces the pad, so it cannot be skipped by a stray tap.
        self.confirm_box = QWidget()
        confirm = QVBoxLayout(self.confirm_box)
        self.warning = text_label(role="error", center=True)
        self.confirm = big_button(kind="danger", on_click=self._confirmed)
        self.confirm.setObjectName("pinConfirmLastTry")
        self.cancel_confirm = big_button(on_click=self._cancel_confirm)
        confirm.addWidget(self.warning)
        confirm.addWidget(self.confirm)
        confirm.addWidget(self.cancel_confirm)
        confirm.addStretch(1)
        self.confirm_box.hide()
        body.addWidget(self.pad_box, 1)
        body.addWidget(self.confirm_box, 1)
        self.layout_.addLayout(body, 1)
        self.gap = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.layout_.addSpacerItem(self.gap)

    def orient(self, portrait: bool) -> None:
        """Portrait: the pad under the text (not a narrow column beside it), "I don't know my PIN" last."""
        self.body.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        self.left.removeWidget(self.forgot)
        self.layout_.removeWidget(self.forgot)
        if portrait:
            self.left.setStretch(self.left.count() - 1, 0)  # no gap between the text and the pad
            self.layout_.addWidget(self.forgot)
        else:
            self.left.setStretch(self.left.count() - 1, 1)
            self.left.addWidget(self.forgot)
        # portrait: the pad keeps its keys' size; the spare room goes to a gap above "I don't know my PIN"
        self.body.setStretch(0, 0 if portrait else 5)
        # landscape: the text gets the wider share (a 3-key-wide pad needs less): on a 1280-px panel in large text
        # "Hindi ko alam ang PIN ko" and a two-line title still fit beside the pad
        for pad_side in (1, 2):
            self.body.setStretch(pad_side, 1 if portrait else 3)
        self.layout_.setStretch(0, 0 if portrait else 1)
        grow = QSizePolicy.Policy.Expanding if portrait else QSizePolicy.Policy.Fixed
        self.gap.changeSize(0, 0, QSizePolicy.Policy.Minimum, grow)
        self.layout_.invalidate()

    @property
    def typed_count(self) -> int:
        """How many digits are typed (what the voice guide says; never which)."""
        return len(self._pin)

    # -- entry ------------------------------------------------------------------------------------------
    def _digit(self, d: str) -> None:
        if len(self._pin) < PIN_LENGTH:
            self._pin += d
        self._refresh()

    def _delete(self) -> None:
        self._pin = self._pin[:-1]
        self._refresh()

    def _clear_pin(self) -> None:
        self._pin = ""
        self._refresh()

    def _submit(self) -> None:
        if len(self._pin) != PIN_LENGTH:
            return
        if self.ctx.session.card_tries == 1:
            self.pad_box.hide()
            self.confirm_box.show()
            return
        self._send(confirm_last_try=False)

    def _confirmed(self) -> None:
        self._send(confirm_last_try=True)

    def _cancel_confirm(self) -> None:
        self._clear_pin()
        self.confirm_box.hide()
        self.pad_box.show()

    def _send(self, confirm_last_try: bool) -> None:
        pin, self._pin = self._pin, ""
        self._refresh()
        self.flow.submit_pin(pin, confirm_last_try)

    def _forgot(self) -> None:
        self._clear_pin()
        self.flow.pin_forgotten()

    # -- display ----------------------------------------------------------------------------------------
    def show_wrong_pin(self, tries_left: int | None) -> None:
        self._error_id = "kiosk.card.pin.wrong"
        self._error_tries = tries_left
        self.retranslate()

    def _refresh(self) -> None:
        self.dots.setText("●" * len(self._pin) + "○" * (PIN_LENGTH - len(self._pin)))
        self.ok.setEnabled(len(self._pin) == PIN_LENGTH)

    def retranslate(self) -> None:
        self.title.setText(self.t("kiosk.card.pin.title"))
        tries = self.ctx.session.card_tries
        self.tries.setText(self.t("kiosk.card.pin.tries_left", tries=tries) if tries is not None and tries < 3 else "")
        self.tries.setVisible(tries is not None and tries < 3)
        self.error.setText(self.t(self._error_id) if self._error_id else "")
        self.error.setVisible(bool(self._error_id))
        self.privacy.setText(self.t("kiosk.card.pin.privacy"))
        self._label_forgot()
        self.ok.setText(self.t("common.ok"))
        self.warning.setText(self.t("kiosk.card.pin.last_try_warning"))
        self.confirm.setText(self.t("kiosk.card.pin.last_try_confirm"))
        self.cancel_confirm.setText(self.t("common.back"))
        self._refresh()

    def _label_forgot(self) -> None:
        """On one line where it fits beside the pad, else on two ("Hindi ko alam / ang PIN ko" on a 1280-px
        panel in large text): the pad's keys keep their size. Measured against the window, which is known
        before this screen is first laid out."""
        text = self.t("kiosk.card.pin.forgot")
        margins = self.layout_.contentsMargins()
        room = self.window().width() - margins.left() - margins.right()
        if not self.portrait:
            room -= self.pad_box.minimumSizeHint().width() + self.body.spacing()
        button = cast(RubyButton, self.forgot)
        shown = text if button.size_for(text).width() <= room else two_lines(text, button)
        if shown != self.forgot.text():  # the same text again would only ask for another layout pass
            self.forgot.setText(shown)

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)
        self._label_forgot()

    def enter(self) -> None:
        self._pin = ""
        self.confirm_box.hide()
        self.pad_box.show()
        self.retranslate()

    def clear(self) -> None:
        self._pin = ""
        self._error_id = None
        self._error_tries = None
        self.confirm_box.hide()
        self.pad_box.show()
        self._refresh()

    def speech_text(self) -> str:
        return self.t("kiosk.card.pin.title")
