"""Extra answers the procedure asks at the kiosk (number of copies, purpose): one question per screen, big
option buttons, a numeric pad for larger numbers; no typing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.widgets import NumberPad, big_button, text_label
from madoguchi.core.config import FormField

MAX_NUMBER_BUTTONS = 10


class ExtraQuestionScreen(Screen):
    name = "extra"

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        self.field: FormField | None = None
        self.title = text_label(role="title", center=True)
        self.layout_.addWidget(self.title)
        self.options_box = QWidget()
        self.grid = QGridLayout(self.options_box)
        self.grid.setSpacing(20)
        self.layout_.addWidget(self.options_box, 1)
        self._columns = 0
        self.entry = text_label(role="title", center=True)
        self.pad = NumberPad()
        self.pad.digit.connect(self._digit)
        self.pad.delete.connect(lambda: self._set_entry(self._typed[:-1]))
        self.pad.clear_all.connect(lambda: self._set_entry(""))
        self.pad_ok = big_button(kind="primary", on_click=self._pad_done)
        self.layout_.addWidget(self.entry)
        self.layout_.addWidget(self.pad)
        self.layout_.addWidget(self.pad_ok)
        self.buttons: list[QPushButton] = []
        self._typed: str = ""
        for w in (self.entry, self.pad, self.pad_ok):
            w.hide()

    def ask(self, field: FormField) -> None:
        self.field = field
        self._typed = ""
        self._rebuild()
        self.retranslate()

    def _options(self) -> list[tuple[str, str]]:
        f = self.field
        if f is None:
            return []
        if f.kind == "choice":
            return [(value, self.t.pick(dict(label))) for value, label in f.choices]
        low, high = f.min_value or 1, f.max_value or MAX_NUMBER_BUTTONS
        if high - low + 1 <= MAX_NUMBER_BUTTONS:
            return [(str(n), self.t("kiosk.extra.copies_value", count=n)) for n in range(low, high + 1)]
        return []

    def _rebuild(self) -> None:
        for button in self.buttons:
            button.hide()
            button.setParent(None)
            button.deleteLater()
        self.buttons = []
        options = self._options()
        for value, _label in options:
            button = big_button(kind="primary", on_click=lambda _=False, v=value: self._answer(v))  # type: ignore[misc]
            button.setObjectName(f"answer-{value}")
            button.setMinimumHeight(150)
            self.buttons.append(button)
        self._place()
        use_pad = not options
        self.options_box.setVisible(not use_pad)
        for w in (self.entry, self.pad, self.pad_ok):
            w.setVisible(use_pad)

    def _place(self) -> None:
        """Landscape: numbers in rows of five, answers in two columns, filling the screen. Portrait: two columns
        of numbers and one of answers, rows of a sensible height from the top (not ten 800-px pillars)."""
        portrait = self.portrait
        numbers = self.field is not None and self.field.kind == "number"
        columns = (2 if numbers else 1) if portrait else (self._number_columns() if numbers else 2)
        for button in self.buttons:
            self.grid.removeWidget(button)
        for i, button in enumerate(self.buttons):
            button.setMaximumHeight(190 if portrait else 16777215)
            self.grid.addWidget(button, i // columns, i % columns)
            button.show()
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop if portrait else Qt.AlignmentFlag(0))
        self._columns = columns

    def _number_columns(self) -> int:
        """Five in a row where the widest label fits (「10枚」), fewer where it does not ("10 cópias" in large
        text on a 1280-px panel): a number is never cut to "0 copie"."""
        margins = self.layout_.contentsMargins()
        room = self.window().width() - margins.left() - margins.right()
        widest = max((button.sizeHint().width() for button in self.buttons), default=0)
        spacing = self.grid.spacing()
        return next((n for n in (5, 4, 3) if n * widest + (n - 1) * spacing <= room), 2)

    def orient(self, portrait: bool) -> None:
        if self.buttons:
            self._place()

    def _digit(self, d: str) -> None:
        self._set_entry((self._typed + d)[:3])

    def _set_entry(self, text: str) -> None:
        self._typed = text.lstrip("0")
        self.entry.setText(self._typed or "–")
        f = self.field
        ok = bool(self._typed) and f is not None
        if ok and f is not None:
            n = int(self._typed)
            ok = (f.min_value is None or n >= f.min_value) and (f.max_value is None or n <= f.max_value)
        self.pad_ok.setEnabled(ok)

    def _pad_done(self) -> None:
        if self._typed:
            self._answer(self._typed)

    def _answer(self, value: str) -> None:
        if self.field is not None:
            self.flow.answer(self.field.key, value)

    def retranslate(self) -> None:
        f = self.field
        if f is None:
            return
        key = {"copies": "kiosk.extra.copies", "purpose": "kiosk.extra.purpose"}.get(f.key)
        self.title.setText(self.t(key) if key else self.t.pick(dict(f.label)))
        for button, (_value, label) in zip(self.buttons, self._options(), strict=False):
            button.setText(label)
        if self.buttons:
            self._place()  # the labels' widths decide how many fit in a row
        self.pad_ok.setText(self.t("common.ok"))
        self._set_entry(self._typed)

    def clear(self) -> None:
        self._typed = ""
        self.entry.setText("–")

    def speech_text(self) -> str:
        return self.title.text()
