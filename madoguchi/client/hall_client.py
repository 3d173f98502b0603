"""The hall server's client: one library for kiosk, staff console, board, admin app and soak harness.

``HallClient`` methods mirror the API and return the typed models of ``madoguchi.core.api_models``. They block: call
them from a worker thread (the UIs use their background-task helper), never from the Qt UI thread. Errors are
mapped to a small exception family the UIs translate for people:

- ``ServerUnreachable``: no connection / timeout / 5xx (``message_id = "server.error.unreachable"``)
- ``NotAuthorized``: 401/403 (``server.error.not_allowed``)
- ``NotFound``: 404, ``Conflict``: 409, ``RateLimited``: 429, ``InvalidRequest``: 422

``EventStream`` runs a thread that keeps a WebSocket to ``/events`` open, hands every event to a callback in
order, and reconnects with back-off, resuming from the last event id it delivered.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

# imported here, not on the stream's thread: a first import on a background thread crashed Qt apps
from websockets.sync.client import connect

from madoguchi.client.tls import client_tls, warn_if_plain
from madoguchi.core import api_models as m

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)


class ClientError(Exception):
    message_id = "server.error.generic"

    def __init__(
        self, detail: str = "", status: int | None = None, code: str | None = None, params: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail or self.message_id)
        self.detail = detail
        self.status = status
        #: the server's stable error id (e.g. "reservation.checkin.too_early") and its parameters
        self.code = code
        self.params = params or {}


class ServerUnreachable(ClientError):
    message_id = "server.error.unreachable"


class NotAuthorized(ClientError):
    message_id = "server.error.not_allowed"


class SessionExpired(NotAuthorized):
    """The staff session is gone (logged out elsewhere, expired, the server's database restored)."""

    message_id = "staff.session_expired"


class NotFound(ClientError):
    message_id = "server.error.not_found"


class Conflict(ClientError):
    message_id = "server.error.conflict"


class RateLimited(ClientError):
    message_id = "server.error.rate_limited"


class InvalidRequest(ClientError):
    message_id = "server.error.invalid"


_BY_STATUS: dict[int, type[ClientError]] = {
    401: NotAuthorized,
    403: NotAuthorized,
    404: NotFound,
    409: Conflict,
    422: InvalidRequest,
    429: RateLimited,
}


#: an idle connection is reused for this long, well under the server's ``KEEP_ALIVE_S``: a request sent on a
#: connection the server is closing at that very moment fails (``RemoteProtocolError``) and is not retried
KEEPALIVE_EXPIRY_S = 10.0

#: a login waits this long: the server checks passwords a few at a time, each slow on purpose
LOGIN_TIMEOUT_S = 30.0

#: server error codes that have words of their own (else the status class's message): every refusal a clerk can
#: meet is said in words (``tests/apps/staff/test_errors.py`` checks each engine error has one)
MESSAGE_OF_CODE = {
    "queue.not_this_counter": "staff.not_this_counter",
    "queue.counter_busy": "staff.error.counter_busy",
    "queue.illegal_transition": "staff.error.changed_meanwhile",
    "queue.unknown_ticket": "staff.error.unknown_ticket",
    "queue.unknown_service": "staff.error.invalid",
    "queue.unknown_counter": "staff.error.unknown_counter",
    "queue.too_late": "staff.error.too_late",
    "queue.nothing_to_undo": "staff.error.nothing_to_undo",
    "queue.unknown_staff": "staff.error.unknown_staff",
    "queue.invalid_choice": "staff.error.invalid",
    "queue.rate_limited": "server.error.rate_limited",
    "visit.route_invalid": "server.error.invalid",
    "auth.not_allowed": "server.error.not_allowed",
    "auth.forbidden": "server.error.not_allowed",
    "auth.required": "staff.session_expired",
    "invalid_input": "server.error.invalid",
    "not_found": "server.error.not_found",
}


def new_request_id() -> str:
    """An idempotency key for one resident action (retrying with it never issues a second ticket).

    64 random bits behind the time in milliseconds (hex): the server's look-up index then grows at its end."""
    return f"{time.time_ns() // 1_000_000:011x}{secrets.token_hex(8)}"


class HallClient:
    def __init__(self, base_url: str, token: str, *, timeout: float = 5.0, ca_file: Path | str | None = None) -> None:
        """``base_url`` https:// is verified against the OS trust store and ``ca_file`` (``client.tls``)."""
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.ca_file = ca_file
        warn_if_plain(self.base_url)
        self.staff_session: str | None = None
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            headers={"Authorization": f"Bearer {token}"},
            trust_env=False,
            verify=client_tls(ca_file),
            limits=httpx.Limits(keepalive_expiry=KEEPALIVE_EXPIRY_S),
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ transport
    def _request(self, method: str, path: str, *, json_body: Any = None, timeout: float | None = None) -> Any:
        headers = {"X-Staff-Session": self.staff_session} if self.staff_session else None
        extra: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
        try:
            r = self._http.request(method, path, json=json_body, headers=headers, **extra)
        except httpx.TransportError as exc:
            raise ServerUnreachable(type(exc).__name__) from None
        if r.status_code >= 500:
            raise ServerUnreachable(f"server error {r.status_code}", r.status_code)
        if r.status_code >= 400:
            params = None
            try:
                body = r.json()
                detail, code, params = str(body.get("detail", "")), body.get("error"), body.get("params")
            except ValueError:
                detail, code = r.text[:200], None
            if code == "auth.session_expired":
                self.staff_session = None  # ended for good: the next login starts afresh
            kind = SessionExpired if code == "auth.session_expired" else _BY_STATUS.get(r.status_code, ClientError)
            error = kind(detail, r.status_code, code, params)
            if code in MESSAGE_OF_CODE:  # the words for the refusal the server named
                error.message_id = MESSAGE_OF_CODE[code]
            raise error
        if r.status_code == 204 or not r.content:
            return None
        return r.json()

    def _get(self, path: str, model: type[T]) -> T:
        return model.model_validate(self._request("GET", path))

    def _post(self, path: str, model: type[T], body: BaseModel | dict[str, Any] | None = None) -> T:
        payload = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
        return model.model_validate(self._request("POST", path, json_body=payload))

    # ------------------------------------------------------------------ hall
    def health(self, timeout: float | None = None) -> m.Health:
        """``timeout``: a shorter one than the client's (a kiosk's frequent reachability probe)."""
        if timeout is None:
            return self._get("/healthz", m.Health)
        try:
            r = self._http.get("/healthz", timeout=timeout)
        except httpx.TransportError as exc:
            raise ServerUnreachable(type(exc).__name__) from None
        if r.status_code != 200:
            raise ServerUnreachable(f"server error {r.status_code}", r.status_code)
        return m.Health.model_validate_json(r.content)

    def hall(self) -> m.HallInfo:
        return self._get("/api/v1/hall", m.HallInfo)

    def services(self) -> list[m.ServiceStatus]:
        return TypeAdapter(list[m.ServiceStatus]).validate_python(self._request("GET", "/api/v1/services"))

    def board(self) -> m.BoardState:
        return self._get("/api/v1/board", m.BoardState)

    # ------------------------------------------------------------------ kiosk
    def issue(
        self,
        service_id: str,
        *,
        language: str = "ja",
        source: m.Source = "touch",
        request_id: str | None = None,
        form: dict[str, Any] | None = None,
        priority_need: str | None = None,
        reservation_code: str | None = None,
        route: list[str] | None = None,
        life_event: str | None = None,
    ) -> m.IssuedTicket:
        """``route``: one ticket through several procedures in this order (``service_id`` first); ``form`` is then
        the form of the route's first procedure that has one (``core.life_events.visit_form_service``)."""
        req = m.IssueRequest(
            service_id=service_id,
            route=route,
            life_event=life_event,
            language=language,
            source=source,
            form=form,
            priority_need=priority_need,
            reservation_code=reservation_code,
            request_id=request_id or new_request_id(),
        )
        return self._post("/api/v1/tickets", m.IssuedTicket, req)

    def check_in(self, code: str, *, language: str = "ja", request_id: str | None = None) -> m.IssuedTicket:
        """Check a reservation in; ``Conflict`` with ``.code`` like "reservation.checkin.too_early" otherwise."""
        body = m.CheckinRequest(code=code, language=language, request_id=request_id or new_request_id())
        return self._post("/api/v1/reservations/check-in", m.IssuedTicket, body)

    def create_reservation(
        self, service_id: str, date: str, slot_start: str, slot_end: str | None = None, reference: str | None = None
    ) -> m.ReservationCreated:
        body = m.ReservationCreate(
            service_id=service_id, date=date, slot_start=slot_start, slot_end=slot_end, reference=reference
        )
        return self._post("/api/v1/reservations", m.ReservationCreated, body)

    def reservations(self, date: str | None = None) -> m.ReservationDay:
        """A day's reservations (today by default): staff logged in at their counter, or an admin device."""
        return self._get("/api/v1/reservations" + (f"?date={date}" if date else ""), m.ReservationDay)

    def withdraw(self, request_id: str) -> m.WithdrawResult:
        """Take back an issue request the resident was told had failed (its ticket is cancelled if stored)."""
        return self._post("/api/v1/tickets/withdraw", m.WithdrawResult, m.WithdrawRequest(request_id=request_id))

    def call_staff(self, screen: str, language: str) -> m.StaffCall:
        body = {"kind": "call_staff", "screen": screen, "language": language}
        return m.StaffCall.model_validate(self._request("POST", "/api/v1/alerts", json_body=body))

    def call_status(self, call_id: int) -> m.StaffCall:
        return self._get(f"/api/v1/alerts/{call_id}", m.StaffCall)

    def acknowledge_call(self, call_id: int) -> m.StaffCall:
        """ "On my way" (a logged-in staff console, or the admin console)."""
        return self._post(f"/api/v1/alerts/{call_id}/ack", m.StaffCall)

    def heartbeat(self, health: m.DeviceHealth) -> None:
        self._request("POST", "/api/v1/devices/heartbeat", json_body=health.model_dump(mode="json"))

    # ------------------------------------------------------------------ staff
    def login(self, staff_id: str, password: str, counter: int | None = None) -> m.StaffSession:
        self.staff_session = None  # an ended session sent along would have the login refused as expired
        body = {"staff_id": staff_id, "password": password, "counter": counter}
        # the password check is slow on purpose (scrypt), and a morning's logins queue for it on the server
        answer = self._request("POST", "/api/v1/staff/login", json_body=body, timeout=LOGIN_TIMEOUT_S)
        s = m.StaffSession.model_validate(answer)
        self.staff_session = s.session
        return s

    def logout(self) -> None:
        if self.staff_session:
            try:
                self._request("POST", "/api/v1/staff/logout")
            finally:
                self.staff_session = None

    def call_next(self, counter: int) -> m.TicketView | None:
        return self._post(f"/api/v1/counters/{counter}/call-next", m.CallResult).ticket

    def counter_queue(self, counter: int) -> m.CounterQueue:
        return self._get(f"/api/v1/counters/{counter}/queue", m.CounterQueue)

    def _act(self, ticket_id: int, action: str, counter: int) -> m.TicketView:
        return self._post(f"/api/v1/tickets/{ticket_id}/{action}", m.TicketView, {"counter": counter})

    def call_ticket(self, ticket_id: int, counter: int) -> m.TicketView:
        return self._act(ticket_id, "call", counter)

    def recall(self, ticket_id: int, counter: int) -> m.TicketView:
        return self._act(ticket_id, "recall", counter)

    def start(self, ticket_id: int, counter: int) -> m.TicketView:
        return self._act(ticket_id, "start", counter)

    def done(self, ticket_id: int, counter: int) -> m.TicketView:
        return self._act(ticket_id, "done", counter)

    def no_show(self, ticket_id: int, counter: int) -> m.TicketView:
        return self._act(ticket_id, "no-show", counter)

    def cancel(self, ticket_id: int, counter: int) -> m.TicketView:
        return self._act(ticket_id, "cancel", counter)

    def return_to_queue(self, ticket_id: int, counter: int) -> m.TicketView:
        return self._act(ticket_id, "return-to-queue", counter)

    def transfer(
        self,
        ticket_id: int,
        counter: int,
        service_id: str | None = None,
        reason: str = "",
        *,
        to_counter: int | None = None,
        to_staff: str | None = None,
    ) -> m.TicketView:
        """To another service, or for one counter or one clerk only (then at ``service_id`` or as it is)."""
        body = m.TransferRequest(
            counter=counter, service_id=service_id, reason=reason, to_counter=to_counter, to_staff=to_staff
        )
        return self._post(f"/api/v1/tickets/{ticket_id}/transfer", m.TicketView, body)

    def undo(self, ticket_id: int, counter: int) -> m.TicketView:
        """Take back this counter's no-show or cancel of the last few seconds."""
        return self._act(ticket_id, "undo", counter)

    def add_step(self, ticket_id: int, counter: int, service_id: str, position: int | None = None) -> m.TicketView:
        """Add a procedure to a visit's route (a one-procedure ticket becomes a visit); ``position`` among the
        steps still to come (0 = next), None = at the end."""
        body = m.StepRequest(counter=counter, service_id=service_id, position=position)
        return self._post(f"/api/v1/tickets/{ticket_id}/route/add", m.TicketView, body)

    def remove_step(self, ticket_id: int, counter: int, service_id: str) -> m.TicketView:
        """Take a procedure still to come off a visit's route."""
        body = m.StepRequest(counter=counter, service_id=service_id)
        return self._post(f"/api/v1/tickets/{ticket_id}/route/remove", m.TicketView, body)

    def set_priority(self, ticket_id: int, counter: int, need: str | None) -> m.TicketView:
        body = {"counter": counter, "need": need}
        return self._post(f"/api/v1/tickets/{ticket_id}/priority", m.TicketView, body)

    def set_counter_state(self, counter: int, state: str, reason: str | None = None) -> m.CounterQueue:
        body = {"state": state, "reason": reason}
        return self._post(f"/api/v1/counters/{counter}/state", m.CounterQueue, body)

    def counters(self) -> list[m.CounterNow]:
        return TypeAdapter(list[m.CounterNow]).validate_python(self._request("GET", "/api/v1/counters"))

    def waiting_list(self, counter: int) -> m.WaitingList:
        return self._get(f"/api/v1/counters/{counter}/waiting", m.WaitingList)

    def staff_members(self) -> list[m.StaffMember]:
        return TypeAdapter(list[m.StaffMember]).validate_python(self._request("GET", "/api/v1/staff/members"))

    def ticket(self, ticket_id: int) -> m.TicketView:
        return self._get(f"/api/v1/tickets/{ticket_id}", m.TicketView)

    def ticket_by_token(self, token: str) -> m.TicketView:
        return self._get(f"/api/v1/tickets/by-token/{token}", m.TicketView)

    def form(self, ticket_id: int) -> m.FormView:
        return self._get(f"/api/v1/tickets/{ticket_id}/form", m.FormView)

    def reveal_individual_number(self, ticket_id: int) -> str:
        return str(self._request("POST", f"/api/v1/tickets/{ticket_id}/form/individual-number")["individual_number"])

    def ticket_status(self, token: str) -> m.TicketStatus:
        return self._get(f"/t/{token}.json", m.TicketStatus)


EventCallback = Callable[[m.Event], None]
StateCallback = Callable[[bool], None]


#: the event a client receives when its place in the stream cannot be resumed (another database after a restore,
#: an id from the future): it must load its state again. ``data``: ``stream`` and ``last_event_id``.
STREAM_RESET = "stream.reset"


class EventStream:
    """Keeps ``/events`` open on a daemon thread; ``on_event`` runs on that thread, in event order.

    ``on_connection(True/False)`` reports the link state so a UI can say "server unreachable" and recover.
    ``since`` None starts with what happens from now on; an int replays everything after that id. The server
    names its database (``stream``); reconnecting, the client gives both back, and when they cannot be resumed
    it receives a ``stream.reset`` event (``STREAM_RESET``) and goes on from the server's present.
    Reconnection backs off with jitter, so a hall full of boards does not knock at the same instant.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        on_event: EventCallback,
        *,
        since: int | None = None,
        on_connection: StateCallback | None = None,
        max_backoff: float = 5.0,
        ca_file: Path | str | None = None,
    ) -> None:
        ws_base = base_url.rstrip("/").replace("https://", "wss://").replace("http://", "ws://")
        self._tls = client_tls(ca_file) if ws_base.startswith("wss://") else None
        self._url = f"{ws_base}/events"
        self._token = token
        self._on_event = on_event
        self._on_connection = on_connection
        self.last_id = since
        #: the server's database identity, from its first message
        self.stream: str | None = None
        self._max_backoff = max_backoff
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="event-stream", daemon=True)
        self._ws: Any = None
        self.connected = False
        #: a staff console's session: with it the stream carries what staff see (alerts, transfers' reasons)
        self._session: str | None = None

    def set_session(self, session: str | None) -> None:
        """A staff member logged in (or out): reconnect with the session, resuming where the stream stood."""
        if session == self._session:
            return
        self._session = session
        ws = self._ws
        if ws is not None:
            with contextlib.suppress(Exception):
                ws.close()

    def start(self) -> EventStream:
        self._thread.start()
        return self

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        ws = self._ws
        if ws is not None:
            with contextlib.suppress(Exception):
                ws.close()
        self._thread.join(timeout)

    def _set_connected(self, value: bool) -> None:
        if value != self.connected:
            self.connected = value
            if self._on_connection is not None:
                self._on_connection(value)

    def _url_now(self) -> str:
        query = [f"since={self.last_id}"] if self.last_id is not None else []
        if self.stream is not None:
            query.append(f"stream={self.stream}")
        return f"{self._url}?{'&'.join(query)}" if query else self._url

    def _deliver(self, event: m.Event) -> None:
        try:
            self._on_event(event)
        except Exception:
            log.exception("event handler failed for event %d (%s)", event.id, event.type)

    def _greeted(self, message: dict[str, Any]) -> None:
        """The server's first message: where the stream stands, and whether ours could be resumed."""
        last = int(message["last_event_id"])
        stream = str(message["stream"])
        resumed = message.get("type") == "stream.hello"
        if not resumed:
            log.warning("event stream reset (another database, or an unknown position): reloading")
        if self.last_id is None or not resumed:
            self.last_id = last
        if not resumed:
            at = time.strftime("%Y-%m-%dT%H:%M:%S%z")
            self._deliver(m.Event(id=last, at=at, type=STREAM_RESET, data={"stream": stream, "last_event_id": last}))
        self.stream = stream

    def _run(self) -> None:
        backoff = 0.2
        while not self._stop.is_set():
            try:
                headers = {"Authorization": f"Bearer {self._token}"}
                if self._session:
                    headers["X-Staff-Session"] = self._session
                with connect(
                    self._url_now(),
                    additional_headers=headers,
                    ssl=self._tls,
                    open_timeout=3,
                    close_timeout=1,
                    max_size=2**20,
                ) as ws:
                    self._ws = ws
                    self._greeted(json.loads(ws.recv(timeout=10)))
                    self._set_connected(True)
                    backoff = 0.2
                    for raw in ws:
                        event = m.Event.model_validate(json.loads(raw))
                        if self.last_id is not None and event.id <= self.last_id:
                            continue
                        self.last_id = event.id
                        self._deliver(event)
            except Exception as exc:  # connection refused, reset, closed: all mean "reconnect"
                log.debug("event stream disconnected: %s", type(exc).__name__)
            finally:
                self._ws = None
            if self._stop.is_set():
                break
            self._set_connected(False)
            self._stop.wait(backoff * random.uniform(0.5, 1.5))
            backoff = min(backoff * 2, self._max_backoff)
        self._set_connected(False)


def wait_until_up(base_url: str, timeout: float = 10.0, ca_file: Path | str | None = None) -> bool:
    """Poll ``/healthz`` until the server answers (used by launchers and tests)."""
    deadline = time.monotonic() + timeout
    # One client for every attempt: each new one builds a TLS context (~50 ms of CPU), which slowed the very start
    # it was waiting for on a two-core machine.
    with httpx.Client(timeout=0.5, trust_env=False, verify=client_tls(ca_file)) as probe:
        while time.monotonic() < deadline:
            try:
                if probe.get(f"{base_url.rstrip('/')}/healthz").status_code == 200:
                    return True
            except httpx.TransportError:
                pass
            time.sleep(0.05)
    return False
