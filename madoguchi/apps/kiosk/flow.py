"""The resident's flow: which screen comes next, and every server or device call behind it (off the UI thread).

Screens call these methods; results come back through ``run_task`` callbacks on the UI thread. Rules kept here:
one request id per "issue" action (a double tap or a retry never makes two tickets), a number is shown only
after the server confirmed it, the PIN is sent once per tap of OK and never retried, and every way out of a
flow goes through ``go_welcome`` which clears the session and every screen.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from madoguchi.apps.kiosk.context import KioskContext
from madoguchi.apps.kiosk.screen_set import Screens
from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.client.hall_client import ClientError, ServerUnreachable
from madoguchi.core import api_models as m
from madoguchi.qt.tasks import run_task

log = logging.getLogger(__name__)

CARD_WAIT_S = 90.0


class ScreenHost(Protocol):
    """What the flow asks of the window that shows the screens (``main_window.KioskWindow``)."""

    def show_screen(self, screen: Screen, speak: bool = True) -> None: ...
    def current_screen(self) -> Screen | None: ...
    def hall_loaded(self) -> None: ...
    def clear_all(self) -> None: ...
    def apply_preferences(self) -> None: ...
    def show_staff_coming(self, reached: bool) -> None: ...


class KioskFlow(QObject):
    #: emitted after a ticket's print job ended: (ticket number, ok)
    printed = Signal(str, bool)
    #: emitted when the server confirmed a ticket (ticket number)
    issued = Signal(str)

    def __init__(self, ctx: KioskContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._closed = False
        #: print jobs finished (ok or not) since start: for tests and the health page
        self.printed_count = 0
        self.window: ScreenHost | None = None
        self._screens: Screens | None = None
        self._issuing = False
        self._card_busy = False
        self._after_card_removed: Callable[[], None] | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(int(ctx.settings.reconnect_seconds * 1000))
        self._poll.timeout.connect(self._poll_server)
        self._polling = False
        self._ticket_timer = QTimer(self)
        self._ticket_timer.setSingleShot(True)
        self._ticket_timer.timeout.connect(self.go_welcome)
        ctx.card.card_removed.connect(self._card_removed)
        ctx.card.card_inserted.connect(self._card_inserted)
        ctx.scanner.code_decoded.connect(self.on_code)
        ctx.scanner.availability_changed.connect(self._devices_changed)
        ctx.card.availability_changed.connect(self._devices_changed)

    # ------------------------------------------------------------------ helpers
    @property
    def s(self):  # type: ignore[no-untyped-def]
        return self.ctx.session

    def attach(self, window: ScreenHost, screens: Screens) -> None:
        self.window = window
        self._screens = screens

    @property
    def screens(self) -> Screens:
        assert self._screens is not None, "attach() the window first"
        return self._screens

    def _show(self, screen: Screen) -> None:
        if self._closed or self.window is None:
            return
        self.window.show_screen(screen)

    def current(self) -> Screen | None:
        return self.window.current_screen() if self.window and not self._closed else None

    # ------------------------------------------------------------------ start, welcome, server
    def start(self) -> None:
        """Load the hall (names, services, forms), then show welcome; unreachable → the calm screen."""
        run_task(self.ctx.client.hall, self._hall_loaded, self._server_lost, parent=self)

    def _hall_loaded(self, hall: m.HallInfo) -> None:
        self.ctx.set_hall(hall)
        assert self.window is not None
        self.window.hall_loaded()
        self.refresh_services()
        self.go_welcome()

    def refresh_services(self, then: Callable[[], None] | None = None) -> None:
        def ok(statuses: list[m.ServiceStatus]) -> None:
            self.ctx.statuses = {st.id: st for st in statuses}
            if self.current() is self.screens.procedures:
                self.screens.procedures.retranslate()
            if then is not None:
                then()

        def failed(exc: BaseException) -> None:
            if then is not None and isinstance(exc, ServerUnreachable):
                self._server_lost(exc)
            elif then is not None:
                then()

        run_task(self.ctx.client.services, ok, failed, parent=self)

    def go_welcome(self) -> None:
        """Every exit path: forget the resident, clear every screen, and start over (card handed back first)."""
        self._ticket_timer.stop()
        self.ctx.card.cancel()
        self.s.clear()
        assert self.window is not None
        self.window.clear_all()
        if self.ctx.hall is None:
            self._server_lost(None)
            return
        if self.ctx.card.card_present():
            self._take_card_then(self._welcome_now)
            return
        self._welcome_now()

    def _welcome_now(self) -> None:
        # Still polling an unreachable server: the calm screen, not a welcome that cannot issue.
        self._show(self.screens.unavailable if self._poll.isActive() else self.screens.welcome)

    def _server_lost(self, exc: BaseException | None) -> None:
        log.warning("hall server unreachable%s", f" ({type(exc).__name__})" if exc else "")
        self._show(self.screens.unavailable)
        if not self._poll.isActive():
            self._poll.start()

    def _poll_server(self) -> None:
        if self._polling:
            return
        self._polling = True

        def back(_: object) -> None:
            self._polling = False
            self._poll.stop()
            log.info("hall server reachable again")
            if self.ctx.hall is None:
                self.start()
            elif (
                self.s.request_id is not None
                and self.s.issued is None
                and (self.s.service_id is not None or self.s.reservation_code is not None)
            ):
                # The resident's issue action was cut off: resend it with the same request id (never two tickets).
                self._issuing = False
                self.issue()
            else:
                self.go_welcome()

        def still_down(_: BaseException) -> None:
            self._polling = False

        run_task(self.ctx.client.health, back, still_down, parent=self)

    # ------------------------------------------------------------------ welcome actions
    def begin(self) -> None:
        self.refresh_services()
        self._show(self.screens.procedures)

    def set_language(self, code: str) -> None:
        self.s.prefs.language = code
        assert self.window is not None
        self.window.apply_preferences()

    def toggle(self, key: str) -> None:
        p = self.s.prefs
        if key == "easy_japanese":
            p.language = "ja" if p.easy_japanese else "ja-easy"
        else:
            setattr(p, key, not getattr(p, key))
        assert self.window is not None
        self.window.apply_preferences()

    def _card_inserted(self) -> None:
        # A card placed on the welcome screen starts the flow: choose the procedure, then straight to the PIN.
        if self.current() is self.screens.welcome:
            self.begin()

    # ------------------------------------------------------------------ procedure and method
    def choose_service(self, service_id: str) -> None:
        self.s.service_id = service_id
        if self.s.reservation_code:
            self.s.source = "reservation"
            self.issue()
            return
        if self.s.form:  # pre-filled from a code already
            self.next_question()
            return
        if self.card_option_available() and self.ctx.card.card_present():
            self.use_card()
        elif self.card_option_available() or self.code_option_available():
            self._show(self.screens.method)
        else:
            self.next_question()

    def card_option_available(self) -> bool:
        sid = self.s.service_id
        return bool(sid and self.ctx.service(sid).card_autofill and self.ctx.card.available())

    def code_option_available(self) -> bool:
        sid = self.s.service_id
        return bool(sid and self.ctx.service(sid).form and self.ctx.scanner.available())

    def _devices_changed(self, _available: bool) -> None:
        """A camera or reader came or went: the method screen offers exactly what works now."""
        current = self.current()
        if current is self.screens.method:
            self.screens.method.enter()
        elif current is self.screens.code_scan and not self.ctx.scanner.available():
            self._show(self.screens.method)  # the camera went away under the resident: back to the other ways

    def skip_autofill(self) -> None:
        self.next_question()

    # ------------------------------------------------------------------ card
    def use_card(self) -> None:
        self.screens.card_place.show_error(None)
        self._show(self.screens.card_place)
        self._wait_for_card()

    def _wait_for_card(self) -> None:
        if self._card_busy or self._closed or self.current() is not self.screens.card_place:
            return
        self._card_busy = True

        def got(tries: int | None) -> None:
            self._card_busy = False
            if self.current() is not self.screens.card_place:
                return
            self.s.card_tries = tries
            if tries == 0:
                self._card_locked()
            else:
                self._show(self.screens.pin_entry)

        def failed(exc: BaseException) -> None:
            self._card_busy = False
            if self.current() is not self.screens.card_place:
                return
            reason = getattr(getattr(exc, "reason", None), "value", "")
            if reason == "not_mynumber":
                self.screens.card_place.show_error("kiosk.card.not_my_number")
                self._take_card_then(self.use_card)
            elif reason == "no_reader":
                self._message("kiosk.card.no_reader", [("kiosk.card.continue_without", self.continue_without_card)])
            elif reason in ("card_removed", "reader_error"):
                self.screens.card_place.show_error("kiosk.card.removed")
                QTimer.singleShot(300, self._wait_for_card)
            else:  # no card within the wait, or cancelled: stay put, the inactivity timer decides
                pass

        run_task(lambda: self.ctx.card.wait_card_tries(CARD_WAIT_S), got, failed, parent=self)

    def submit_pin(self, pin: str, confirm_last_try: bool) -> None:
        """Send the PIN the resident typed, once. Called by the PIN pad, which has already forgotten it."""
        if self._card_busy:
            return
        self._card_busy = True
        sid = self.s.service_id
        reason = sid if sid and self.ctx.service(sid).needs_individual_number else None
        self._show(self.screens.card_reading)
        card = self.ctx.card

        def read() -> Any:
            return card.read(pin, confirm_last_try=confirm_last_try, individual_number_reason=reason)

        run_task(read, self._card_read, self._card_failed, parent=self)

    def _card_read(self, data: Any) -> None:
        from madoguchi.core.forms.card_fill import card_values

        self._card_busy = False
        if self.current() is not self.screens.card_reading:
            return  # the resident left meanwhile (inactivity): drop it
        form = self.ctx.form_of(self.s.service_id)
        needs_number = bool(self.s.service_id and self.ctx.service(self.s.service_id).needs_individual_number)
        values = card_values(form, data, include_individual_number=needs_number) if form else {}
        self.s.fill_from_card(data, values)
        self.s.card_tries = None
        self._show(self.screens.card_confirm)

    def _card_failed(self, exc: BaseException) -> None:
        self._card_busy = False
        if self.current() is not self.screens.card_reading:
            return
        reason = getattr(getattr(exc, "reason", None), "value", "")
        tries = getattr(exc, "tries_left", None)
        log.info("card read failed: %s", reason or type(exc).__name__)
        if reason == "wrong_pin" and tries:
            self.s.card_tries = tries
            self.screens.pin_entry.show_wrong_pin(tries)
            self._show(self.screens.pin_entry)
        elif reason in ("locked", "wrong_pin"):
            self._card_locked()
        elif reason == "last_try":
            self.s.card_tries = 1
            self._show(self.screens.pin_entry)
        else:  # pulled mid-read, reader error: place it again
            self.screens.card_place.show_error("kiosk.card.removed")
            self._show(self.screens.card_place)
            QTimer.singleShot(300, self._wait_for_card)

    def _card_locked(self) -> None:
        self.s.drop_card_data()
        self._message("kiosk.card.pin.locked", [("kiosk.card.continue_without", self.continue_without_card)])

    def continue_without_card(self) -> None:
        self.s.drop_card_data()
        self._take_card_then(self.next_question)

    def pin_forgotten(self) -> None:
        self.continue_without_card()

    def confirm_card(self, correct: bool) -> None:
        if not correct:
            self.s.drop_card_data()
        self._take_card_then(self.next_question)

    def _take_card_then(self, then: Callable[[], None]) -> None:
        if not self.ctx.card.card_present():
            then()
            return
        self._after_card_removed = then
        self._show(self.screens.card_take)

    def _card_removed(self) -> None:
        then, self._after_card_removed = self._after_card_removed, None
        if then is not None and self.current() is self.screens.card_take:
            then()

    # ------------------------------------------------------------------ 2D codes
    def use_code(self) -> None:
        self.screens.code_scan.show_message(None)
        self._show(self.screens.code_scan)

    def on_code(self, text: str) -> None:
        """A decoded code: pre-fill (MDG1), reservation check-in (MDR1), or a message without leaving."""
        screens = self.screens
        accepting = [screens.procedures, screens.method, screens.code_scan]
        if self.ctx.settings.codes_on_welcome:
            accepting.append(screens.welcome)
        if self.ctx.hall is None or self.current() not in accepting:
            return  # not started yet, or in the middle of something where a code means nothing
        from madoguchi.core.codes import CodeKind, classify_code
        from madoguchi.core.forms.payload import PayloadError, decode_prefill

        screen = self.screens.code_scan
        kind = classify_code(text).kind
        if kind is CodeKind.PREFILL_APPLICATION and self.ctx.hall_forms is not None:
            try:
                payload = decode_prefill(text, self.ctx.hall_forms, expected_procedure=self.s.service_id)  # type: ignore[arg-type]
            except PayloadError as exc:
                log.info("pre-fill code refused: %s", exc.reason.value)
                self._code_message(screen, "kiosk.code.not_usable")
                return
            self.s.service_id = payload.procedure_id
            self.s.form.update(payload.values)
            # repeated groups (family members on a 転入届) travel as lists under the group's name
            self.s.form.update(payload.groups)
            self.s.source = "code"
            if payload.language and payload.language in (self.ctx.hall.languages if self.ctx.hall else ()):
                self.set_language(payload.language)
            self.next_question()
        elif kind is CodeKind.RESERVATION:
            # A reservation check-in: the server knows the procedure from the reservation.
            self.s.reservation_code = text
            self.s.source = "reservation"
            self.issue()
        else:
            self._code_message(screen, "kiosk.code.not_usable")

    def _code_message(self, screen: Any, msgid: str) -> None:
        screen.show_message(msgid)
        if self.current() is not self.screens.code_scan:
            self._show(self.screens.code_scan)

    # ------------------------------------------------------------------ questions and issue
    def next_question(self) -> None:
        for f in self.ctx.kiosk_questions(self.s.service_id):
            if f.key not in self.s.form:
                self.screens.extra.ask(f)
                self._show(self.screens.extra)
                return
        self.issue()

    def answer(self, key: str, value: str) -> None:
        self.s.form[key] = value
        self.next_question()

    def issue(self) -> None:
        """Ask the server for a ticket; the number appears only once the server confirmed it."""
        s = self.s
        if self._issuing or s.issued is not None or (s.service_id is None and s.reservation_code is None):
            return  # a double tap, or a ticket already in hand
        self._issuing = True
        request_id = s.start_issue()
        client, language = self.ctx.client, s.prefs.language
        call: Callable[[], m.IssuedTicket]
        if s.reservation_code is not None:
            code = s.reservation_code
            call = lambda: client.check_in(code, language=language, request_id=request_id)  # noqa: E731
        else:
            service_id = s.service_id
            assert service_id is not None
            kwargs: dict[str, Any] = {
                "language": language,
                "source": s.source,
                "request_id": request_id,
                "form": dict(s.form) or None,
            }
            call = lambda: client.issue(service_id, **kwargs)  # noqa: E731
        self._show(self.screens.issuing)
        run_task(call, self._issued, self._issue_failed, parent=self)

    def _issued(self, issued: m.IssuedTicket) -> None:
        self._issuing = False
        if self.s.request_id is None:
            return  # cleared meanwhile (should not happen: no inactivity during issuing)
        self.s.issued = issued
        log.info("ticket %s issued (id %d)", issued.ticket.number, issued.ticket.id)
        self.issued.emit(issued.ticket.number)
        # Printing starts first: the layout renders on the printer's thread while this one draws the screen.
        self._print(issued)
        self._show(self.screens.ticket)

    def _issue_failed(self, exc: BaseException) -> None:
        self._issuing = False
        if isinstance(exc, ServerUnreachable):
            self._server_lost(exc)
            return
        code = getattr(exc, "code", None) or ""
        log.warning("issue refused: %s %s", type(exc).__name__, code)
        self.s.request_id = None
        if self.s.reservation_code is not None:
            self._checkin_refused(code, getattr(exc, "params", {}) or {})
            return
        msgid = "server.error.rejected" if isinstance(exc, ClientError) else "server.error.internal"
        self._message(msgid, [("kiosk.back_to_start", self.go_welcome), ("kiosk.staff.call", self.call_staff)])

    def _checkin_refused(self, code: str, params: dict[str, str]) -> None:
        """Too early, too late, unknown: say so on the code screen; the resident may take a normal ticket."""
        self.s.reservation_code = None
        self.s.source = "touch"
        screen = self.screens.code_scan
        if code == "reservation.checkin.too_early" and params.get("opens_at"):
            screen.show_message("kiosk.code.too_early", time=params["opens_at"])
        elif code == "reservation.checkin.too_late":
            screen.show_message("kiosk.code.too_late")
        else:
            screen.show_message("kiosk.code.not_usable")
        self._show(self.screens.code_scan)

    def _print(self, issued: m.IssuedTicket) -> None:
        from madoguchi.apps.kiosk.ticket_content import ticket_content

        content = ticket_content(self.ctx, issued)
        printer = self.ctx.printer
        number = issued.ticket.number

        def done(_: object) -> None:
            self._print_finished(number, True, None)

        def failed(exc: BaseException) -> None:
            reason = getattr(exc, "reason", None)
            msgid = getattr(reason, "message_id", None)
            log.warning("ticket %s not printed: %s", number, getattr(reason, "value", type(exc).__name__))
            self._print_finished(number, False, msgid)

        job_id = f"{issued.ticket.day}-{issued.ticket.id}"
        self.screens.ticket.set_print_result("printing")
        # A ticket that failed printed nothing (the status is checked first), so "again" is a plain print.
        run_task(lambda: printer.print_ticket(content, job_id), done, failed, parent=self)

    def print_again(self) -> None:
        """The resident (or staff, after refilling paper) asks for the failed ticket again."""
        if self.s.issued is not None and self.screens.ticket.print_state == "failed":
            self._ticket_timer.stop()
            self._print(self.s.issued)

    def _print_finished(self, number: str, ok: bool, msgid: str | None) -> None:
        self.printed_count += 1
        self.printed.emit(number, ok)
        if self.s.issued is None or self.s.issued.ticket.number != number:
            return
        known = {"printer.error.paper_out", "printer.error.cover_open", "printer.error.offline"}
        self.screens.ticket.set_print_result("printed" if ok else "failed", msgid if msgid in known else None)
        settings = self.ctx.settings
        self._ticket_timer.start(1000 * (settings.ticket_seconds if ok else settings.ticket_seconds_print_failed))

    def finish_ticket(self) -> None:
        self.go_welcome()

    # ------------------------------------------------------------------ help, back, messages
    def call_staff(self) -> None:
        current, lang = self.current(), self.s.prefs.language
        screen = current.name if current is not None else ""
        assert self.window is not None
        self.window.show_staff_coming(True)

        def failed(exc: BaseException) -> None:
            log.warning("call staff failed: %s", type(exc).__name__)
            assert self.window is not None
            self.window.show_staff_coming(False)

        run_task(lambda: self.ctx.client.call_staff(screen, lang), None, failed, parent=self)

    def back(self) -> None:
        current, screens = self.current(), self.screens
        if current in (screens.card_place, screens.pin_entry, screens.card_confirm):
            self.ctx.card.cancel()
            self.s.drop_card_data()
            self._take_card_then(lambda: self._show(self.screens.method))
        elif current in (screens.method, screens.code_scan) and self.s.service_id:
            self.s.form.clear()
            self._show(screens.procedures if current is screens.method else screens.method)
        elif current is screens.extra:
            self.s.drop_card_data()
            self.s.form.clear()
            self._show(self.screens.procedures)
        else:
            self.go_welcome()

    def _message(self, msgid: str, choices: list[tuple[str, Callable[[], None]]]) -> None:
        self.screens.message.show_message(msgid, choices)
        self._show(self.screens.message)

    def shutdown(self) -> None:
        self._closed = True
        for signal, slot in (
            (self.ctx.card.card_removed, self._card_removed),
            (self.ctx.card.card_inserted, self._card_inserted),
            (self.ctx.scanner.code_decoded, self.on_code),
            (self.ctx.scanner.availability_changed, self._devices_changed),
            (self.ctx.card.availability_changed, self._devices_changed),
        ):
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(slot)
        self._poll.stop()
        self._ticket_timer.stop()
        self.ctx.card.cancel()
