"""The staff console window of one counter: login, then the counter screen; mini mode; conversation aid.

Everything a clerk meets in a day: open, break and close the counter; call the next or a chosen ticket; mark a
priority; transfer to a procedure, a counter or a clerk; undo a no-show or a cancel for a few seconds; put a late
arrival back; a visit's route (add or take off a procedure, and where the resident goes once a step is done);
every refusal said in words.

Built from its collaborators (``StaffConsole(client, events, counter, …)``) so the demo, the CLI and the tests
wire the same object graph. All server work goes through ``CounterController``.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from madoguchi.apps.staff.conversation_panel import ConversationPanel
from madoguchi.apps.staff.counter_controller import CounterController
from madoguchi.apps.staff.counter_screen import CounterScreen
from madoguchi.apps.staff.login_screen import LoginScreen
from madoguchi.apps.staff.mini_window import MiniWindow
from madoguchi.apps.staff.transfer_dialog import TransferDialog
from madoguchi.apps.staff.visit_route import where_next
from madoguchi.apps.staff.wedge_input import WedgeCollector
from madoguchi.client.hall_client import HallClient
from madoguchi.core import api_models as m
from madoguchi.core.codes import CodeKind, classify_code
from madoguchi.devices.scanner.interface import CodeScanner
from madoguchi.qt.event_bridge import EventBridge
from madoguchi.qt.health_report import AppHeartbeat
from madoguchi.qt.reservations_table import ReservationsTable
from madoguchi.qt.tasks import run_task, wait_for_tasks
from madoguchi.translations.catalog import translate

log = logging.getLogger(__name__)


class StaffConsole(QMainWindow):
    def __init__(
        self,
        client: HallClient,
        events: EventBridge,
        counter: int,
        *,
        code_source: CodeScanner | None = None,
        conversation: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        """``code_source``: an optional camera that reads ticket QR codes; ``conversation``: a
        ``madoguchi.translations.conversation.ConversationAid`` (None: no aid)."""
        super().__init__(parent)
        self.setWindowTitle(f"Madoguchi — {translate('ja', 'board.counter', counter=str(counter))}")
        self.controller = CounterController(client, events, counter, self)
        self.heartbeat = AppHeartbeat(client, parent=self)
        self.heartbeat.start()
        self.login_screen = LoginScreen(counter)
        self.counter_screen = CounterScreen(self._service_name)
        self.counter_screen.current.staff_name = self._staff_name
        self.counter_screen.waiting.staff_name = self._staff_name
        self.stack = QStackedWidget()
        self.stack.addWidget(self.login_screen)
        self.stack.addWidget(self.counter_screen)
        self.setCentralWidget(self.stack)
        self.mini = MiniWindow()
        self._staff: list[m.StaffMember] = []
        self.conversation_panel: ConversationPanel | None = None
        self.transfer_dialog: TransferDialog | None = None
        if conversation is not None:
            self.conversation_panel = ConversationPanel(conversation, self)
            self.counter_screen.tabs.addTab(self.conversation_panel, translate("ja", "staff.conversation.open"))
        self.reservations = ReservationsTable(
            lambda msgid, **params: translate("ja", msgid, **params), self._service_name
        )
        self.reservations.refresh_requested.connect(self.refresh_reservations)
        self.counter_screen.tabs.addTab(self.reservations, translate("ja", "reservations.tab"))
        self.counter_screen.tabs.currentChanged.connect(self._tab_changed)
        self.wedge = WedgeCollector(self)
        self.installEventFilter(self.wedge)
        self.wedge.line_scanned.connect(self.handle_scan)
        if code_source is not None:
            code_source.code_decoded.connect(self.handle_scan)
        self._wire()
        self.resize(1280, 800)

    # ------------------------------------------------------------------ wiring
    def _wire(self) -> None:
        c = self.controller
        s = self.counter_screen
        self.login_screen.submitted.connect(c.login)
        c.busy_changed.connect(self.login_screen.set_busy)
        c.login_failed.connect(self.login_screen.failed)
        c.logged_in.connect(self._on_logged_in)
        c.session_lost.connect(self._on_session_lost)
        c.queue_changed.connect(s.queue.set_queue)
        c.current_changed.connect(self._on_current)
        c.form_changed.connect(self._on_form)
        c.individual_number_revealed.connect(s.form.show_individual_number)
        c.scanned.connect(s.show_scanned)
        c.alert.connect(s.add_alert)
        s.calls.acknowledge.connect(c.acknowledge_call)
        c.error.connect(self.show_error)
        c.waiting_changed.connect(s.waiting.set_list)
        c.state_changed.connect(self._on_state)
        c.undo_offered.connect(s.undo_bar.offer)
        c.undone.connect(lambda t: s.status.setText(translate("ja", "staff.undo.done", number=t.number)))
        c.staff_loaded.connect(self._on_staff)
        c.step_done.connect(self._on_step_done)
        c.hall_loaded.connect(self._on_hall)
        s.current.route.add_requested.connect(c.add_step)
        s.current.route.remove_requested.connect(c.remove_step)
        s.undo_bar.undo_requested.connect(c.undo)
        s.state_bar.state_requested.connect(c.set_state)
        s.waiting.call_requested.connect(c.call_ticket)
        s.waiting.priority_requested.connect(c.set_priority)
        s.waiting.put_back_requested.connect(c.put_back)
        s.put_back_scanned.clicked.connect(self._put_back_scanned)
        c.busy_changed.connect(lambda busy: s.status.setText("") if busy else None)
        c.reachable_changed.connect(self._on_reachable)
        c.busy_changed.connect(lambda _b: self._update_enabled())
        s.form.reveal_requested.connect(c.reveal_individual_number)
        buttons = s.action_buttons.buttons
        buttons["call_next"].clicked.connect(c.call_next)
        buttons["recall"].clicked.connect(c.recall)
        buttons["start"].clicked.connect(c.start)
        buttons["done"].clicked.connect(c.done)
        buttons["no_show"].clicked.connect(c.no_show)
        buttons["cancel"].clicked.connect(c.cancel)
        buttons["transfer"].clicked.connect(self.open_transfer)
        s.scan_field.returnPressed.connect(self._scan_field_entered)
        s.call_scanned.clicked.connect(self._call_scanned)
        s.mini_button.clicked.connect(self.enter_mini)
        s.logout_button.clicked.connect(self.logout)
        self.mini.buttons["call_next"].clicked.connect(c.call_next)
        self.mini.buttons["recall"].clicked.connect(c.recall)
        self.mini.buttons["done"].clicked.connect(c.done)
        self.mini.buttons["no_show"].clicked.connect(c.no_show)
        self.mini.expand_requested.connect(self.leave_mini)

    def _service_name(self, service_id: str) -> str:
        hall = self.controller.hall
        if hall is not None:
            for s in hall.services:
                if s.id == service_id:
                    return s.name.get("ja", service_id)
        return service_id

    def _staff_name(self, staff_id: str) -> str:
        for s in self._staff:
            if s.staff_id == staff_id:
                return s.display_name
        return staff_id

    def _on_staff(self, staff: list[m.StaffMember]) -> None:
        self._staff = staff
        if self.transfer_dialog is not None:
            self.transfer_dialog.set_staff(staff)

    def show_error(self, message_id: str) -> None:
        """A refusal in words (every server error code has its own, ``MESSAGE_OF_CODE``)."""
        self.counter_screen.status.setText(translate("ja", message_id))

    def _on_state(self, state: str, reason: str | None) -> None:
        self.counter_screen.state_bar.set_state(state, reason)
        self.mini.set_state_text(self.counter_screen.state_bar.text())
        self._update_enabled()

    def _on_logged_in(self, session: m.StaffSession) -> None:
        self.stack.setCurrentWidget(self.counter_screen)
        self.login_screen.password.clear()
        self.setFocus()
        self.controller.load_staff()
        self._update_enabled()

    def _tab_changed(self, _index: int) -> None:
        if self.counter_screen.tabs.currentWidget() is self.reservations:
            self.refresh_reservations()

    def refresh_reservations(self) -> None:
        """Today's bookings and imported reservations of this counter's procedures (the 予約 tab)."""
        client = self.controller.client
        hall = self.controller.hall
        counter = self.controller.counter
        services = None
        if hall is not None:
            services = next((set(c.services) for c in hall.counters if c.number == counter), None)
        run_task(
            client.reservations,
            lambda day: self.reservations.set_day(day, services),
            lambda _exc: None,
            parent=self,
        )

    def _on_session_lost(self) -> None:
        self._back_to_login()
        self.login_screen.failed("staff.session_expired")

    def _on_current(self, ticket: m.TicketView | None) -> None:
        previous = self.counter_screen.current.ticket
        if self.conversation_panel is not None:
            if ticket is None or (previous is not None and previous.id != ticket.id):
                self.conversation_panel.clear()
            if ticket is not None and ticket.language not in ("ja", "ja-easy"):
                self.conversation_panel.set_language(ticket.language)
        if ticket is not None:
            self.counter_screen.next_step.hide()  # the next resident is here: the last one's directions are old
        self.counter_screen.current.set_ticket(ticket)
        self.mini.set_current(ticket)
        self._update_enabled()

    def _on_hall(self, hall: m.HallInfo) -> None:
        self.counter_screen.current.route.set_services(hall.services)
        self.counter_screen.current.set_ticket(self.controller.current)  # the procedures by their names now

    def _on_step_done(self, ticket: m.TicketView) -> None:
        """Where the resident goes next, said until the next ticket is called (the clerk tells them)."""
        text = where_next(ticket, self.controller.hall, self._service_name)
        self.counter_screen.next_step.setText(text)
        self.counter_screen.next_step.show()
        self.mini.show_next_step(text)

    def _on_form(self, view: m.FormView | None) -> None:
        hall = self.controller.hall
        if hall is not None and not self.counter_screen.form.forms:
            self.counter_screen.form.set_forms(hall.forms)
        current = self.controller.current
        self.counter_screen.form.show_form(view, current.number if current else "")

    def _on_reachable(self, up: bool) -> None:
        self.counter_screen.set_reachable(up)
        self.mini.set_reachable(up)
        self._update_enabled()

    def _update_enabled(self) -> None:
        c = self.controller
        usable = c.reachable and not c.busy and c.session is not None
        screen = self.counter_screen
        screen.action_buttons.update_enabled(c.current, usable=usable)
        self.mini.update_enabled(c.current, usable=usable)
        screen.call_scanned.setEnabled(usable and c.current is None)
        screen.put_back_scanned.setEnabled(usable)
        screen.state_bar.set_usable(usable, c.current is not None)
        screen.waiting.set_usable(usable, c.current is None)
        screen.current.route.set_usable(usable and c.current is not None)

    # ------------------------------------------------------------------ actions needing the UI
    def open_transfer(self) -> None:
        current = self.controller.current
        hall = self.controller.hall
        if current is None or hall is None:
            return
        dialog = TransferDialog(hall, current.service_id, self.controller.counter, self._staff, self)

        def send() -> None:
            service, reason, counter, staff = dialog.choice()
            self.controller.transfer(service, reason, to_counter=counter, to_staff=staff)

        dialog.accepted.connect(send)
        dialog.finished.connect(self._transfer_closed)
        dialog.finished.connect(dialog.deleteLater)
        self.transfer_dialog = dialog  # tests reach the open dialog through this
        dialog.open()  # window-modal without a nested event loop: the event stream keeps flowing
        self.controller.load_staff()  # who is logged in where, fresh

    def _transfer_closed(self, _result: int) -> None:
        self.transfer_dialog = None

    def handle_scan(self, line: str) -> None:
        """A line from a keyboard-wedge reader, the scan field or the camera: only a ticket's code means anything."""
        found = classify_code(line)
        if found.kind is not CodeKind.TICKET:
            self.counter_screen.status.setText(translate("ja", "staff.scan.not_ticket"))
            return
        self.controller.pull_up(found.body)

    def _scan_field_entered(self) -> None:
        text = self.counter_screen.scan_field.text()
        self.counter_screen.scan_field.clear()
        self.handle_scan(text)

    def _put_back_scanned(self) -> None:
        ticket = self.counter_screen.scanned_ticket
        if ticket is not None:
            self.controller.put_back(ticket.id)
            self.counter_screen.show_scanned(None)

    def _call_scanned(self) -> None:
        ticket = self.counter_screen.scanned_ticket
        if ticket is not None:
            self.controller.call_ticket(ticket.id)
            self.counter_screen.show_scanned(None)

    def enter_mini(self) -> None:
        self.mini.show()
        self.hide()

    def leave_mini(self) -> None:
        self.mini.hide()
        self.show()

    def logout(self) -> None:
        self.controller.logout()
        self._back_to_login()

    def _back_to_login(self) -> None:
        if self.mini.isVisible():
            self.leave_mini()
        self.counter_screen.form.clear()
        self.counter_screen.current.set_ticket(None)
        self.counter_screen.next_step.hide()
        self.mini.next_step.hide()
        self.counter_screen.undo_bar.withdraw()
        self.stack.setCurrentWidget(self.login_screen)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.heartbeat.stop()
        self.counter_screen.form.clear()
        self.mini.close()
        if self.conversation_panel is not None:
            self.conversation_panel.clear()
            self.conversation_panel.customer.close()
        self.controller.close()
        wait_for_tasks()
        super().closeEvent(event)
