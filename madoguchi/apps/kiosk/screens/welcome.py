"""Welcome: the big start button, every language named in its own script, display toggles, the attract line.

It promises only what works now: the attract line names the card and the code only while the reader and the
camera work (``attract_message``), and when tickets cannot be printed a notice says so before anyone starts.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.widgets import ButtonGrid, big_button, language_buttons, text_label, touch_scroll_area
from madoguchi.translations.catalog import translate
from madoguchi.translations.languages import LANGUAGES

ATTRACT_PERIOD_MS = 4000


class WelcomeScreen(Screen):
    name = "welcome"

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        # Scrolls only when nothing else is left: large text on a panel smaller than 1080 lines. Clipped
        # labels would be worse; the usual panels never show the scroll bar (tested).
        body = _Body()
        body.setProperty("screen", True)
        body.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)  # a QWidget subclass paints no sheet background
        column = self.column = _Column(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        self.layout_.setContentsMargins(48, 16, 48, 16)
        self.scroll_area = touch_scroll_area(body)  # large text with furigana may still scroll: a finger drags it
        self.body = body
        self.layout_.addWidget(self.scroll_area)

        self.title = text_label(role="title", center=True)
        column.addWidget(self.title)
        self.start = big_button(kind="primary", on_click=flow.begin)
        self.start.setObjectName("startButton")
        # The biggest target on the screen; on a smaller panel it gives way to the language names, down to
        # what its label needs (set in retranslate: the style sheet's min-height would allow less).
        column.addWidget(self.start, 3)
        self.attract = text_label(center=True)
        self.attract.setObjectName("attractLine")
        column.addWidget(self.attract)
        self.notice = text_label(role="notice", center=True)
        self.notice.setProperty("textsize", "small")
        self.notice.setObjectName("welcomeNotice")
        self.notice.hide()
        column.addWidget(self.notice)

        self.choose_language = text_label(role="small", center=True)
        column.addWidget(self.choose_language)
        self.language_buttons = language_buttons(flow.set_language, "lang-")
        self.language_grid = ButtonGrid(list(self.language_buttons.values()), max_columns=5)
        column.addWidget(self.language_grid)

        self.toggles: dict[str, QPushButton] = {}
        for key in ("large_text", "high_contrast", "read_aloud", "easy_japanese"):
            button = big_button(on_click=lambda _=False, k=key: flow.toggle(k))  # type: ignore[misc]
            button.setCheckable(True)
            button.setObjectName(f"toggle-{key}")
            self.toggles[key] = button
        self.toggle_grid = ButtonGrid(list(self.toggles.values()), max_columns=4)
        column.addWidget(self.toggle_grid)
        for grid in (self.language_grid, self.toggle_grid):
            grid.laid_out.connect(self._fit_title)

        # The attract line cycles through the languages while nobody has chosen one.
        self._attract_index = 0
        self._attract_timer = QTimer(self)
        self._attract_timer.setInterval(ATTRACT_PERIOD_MS)
        self._attract_timer.timeout.connect(self._next_attract)

    def _hall_languages(self) -> list[str]:
        hall = self.ctx.hall
        return list(hall.languages) if hall else [lang.code for lang in LANGUAGES]

    def retranslate(self) -> None:
        prefs = self.ctx.session.prefs
        hall = self.ctx.hall
        self.title.setText(self.t.pick(hall.name) if hall else self.t("kiosk.welcome.title"))
        self.start.setText(self.t("kiosk.welcome.start"))
        self.start.setMinimumHeight(self.start.sizeHint().height())
        self.attract.setText(self.t(self.attract_message()))
        # Without paper the notice takes the attract line's place: what matters more, in the same room.
        printing = self.ctx.status.printing
        self.notice.setText("" if printing else self.t("kiosk.welcome.no_printing"))
        self.notice.setVisible(not printing)
        self.attract.setVisible(printing)
        self.choose_language.setText(self.t("kiosk.language.choose"))
        offered = self._hall_languages()
        for code, button in self.language_buttons.items():
            button.setChecked(code == prefs.language)
            button.setVisible(code in offered)
        self.toggle_grid.set_text(self.toggles["large_text"], self.t("kiosk.toggle.large_text"))
        self.toggle_grid.set_text(self.toggles["high_contrast"], self.t("kiosk.toggle.high_contrast"))
        self.toggle_grid.set_text(self.toggles["read_aloud"], self.t("kiosk.toggle.read_aloud"))
        self.toggle_grid.set_text(self.toggles["easy_japanese"], translate("ja", "kiosk.toggle.easy_japanese"))
        self.toggles["large_text"].setChecked(prefs.large_text)
        self.toggles["high_contrast"].setChecked(prefs.high_contrast)
        self.toggles["read_aloud"].setChecked(prefs.read_aloud)
        self.toggles["easy_japanese"].setChecked(prefs.easy_japanese)
        self.language_grid.relayout()
        self.toggle_grid.relayout()
        self._fit_title()

    def attract_message(self) -> str:
        """The attract line naming only the ways in that work now (a card on the reader, a code to the camera)."""
        card = self.ctx.card.available()
        code = self.ctx.scanner.available() and self.ctx.settings.codes_on_welcome
        if card and code:
            return "kiosk.attract.line"
        return "kiosk.attract.line_card" if card else "kiosk.attract.line_code" if code else "kiosk.attract.line_touch"

    def _fit_title(self) -> None:
        """Drop the hall name (the bottom bar shows it too) before anything has to scroll out of sight; large
        text with furigana on a 1080-line panel needs that room."""
        body = self.body
        available = self.scroll_area.height()
        need = body.minimumSizeHint().height()
        if not self.title.isHidden() and need > available:
            self.title.hide()
        elif self.title.isHidden():
            with_title = need + self.title.heightForWidth(body.width()) + self.column.spacing()
            if with_title <= available:
                self.title.show()

    def resizeEvent(self, event: object) -> None:
        self._fit_title()

    def _next_attract(self) -> None:
        codes = list(self.language_buttons)
        if not codes or self.ctx.session.prefs.language != "ja":
            return
        self._attract_index = (self._attract_index + 1) % len(codes)
        self.attract.setText(translate(codes[self._attract_index], self.attract_message()))

    def enter(self) -> None:
        self._attract_index = 0
        self._attract_timer.start()

    def leave(self) -> None:
        self._attract_timer.stop()

    def speech_text(self) -> str:
        notice = "" if self.ctx.status.printing else " " + self.t("kiosk.welcome.no_printing")
        return self.t(self.attract_message()) + notice


class _Column(QVBoxLayout):
    """A column that does not offer height-for-width to the scroll area: QScrollArea would then take the
    *preferred* height as the least it needs and scroll where shrinking the start button would do."""

    def hasHeightForWidth(self) -> bool:
        return False


class _Body(QWidget):
    def minimumSizeHint(self) -> QSize:
        # The column's minimum, with wrapped labels as tall as they are at this width (not one line).
        hint = super().minimumSizeHint()
        extra = sum(
            max(0, label.heightForWidth(self.width()) - label.minimumSizeHint().height())
            for label in self.findChildren(QLabel)
            if label.isVisible() and label.wordWrap()
        )
        return QSize(hint.width(), hint.height() + extra)
