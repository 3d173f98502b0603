"""The kiosk window: a stack of screens above a bottom bar (back, hall name, display choices, call staff).

It only switches screens, applies the resident's display choices, and hosts the overlays; what comes next is
decided by ``madoguchi.apps.kiosk.flow.KioskFlow``.
"""

from __future__ import annotations

import logging
from typing import cast

from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QHBoxLayout, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from madoguchi.apps.kiosk.audio_guide import AudioGuide
from madoguchi.apps.kiosk.context import KioskContext
from madoguchi.apps.kiosk.flow import KioskFlow
from madoguchi.apps.kiosk.health_report import kiosk_heartbeat
from madoguchi.apps.kiosk.icons import Pictogram
from madoguchi.apps.kiosk.idle import IdleWatcher
from madoguchi.apps.kiosk.overlays import AdminOverlay, IdleOverlay, PreferencesOverlay, StaffOverlay
from madoguchi.apps.kiosk.ruby_widgets import RubyButton, two_lines
from madoguchi.apps.kiosk.screen_set import Screens
from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.session import Session
from madoguchi.apps.kiosk.settings import KioskSettings
from madoguchi.apps.kiosk.texts import Texts
from madoguchi.apps.kiosk.theme import FONT_FAMILY, Theme, theme_for_screen_height
from madoguchi.apps.kiosk.widgets import big_button, text_label
from madoguchi.client.hall_client import HallClient
from madoguchi.devices.card.interface import CardReader
from madoguchi.devices.printer.interface import TicketPrinter
from madoguchi.devices.scanner.interface import CodeScanner
from madoguchi.qt.qt_translations import QtTranslations, qt_locale
from madoguchi.qt.read_aloud import ReadAloud
from madoguchi.qt.tasks import run_task
from madoguchi.translations.catalog import translate
from madoguchi.translations.languages import is_shipped, language
from madoguchi.translations.ruby_markup import plain_text

log = logging.getLogger(__name__)

#: screens without the inactivity countdown (nothing personal to clear, or a timer of their own); the welcome
#: screen has one only while a resident's display choices are set (the next resident must get the defaults)
NO_IDLE = frozenset({"welcome", "out_of_service", "closed", "ticket", "issuing", "card_reading"})
#: screens without "back"
NO_BACK = frozenset({"welcome", "out_of_service", "closed", "issuing", "card_reading", "ticket", "card_take"})
#: screens where a 2D code means something
SCANNING = frozenset({"procedures", "method", "code_scan"})
#: blocking device and server calls (a card wait lasts up to 90 s) must never hold up the kiosk's state probe
WORKER_THREADS = 8
#: a call for help stays on screen this long at most without a touch (the resident may have gone)
STAFF_OVERLAY_MS = 180_000


def kiosk_read_aloud(speech: bool) -> ReadAloud:
    """The kiosk's voice: offline synthesis cached in the temporary folder; none when speech is off."""
    if not speech:
        return ReadAloud(None, audio=False)
    import tempfile
    from pathlib import Path

    from madoguchi.devices.speech.voice import VoiceSynthesizer

    return ReadAloud(VoiceSynthesizer(Path(tempfile.gettempdir()) / "madoguchi-kiosk-voice"))


class KioskWindow(QWidget):
    def __init__(
        self,
        client: HallClient,
        card: CardReader,
        scanner: CodeScanner,
        printer: TicketPrinter,
        settings: KioskSettings,
        *,
        speaker: ReadAloud | None = None,
    ) -> None:
        super().__init__()
        pool = QThreadPool.globalInstance()
        pool.setMaxThreadCount(max(pool.maxThreadCount(), WORKER_THREADS))
        self.setObjectName("kioskRoot")
        self.setWindowTitle("Madoguchi kiosk")
        self.settings = settings
        self.ctx = KioskContext(
            client, card, scanner, printer, settings, speaker or kiosk_read_aloud(settings.speech), Session(), Texts()
        )
        self.flow = KioskFlow(self.ctx, self)
        self._allow_close = not settings.kiosk_mode
        self.qt_translations = QtTranslations.of()

        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        # The hall name sits in the bottom bar (every pixel above goes to the screens); a long press on it is
        # the first step of the admin exit.
        self.hall_label = text_label(role="small", center=True)
        self.hall_label.setObjectName("hallName")
        self._hall_name_shown = ""
        # The buttons keep their size; the name gives way (a portrait panel in large text has no room for it).
        self.hall_label.setWordWrap(False)
        self.hall_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.hall_label.installEventFilter(self)

        self.stack = QStackedWidget()
        root.addWidget(self.stack, 1)
        self.screens = Screens.build(self.ctx, self.flow)
        for screen in self.screens.all():
            self.stack.addWidget(screen)
        # A stack is as large as its largest page; the kiosk shows one at a time, so only the shown one counts
        # (else the PIN pad's height in large text would squeeze the bottom bar on every other screen).
        self.stack.currentChanged.connect(self._size_by_shown_screen)
        self._size_by_shown_screen()
        self.flow.attach(self, self.screens)

        bottom = QWidget()
        bottom.setObjectName("bottomBar")
        row = QHBoxLayout(bottom)
        row.setContentsMargins(32, 16, 32, 16)
        self.back_button = big_button(on_click=self.flow.back)
        self.back_button.setObjectName("backButton")
        self.prefs_button = big_button(on_click=self.open_preferences)
        self.prefs_button.setObjectName("prefsButton")
        self.staff_button = big_button(kind="danger", on_click=self.flow.call_staff)
        self.staff_button.setObjectName("callStaffButton")
        row.addWidget(self.back_button)
        row.addWidget(self.hall_label, 1)
        row.addWidget(self.prefs_button)
        row.addWidget(self.staff_button)
        self._bar_row = row
        root.addWidget(bottom)
        self.screens.welcome.scroll_area.verticalScrollBar().rangeChanged.connect(lambda *_: self._update_bar())

        self.idle_overlay = IdleOverlay(self, self._continue, self.flow.go_welcome)
        self.staff_overlay = StaffOverlay(self, self.flow.staff_call)
        self.staff_overlay.button.clicked.connect(self._update_idle)
        self.flow.staff_call.changed.connect(self._staff_call_changed)
        self._staff_timeout = QTimer(self)
        self._staff_timeout.setSingleShot(True)
        self._staff_timeout.timeout.connect(self._staff_overlay_expired)
        self.prefs_overlay = PreferencesOverlay(self, self.flow)
        self.admin_overlay = AdminOverlay(self, settings.admin_pin, self.admin_exit)
        self.guide = AudioGuide(self, settings.audio_long_press_ms)
        self.idle = IdleWatcher(self.ctx.inactivity_seconds, settings.countdown_seconds, self)
        self.idle.countdown_started.connect(self._countdown)
        self.idle.countdown_tick.connect(self._countdown)
        self.idle.countdown_cancelled.connect(self.idle_overlay.hide)
        self.idle.timed_out.connect(self._timed_out)
        app = QApplication.instance()
        if app is not None:
            # the filter installed last runs first: the inactivity watcher sees every key the guide then takes
            app.installEventFilter(self.guide)
            app.installEventFilter(self.idle)
        self.heartbeat = kiosk_heartbeat(self.ctx, self.current_name, settings.heartbeat_seconds, self)
        # the admin console learns a new state at the next refresh, not at the next regular heartbeat
        self.flow.monitor.changed.connect(self._state_changed)
        self._long_press = QTimer(self)
        self._long_press.setSingleShot(True)
        self._long_press.timeout.connect(self._open_admin)
        self._current: Screen | None = None
        self._shut_down = False
        self._warm_timer = QTimer(self)  # a child: gone with the window, so it never fires into a dead one
        self._warm_timer.setSingleShot(True)
        self._warm_timer.timeout.connect(lambda: run_task(self._warm_up, None, None, parent=self))
        self.apply_preferences()
        self.show_screen(self.screens.welcome, speak=False)  # until the hall is loaded (or found unreachable)

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Start devices, heartbeat and the first server call (after the window is shown)."""
        self.ctx.card.start()
        self.ctx.printer.start()
        self.guide.watch_outputs()
        self.heartbeat.start()
        self.flow.start()
        # After the first screen is up, not competing with it for the CPU.
        self._warm_timer.start(1500)

    def _warm_up(self) -> None:
        """Worker thread: import the ticket code and load fonts now, not at the first resident's ticket."""
        import madoguchi.apps.kiosk.ticket_content  # noqa: F401 - import for its side effect of loading the layout code

        warm = getattr(self.ctx.printer, "warm_up", None)
        if callable(warm):
            try:
                warm()
            except Exception:
                log.warning("printer warm-up failed", exc_info=True)

    def shutdown(self) -> None:
        if self._shut_down:
            return
        self._shut_down = True
        self._warm_timer.stop()
        self.heartbeat.stop()
        self.flow.shutdown()
        self.ctx.scanner.stop()
        self.ctx.card.stop()
        self.ctx.printer.stop()
        self.ctx.speaker.stop()
        self.ctx.session.clear()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
            app.removeEventFilter(self.guide)

    def hall_loaded(self) -> None:
        self.apply_preferences()
        # The camera starts only now: a code read before the hall's forms are known would be lost (the
        # scanner reports a code held up once, not again while it stays in view).
        self.ctx.scanner.start()

    # ------------------------------------------------------------------ screens
    def current_screen(self) -> Screen | None:
        return self._current

    def current_name(self) -> str:
        """The shown screen's id (heartbeats, staff alerts, screenshots, tests)."""
        return self._current.name if self._current is not None else ""

    def show_screen(self, screen: Screen, speak: bool = True) -> None:
        previous = self._current
        if previous is not None and previous is not screen:
            previous.leave()
        name = screen.name
        self._current = screen
        screen.retranslate()
        self.stack.setCurrentWidget(screen)
        screen.enter()
        self._update_bar()
        scanning = SCANNING | ({"welcome"} if self.settings.codes_on_welcome else set())
        self.ctx.scanner.set_active(name in scanning)
        self.ctx.scanner.set_preview(name == "code_scan")
        self._update_idle()
        prefs = self.ctx.session.prefs
        if speak and prefs.audio_guide:
            self.guide.screen_shown()
        elif speak and prefs.read_aloud:
            self.ctx.speaker.say(prefs.language, screen.speech_text())
        if self.settings.screenshot_dir is not None and self.settings.auto_screenshots:
            QTimer.singleShot(50, lambda: self.save_screenshot(name))
        log.debug("screen %s", name)

    def say_again(self) -> None:
        """Read the screen again (it changed in place: the ticket printed), as the resident's choices say."""
        prefs, screen = self.ctx.session.prefs, self._current
        if screen is None:
            return
        if prefs.audio_guide:
            self.guide.screen_shown()
        elif prefs.read_aloud:
            self.ctx.speaker.say(prefs.language, screen.speech_text())

    def save_screenshot(self, label: str) -> None:
        folder = self.settings.screenshot_dir
        if folder is None:
            return
        folder.mkdir(parents=True, exist_ok=True)
        # grab() paints at once; on screen, layouts posted since the last change are settled before a paint.
        for _ in range(4):
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self.grab().save(str(folder / f"{label}-{self.ctx.session.prefs.language}.png"))

    def _fit_hall_name(self) -> None:
        """The hall's name in the bottom bar, or nothing where the buttons leave too little room for it whole (a
        portrait panel in large text): a cut name reads worse than none, and the welcome screen names the hall."""
        hall = self.ctx.hall
        name = self.ctx.texts.pick(hall.name) if hall else ""
        label = self.hall_label
        fits = label.width() <= 0 or label.fontMetrics().horizontalAdvance(plain_text(name)) <= label.width()
        shown = name if fits else ""
        if shown != self._hall_name_shown:
            self._hall_name_shown = shown
            label.setText(shown)

    def _label_prefs_button(self) -> None:
        """The bottom bar's buttons, whole in every language: one line each where the bar is wide enough; else
        the display button's English word on a line of its own (always in portrait), then the widest labels on
        two lines, cut at the space that balances them ("Chamar / atendente")."""
        t = self.ctx.texts
        prefs = t("kiosk.prefs.button")
        english = translate("en", "kiosk.prefs.language") if t.language != "en" else ""
        # a resident lost in a language they do not read still finds the display button by its English word
        back, display, staff = (cast(RubyButton, b) for b in (self.back_button, self.prefs_button, self.staff_button))
        labels = {back: t("common.back"), display: prefs, staff: t("kiosk.staff.call")}
        if english:
            labels[display] = prefs + " / " + english
        row = self._bar_row
        margins = row.contentsMargins()
        room = self.width() - margins.left() - margins.right()
        shown = [button for button in labels if not button.isHidden()]

        def need() -> int:
            widths = sum(button.size_for(labels[button]).width() for button in shown)
            return widths + row.spacing() * len(shown)  # the hall's name sits between them

        if english and (self.height() > self.width() or need() > room):
            labels[display] = prefs + "\n" + english
        # one-line labels first (a second line there costs no height while another button has two), widest first
        for button in sorted(shown, key=lambda b: (labels[b].count("\n"), -b.size_for(labels[b]).width())):
            if need() <= room:
                break
            first, _, rest = labels[button].partition("\n")
            labels[button] = two_lines(first, button) + ("\n" + rest if rest else "")
        for button, text in labels.items():
            button.setText(text)
            # whole, never squeezed to the style sheet's one-line height: the screen above gives way instead
            button.setMinimumHeight(button.sizeHint().height())

    def _size_by_shown_screen(self) -> None:
        for index in range(self.stack.count()):
            page = self.stack.widget(index)
            if page is not None:
                _sized_by(page, index == self.stack.currentIndex())
        self.stack.updateGeometry()

    def _update_bar(self) -> None:
        name = self.current_name()
        self.back_button.setVisible(name not in NO_BACK)
        # the welcome screen has them all on it, unless they scrolled below its edge (large text on a small panel)
        welcome_scrolls = self.screens.welcome.scroll_area.verticalScrollBar().maximum() > 0
        self.prefs_button.setVisible(name != "welcome" or welcome_scrolls)
        # a call the server cannot receive would be a button pressed in vain
        self.staff_button.setVisible(self.flow.monitor.server_ok)
        self._label_prefs_button()  # what the shown buttons need decides their lines

    def _update_idle(self) -> None:
        """The countdown runs where a resident's data or choices are on screen, and not while help is coming."""
        name = self.current_name()
        choices = name == "welcome" and not self.ctx.session.prefs.is_default
        enabled = (name not in NO_IDLE or choices) and not self.staff_overlay.isVisible()
        self.idle.set_enabled(enabled)
        if not enabled:
            self.idle_overlay.hide()

    def clear_all(self) -> None:
        for screen in self.screens.all():
            screen.clear()
        self.idle_overlay.hide()
        self.staff_overlay.hide()
        self.prefs_overlay.hide()
        self.ctx.speaker.forget()
        self.apply_preferences()

    def apply_preferences(self) -> None:
        prefs = self.ctx.session.prefs
        self.ctx.texts.language = prefs.language
        # Every label inherits the locale (phrase line breaking); Qt's own texts follow the resident's language.
        self.setLocale(qt_locale(prefs.language))
        self.qt_translations.set_language(prefs.language)
        screen = QGuiApplication.primaryScreen()
        height = min(screen.size().width(), screen.size().height()) if screen and self.settings.kiosk_mode else 1080
        family = language(prefs.language).font_family if is_shipped(prefs.language) else FONT_FAMILY
        self.theme: Theme = theme_for_screen_height(height, prefs.large_text, prefs.high_contrast, family)
        self.setStyleSheet(self.theme.style_sheet())
        Pictogram.colour_hex = self.theme.palette.on_secondary
        t = self.ctx.texts
        hall = self.ctx.hall
        self._fit_hall_name()
        self.back_button.setText(t("common.back"))
        self.staff_button.setText(t("kiosk.staff.call"))
        self._label_prefs_button()
        for overlay in (self.idle_overlay, self.staff_overlay, self.admin_overlay):
            overlay.retranslate(t)
        self.prefs_overlay.refresh(t, prefs, list(hall.languages) if hall else [])
        if self._current is not None:
            self._current.retranslate()
        self._update_idle()

    # ------------------------------------------------------------------ overlays
    def show_staff_call(self) -> None:
        self.prefs_overlay.hide()
        self.staff_overlay.retranslate(self.ctx.texts)
        self.staff_overlay.open()
        self._staff_timeout.start(STAFF_OVERLAY_MS)
        self._update_idle()

    def _staff_call_changed(self) -> None:
        overlay = self.staff_overlay
        overlay.retranslate(self.ctx.texts)
        prefs = self.ctx.session.prefs
        if overlay.isVisible() and prefs.audio_guide:
            self.guide.screen_shown()
        elif overlay.isVisible() and prefs.read_aloud:
            self.ctx.speaker.say(prefs.language, overlay.speech_text())

    def _staff_overlay_expired(self) -> None:
        self.staff_overlay.hide()
        self._update_idle()

    def open_preferences(self) -> None:
        hall = self.ctx.hall
        self.prefs_overlay.refresh(self.ctx.texts, self.ctx.session.prefs, list(hall.languages) if hall else [])
        self.prefs_overlay.open()

    def _state_changed(self, _status: object) -> None:
        self._update_bar()
        self.heartbeat.beat()

    def _countdown(self, left: int) -> None:
        overlay = self.idle_overlay
        overlay.set_left(left, self.ctx.texts)
        prefs = self.ctx.session.prefs
        if not overlay.isVisible():
            overlay.open()
            if prefs.audio_guide:
                self.guide.screen_shown()  # the question, the seconds left and the two choices
            elif prefs.read_aloud:  # a resident who cannot see the countdown hears it
                self.ctx.speaker.say(prefs.language, overlay.speech_text(self.ctx.texts))
        elif prefs.read_aloud and left == 10:
            self.ctx.speaker.say(prefs.language, self.ctx.texts("kiosk.idle.countdown", seconds=left))

    def _continue(self) -> None:
        self.idle.keep_going()

    def _timed_out(self) -> None:
        log.info("inactivity on %s: clearing the session", self.current_name())
        self.idle_overlay.hide()
        self.flow.go_welcome()

    def resizeEvent(self, event: object) -> None:
        self._label_prefs_button()
        for overlay in (self.idle_overlay, self.staff_overlay, self.prefs_overlay, self.admin_overlay):
            if overlay.isVisible():
                overlay.setGeometry(self.rect())

    # ------------------------------------------------------------------ admin exit (kiosk mode)
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.hall_label:
            if event.type() == QEvent.Type.Resize:
                self._fit_hall_name()
            elif event.type() == QEvent.Type.MouseButtonPress:
                self._long_press.start(self.settings.admin_long_press_ms)
            elif event.type() == QEvent.Type.MouseButtonRelease:
                self._long_press.stop()
        return False

    def _open_admin(self) -> None:
        if self.settings.admin_pin:
            self.admin_overlay.retranslate(self.ctx.texts)
            self.admin_overlay.open()

    def admin_exit(self) -> None:
        log.info("admin exit")
        self._allow_close = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._allow_close:
            event.ignore()  # Alt+F4 and friends do nothing in kiosk mode
            return
        self.shutdown()
        event.accept()


def _sized_by(page: QWidget, shown: bool) -> None:
    policy = QSizePolicy.Policy.Preferred if shown else QSizePolicy.Policy.Ignored
    page.setSizePolicy(policy, policy)
