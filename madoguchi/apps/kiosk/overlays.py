"""Panels drawn over the current screen: the inactivity countdown, "someone is coming", and the admin exit."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from madoguchi.apps.kiosk.texts import Texts
from madoguchi.apps.kiosk.widgets import NumberPad, big_button, text_label


class Overlay(QFrame):
    """A panel centred over the whole window, with a dimmed backdrop."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        # Nearly opaque: whoever walks up during "continue?" must not read the previous resident's data.
        self.setStyleSheet("QFrame#overlay { background: rgba(0, 0, 0, 235); }")
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
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
    def __init__(self, parent: QWidget, on_continue: Callable[[], None]) -> None:
        super().__init__(parent)
        self.title = text_label(role="title", center=True)
        self.countdown = text_label(center=True)
        self.countdown.setObjectName("idleCountdown")
        self.button = big_button(kind="primary", on_click=on_continue)
        self.button.setObjectName("idleContinue")
        for w in (self.title, self.countdown, self.button):
            self.box.addWidget(w)
        self.left = 0

    def set_left(self, seconds: int, t: Texts) -> None:
        self.left = seconds
        self.retranslate(t)

    def retranslate(self, t: Texts) -> None:
        self.title.setText(t("kiosk.idle.title"))
        self.countdown.setText(t("kiosk.idle.countdown", seconds=self.left))
        self.button.setText(t("kiosk.idle.continue"))


class StaffOverlay(Overlay):
    """ "Someone is coming" (or, when the server cannot be reached, "please ask at the information desk")."""

    SHOW_MS = 12000

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.text = text_label(role="title", center=True)
        self.text.setObjectName("staffText")
        self.button = big_button(kind="primary", on_click=self.hide)
        self.box.addWidget(self.text)
        self.box.addWidget(self.button)
        self.reached = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)

    def show_result(self, reached: bool, t: Texts) -> None:
        self.reached = reached
        self.retranslate(t)
        self.open()
        self._timer.start(self.SHOW_MS)

    def retranslate(self, t: Texts) -> None:
        self.text.setText(t("kiosk.staff.coming") if self.reached else t("kiosk.server.unreachable"))
        self.button.setText(t("common.ok"))


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
