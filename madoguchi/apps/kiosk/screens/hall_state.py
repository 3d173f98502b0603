"""What stands in for the welcome screen when no ticket can be had here: out of service, or closed.

Nobody has chosen a language yet, so the headline and what to do instead are shown in the chosen (or default)
language large, and in every other language of the hall below it. No button leads anywhere: "call staff" and
the display choices stay in the bottom bar.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.texts import Texts
from madoguchi.apps.kiosk.widgets import FittingScrollArea, text_label
from madoguchi.translations.languages import LANGUAGES


class HallStateScreen(Screen):
    in_history = False
    #: the headline's style: "error" (red band) when nothing works, "notice" when it is only the hour
    headline_role = "notice"

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        self.title = text_label(role=self.headline_role, center=True)
        self.title.setProperty("textsize", "title")
        self.title.setObjectName(f"{self.name}Title")
        self.detail = text_label(center=True)
        self.detail.setObjectName(f"{self.name}Detail")
        self.hours = text_label(role="strong", center=True)
        self.hours.setObjectName(f"{self.name}Hours")
        self.others = QWidget()
        self.others.setProperty("screen", True)
        self.grid = QGridLayout(self.others)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(32)
        self.grid.setVerticalSpacing(20)
        self.cells: dict[str, tuple[QWidget, QLabel, QLabel]] = {}
        for lang in LANGUAGES:
            cell = QWidget()
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            headline, detail = text_label(role="strong"), text_label(role="small")
            # other residents' languages keep one size: large text is for the language being read
            headline.setProperty("other", True)
            detail.setProperty("other", True)
            headline.setObjectName(f"{self.name}-{lang.code}")
            box.addWidget(headline)
            box.addWidget(detail)
            box.addStretch(1)
            self.cells[lang.code] = (cell, headline, detail)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        column = QVBoxLayout()
        column.setSpacing(20)
        for w in (self.title, self.detail, self.hours):
            column.addWidget(w)
        self.layout_.addStretch(1)
        self.layout_.addLayout(column)
        self.layout_.addSpacing(24)
        self.layout_.addWidget(line)
        self.layout_.addSpacing(8)
        # every other language whole: where a smaller panel has no room for all nine, they scroll under a finger
        self.others_area = FittingScrollArea(self.others)
        self.layout_.addWidget(self.others_area)
        self.layout_.addStretch(2)
        self._columns = 0

    # what each subclass says
    def headline(self, t: Texts) -> str:
        raise NotImplementedError

    def what_to_do(self, t: Texts) -> str:
        raise NotImplementedError

    def hours_text(self, t: Texts) -> str:
        return ""

    def _columns_now(self) -> int:
        return 1 if self.height() > self.width() else 3  # portrait: one language a line, longer lines

    def retranslate(self) -> None:
        t = self.t
        self.title.setText(self.headline(t))
        self.detail.setText(self.what_to_do(t))
        hours = self.hours_text(t)
        self.hours.setText(hours)
        self.hours.setVisible(bool(hours))
        hall = self.ctx.hall
        offered = list(hall.languages) if hall else [lang.code for lang in LANGUAGES]
        shown = [code for code in offered if code != t.language]
        for code, (_cell, headline, detail) in self.cells.items():
            if code in shown:
                other = Texts(code)
                headline.setText(self.headline(other))
                detail.setText(self.what_to_do(other))
        self._place(shown)

    def _place(self, shown: list[str]) -> None:
        columns = self._columns_now()
        for cell, _headline, _detail in self.cells.values():
            self.grid.removeWidget(cell)
            cell.hide()
        for i, code in enumerate(shown):
            cell = self.cells[code][0]
            self.grid.addWidget(cell, i // columns, i % columns)
            cell.show()
        for c in range(3):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)
        self._columns = columns

    def resizeEvent(self, event: object) -> None:
        if self._columns and self._columns != self._columns_now():
            self.retranslate()  # turned between landscape and portrait

    def speech_text(self) -> str:
        return " ".join(x for x in (self.headline(self.t), self.what_to_do(self.t), self.hours_text(self.t)) if x)


class OutOfServiceScreen(HallStateScreen):
    """発券停止中: the server cannot be reached, or the printer cannot print where the hall says stop."""

    name = "out_of_service"
    headline_role = "error"

    def headline(self, t: Texts) -> str:
        return t("kiosk.out_of_service.title")

    def what_to_do(self, t: Texts) -> str:
        server = "server" in self.ctx.status.reasons or self.ctx.hall is None
        return t("kiosk.out_of_service.server" if server else "kiosk.out_of_service.this_kiosk")


class ClosedScreen(HallStateScreen):
    """Outside the opening hours: today's hours and when it opens again."""

    name = "closed"

    def headline(self, t: Texts) -> str:
        return t("kiosk.closed.title")

    def what_to_do(self, t: Texts) -> str:
        status = self.ctx.status
        if status.opens_at:
            return t("kiosk.closed.opens_today", time=status.opens_at)
        opening = status.hours[0] if status.hours else ""
        return t("kiosk.closed.opens_next_day", time=opening)

    def hours_text(self, t: Texts) -> str:
        hours = self.ctx.status.hours
        return t("kiosk.closed.hours", start=hours[0], end=hours[1]) if hours else ""
