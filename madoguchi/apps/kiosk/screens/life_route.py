"""A life event's route before the ticket: the procedures in counter order, numbered, with where each is done; a
"Remove" (and "Add back") for each, so the resident takes only what they need; a procedure not available now is
shown as such and is not on the route; then what to bring, and one button for one ticket through all of it.

What is on the route comes from ``visit_route.offered_route`` (``core.life_events.guidance``): nothing decided here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from madoguchi.apps.kiosk.ruby_widgets import RubyButton, two_lines
from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.step_place import WIDE_SCRIPT, step_place
from madoguchi.apps.kiosk.visit_route import OfferedRoute, OfferedStep
from madoguchi.apps.kiosk.widgets import big_button, text_label, touch_scroll_area
from madoguchi.translations.ruby_markup import plain_text


class LifeRouteScreen(Screen):
    name = "life_route"

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        self.layout_.setSpacing(8)
        self.title = text_label(role="title")
        self.hint = text_label(role="small")
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.hint)
        self.scroll_area = touch_scroll_area()
        self.layout_.addWidget(self.scroll_area, 1)
        self.go = big_button(kind="primary", on_click=flow.confirm_route)
        self.go.setObjectName("lifeRouteGo")
        self.layout_.addWidget(self.go)
        #: the rows shown now, by procedure: (its text, its place, its state, its remove/add-back button)
        self.rows: dict[str, tuple[QLabel, QLabel, QLabel, QPushButton]] = {}
        self.bring_labels: list[QLabel] = []
        self.offered: OfferedRoute | None = None

    def orient(self, portrait: bool) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.t("kiosk.life.route.title"))
        self.hint.setText(self.t("kiosk.life.route.hint"))
        offered = self.flow.offered_route()
        self.offered = offered
        if offered is None:
            return
        self._build(offered)
        count = len(offered.route)
        self._set_go(self.t("kiosk.life.route.go", count=count))
        self.go.setEnabled(count > 0)

    def _set_go(self, text: str) -> None:
        """Whole on one line where it fits, else on two (large text on a portrait panel)."""
        room = self.width() - self.layout_.contentsMargins().left() - self.layout_.contentsMargins().right()
        go = self.go
        assert isinstance(go, RubyButton)
        go.setText(text if room <= 0 or go.size_for(text).width() <= room else two_lines(text, go))

    def _build(self, offered: OfferedRoute) -> None:
        keep = self.scroll_area.verticalScrollBar().value()
        body = QWidget()
        body.setProperty("screen", True)
        outer = QGridLayout(body)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setHorizontalSpacing(32)
        outer.setVerticalSpacing(16)
        steps = QVBoxLayout()
        steps.setSpacing(10)
        self.rows = {}
        for step in offered.steps:
            steps.addWidget(self._row(step))
        steps.addStretch(1)
        bring = QVBoxLayout()
        bring.setSpacing(6)
        self.bring_labels = []
        if offered.guidance.bring:
            heading = text_label(self.t("kiosk.life.route.bring"), role="strong")
            heading.setObjectName("lifeBringHeading")
            bring.addWidget(heading)
            bullet = "・" if self.t.language in WIDE_SCRIPT else "• "
            for item in offered.guidance.bring:
                label = text_label(bullet + self.t.pick(dict(item)))
                self.bring_labels.append(label)
                bring.addWidget(label)
        bring.addStretch(1)
        if not self._side_by_side():
            outer.addLayout(steps, 0, 0)
            outer.addLayout(bring, 1, 0)
            outer.setRowStretch(2, 1)
        else:  # the route on the left, what to bring beside it: all of it in one look
            outer.addLayout(steps, 0, 0)
            outer.addLayout(bring, 0, 1)
            outer.setColumnStretch(0, 1)
            outer.setColumnStretch(1, 1)
        self.scroll_area.setWidget(body)
        bar = self.scroll_area.verticalScrollBar()
        QTimer.singleShot(0, lambda: bar.setValue(keep))  # a tap on "Remove" leaves the list where it was

    def _side_by_side(self) -> bool:
        """Two columns where each still holds a line of a dozen words (a wide panel, or normal text)."""
        if self.portrait:
            return False
        return not self.ctx.session.prefs.large_text or self.width() >= 1800

    def _row(self, step: OfferedStep) -> QWidget:
        frame = QFrame()
        frame.setProperty("role", "card")
        grid = QGridLayout(frame)
        grid.setContentsMargins(16, 8, 12, 8)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        name = self.t.pick(self.ctx.service(step.service_id).name)
        on = step.choice == "on"
        # off the route: the name in the muted style, no number
        text = text_label(f"{step.number}  {name}" if on else name, role="strong" if on else "small")
        place = text_label(self._place(step.service_id), role="small")
        state = text_label(role="small")
        grid.addWidget(text, 0, 0)
        grid.addWidget(place, 1, 0)
        grid.addWidget(state, 2, 0)
        grid.setColumnStretch(0, 1)
        button = big_button(on_click=lambda _=False, s=step.service_id: self.flow.toggle_route_step(s))  # type: ignore[misc]
        button.setObjectName(f"route-toggle-{step.service_id}")
        button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        if step.choice in ("closed", "late"):
            state.setText(self.t("kiosk.life.route.closed" if step.choice == "closed" else "kiosk.life.route.late"))
            button.hide()
        else:
            label = self.t("kiosk.life.route.drop" if on else "kiosk.life.route.restore")
            button.setText(label)
            button.setAccessibleName(f"{plain_text(name)}: {plain_text(label)}")
            if not on:
                state.setText(self.t("kiosk.life.route.dropped"))
            grid.addWidget(button, 0, 1, 3, 1, Qt.AlignmentFlag.AlignVCenter)
        state.setVisible(bool(state.text()))
        self.rows[step.service_id] = (text, place, state, button)
        return frame

    def _place(self, service_id: str) -> str:
        return step_place(self.ctx.counters_for(service_id), self.t.language, self.t, self.t.pick)

    def enter(self) -> None:
        self.scroll_area.verticalScrollBar().setValue(0)

    def clear(self) -> None:
        self.offered = None
        self.rows = {}

    def speech_text(self) -> str:
        offered = self.offered
        if offered is None:
            return self.title.text()
        parts = [self.title.text()]
        for step in offered.steps:
            text, place, state, _button = self.rows[step.service_id]
            parts.append(" ".join(w for w in (text.text(), place.text(), state.text()) if w))
        if self.bring_labels:
            parts.append(self.t("kiosk.life.route.bring"))
            parts += [label.text().lstrip("・") for label in self.bring_labels]
        return ". ".join(parts)
