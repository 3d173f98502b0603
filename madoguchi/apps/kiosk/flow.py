"""The resident's flow: which screen comes next, and every server or device call behind it (off the UI thread).

Screens call these methods; results come back through ``run_task`` callbacks on the UI thread. Rules kept here:
nobody starts while the kiosk cannot finish (``kiosk_state``: the out-of-service or closed screen stands in for
the welcome screen); one request id per "issue" action (a double tap or a re-send never makes two tickets), and
once the resident was told there is no ticket that request is withdrawn, never sent again (``issue_request``); a
number is shown only after the server confirmed it; the PIN is sent once per tap of OK and never retried; the
resident's display choices last until the session ends; and every end of a session goes through ``go_welcome``,
which clears the session and every screen.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from madoguchi.apps.kiosk.context import KioskContext
from madoguchi.apps.kiosk.issue_request import IssueRequest
from madoguchi.apps.kiosk.kiosk_state import KioskStatus
from madoguchi.apps.kiosk.screen_set import Screens
from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.staff_call import StaffCallTracker
from madoguchi.apps.kiosk.state_monitor import StateMonitor
from madoguchi.apps.kiosk.visit_route import OfferedRoute, offered_route
from madoguchi.apps.kiosk.withdrawals import Withdrawals
from madoguchi.client.hall_client import ClientError, ServerUnreachable
from madoguchi.core import api_models as m
from madoguchi.core.config import LifeEvent
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
    def show_staff_call(self) -> None: ...
    def say_again(self) -> None: ...


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
        self._request: IssueRequest | None = None
        self._loading_hall = False
        self._card_busy = False
        self._after_card_removed: Callable[[], None] | None = None
        #: the kiosk's state (server, printer, devices, hours) and what follows from it
        self.monitor = StateMonitor(ctx, self)
        self.monitor.changed.connect(self._state_changed)
        self.monitor.server_back.connect(self._server_back)
        self.monitor.server_gone.connect(self._server_gone)
        self.monitor.services_updated.connect(self._services_updated)
        self.withdrawals = Withdrawals(ctx.client, ctx.settings.withdraw_for_seconds, self)
        self.staff_call = StaffCallTracker(ctx.client, ctx.settings.staff_answer_seconds, self)
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

    # ------------------------------------------------------------------ start, welcome, kiosk state
    def start(self) -> None:
        """Follow the kiosk's state and load the hall (names, services, forms); until then, out of service."""
        self.monitor.start()
        self._load_hall()

    def _load_hall(self) -> None:
        if self._loading_hall or self._closed:
            return
        self._loading_hall = True

        def failed(exc: BaseException) -> None:
            self._loading_hall = False
            log.warning("hall not loaded: %s", type(exc).__name__)
            self._welcome_now()

        run_task(self.ctx.client.hall, self._hall_loaded, failed, parent=self)

    def _hall_loaded(self, hall: m.HallInfo) -> None:
        self._loading_hall = False
        self.ctx.set_hall(hall)
        assert self.window is not None
        self.window.hall_loaded()
        self.monitor.hall_loaded()
        self.monitor.probe()
        self.go_welcome()

    def _server_back(self) -> None:
        if self.ctx.hall is None:
            self._load_hall()

    def refresh_services(self) -> None:
        """Fresh waiting counts and open hours now (the resident is about to choose)."""

        def ok(statuses: list[m.ServiceStatus]) -> None:
            self.ctx.statuses = {st.id: st for st in statuses}
            self._services_updated()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ServerUnreachable):
                self.monitor.probe()

        run_task(self.ctx.client.services, ok, failed, parent=self)

    def _services_updated(self) -> None:
        current = self.current()
        if current is self.screens.procedures or current is self.screens.life_route:
            current.retranslate()  # a procedure closed meanwhile is off the route, shown as not available

    def go_welcome(self) -> None:
        """Every end of a session: forget the resident, clear every screen, and start over (card handed back first)."""
        self._end_session()
        self.s.clear()
        assert self.window is not None
        self.window.clear_all()
        if self.ctx.card.card_present():
            self._take_card_then(self._welcome_now)
            return
        self._welcome_now()

    def back_to_welcome(self) -> None:
        """Back from the procedure list: the welcome screen again, with the resident's display choices kept."""
        self._end_session()
        self.s.clear(keep_preferences=True)
        assert self.window is not None
        self.window.clear_all()
        self._welcome_now()

    def _end_session(self) -> None:
        self._ticket_timer.stop()
        self.ctx.card.cancel()
        self.staff_call.end()
        if self._request is not None:
            self._request.abandon()  # an answer still on its way must not become a ticket nobody has
            self._request = None

    def idle_screen(self) -> Screen:
        """What a resident walking up sees: the welcome screen, or why it is not there."""
        status = self.ctx.status
        if self.ctx.hall is None or status.state == "out_of_service":
            return self.screens.out_of_service
        if status.state == "closed":
            return self.screens.closed
        return self.screens.welcome

    def _welcome_now(self) -> None:
        self._show(self.idle_screen())

    def _in_session(self) -> bool:
        current = self.current()
        screens = self.screens
        return current not in (screens.welcome, screens.out_of_service, screens.closed, None)

    def _state_changed(self, status: KioskStatus) -> None:
        current = self.current()
        if not self._in_session():
            if self.idle_screen() is not current:
                self._welcome_now()
            elif current is not None:
                current.retranslate()  # the welcome screen's notice, the closed screen's hours
            return
        # A resident in the middle of a flow that can no longer end in a number is told now, not at the end (the
        # server's absence once it is more than a hiccup: ``_server_gone``).
        if not status.issuing and status.state != "closed" and "server" not in status.reasons:
            self._tell_out_of_service()

    def _server_gone(self) -> None:
        if self._in_session():
            self._tell_out_of_service()

    def _tell_out_of_service(self) -> None:
        current = self.current()
        if current in self._past_issuing() or self._request is not None:
            return  # the ticket is in hand, or the issue under way is answered (or given up) on its own
        log.info("kiosk out of service while a resident was on %s", current.name if current else "")
        self._message("kiosk.out_of_service.in_flow", [("kiosk.back_to_start", self.go_welcome)])

    def _past_issuing(self) -> tuple[Screen, ...]:
        screens = self.screens
        return (screens.ticket, screens.message, screens.card_take)

    # ------------------------------------------------------------------ welcome actions
    def begin(self) -> None:
        if not self.ctx.status.issuing or self.ctx.hall is None:
            self._welcome_now()
            return
        self.refresh_services()
        self._show(self.screens.procedures)

    def set_language(self, code: str) -> None:
        """The resident chose a language: it stays for the whole session (a code's language never overrides it)."""
        self.s.prefs.language = code
        self.s.prefs.language_chosen = True
        assert self.window is not None
        self.window.apply_preferences()

    def toggle(self, key: str) -> None:
        p = self.s.prefs
        if key == "easy_japanese":
            p.language = "ja" if p.easy_japanese else "ja-easy"
            p.language_chosen = True
        else:
            setattr(p, key, not getattr(p, key))
        assert self.window is not None
        self.window.apply_preferences()
        current = self.current()
        if key == "read_aloud" and p.read_aloud and current is not None:
            self.ctx.speaker.say(p.language, current.speech_text())

    def _card_inserted(self) -> None:
        # A card placed on the welcome screen starts the flow: choose the procedure, then straight to the PIN.
        if self.current() is self.screens.welcome and self.ctx.status.issuing:
            self.begin()

    # ------------------------------------------------------------------ procedure and method
    def choose_service(self, service_id: str) -> None:
        self.s.start_life_event(None)
        self.s.service_id = service_id
        self._fill_form()

    def _fill_form(self) -> None:
        """The chosen procedure (or a life event's route): the form step, by card, code or touch, then the ticket."""
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
        sid = self.s.form_service
        return bool(sid and self.ctx.service(sid).card_autofill and self.ctx.card.available())

    def code_option_available(self) -> bool:
        sid = self.s.form_service
        return bool(sid and self.ctx.service(sid).form and self.ctx.scanner.available())

    def _devices_changed(self, _available: bool) -> None:
        """A camera or reader came or went: the welcome and method screens offer exactly what works now."""
        current = self.current()
        if current is self.screens.welcome:
            current.retranslate()
        elif current is self.screens.method:
            self.screens.method.enter()
        elif current is self.screens.code_scan and not self.ctx.scanner.available():
            self._show(self.screens.method)  # the camera went away under the resident: back to the other ways

    def skip_autofill(self) -> None:
        self.next_question()

    # ------------------------------------------------------------------ life events: one visit, several procedures
    def choose_life_events(self) -> None:
        """The resident's life event (moving in, a birth…) rather than one procedure."""
        if self.ctx.life_events and not self.s.reservation_code:
            self.s.start_life_event(None)
            self._show(self.screens.life_events)

    def choose_life_event(self, event_id: str) -> None:
        self.s.start_life_event(event_id)
        self._next_life_step()

    def answer_life_question(self, yes: bool) -> None:
        event = self._life_event()
        if event is None or len(self.s.answers) >= len(event.questions):
            return  # a double tap after the last question
        self.s.answers[event.questions[len(self.s.answers)].id] = yes
        self._next_life_step()

    def _life_event(self) -> LifeEvent | None:
        event_id = self.s.life_event
        return self.ctx.life_event(event_id) if event_id else None

    def _next_life_step(self) -> None:
        """The next unanswered question, one per screen; after the last, the route."""
        event = self._life_event()
        if event is None:
            return
        asked = len(self.s.answers)
        if asked < len(event.questions):
            self.screens.life_question.ask(event, asked)
            self._show(self.screens.life_question)
        else:
            self._show_route()

    def _show_route(self) -> None:
        self.s.route = []  # chosen again on this screen
        self.s.service_id = None
        self.s.form.clear()
        self.refresh_services()  # what is closed now is not offered
        self._show(self.screens.life_route)

    def offered_route(self) -> OfferedRoute | None:
        """The route on offer now (``visit_route.offered_route``), or None outside the guidance."""
        event = self._life_event()
        if event is None:
            return None
        minutes = {sid: self.ctx.service(sid).mean_service_min for sid in event.route}
        return offered_route(event, self.s.answers, self.s.dropped, self.ctx.statuses, minutes)

    def toggle_route_step(self, service_id: str) -> None:
        """Take a procedure off the route, or put it back."""
        dropped = self.s.dropped
        if service_id in dropped:
            dropped.discard(service_id)
        else:
            dropped.add(service_id)
        if self.current() is self.screens.life_route:
            self.screens.life_route.retranslate()

    def confirm_route(self) -> None:
        """The resident goes on with the route shown: its form is filled once, then one ticket for all of it."""
        from madoguchi.core.life_events import visit_form_service

        offered = self.offered_route()
        if offered is None or not offered.route:
            return
        route = list(offered.route)
        self.s.route = route
        self.s.service_id = route[0]
        # HallForms answers ``service(id).form`` as the configuration does
        self.s.form_service_id = visit_form_service(self.ctx.hall_forms, route)  # type: ignore[arg-type]
        self._fill_form()

    def _choice_screen(self) -> Screen:
        """Where "back" from the form step goes: the route of the life event, or the procedure list."""
        if self.s.life_event:
            self.s.route = []
            self.s.service_id = None
            return self.screens.life_route
        return self.screens.procedures

    def _life_back(self, current: Screen) -> None:
        screens = self.screens
        if current is screens.life_events:
            self.s.start_life_event(None)
            self._show(screens.procedures)
            return
        if self.s.answers:  # the last question again, its answer forgotten
            self.s.answers.popitem()
            self._next_life_step()
        else:
            self._show(screens.life_events)

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
        sid = self.s.form_service
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
        sid = self.s.form_service
        form = self.ctx.form_of(sid)
        needs_number = bool(sid and self.ctx.service(sid).needs_individual_number)
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
        if self.ctx.hall is None or self.current() not in accepting or not self.ctx.status.issuing:
            return  # not started yet, or in the middle of something where a code means nothing
        from madoguchi.core.codes import CodeKind, classify_code
        from madoguchi.core.forms.payload import PayloadError, decode_prefill

        screen = self.screens.code_scan
        kind = classify_code(text).kind
        if kind is CodeKind.PREFILL_APPLICATION and self.ctx.hall_forms is not None:
            try:
                payload = decode_prefill(text, self.ctx.hall_forms, expected_procedure=self.s.form_service)  # type: ignore[arg-type]
            except PayloadError as exc:
                log.info("pre-fill code refused: %s", exc.reason.value)
                self._code_message(screen, exc.reason.value, **exc.params)  # why, in the resident's language
                return
            if not self.s.route:  # a route keeps its first step; the code fills the route's form
                self.s.service_id = payload.procedure_id
            self.s.form.update(payload.values)
            # repeated groups (family members on a 転入届) travel as lists under the group's name
            self.s.form.update(payload.groups)
            self.s.source = "code"
            prefs = self.s.prefs
            # The code's language is only a default: a resident who chose one keeps it.
            offered = self.ctx.hall.languages if self.ctx.hall else ()
            if payload.language and payload.language in offered and not prefs.language_chosen:
                prefs.language = payload.language
                assert self.window is not None
                self.window.apply_preferences()
            self._show(self.screens.code_confirm)
        elif kind is CodeKind.RESERVATION:
            # A reservation check-in: the server knows the procedure from the reservation.
            self.s.reservation_code = text
            self.s.source = "reservation"
            self.issue()
        else:
            self._code_message(screen, "kiosk.code.not_usable")

    def confirm_code(self, correct: bool) -> None:
        """What the code filled in is right (go on) or not (forget it, keep the procedure, go on by touch)."""
        if not correct:
            self.s.form.clear()
            self.s.source = "touch"
        self.next_question()

    def _code_message(self, screen: Any, msgid: str, **params: object) -> None:
        screen.show_message(msgid, **params)
        if self.current() is not self.screens.code_scan:
            self._show(self.screens.code_scan)

    # ------------------------------------------------------------------ questions and issue
    def next_question(self) -> None:
        for f in self.ctx.kiosk_questions(self.s.form_service):
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
        if self._request is not None or s.issued is not None or (s.service_id is None and s.reservation_code is None):
            return  # a double tap, or a ticket already in hand
        if not self.ctx.status.issuing and self.ctx.status.state != "closed":
            self._message("kiosk.out_of_service.in_flow", [("kiosk.back_to_start", self.go_welcome)])
            return
        request_id = s.start_issue()
        client, language = self.ctx.client, s.prefs.language
        send: Callable[[], m.IssuedTicket]
        if s.reservation_code is not None:
            code = s.reservation_code
            send = lambda: client.check_in(code, language=language, request_id=request_id)  # noqa: E731
        else:
            service_id = s.service_id
            assert service_id is not None
            kwargs: dict[str, Any] = {
                "language": language,
                "source": s.source,
                "request_id": request_id,
                "form": dict(s.form) or None,
            }
            if len(s.route) > 1:  # one ticket for the visit; a route of one is a plain ticket
                kwargs |= {"route": list(s.route), "life_event": s.life_event}
            send = lambda: client.issue(service_id, **kwargs)  # noqa: E731
        request = IssueRequest(send, request_id, self.ctx.settings.issue_retry_seconds, self.withdrawals, self)
        request.issued.connect(self._issued)
        request.refused.connect(self._issue_refused)
        request.gave_up.connect(self._issue_given_up)
        self._request = request
        self._show(self.screens.issuing)
        request.start()

    def _issued(self, issued: m.IssuedTicket) -> None:
        self._request = None
        self.s.issued = issued
        log.info("ticket %s issued (id %d)", issued.ticket.number, issued.ticket.id)
        self.issued.emit(issued.ticket.number)
        # Printing starts first: the layout renders on the printer's thread while this one draws the screen.
        self._print(issued)
        self._show(self.screens.ticket)

    def _issue_given_up(self) -> None:
        """The server could not be reached: the resident is told there is no ticket, and that stays true."""
        self._request = None
        self.s.request_id = None
        self.monitor.server_lost()
        self._message("kiosk.issue.not_issued", [("kiosk.back_to_start", self.go_welcome)])

    def _issue_refused(self, exc: BaseException) -> None:
        self._request = None
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
        if self.current() is self.screens.ticket and self.window is not None:
            self.window.say_again()  # the number again, and whether it printed
        settings = self.ctx.settings
        self._ticket_timer.start(1000 * (settings.ticket_seconds if ok else settings.ticket_seconds_print_failed))

    def finish_ticket(self) -> None:
        self.go_welcome()

    # ------------------------------------------------------------------ help, back, messages
    def call_staff(self) -> None:
        """Raise a call on the staff and admin consoles (once per session) and show where it stands."""
        current, lang = self.current(), self.s.prefs.language
        assert self.window is not None
        self.window.show_staff_call()
        self.staff_call.call(current.name if current is not None else "", lang)

    def back(self) -> None:
        current, screens = self.current(), self.screens
        if current in (screens.card_place, screens.pin_entry, screens.card_confirm):
            self.ctx.card.cancel()
            self.s.drop_card_data()
            self._take_card_then(lambda: self._show(self.screens.method))
        elif current in (screens.method, screens.code_scan) and self.s.service_id:
            self.s.form.clear()
            self._show(self._choice_screen() if current is screens.method else screens.method)
        elif current is screens.code_confirm:
            self.s.form.clear()
            self.s.source = "touch"
            self._show(screens.method if self.s.service_id and self._autofill_offered() else self._choice_screen())
        elif current is screens.extra:
            self.s.drop_card_data()
            self.s.form.clear()
            self._show(self._choice_screen())
        elif current in (screens.life_events, screens.life_question, screens.life_route):
            self._life_back(current)
        elif current is screens.procedures:
            self.back_to_welcome()
        else:
            self.go_welcome()

    def _autofill_offered(self) -> bool:
        return self.card_option_available() or self.code_option_available()

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
        self.monitor.stop()
        self.withdrawals.stop()
        self.staff_call.end()
        self._ticket_timer.stop()
        self.ctx.card.cancel()
