"""Welcome: the big start button, every language named in its own script, display toggles, the attract line."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton

from kiosk.screens.base import Screen
from kiosk.widgets import big_button, text_label
from translations.catalog import translate
from translations.languages import LANGUAGES

ATTRACT_PERIOD_MS = 4000


class WelcomeScreen(Screen):
    name = "welcome"

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        self.title = text_label(role="title", center=True)
        self.layout_.addWidget(self.title)
        self.start = big_button(kind="primary", on_click=flow.begin)
        self.start.setObjectName("startButton")
        self.start.setMinimumHeight(200)
        self.layout_.addWidget(self.start, 3)
        self.attract = text_label(center=True)
        self.layout_.addWidget(self.attract)

        self.choose_language = text_label(role="small", center=True)
        self.layout_.addWidget(self.choose_language)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.language_buttons: dict[str, QPushButton] = {}
        for i, lang in enumerate(LANGUAGES):
            button = big_button(lang.native_name, on_click=lambda _=False, c=lang.code: flow.set_language(c))  # type: ignore[misc]
            button.setCheckable(True)
            button.setObjectName(f"lang-{lang.code}")
            grid.addWidget(button, i // 5, i % 5)
            self.language_buttons[lang.code] = button
        self.layout_.addLayout(grid)

        toggles = QHBoxLayout()
        self.toggles: dict[str, QPushButton] = {}
        for key in ("large_text", "high_contrast", "read_aloud", "easy_japanese"):
            button = big_button(on_click=lambda _=False, k=key: flow.toggle(k))  # type: ignore[misc]
            button.setCheckable(True)
            button.setObjectName(f"toggle-{key}")
            toggles.addWidget(button)
            self.toggles[key] = button
        self.layout_.addLayout(toggles)

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
        self.attract.setText(self.t("kiosk.attract.line"))
        self.choose_language.setText(self.t("kiosk.language.choose"))
        offered = self._hall_languages()
        for code, button in self.language_buttons.items():
            button.setChecked(code == prefs.language)
            button.setVisible(code in offered)
        self.toggles["large_text"].setText(self.t("kiosk.toggle.large_text"))
        self.toggles["high_contrast"].setText(self.t("kiosk.toggle.high_contrast"))
        self.toggles["read_aloud"].setText(self.t("kiosk.toggle.read_aloud"))
        self.toggles["easy_japanese"].setText(translate("ja", "kiosk.toggle.easy_japanese"))
        self.toggles["large_text"].setChecked(prefs.large_text)
        self.toggles["high_contrast"].setChecked(prefs.high_contrast)
        self.toggles["read_aloud"].setChecked(prefs.read_aloud)
        self.toggles["easy_japanese"].setChecked(prefs.easy_japanese)

    def _next_attract(self) -> None:
        codes = list(self.language_buttons)
        if not codes or self.ctx.session.prefs.language != "ja":
            return
        self._attract_index = (self._attract_index + 1) % len(codes)
        self.attract.setText(translate(codes[self._attract_index], "kiosk.attract.line"))

    def enter(self) -> None:
        self._attract_index = 0
        self._attract_timer.start()

    def leave(self) -> None:
        self._attract_timer.stop()

    def speech_text(self) -> str:
        return self.t("kiosk.attract.line")
