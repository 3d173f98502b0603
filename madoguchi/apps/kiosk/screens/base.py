"""The screen base class: a widget the main window shows in its stack."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from madoguchi.apps.kiosk.actions import KioskActions
from madoguchi.apps.kiosk.context import KioskContext


class Screen(QWidget):
    #: stable id: the window's key, the "screen" of staff alerts and heartbeats, the screenshot name
    name = "screen"
    #: whether "back" may return here (transient screens like "reading" are skipped)
    in_history = True

    def __init__(self, ctx: KioskContext, flow: KioskActions) -> None:
        super().__init__()
        self.ctx = ctx
        self.flow = flow
        self.setProperty("screen", True)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(48, 24, 48, 24)
        self.layout_.setSpacing(16)
        self._portrait: bool | None = None

    @property
    def portrait(self) -> bool:
        """Taller than wide: a 1080×1920 panel stood on its end."""
        return self.height() > self.width()

    def resizeEvent(self, event: object) -> None:
        if self.portrait != self._portrait:
            self._portrait = self.portrait
            self.orient(self.portrait)

    def orient(self, portrait: bool) -> None:
        """Lay the screen out for a portrait or a landscape panel (called when that changes)."""

    @property
    def t(self):  # type: ignore[no-untyped-def]
        return self.ctx.texts

    def retranslate(self) -> None:
        """Set every text from the catalogs in the current language."""

    def enter(self) -> None:
        """Called each time the screen is shown."""

    def leave(self) -> None:
        """Called when another screen replaces this one."""

    def clear(self) -> None:
        """Drop anything of the resident's shown here (personal data, PIN digits, messages)."""

    def speech_text(self) -> str:
        return ""
