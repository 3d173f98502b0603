"""Panels drawn over the current screen: the inactivity countdown, a call for help and where it stands, the
display choices (language, text size, contrast, read-aloud), and the admin exit."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QPushButton, QVBoxLayout, QWidget

from madoguchi.apps.kiosk.actions import KioskActions
from madoguchi.apps.kiosk.session import Preferences
from madoguchi.apps.kiosk.staff_call import CallState, StaffCallTracker
from madoguchi.apps.kiosk.texts import Texts
from madoguchi.apps.kiosk.widgets import ButtonGrid, NumberPad, big_button, language_buttons, text_label


class Overlay(QFrame):
    """A panel centred over the whole window, with a dimmed backdrop."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        # Nearly opaque: whoever walks up during "continue?" must not read the previous resident's data.
        self.setStyleSheet("QFrame#overlay { background: rgba(0, 0, 0, 235); }")
        outer = QVBoxLayout(self)
        # centred as an item, not by the layout's own alignment: that sizes the panel by its one-line width and
        # cuts a text that wraps on a narrow (portrait) screen
        self.panel = QFrame()
        self.panel.setProperty("role", "card")
        self.panel.setMinimumWidth(900)
        outer.addWidget(self.panel, 0, Qt.AlignmentFlag.AlignCenter)
        self.box = QVBoxLayout(self.panel)
        self.box.setContentsMargins(48, 40, 48, 40)
        self.box.setSpacing(28)
        self.hide()

    def open(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()


class IdleOverlay(Overlay):
    """ "Do you want to continue?": continue, or start over at once; the seconds left count down (WCAG 2.2.1)."""

    def __init__(self, parent: QWidget, on_continue: Callable[[], None], on_start_over: Callable[[], None]) -> None:
        super().__init__(parent)
        self.title = text_label(role="title", center=True)
        self.countdown = text_label(center=True)
        self.countdown.setObjectName("idleCountdown")
        self.button = big_button(kind="primary", on_click=on_continue)
        self.button.setObjectName("idleContinue")
        self.start_over = big_button(on_click=on_start_over)
        self.start_over.setObjectName("idleStartOver")
        for w in (self.title, self.countdown, self.button, self.start_over):
            self.box.addWidget(w)
        self.left = 0

    def set_left(self, seconds: int, t: Texts) -> None:
        self.left = seconds
        self.retranslate(t)

    def retranslate(self, t: Texts) -> None:
        self.title.setText(t("kiosk.idle.title"))
        self.countdown.setText(t("kiosk.idle.countdown", seconds=self.left))
        self.button.setText(t("kiosk.idle.continue"))
        self.start_over.setText(t("kiosk.idle.start_over"))

    def speech_text(self, t: Texts) -> str:
        parts = (t("kiosk.idle.title"), t("kiosk.idle.countdown", seconds=self.left), t("kiosk.idle.spoken_hint"))
        return " ".join(parts)


class StaffOverlay(Overlay):
    """Where a call for help stands (``staff_call.CallState``), in words that are true at that moment.

    It stays until the resident closes it or the session ends: help that is on its way must not vanish."""

    MESSAGES: ClassVar[dict[CallState, str]] = {
        CallState.SENDING: "kiosk.staff.sending",
        CallState.NOBODY: "kiosk.staff.nobody",
        CallState.WAITING: "kiosk.staff.waiting",
        CallState.UNANSWERED: "kiosk.staff.unanswered",
        CallState.FAILED: "kiosk.staff.failed",
    }

    def __init__(self, parent: QWidget, call: StaffCallTracker) -> None:
        super().__init__(parent)
        self.call = call
        self.text = text_label(role="title", center=True)
        self.text.setObjectName("staffText")
        self.hint = text_label(center=True)
        self.hint.setObjectName("staffHint")
        self.button = big_button(kind="primary", on_click=self.hide)
        self.button.setObjectName("staffClose")
        self.box.addWidget(self.text)
        self.box.addWidget(self.hint)
        self.box.addWidget(self.button)

    @property
    def state(self) -> CallState:
        return self.call.state

    def message_id(self) -> str:
        if self.call.state is CallState.ANSWERED:
            return "kiosk.staff.coming_from_counter" if self.call.counter else "kiosk.staff.coming"
        return self.MESSAGES.get(self.call.state, "kiosk.staff.sending")

    def retranslate(self, t: Texts) -> None:
        counter = self.call.counter
        self.text.setText(t(self.message_id(), counter=counter or ""))
        hint = {
            CallState.NOBODY: "kiosk.staff.where_to_go",
            CallState.UNANSWERED: "kiosk.staff.where_to_go",
            CallState.FAILED: "kiosk.staff.where_to_go",
            CallState.WAITING: "kiosk.staff.stay_here",
            CallState.ANSWERED: "kiosk.staff.stay_here",
        }.get(self.call.state)
        self.hint.setText(t(hint) if hint else "")
        self.hint.setVisible(bool(hint))
        self.button.setText(t("common.close"))

    def speech_text(self) -> str:
        return " ".join(x for x in (self.text.text(), self.hint.text() if self.hint.isVisible() else "") if x)


class PreferencesOverlay(Overlay):
    """Language, text size, contrast, read-aloud and easy Japanese from any screen; they last the session."""

    def __init__(self, parent: QWidget, actions: KioskActions) -> None:
        super().__init__(parent)
        self.title = text_label(role="title", center=True)
        self.language_buttons = language_buttons(actions.set_language, "prefs-lang-")
        self.languages = ButtonGrid(list(self.language_buttons.values()), max_columns=5)
        self.toggles: dict[str, QPushButton] = {}
        for key in ("large_text", "high_contrast", "read_aloud", "easy_japanese"):
            button = big_button(on_click=lambda _=False, k=key: actions.toggle(k))  # type: ignore[misc]
            button.setCheckable(True)
            button.setObjectName(f"prefs-{key}")
            self.toggles[key] = button
        self.toggle_grid = ButtonGrid(list(self.toggles.values()), max_columns=2)
        self.done = big_button(kind="primary", on_click=self.hide)
        self.done.setObjectName("prefsDone")
        for w in (self.title, self.languages, self.toggle_grid, self.done):
            self.box.addWidget(w)

    def open(self) -> None:
        parent = self.parentWidget()
        if parent is not None:  # as wide as the screen allows: ten language names must fit
            self.panel.setFixedWidth(min(1500, parent.width() - 80))
        super().open()
        # the grids choose their columns for the width they really have, once the panel is laid out
        for layout in (self.layout(), self.box):
            if layout is not None:
                layout.activate()
        self.languages.relayout(force=True)
        self.toggle_grid.relayout(force=True)

    def refresh(self, t: Texts, prefs: Preferences, offered: list[str]) -> None:
        from madoguchi.translations.catalog import translate

        self.title.setText(t("kiosk.prefs.title"))
        for code, button in self.language_buttons.items():
            button.setChecked(code == prefs.language)
            button.setVisible(code in offered)
        for key, msgid in (
            ("large_text", "kiosk.toggle.large_text"),
            ("high_contrast", "kiosk.toggle.high_contrast"),
            ("read_aloud", "kiosk.toggle.read_aloud"),
        ):
            self.toggle_grid.set_text(self.toggles[key], t(msgid))
        self.toggle_grid.set_text(self.toggles["easy_japanese"], translate("ja", "kiosk.toggle.easy_japanese"))
        self.toggles["easy_japanese"].setVisible("ja-easy" in offered)
        self.toggles["large_text"].setChecked(prefs.large_text)
        self.toggles["high_contrast"].setChecked(prefs.high_contrast)
        self.toggles["read_aloud"].setChecked(prefs.read_aloud)
        self.toggles["easy_japanese"].setChecked(prefs.easy_japanese)
        self.done.setText(t("common.close"))
        self.languages.relayout()
        self.toggle_grid.relayout()

    def retranslate(self, t: Texts) -> None:
        self.done.setText(t("common.close"))


class AdminOverlay(Overlay):
    """Admin exit: the admin PIN on a pad; the right PIN calls ``on_exit``. Nothing is logged but the outcome."""

    def __init__(self, parent: QWidget, admin_pin: str, on_exit: Callable[[], None]) -> None:
        super().__init__(parent)
        self._admin_pin = admin_pin
        self._on_exit = on_exit
        self._typed = ""
        self.title = text_label(role="title", center=True)
        self.dots = text_label(center=True)
        self.pad = NumberPad()
        self.pad.digit.connect(self._digit)
        self.pad.delete.connect(lambda: self._set(self._typed[:-1]))
        self.pad.clear_all.connect(lambda: self._set(""))
        self.cancel = big_button(on_click=self.close_panel)
        for w in (self.title, self.dots, self.pad, self.cancel):
            self.box.addWidget(w)

    def _digit(self, d: str) -> None:
        self._set(self._typed + d)
        if self._admin_pin and self._typed == self._admin_pin:
            self._set("")
            self.hide()
            self._on_exit()
        elif len(self._typed) >= max(4, len(self._admin_pin)):
            self._set("")

    def _set(self, typed: str) -> None:
        self._typed = typed
        self.dots.setText("●" * len(typed) or "–")

    def close_panel(self) -> None:
        self._set("")
        self.hide()

    def retranslate(self, t: Texts) -> None:
        self.title.setText(t("kiosk.admin.pin"))
        self.cancel.setText(t("common.cancel"))
