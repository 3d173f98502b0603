"""Confirm what a pre-filled application code filled in, as the card path does: the procedure and every field
the code carried, in the resident's language. "Correct" goes on; "something is wrong" forgets what the code gave
(the procedure stays) and goes on by touch."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QWidget

from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.widgets import big_button, kinetic_scrolling, text_label
from madoguchi.core.config import FormField
from madoguchi.translations.formatting import format_date, wareki
from madoguchi.translations.ruby_markup import without_annotations


class CodeConfirmScreen(Screen):
    name = "code_confirm"
    in_history = False

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        self.title = text_label(role="title")
        self.service = text_label(role="strong")
        self.service.setObjectName("codeConfirmService")
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.service)
        self.box = QFrame()
        self.box.setProperty("role", "card")
        self.grid = QGridLayout(self.box)
        self.grid.setContentsMargins(32, 24, 32, 24)
        self.grid.setVerticalSpacing(14)
        self.grid.setHorizontalSpacing(32)
        self.grid.setColumnStretch(1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        kinetic_scrolling(scroll)  # a long form scrolls under a finger
        holder = QWidget()
        holder.setProperty("screen", True)
        column = QGridLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.box, 0, 0)
        column.setRowStretch(1, 1)
        scroll.setWidget(holder)
        self.scroll_area = scroll
        self.layout_.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        self.wrong = big_button(on_click=lambda: flow.confirm_code(False))
        self.wrong.setObjectName("codeWrong")
        self.correct = big_button(kind="primary", on_click=lambda: flow.confirm_code(True))
        self.correct.setObjectName("codeCorrect")
        buttons.addWidget(self.wrong)
        buttons.addWidget(self.correct)
        self.layout_.addLayout(buttons)
        self.rows: list[tuple[QLabel, QLabel]] = []

    def _fields(self) -> list[tuple[str, str]]:
        """(label, value shown) of every field the code filled, in the form's order."""
        s = self.ctx.session
        form = self.ctx.form_of(s.service_id)
        if form is None:
            return []
        out: list[tuple[str, str]] = []
        groups: dict[str, int] = {}
        for f in form.fields:
            if f.group is not None:
                value = s.form.get(f.group)
                if isinstance(value, list) and value:
                    groups[f.group] = len(value)
                continue
            if f.key in s.form and s.form[f.key] not in ("", None):
                out.append((self.t.pick(dict(f.label)), self._value(f, s.form[f.key])))
        for _group, count in groups.items():
            out.append((self.t("kiosk.code.confirm.members"), str(count)))
        return out

    def _value(self, f: FormField, value: Any) -> str:
        text = str(value)
        if f.kind == "choice":
            labels = {v: self.t.pick(dict(label)) for v, label in f.choices}
            return labels.get(text, text)
        if f.kind == "sex":
            return self.t(f"kiosk.card.sex.{text}")
        if f.kind == "date":
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                return text
            return (
                f"{wareki(day)}（{day.year}年）"
                if self.t.language in ("ja", "ja-easy")
                else format_date(self.t.language, day, "long")
            )
        return text

    def retranslate(self) -> None:
        self.title.setText(self.t("kiosk.code.confirm.title"))
        self.wrong.setText(self.t("kiosk.card.confirm.wrong"))
        self.correct.setText(self.t("kiosk.card.confirm.correct"))
        sid = self.ctx.session.service_id
        self.service.setText(self.t.pick(self.ctx.service(sid).name) if sid and self.ctx.hall else "")
        self._fill(self._fields())

    def _fill(self, rows: list[tuple[str, str]]) -> None:
        while len(self.rows) < len(rows):
            label, value = text_label(role="small"), text_label()
            value.setObjectName(f"codeValue{len(self.rows)}")
            self.grid.addWidget(label, len(self.rows), 0)
            self.grid.addWidget(value, len(self.rows), 1)
            self.rows.append((label, value))
        for i, (label, value) in enumerate(self.rows):
            shown = i < len(rows)
            label.setText(rows[i][0] if shown else "")
            value.setText(without_annotations(rows[i][1]) if shown else "")  # the resident's data, as written
            label.setVisible(shown)
            value.setVisible(shown)

    def enter(self) -> None:
        self.retranslate()
        self.scroll_area.verticalScrollBar().setValue(0)

    def clear(self) -> None:
        self._fill([])
        self.service.setText("")

    def speech_text(self) -> str:
        return self.t("kiosk.code.confirm.title")
