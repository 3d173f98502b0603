"""The voice guide: a blind or low-vision resident takes a ticket alone, with a numeric keypad and the kiosk's voice.

It starts without sight: any key of a USB numeric keypad, headphones plugged in (where the sound hardware
reports them as a new output), or a long press anywhere on the screen. From then on every screen is said, then
its choices one by one with their place ("2 of 8"); in the resident's language (a language's own name in that
language). Keys, as on the bank ATMs and public kiosks built to JIS X 8341 / EN 301 549:

    /  help        *  call staff        -  softer
    7  slower      8  previous          9  faster      +  louder
    4  previous    5  choose            6  next
    1              2  next              3
    0  back                .  repeat                   Enter  choose

(with NumLock off the same keys send arrows, Home, PgUp, Clear, Insert, Delete: they mean the same). Where the
screen asks for digits (the card's PIN, a number of copies) the number keys type them, ``.`` or Backspace deletes
one, Enter sends; the PIN's digits are never said, only how many are typed. Touch keeps working as before, and
the guide ends with the session (the next resident starts without it).
"""

from __future__ import annotations

import logging
from enum import Enum, auto
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QWidget

from madoguchi.apps.kiosk.guide_items import GuideItem, button_items, screen_items, screen_words, visible_labels
from madoguchi.apps.kiosk.screens.extra import ExtraQuestionScreen
from madoguchi.apps.kiosk.screens.pin_entry import PinEntryScreen

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QPushButton

    from madoguchi.apps.kiosk.context import KioskContext
    from madoguchi.apps.kiosk.flow import KioskFlow
    from madoguchi.apps.kiosk.idle import IdleWatcher
    from madoguchi.apps.kiosk.screens.base import Screen
    from madoguchi.apps.kiosk.texts import Texts

log = logging.getLogger(__name__)


class Command(Enum):
    NEXT = auto()
    PREVIOUS = auto()
    CHOOSE = auto()
    BACK = auto()
    REPEAT = auto()
    HELP = auto()
    STAFF = auto()
    LOUDER = auto()
    SOFTER = auto()
    FASTER = auto()
    SLOWER = auto()


K = Qt.Key
KEYS: dict[int, Command] = {
    **dict.fromkeys((K.Key_2, K.Key_6, K.Key_Down, K.Key_Right, K.Key_PageDown, K.Key_Tab), Command.NEXT),
    **dict.fromkeys((K.Key_8, K.Key_4, K.Key_Up, K.Key_Left, K.Key_End, K.Key_Backtab), Command.PREVIOUS),
    **dict.fromkeys((K.Key_5, K.Key_Enter, K.Key_Return, K.Key_Space, K.Key_Clear), Command.CHOOSE),
    **dict.fromkeys((K.Key_0, K.Key_Escape, K.Key_Backspace, K.Key_Insert), Command.BACK),
    **dict.fromkeys((K.Key_Period, K.Key_Comma, K.Key_Delete), Command.REPEAT),
    **dict.fromkeys((K.Key_Slash, K.Key_F1, K.Key_Help), Command.HELP),
    K.Key_Asterisk: Command.STAFF,
    K.Key_Plus: Command.LOUDER,
    K.Key_Minus: Command.SOFTER,
    **dict.fromkeys((K.Key_9, K.Key_PageUp), Command.FASTER),
    **dict.fromkeys((K.Key_7, K.Key_Home), Command.SLOWER),
}
DIGITS = {getattr(K, f"Key_{d}"): str(d) for d in range(10)}
#: in digit entry: these delete the last digit (``.`` is next to 0 on every keypad)
DELETE_KEYS = frozenset({K.Key_Period, K.Key_Comma, K.Key_Delete, K.Key_Backspace})
SUBMIT_KEYS = frozenset({K.Key_Enter, K.Key_Return})

VOLUMES = (0.2, 0.4, 0.6, 0.8, 1.0)
SPEEDS = (0.7, 0.85, 1.0, 1.15, 1.3)
DEFAULT_VOLUME = 3  # index into VOLUMES: 0.8 leaves room to be louder
DEFAULT_SPEED = 2
#: a press held this long anywhere (but the hall name, the admin's) starts the guide
LONG_PRESS_MS = 3000
_HEADPHONE_WORDS = ("headphone", "headset", "ヘッドホン", "ヘッドフォン", "イヤホン", "earphone")


def sentences(lang: str, words: list[str]) -> str:
    """Labels read one after the other, each ended as a sentence (a voice pauses there, and not elsewhere)."""
    stop = "。" if lang in ("ja", "ja-easy", "zh-Hans") else "."
    ended = [w if w[-1] in ".!?。！？:：" else w + stop for w in (w.strip() for w in words) if w]
    return ("" if stop == "。" else " ").join(ended)


def is_headphones(description: str) -> bool:
    """Whether an audio output's name says it is headphones (PulseAudio/PipeWire and Windows name them so)."""
    lowered = description.lower()
    return any(word in lowered for word in _HEADPHONE_WORDS)


class GuideHost(Protocol):
    """What the guide needs of the kiosk window (``main_window.KioskWindow``)."""

    @property
    def ctx(self) -> KioskContext: ...
    @property
    def flow(self) -> KioskFlow: ...
    @property
    def idle(self) -> IdleWatcher: ...
    @property
    def idle_overlay(self) -> QWidget: ...
    @property
    def staff_overlay(self) -> QWidget: ...
    @property
    def prefs_overlay(self) -> QWidget: ...
    @property
    def back_button(self) -> QPushButton: ...
    @property
    def hall_label(self) -> QLabel: ...

    def current_screen(self) -> Screen | None: ...
    def apply_preferences(self) -> None: ...
    def window(self) -> QWidget: ...


class AudioGuide(QObject):
    """Installed as an application event filter by the kiosk window (before the inactivity watcher, which must
    still see every key as activity)."""

    def __init__(self, window: GuideHost, long_press_ms: int = LONG_PRESS_MS) -> None:
        super().__init__(window.window())
        self.window = window
        self.items: list[GuideItem] = []
        self.index = 0
        self.volume_level = DEFAULT_VOLUME
        self.speed_level = DEFAULT_SPEED
        self._shown = 0  # screens shown since start: tells whether a choice moved on to another screen
        self._long_press = QTimer(self)
        self._long_press.setSingleShot(True)
        self._long_press.setInterval(long_press_ms)
        self._long_press.timeout.connect(self._long_pressed)
        self._pressed: QWidget | None = None
        self._swallow_release = False
        self._outputs: set[str] = set()

    # ------------------------------------------------------------------ state
    @property
    def active(self) -> bool:
        return self.window.ctx.session.prefs.audio_guide

    @property
    def _t(self) -> Texts:
        return self.window.ctx.texts

    def start(self, reason: str) -> None:
        """Switch the guide on for this session (and read-aloud with it) and say where the resident is."""
        if self.active:
            return
        log.info("voice guide started (%s)", reason)
        prefs = self.window.ctx.session.prefs
        prefs.audio_guide = True
        prefs.read_aloud = True
        self.volume_level, self.speed_level = DEFAULT_VOLUME, DEFAULT_SPEED
        self._apply_voice()
        self.window.apply_preferences()
        self._load_items()
        self._say([self._t("kiosk.audio.started"), *self._words()], self._item_parts())

    def screen_shown(self) -> None:
        """The window shows another screen (or an overlay came up): say it and its first choice."""
        self._shown += 1
        self._load_items()
        self._say(self._words(), self._item_parts())

    def outputs_changed(self, descriptions: list[str]) -> None:
        """The machine's audio outputs changed: a new one that is headphones starts the guide."""
        new = {d for d in descriptions if d not in self._outputs}
        self._outputs = set(descriptions)
        if any(is_headphones(d) for d in new):
            self.start("headphones")

    def watch_outputs(self) -> None:
        """Follow the audio outputs (Qt Multimedia), where the platform reports them."""
        try:
            from PySide6.QtMultimedia import QMediaDevices
        except ImportError:  # pragma: no cover - Qt Multimedia is part of PySide6's wheels
            return
        devices = QMediaDevices(self)
        self._devices = devices

        def descriptions() -> list[str]:
            return [d.description() for d in QMediaDevices.audioOutputs()]

        self._outputs = set(descriptions())
        devices.audioOutputsChanged.connect(lambda: self.outputs_changed(descriptions()))

    # ------------------------------------------------------------------ what is said
    def _overlay(self) -> QWidget | None:
        w = self.window
        for overlay in (w.idle_overlay, w.staff_overlay, w.prefs_overlay):
            if overlay.isVisible():
                return overlay
        return None

    def _words(self) -> list[str]:
        overlay = self._overlay()
        screen = self.window.current_screen()
        if overlay is not None:
            return visible_labels(overlay)
        return screen_words(self.window.ctx, screen) if screen is not None else []

    def _load_items(self) -> None:
        overlay = self._overlay()
        screen = self.window.current_screen()
        if overlay is not None:
            self.items = button_items(overlay)
        elif screen is not None and not self._digit_entry():
            self.items = screen_items(self.window.ctx, self.window.flow, screen)
        else:
            self.items = []
        self.index = 0

    def _item_parts(self) -> list[tuple[str, str]]:
        """The current choice: its label (in its own language for a language's name), state and place."""
        if not self.items:
            return []
        t, lang = self._t, self._t.language
        item = self.items[self.index]
        parts = [(item.language or lang, item.label)]
        state = [t("kiosk.audio.selected")] if item.selected else []
        if not item.enabled:
            state.append(t("kiosk.audio.unavailable"))
        position = t("kiosk.audio.position", index=self.index + 1, total=len(self.items))
        parts.append((lang, sentences(lang, [*state, position])))
        return parts

    def _say(self, words: list[str], parts: list[tuple[str, str]] | None = None) -> None:
        lang = self._t.language
        self.window.ctx.speaker.say_parts([(lang, sentences(lang, words)), *(parts or [])])

    def _apply_voice(self) -> None:
        speaker = self.window.ctx.speaker
        speaker.set_volume(VOLUMES[self.volume_level])
        speaker.speed = SPEEDS[self.speed_level]

    # ------------------------------------------------------------------ keys
    def _digit_entry(self) -> PinEntryScreen | ExtraQuestionScreen | None:
        """The screen whose digit pad is the way to answer (the PIN, a number of copies), else None."""
        if self._overlay() is not None:
            return None
        screen = self.window.current_screen()
        if isinstance(screen, PinEntryScreen) and screen.pad_box.isVisibleTo(screen):
            return screen
        if isinstance(screen, ExtraQuestionScreen) and screen.pad.isVisibleTo(screen):
            return screen
        return None

    def key(self, event: QKeyEvent) -> bool:
        """Handle a key; True when it was the guide's (it is then not passed on)."""
        key = event.key()
        if not self.active:
            if key in KEYS or key in DIGITS:
                self.start("keypad")
                return True
            return False
        entry = self._digit_entry()
        if entry is not None and self._digit_key(entry, key):
            return True
        command = KEYS.get(key)
        if command is None:
            self._say([self._t("kiosk.audio.no_action")])
            return True
        self.run(command)
        return True

    def _digit_key(self, screen: PinEntryScreen | ExtraQuestionScreen, key: int) -> bool:
        if key in DIGITS:
            screen.pad.keys[DIGITS[key]].click()
        elif key in DELETE_KEYS:
            screen.pad.keys["⌫"].click()
        elif key in SUBMIT_KEYS:
            self._submit_digits(screen)
            return True
        else:
            return False
        if isinstance(screen, PinEntryScreen):  # how many, never which
            self._say([self._t("kiosk.audio.pin_progress", typed=screen.typed_count)])
        else:
            self._say([screen.entry.text()])
        return True

    def _submit_digits(self, screen: PinEntryScreen | ExtraQuestionScreen) -> None:
        t = self._t
        if isinstance(screen, ExtraQuestionScreen):
            if screen.pad_ok.isEnabled():
                screen.pad_ok.click()
            else:
                self._say([t("kiosk.audio.number_help")])
            return
        if screen.typed_count == 0:
            self.window.flow.back()  # Enter before any digit: leave the card, as the help says
        elif screen.ok.isEnabled():
            shown = self._shown
            screen.ok.click()
            if self._shown == shown:
                self.screen_shown()  # the last try: the warning and its confirmation replace the pad
        else:
            self._say([t("kiosk.audio.pin_incomplete")])

    def run(self, command: Command) -> None:
        t = self._t
        if command in (Command.NEXT, Command.PREVIOUS):
            if not self.items:
                self._say(self._words())
                return
            step = 1 if command is Command.NEXT else -1
            self.index = (self.index + step) % len(self.items)
            self._say([], self._item_parts())
        elif command is Command.CHOOSE:
            self._choose()
        elif command is Command.BACK:
            self._back()
        elif command is Command.REPEAT:
            self._say(self._words(), self._item_parts())
        elif command is Command.HELP:
            self._say([t("kiosk.audio.help")])
        elif command is Command.STAFF:
            self.window.flow.call_staff()
        elif command in (Command.LOUDER, Command.SOFTER):
            step = 1 if command is Command.LOUDER else -1
            self.volume_level = max(0, min(len(VOLUMES) - 1, self.volume_level + step))
            self._apply_voice()
            self._say([t("kiosk.audio.volume", level=self.volume_level + 1, levels=len(VOLUMES))])
        elif command in (Command.FASTER, Command.SLOWER):
            step = 1 if command is Command.FASTER else -1
            self.speed_level = max(0, min(len(SPEEDS) - 1, self.speed_level + step))
            self._apply_voice()
            self._say([t("kiosk.audio.speed", level=self.speed_level + 1, levels=len(SPEEDS))])

    def _choose(self) -> None:
        if not self.items:
            self._say(self._words())
            return
        item = self.items[self.index]
        if not item.enabled:
            self._say([], self._item_parts())
            return
        shown, overlay = self._shown, self._overlay()
        item.action()
        if self._shown != shown or not self.active:
            return  # another screen came up and was said (or the session ended)
        if overlay is not None and self._overlay() is None:
            self.screen_shown()  # the overlay closed: back to the screen under it
            return
        # the same screen (a language, a display choice): say the choice again, as it is now
        index = self.index
        self._load_items()
        self.index = min(index, len(self.items) - 1) if self.items else 0
        self._say([], self._item_parts())

    def _back(self) -> None:
        w = self.window
        if w.idle_overlay.isVisible():
            w.idle.keep_going()  # "back" from "do you want to continue?" is continuing
            w.idle_overlay.hide()
            self.screen_shown()
        elif self._overlay() is not None:
            overlay = self._overlay()
            assert overlay is not None
            overlay.hide()
            self.screen_shown()
        elif w.back_button.isVisible():
            w.flow.back()
        else:
            self._say([self._t("kiosk.audio.no_action")])

    # ------------------------------------------------------------------ events
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and isinstance(watched, QWidget):
            if watched.window() is not self.window:
                return False
            return self.key(event)
        if not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            if not self.active and not self._long_press.isActive() and not self._on_hall_name(watched):
                self._pressed = watched
                self._long_press.start()
        elif kind in (QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel):
            self._long_press.stop()
            if self._swallow_release:
                self._swallow_release = False
                return True  # the long press started the guide: the button under the finger is not pressed
        return False

    def _on_hall_name(self, widget: QWidget) -> bool:
        hall = self.window.hall_label
        return widget is hall or hall.isAncestorOf(widget)

    def _long_pressed(self) -> None:
        pressed, self._pressed = self._pressed, None
        if isinstance(pressed, QAbstractButton):
            pressed.setDown(False)
        self._swallow_release = True
        self.start("long press")
