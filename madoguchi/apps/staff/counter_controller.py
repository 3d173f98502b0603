"""One counter's session with the hall server, as Qt signals: the staff console's only way to act.

Holds what the server said last (current ticket, queue, form) and forwards staff actions; it decides nothing
the server decides. Every call runs through ``run_task``. A ``ServerUnreachable`` (or the event stream
dropping) flips ``reachable`` off; a retry timer and the event stream's reconnection flip it back on.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from madoguchi.client.hall_client import STREAM_RESET, ClientError, HallClient, ServerUnreachable, SessionExpired
from madoguchi.core import api_models as m
from madoguchi.qt.event_bridge import EventBridge, retire_bridge
from madoguchi.qt.tasks import run_task

log = logging.getLogger(__name__)

ACTIVE_STATES = frozenset({"called", "serving"})
REFRESH_DEBOUNCE_MS = 80
#: first retry after the server went away, doubling up to the longest; each with ±50 % jitter, so the consoles
#: of a hall do not all knock at the same instant when it comes back
RETRY_FIRST_MS = 1000
RETRY_LONGEST_MS = 30000


def login_refusal(exc: BaseException) -> str:
    """The message id that says why a login was refused, in words a clerk can act on."""
    if isinstance(exc, ServerUnreachable):
        return "staff.server_unreachable"
    if isinstance(exc, ClientError):
        if exc.status == 429:
            return "staff.login_wait"
        if exc.code == "auth.not_allowed":
            return "staff.pc_not_bound"
        if exc.status == 403:
            return "staff.login_locked"
    return "staff.login_failed"


class CounterController(QObject):
    logged_in = Signal(object)  # StaffSession
    login_failed = Signal(str)  # message id
    current_changed = Signal(object)  # TicketView | None
    queue_changed = Signal(object)  # CounterQueue
    form_changed = Signal(object)  # FormView | None
    individual_number_revealed = Signal(int, str)  # ticket id, number (shown, never logged)
    scanned = Signal(object)  # TicketView pulled up by its QR code
    alert = Signal(object)  # Event alert.call_staff (a kiosk calls for help) or alert.call_staff_ack (answered)
    error = Signal(str)  # message id for the status line
    reachable_changed = Signal(bool)
    busy_changed = Signal(bool)
    action_done = Signal(str)  # action name, after the server accepted it
    session_lost = Signal()  # the server no longer knows the staff session: log in again
    waiting_changed = Signal(object)  # WaitingList
    state_changed = Signal(str, object)  # counter state (open, break, closed), break reason or None
    #: a no-show or a cancel that may be undone: (ticket, action name, seconds to undo)
    undo_offered = Signal(object, str, int)
    undone = Signal(object)  # TicketView back as it was
    staff_loaded = Signal(object)  # list[StaffMember], for a transfer to one clerk
    hall_loaded = Signal(object)  # HallInfo: the procedures' names, the counters and their areas
    #: a visit's step done here: the TicketView as the server answered (waiting at its next step, or done)
    step_done = Signal(object)

    def __init__(self, client: HallClient, events: EventBridge, counter: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.events = events
        self.counter = counter
        self.session: m.StaffSession | None = None
        self.hall: m.HallInfo | None = None
        self.current: m.TicketView | None = None
        self.queue: m.CounterQueue | None = None
        self.waiting: m.WaitingList | None = None
        self.state: str = "closed"
        self.state_reason: str | None = None
        self.form: m.FormView | None = None
        #: the ticket whose form is on its way from the server
        self._form_loading: int | None = None
        self.reachable = True
        self.busy = False
        self._events_started = False
        #: bumped whenever an action's answer lands; a queue snapshot requested before that is stale
        self._generation = 0
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DEBOUNCE_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.timeout.connect(self._retry)
        self._retry_ms = RETRY_FIRST_MS
        events.event_received.connect(self._on_event)
        events.connection_changed.connect(self._on_connection)

    # ------------------------------------------------------------------ plumbing
    def _run(
        self,
        fn: Callable[[], Any],
        ok: Callable[[Any], None],
        *,
        action: str = "",
        failed: Callable[[], None] | None = None,
    ) -> None:
        if action:
            self._set_busy(True)

        def success(result: Any) -> None:
            if action:
                self._generation += 1
                self._set_busy(False)
            self._set_reachable(True)
            ok(result)
            if action:
                self.action_done.emit(action)

        def failure(exc: BaseException) -> None:
            if action:
                self._set_busy(False)
            if failed is not None:
                failed()
            self._failed(exc, action)

        run_task(fn, success, failure, parent=self)

    def _failed(self, exc: BaseException, action: str) -> None:
        if isinstance(exc, ServerUnreachable):
            self._set_reachable(False)
            self._schedule_retry()
            return
        if isinstance(exc, SessionExpired):
            if self.session is not None:
                log.info("counter %d: the staff session is gone; back to the login", self.counter)
                self._end_session()
                self.session_lost.emit()
            return
        message_id = error_message_id(exc)
        log.info("counter %d: %s refused (%s)", self.counter, action or "request", type(exc).__name__)
        self.error.emit(message_id)
        if not isinstance(exc, ClientError):
            log.error("counter %d: unexpected %s", self.counter, type(exc).__name__)
        self.schedule_refresh()  # the server's view wins; show it

    def _set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busy_changed.emit(busy)

    def _set_reachable(self, up: bool) -> None:
        if up != self.reachable:
            self.reachable = up
            self.reachable_changed.emit(up)
            if up:
                self._retry_timer.stop()
                self._retry_ms = RETRY_FIRST_MS
                self.schedule_refresh()

    def _on_connection(self, up: bool) -> None:
        if up:
            self.refresh()
        else:
            self._set_reachable(False)

    def _schedule_retry(self) -> None:
        if self._retry_timer.isActive() or self.session is None:
            return
        self._retry_timer.start(int(self._retry_ms * random.uniform(0.5, 1.5)))
        self._retry_ms = min(self._retry_ms * 2, RETRY_LONGEST_MS)

    def _retry(self) -> None:
        if self.session is not None:
            self.refresh()

    def _on_event(self, event: m.Event) -> None:
        if event.type in ("alert.call_staff", "alert.call_staff_ack"):
            self.alert.emit(event)
        elif event.type in ("day.rolled", STREAM_RESET):
            # a new day, or another database (a restore): nothing shown may outlive it, a form least of all
            self._set_current(None)
            self.schedule_refresh()
        elif event.type.startswith("ticket.") or event.type in ("forms.purged", "counter.state"):
            self.schedule_refresh()

    # ------------------------------------------------------------------ session
    def login(self, staff_id: str, password: str) -> None:
        def ok(session: m.StaffSession) -> None:
            self.session = session
            self.events.set_session(session.session)
            if not self._events_started:  # the stream's thread starts once; it outlives a logout
                self._events_started = True
                self.events.start()
            self.logged_in.emit(session)
            self.load_hall()
            self.refresh()

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            self.login_failed.emit(login_refusal(exc))

        self._set_busy(True)

        def done_ok(session: m.StaffSession) -> None:
            self._set_busy(False)
            ok(session)

        run_task(lambda: self.client.login(staff_id, password, self.counter), done_ok, failed, parent=self)

    def load_hall(self) -> None:
        def ok(hall: m.HallInfo) -> None:
            self.hall = hall
            self.hall_loaded.emit(hall)
            if self.queue is not None:
                self.queue_changed.emit(self.queue)

        self._run(self.client.hall, ok)

    def schedule_refresh(self) -> None:
        self._refresh_timer.start()

    def refresh(self) -> None:
        if self.session is None:
            return
        generation = self._generation

        def ok(both: tuple[m.CounterQueue, m.WaitingList]) -> None:
            if generation != self._generation:
                self.schedule_refresh()  # an action answered meanwhile: this snapshot may predate it
                return
            queue, waiting = both
            self._on_queue(queue)
            self.waiting = waiting
            self.waiting_changed.emit(waiting)

        counter = self.counter
        self._run(lambda: (self.client.counter_queue(counter), self.client.waiting_list(counter)), ok)

    def _on_queue(self, queue: m.CounterQueue) -> None:
        self.queue = queue
        self.queue_changed.emit(queue)
        if (queue.state, queue.reason) != (self.state, self.state_reason):
            self.state, self.state_reason = queue.state, queue.reason
            self.state_changed.emit(queue.state, queue.reason)
        self._set_current(queue.current)

    def _set_current(self, ticket: m.TicketView | None) -> None:
        if ticket is not None and ticket.state not in ACTIVE_STATES:
            ticket = None
        previous = self.current
        self.current = ticket
        if previous != ticket:
            self.current_changed.emit(ticket)
        if ticket is None or (previous is not None and previous.id != ticket.id):
            self._clear_form()
        if (
            ticket is not None
            and ticket.has_form
            and (self.form is None or self.form.ticket_id != ticket.id)
            and self._form_loading != ticket.id
        ):
            self.load_form(ticket.id)

    def _clear_form(self) -> None:
        if self.form is not None:
            self.form = None
            self.form_changed.emit(None)

    # ------------------------------------------------------------------ actions
    def call_next(self) -> None:
        def ok(ticket: m.TicketView | None) -> None:
            if ticket is None:
                self.error.emit("staff.no_waiting")
            self._set_current(ticket)
            self.schedule_refresh()

        self._run(lambda: self.client.call_next(self.counter), ok, action="call_next")

    def _ticket_action(
        self,
        name: str,
        fn: Callable[[int, int], m.TicketView],
        then: Callable[[m.TicketView], None] | None = None,
    ) -> None:
        """An action on the ticket in hand; ``then`` runs on its answer before the lists refresh."""
        current = self.current
        if current is None:
            return
        ticket_id = current.id

        def ok(ticket: m.TicketView) -> None:
            self._set_current(ticket)
            if then is not None:
                then(ticket)
            self.schedule_refresh()

        self._run(lambda: fn(ticket_id, self.counter), ok, action=name)

    def recall(self) -> None:
        self._ticket_action("recall", self.client.recall)

    def start(self) -> None:
        self._ticket_action("start", self.client.start)

    def done(self) -> None:
        def visit(ticket: m.TicketView) -> None:
            if ticket.route:  # the clerk tells the resident where to go next (or that the visit is over)
                self.step_done.emit(ticket)

        self._ticket_action("done", self.client.done, then=visit)

    def no_show(self) -> None:
        self._undoable("no_show", self.client.no_show)

    def cancel(self) -> None:
        self._undoable("cancel", self.client.cancel)

    def _undoable(self, name: str, fn: Callable[[int, int], m.TicketView]) -> None:
        """No-show and cancel at once, with a few seconds to take them back (``undo``)."""

        def offer_undo(ticket: m.TicketView) -> None:
            seconds = self.waiting.undo_seconds if self.waiting is not None else 0
            if seconds:
                self.undo_offered.emit(ticket, name, seconds)

        self._ticket_action(name, fn, then=offer_undo)

    def undo(self, ticket_id: int) -> None:
        def ok(ticket: m.TicketView) -> None:
            self._set_current(ticket)
            self.undone.emit(ticket)
            self.schedule_refresh()

        self._run(lambda: self.client.undo(ticket_id, self.counter), ok, action="undo")

    def return_to_queue(self) -> None:
        self._ticket_action("return_to_queue", self.client.return_to_queue)

    def put_back(self, ticket_id: int) -> None:
        """A no-show who came late goes back in the queue (``[hall] late_arrival_*`` says where)."""
        self._run(lambda: self.client.return_to_queue(ticket_id, self.counter), self._after, action="put_back")

    def set_priority(self, ticket_id: int, need: str | None) -> None:
        self._run(lambda: self.client.set_priority(ticket_id, self.counter, need), self._after, action="priority")

    def _after(self, _ticket: m.TicketView) -> None:
        self.schedule_refresh()

    def set_state(self, state: str, reason: str | None = None) -> None:
        """Open, on a break (with a reason) or closed: the estimates and the board follow."""

        def ok(queue: m.CounterQueue) -> None:
            self._on_queue(queue)

        counter = self.counter
        self._run(lambda: self.client.set_counter_state(counter, state, reason), ok, action="state")

    def load_staff(self) -> None:
        self._run(self.client.staff_members, self.staff_loaded.emit)

    def transfer(
        self, service_id: str | None, reason: str, *, to_counter: int | None = None, to_staff: str | None = None
    ) -> None:
        self._ticket_action(
            "transfer",
            lambda tid, counter: self.client.transfer(
                tid, counter, service_id, reason, to_counter=to_counter, to_staff=to_staff
            ),
        )

    def add_step(self, service_id: str, position: int | None = None) -> None:
        """Add a procedure to the route of the ticket in hand: next (``position`` 0) or at the end (None)."""
        self._ticket_action("add_step", lambda tid, counter: self.client.add_step(tid, counter, service_id, position))

    def remove_step(self, service_id: str) -> None:
        """Take a procedure still to come off the route of the ticket in hand."""
        self._ticket_action("remove_step", lambda tid, counter: self.client.remove_step(tid, counter, service_id))

    def call_ticket(self, ticket_id: int) -> None:
        """Call a specific ticket here (one pulled up by its QR code)."""

        def ok(ticket: m.TicketView) -> None:
            self._set_current(ticket)
            self.schedule_refresh()

        self._run(lambda: self.client.call_ticket(ticket_id, self.counter), ok, action="call_ticket")

    def acknowledge_call(self, call_id: int) -> None:
        """ "On my way" to a kiosk's call for help: the kiosk tells its resident this counter is coming."""
        self._run(lambda: self.client.acknowledge_call(call_id), lambda _status: None, action="acknowledge_call")

    def pull_up(self, token: str) -> None:
        self._run(lambda: self.client.ticket_by_token(token), self.scanned.emit, action="scan")

    # ------------------------------------------------------------------ form
    def load_form(self, ticket_id: int) -> None:
        # Asked once per ticket: the call's answer and the refresh after it both name the ticket, and every read
        # of a form is an audited look at a resident's personal data.
        self._form_loading = ticket_id

        def settled() -> None:
            if self._form_loading == ticket_id:
                self._form_loading = None

        def ok(form: m.FormView) -> None:
            settled()
            if self.current is not None and self.current.id == form.ticket_id:
                self.form = form
                self.form_changed.emit(form)

        self._run(lambda: self.client.form(ticket_id), ok, failed=settled)

    def reveal_individual_number(self) -> None:
        form = self.form
        if form is None:
            return
        ticket_id = form.ticket_id

        def ok(number: str) -> None:
            if self.form is not None and self.form.ticket_id == ticket_id:
                self.individual_number_revealed.emit(ticket_id, number)

        self._run(lambda: self.client.reveal_individual_number(ticket_id), ok, action="reveal")

    def logout(self) -> None:
        run_task(self.client.logout, None, None)
        self._end_session()

    def _end_session(self) -> None:
        self._retry_timer.stop()
        self._refresh_timer.stop()
        self._set_current(None)
        self.session = None
        self.client.staff_session = None
        self.events.set_session(None)  # logged out, the stream carries what any device may see

    def close(self) -> None:
        self._retry_timer.stop()
        self._refresh_timer.stop()
        if self._events_started:
            self.events.stop()
            retire_bridge(self.events)


def error_message_id(exc: BaseException) -> str:
    """The catalog message for a refused request: the staff's own words for the server's error code
    (``hall_client.MESSAGE_OF_CODE``, ``staff.error.changed_meanwhile``), else the code's general text when the
    catalogs have one (``server.code.book.error``), else the client's by HTTP status (``server.error.conflict``)."""
    if not isinstance(exc, ClientError):
        return "server.error.internal"
    from madoguchi.client.hall_client import MESSAGE_OF_CODE
    from madoguchi.translations.catalog import default_catalogs

    if exc.code in MESSAGE_OF_CODE:
        return MESSAGE_OF_CODE[exc.code]
    specific = f"server.code.{exc.code}"
    return specific if exc.code and default_catalogs().has("ja", specific) else exc.message_id
