"""The life events the hall offers (moving in, a birth, a death…): one big button each, with its pictogram and a
line on what it covers. Choosing one starts its yes/no questions (``life_question``)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from madoguchi.apps.kiosk.icons import Pictogram
from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.widgets import RichButton, text_label, touch_scroll_area


class LifeEventsScreen(Screen):
    name = "life_events"

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        self.title = text_label(role="title")
        self.layout_.addWidget(self.title)
        self.scroll_area = touch_scroll_area()
        self.layout_.addWidget(self.scroll_area, 1)
        self.buttons: dict[str, RichButton] = {}
        self._built_for: tuple[str, ...] = ()
        self._columns = 0

    def _ensure_buttons(self) -> None:
        ids = tuple(e.id for e in self.ctx.life_events)
        if ids == self._built_for:
            return
        for button in self.buttons.values():
            button.deleteLater()
        self.buttons = {}
        for event in self.ctx.life_events:
            button = RichButton(roles=("strong", "small"), icon=Pictogram(event.icon, 56))
            button.setObjectName(f"life-{event.id}")
            button.clicked.connect(lambda _=False, e=event.id: self.flow.choose_life_event(e))
            self.buttons[event.id] = button
        self._built_for = ids
        self._columns = 0
        self._place()

    def _place(self) -> None:
        """Two columns on a landscape panel, one on a portrait one; the order reads down each column."""
        columns = 1 if self.portrait else 2
        if columns == self._columns and self.scroll_area.widget() is not None:
            return
        self._columns = columns
        holder = QWidget()
        holder.setProperty("screen", True)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(20)
        buttons = list(self.buttons.values())
        per_column = -(-len(buttons) // columns) if buttons else 0
        for c in range(columns):
            column = QVBoxLayout()
            column.setSpacing(12)
            for button in buttons[c * per_column : (c + 1) * per_column]:
                column.addWidget(button)
            column.addStretch(1)
            row.addLayout(column, 1)
        for button in buttons:
            button.setParent(holder)
        self.scroll_area.setWidget(holder)

    def orient(self, portrait: bool) -> None:
        self._place()

    def retranslate(self) -> None:
        self._ensure_buttons()
        self.title.setText(self.t("kiosk.life.choose"))
        for event in self.ctx.life_events:
            self.buttons[event.id].set_lines(self.t.pick(event.name), self.t.pick(event.description))

    def enter(self) -> None:
        self.scroll_area.verticalScrollBar().setValue(0)

    def speech_text(self) -> str:
        return self.title.text()
