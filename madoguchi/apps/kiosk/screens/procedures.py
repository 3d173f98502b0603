"""Procedure list: services grouped by category, each with its waiting count and estimate from the server.

Services closed now are shown disabled with their opening time. Categories are packed into columns so the
whole list fits a 1080p screen without scrolling in the usual hall (a scroll area catches larger ones).
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from madoguchi.apps.kiosk.icons import Pictogram
from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.widgets import RichButton, text_label
from madoguchi.core import api_models as m
from madoguchi.translations.catalog import default_catalogs


class ProceduresScreen(Screen):
    name = "procedures"

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        self.heading = text_label(role="title")
        self.subheading = text_label(role="small")
        self.subheading.hide()  # the heading says it; room for one more row of procedures
        self.notice = text_label(role="notice")
        self.notice.hide()
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.subheading)
        self.layout_.addWidget(self.notice)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.layout_.addWidget(self.scroll_area, 1)
        self.buttons: dict[str, RichButton] = {}
        self._built_for: tuple[str, ...] = ()
        self._built_columns = 0

    def _columns(self) -> int:
        # Landscape 1920 px: four columns keep the usual hall on one screen (no scrolling for a shaky hand).
        return 4 if self.width() >= self.height() else 2

    def _build(self) -> None:
        hall = self.ctx.hall
        if hall is None:
            return
        holder = QWidget()
        holder.setProperty("screen", True)
        row = QHBoxLayout(holder)
        row.setSpacing(24)
        columns = [QVBoxLayout() for _ in range(self._columns())]
        for column in columns:
            column.setSpacing(10)
        heights = [0] * len(columns)
        self.buttons = {}
        self.category_labels: dict[str, object] = {}
        categories: dict[str, list[m.ServiceInfo]] = {}
        for service in hall.services:
            categories.setdefault(service.category, []).append(service)
        # Biggest categories first, each into the shortest column: balanced columns, no scrolling.
        for category, services in sorted(categories.items(), key=lambda item: -len(item[1])):
            col = heights.index(min(heights))
            label = text_label(role="small")
            label.setProperty("category", category)
            columns[col].addWidget(label)
            self.category_labels[category] = label
            for service in services:
                button = RichButton(icon=Pictogram(service.icon, 56))
                button.clicked.connect(lambda _=False, s=service.id: self.flow.choose_service(s))
                button.setObjectName(f"service-{service.id}")
                columns[col].addWidget(button)
                self.buttons[service.id] = button
            heights[col] += 1 + 3 * len(services)
        for column in columns:
            column.addStretch(1)
            row.addLayout(column, 1)
        self.scroll_area.setWidget(holder)
        self._built_for = tuple(s.id for s in hall.services)
        self._built_columns = len(columns)

    def retranslate(self) -> None:
        hall = self.ctx.hall
        if hall is None:
            return
        if self._built_for != tuple(s.id for s in hall.services) or self._built_columns != self._columns():
            self._build()
        self.heading.setText(self.t("kiosk.procedures.heading"))
        self.subheading.setText(self.t("kiosk.procedures.subheading"))
        if self.ctx.session.reservation_code:
            self.notice.setText(self.t("kiosk.code.reservation_choose"))
            self.notice.show()
        else:
            self.notice.hide()
        catalogs = default_catalogs()
        for category, label in self.category_labels.items():
            msgid = f"kiosk.category.{category}"
            known = msgid in catalogs.messages("ja")
            label.setText(self.t(msgid) if known else "")  # type: ignore[attr-defined]
        for service in hall.services:
            self._update_button(service)

    def _update_button(self, service: m.ServiceInfo) -> None:
        button = self.buttons[service.id]
        status = self.ctx.statuses.get(service.id)
        name = self.t.pick(service.name)
        description = self.t.pick(service.description)
        if status is None:
            button.set_lines(name, description)
            button.setEnabled(True)
            return
        if not status.open_now:
            when = (
                self.t("kiosk.closed.opens_at", time=status.opens_at)
                if status.opens_at
                else self.t("kiosk.service.closed")
            )
            button.set_lines(name, description, when)
            button.setEnabled(False)
            return
        waiting = self.t("kiosk.waiting.count", count=status.waiting)
        estimate = self.t.wait_range(status.estimate)
        button.set_lines(name, description, f"{waiting} ・ {estimate}")
        button.setEnabled(True)

    def resizeEvent(self, event: object) -> None:
        if self._built_columns and self._built_columns != self._columns():
            self.retranslate()  # turned between landscape and portrait: re-pack the columns

    def enter(self) -> None:
        self.retranslate()
        self.scroll_area.verticalScrollBar().setValue(0)

    def speech_text(self) -> str:
        return self.t("kiosk.procedures.heading")
