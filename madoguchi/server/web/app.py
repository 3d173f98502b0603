"""FastAPI application factory: routes translate HTTP to ``HallService`` calls and errors to status codes.

Routes reach the database only through ``HallServer.do`` (the writer thread) and the read-only connection for
device tokens and the event stream: no route holds the hall service or a writing store.

Status codes: 401 no/unknown token, 403 wrong role, 404 unknown ticket/counter, 409 illegal transition,
422 invalid input (values are never echoed back: they may be personal), 429 rate-limited, 503 the database cannot
be written (disk full). Never a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import inspect
import json
import logging
import sqlite3
from collections.abc import AsyncIterator, MutableMapping
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, HTTPException, Path, Request, Response, WebSocket, WebSocketDisconnect
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from madoguchi import package_version
from madoguchi.core import api_models as m
from madoguchi.core.hall_time import iso
from madoguchi.core.process_start import where_raised
from madoguchi.server.engine import (
    CounterBusy,
    IllegalTransition,
    InvalidChoice,
    NothingToUndo,
    NotThisCounter,
    QueueError,
    TooLate,
    UnknownCounter,
    UnknownService,
    UnknownStaff,
    UnknownTicket,
    VisitRefused,
)
from madoguchi.server.hall_server import HallServer, ServerSettings
from madoguchi.server.hall_service import FormRefused, HallService, NotAllowed, RateLimited
from madoguchi.server.reservations import ReservationRefused
from madoguchi.server.security import hash_password, needs_rehash, unknown_account_hash, verify_password
from madoguchi.server.store import EventRow
from madoguchi.server.web.admin_routes import register_admin_routes
from madoguchi.server.web.api_docs import register_api_docs
from madoguchi.server.web.auth import Principal, StaffSessionExpired, require_role, require_staff, sees_everything
from madoguchi.server.web.booking_routes import register_booking_routes
from madoguchi.server.web.limits import BodySizeLimit
from madoguchi.server.web.page_headers import SecurityHeaders
from madoguchi.server.web.public_routes import register_public_routes

log = logging.getLogger(__name__)


_STATUS = {
    UnknownTicket: 404,
    UnknownCounter: 404,
    UnknownService: 422,
    IllegalTransition: 409,
    NotThisCounter: 403,
    CounterBusy: 409,
    NotAllowed: 403,
    RateLimited: 429,
    FormRefused: 422,
    TooLate: 409,
    NothingToUndo: 409,
    UnknownStaff: 404,
    InvalidChoice: 422,
    VisitRefused: 409,
}


async def _principal(request: Request) -> Principal:
    # the event loop's own read-only connection: a lookup never waits for a write
    principal: Principal = request.app.state.server.auth.request(request)
    return principal


Who = Annotated[Principal, Depends(_principal)]
TicketId = Annotated[int, Path(ge=1, le=2**62)]
CounterNo = Annotated[int, Path(ge=1, le=99)]


__all__ = ["ServerSettings", "create_app", "event_json"]


#: what a display or a kiosk (in the public hall) may see of the event log: the ticket life cycle and the day,
#: with the fields a board needs; never staff ids, a transfer's reason or an alert
PUBLIC_EVENT_TYPES = ("ticket.", "day.rolled", "counter.state")
#: ``state``: a counter's (open, break, closed) or a restored ticket's; never a break's reason or who set it
PUBLIC_EVENT_FIELDS = frozenset(
    {"number", "service_id", "language", "recall", "from_service", "day", "priority", "state", "step", "steps"}
)
#: how often an open event stream checks that its device (and its staff member's session) may still see it
RECHECK_S = 5.0


def event_json(e: EventRow, tz: str, *, public: bool = False) -> str | None:
    """An event's wire text; ``public``: what a display or kiosk may see, None when it sees nothing of it."""
    data = e.data
    if public:
        if not e.type.startswith(PUBLIC_EVENT_TYPES):
            return None
        data = {k: v for k, v in data.items() if k in PUBLIC_EVENT_FIELDS}
    body = {"id": e.id, "at": iso(e.at, tz), "type": e.type, "ticket_id": e.ticket_id, "counter": e.counter}
    return json.dumps({**body, "data": data}, ensure_ascii=False, separators=(",", ":"))


class _OneLineServerErrors(logging.Filter):
    """uvicorn logs an unhandled error with its traceback, whose exception message may hold a value from the
    request (personal data). Keep one line instead: the exception type and where it was raised."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            record.msg, record.args = "internal error: %s at %s", (type(exc).__name__, where_raised(exc))
            record.exc_info, record.exc_text = None, None
        return True


def _install_error_filter() -> None:
    target = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _OneLineServerErrors) for f in target.filters):
        target.addFilter(_OneLineServerErrors())


def _json(model: BaseModel, status_code: int = 200) -> Response:
    """A model the route built itself, serialised once: FastAPI would validate it against the response model
    again (the hot routes keep ``response_model`` for the OpenAPI document)."""
    return Response(model.model_dump_json(), status_code=status_code, media_type="application/json")


_Model = TypeVar("_Model", bound=BaseModel)


def _json_body_doc(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of a route that reads its JSON body itself (``_read_body``)."""
    schema = model.model_json_schema()
    # inline, so it must stand alone: a nested model's "#/$defs/..." would point nowhere in the OpenAPI document
    if "$defs" in schema:
        raise TypeError(f"{model.__name__} nests other models: document its body with a $ref into components")
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


async def _read_body(request: Request, model: type[_Model]) -> _Model:
    """A JSON body read and checked after the caller is known: an unknown device learns nothing about what it
    sent. The same checks and the same 422 answer as FastAPI's, through ``RequestValidationError``."""
    kind = request.headers.get("content-type", "application/json").split(";", 1)[0].strip().lower()
    if kind != "application/json" and not kind.endswith("+json"):
        problem = {
            "type": "json_type",
            "loc": ("body",),
            "msg": "the body must be JSON (Content-Type: application/json)",
        }
        raise RequestValidationError([problem])
    try:
        body = await request.body()
    except Exception:  # the client went away mid-body, or sent a broken one: FastAPI's answer, 400
        raise HTTPException(400, "the request body could not be read") from None
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:  # without the values (a resident's data) and not chained to the original
        found = exc.errors(include_input=False, include_url=False, include_context=False)
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in found]) from None


# FastAPI ≥ 0.16x asks OpenTelemetry on every request whether tracing is configured; the hall uses none of it
_NO_TELEMETRY: dict[str, Any] = (
    {"telemetry": {"tracing": False, "metrics": False, "logs": False}}
    if "telemetry" in inspect.signature(FastAPI).parameters
    else {}
)


def create_app(settings: ServerSettings) -> FastAPI:
    _install_error_filter()
    server = HallServer(settings, event_json)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        server.start()
        try:
            yield
        finally:
            server.stop()

    app = FastAPI(
        **_NO_TELEMETRY,
        title="Madoguchi hall server",
        version=package_version(),
        lifespan=lifespan,
        responses={401: {"model": m.ErrorBody}, 403: {"model": m.ErrorBody}, 422: {"model": m.ErrorBody}},
        # the documentation is served by api_docs.py, to admin devices only and when turned on
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.server = server
    app.add_middleware(BodySizeLimit)
    app.add_middleware(SecurityHeaders)
    do = server.do

    # ------------------------------------------------------------------ errors
    @app.exception_handler(QueueError)
    async def _queue_error(_req: Request, exc: QueueError) -> JSONResponse:
        body: dict[str, object] = {"error": exc.code, "detail": str(exc)}
        if isinstance(exc, ReservationRefused):
            body["params"] = exc.params
        return JSONResponse(body, status_code=_STATUS.get(type(exc), 409))

    @app.exception_handler(HTTPException)
    async def _http_error(_req: Request, exc: HTTPException) -> JSONResponse:
        code = {401: "auth.required", 403: "auth.forbidden", 404: "not_found", 429: "auth.throttled"}.get(
            exc.status_code, "error"
        )
        return JSONResponse(
            {"error": code, "detail": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(StaffSessionExpired)
    async def _session_expired(_req: Request, _exc: StaffSessionExpired) -> JSONResponse:
        detail = "staff session expired; please log in again"
        return JSONResponse({"error": "auth.session_expired", "detail": detail}, status_code=401)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_req: Request, exc: RequestValidationError) -> JSONResponse:
        # Only where and what kind of mistake: the offending value may be a resident's personal data.
        parts = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
            parts.append(f"{loc}: {err.get('msg', 'invalid')}")
        return JSONResponse({"error": "invalid_input", "detail": "; ".join(parts)[:2000]}, status_code=422)

    @app.exception_handler(sqlite3.OperationalError)
    async def _storage(_req: Request, _exc: sqlite3.OperationalError) -> JSONResponse:
        # the disk is full or failing (the writer has logged it; /healthz says degraded): the client retries
        detail = "the hall database cannot be written just now; try again shortly"
        return JSONResponse({"error": "server.storage_unavailable", "detail": detail}, status_code=503)

    @app.exception_handler(Exception)
    async def _unexpected(_req: Request, exc: Exception) -> JSONResponse:
        # Starlette re-raises after this answer and uvicorn logs it once, made safe by _OneLineServerErrors
        return JSONResponse({"error": "internal", "detail": "internal error"}, status_code=500)

    # ------------------------------------------------------------------ health and hall
    @app.get("/healthz", response_model=m.Health, tags=["health"])
    async def healthz() -> m.Health:
        return server.health()

    @app.get("/api/v1/hall", response_model=m.HallInfo, tags=["hall"])
    async def hall_info(who: Who) -> m.HallInfo:
        return await do(lambda h: h.hall_info())

    @app.get("/api/v1/services", response_model=list[m.ServiceStatus], tags=["hall"])
    async def services(who: Who) -> list[m.ServiceStatus]:
        return await do(lambda h: h.services_status())

    @app.get("/api/v1/board", response_model=m.BoardState, tags=["board"])
    async def board(who: Who) -> m.BoardState:
        return await do(lambda h: h.board_state())

    # ------------------------------------------------------------------ tickets
    @app.post(
        "/api/v1/tickets",
        response_model=m.IssuedTicket,
        status_code=201,
        tags=["tickets"],
        openapi_extra=_json_body_doc(m.IssueRequest),
    )
    async def issue(request: Request) -> Response:
        who = await _principal(request)
        require_role(who, "kiosk")
        req = await _read_body(request, m.IssueRequest)
        # the rate limit guards against a stuck kiosk button; admin tools (imports, benchmarks) are exempt
        issued = await do(lambda h: h.issue(req, who.device, rate_limit=who.role == "kiosk"))
        return _json(issued, 201)

    @app.post("/api/v1/tickets/withdraw", response_model=m.WithdrawResult, tags=["tickets"])
    async def withdraw(body: m.WithdrawRequest, who: Who) -> m.WithdrawResult:
        """A kiosk takes back a request it told the resident had failed: a stored ticket is cancelled."""
        require_role(who, "kiosk")
        return await do(lambda h: h.withdraw_request(who.device, body.request_id))

    @app.post("/api/v1/reservations/check-in", response_model=m.IssuedTicket, status_code=201, tags=["reservations"])
    async def check_in(req: m.CheckinRequest, who: Who) -> m.IssuedTicket:
        require_role(who, "kiosk")
        return await do(lambda h: h.check_in(req, who.device))

    @app.post("/api/v1/reservations", response_model=m.ReservationCreated, status_code=201, tags=["reservations"])
    async def create_reservation(req: m.ReservationCreate, who: Who) -> m.ReservationCreated:
        require_role(who, "admin")
        try:
            date = dt.date.fromisoformat(req.date)
            start = dt.time.fromisoformat(req.slot_start)
            end = dt.time.fromisoformat(req.slot_end) if req.slot_end else None
        except ValueError:
            raise HTTPException(422, "date or time out of range") from None
        r = await do(
            lambda h: h.reservations.create(
                req.service_id, date, start, end, reference=req.reference, at=h.engine.now()
            )
        )
        return m.ReservationCreated(
            id=r.id,
            reference=r.reference,
            service_id=r.service_id,
            date=r.date.isoformat(),
            slot_start=r.slot_start.strftime("%H:%M"),
            checkin_code=r.checkin_code,
        )

    @app.get("/api/v1/reservations", response_model=m.ReservationDay, tags=["reservations"])
    async def reservations_of_day(who: Who, date: str | None = None) -> m.ReservationDay:
        """A day's reservations (booked on /book or imported), for staff at their counter and the admin console."""
        if who.role != "admin":
            require_staff(who)
        try:
            day = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise HTTPException(422, "date: expected YYYY-MM-DD") from None
        return await do(lambda h: h.reservations_of_day(day))

    @app.get("/api/v1/tickets/{ticket_id}", response_model=m.TicketView, tags=["tickets"])
    async def ticket(ticket_id: TicketId, who: Who) -> m.TicketView:
        require_staff(who)  # a clerk logged in: a PC left unattended shows nothing
        return await do(lambda h: h.ticket_view(h.engine.ticket(ticket_id)))

    @app.get("/api/v1/tickets/by-token/{token}", response_model=m.TicketView, tags=["tickets"])
    async def ticket_by_token(token: str, who: Who) -> m.TicketView:
        require_staff(who)
        return await do(lambda h: h.ticket_by_token(token))

    # ------------------------------------------------------------------ counter actions (staff)
    @app.post("/api/v1/counters/{counter}/call-next", response_model=m.CallResult, tags=["counter"])
    async def call_next(counter: CounterNo, who: Who) -> Response:
        staff = require_staff(who, counter)

        def call(h: HallService) -> m.CallResult:
            t = h.engine.call_next(counter, staff_id=staff, device=who.device)
            return m.CallResult(ticket=h.ticket_view(t) if t else None)

        return _json(await do(call))

    @app.get("/api/v1/counters/{counter}/queue", response_model=m.CounterQueue, tags=["counter"])
    async def counter_queue(counter: CounterNo, who: Who) -> m.CounterQueue:
        if who.role != "admin":
            require_staff(who)
        try:
            return await do(lambda h: h.counter_queue(counter))
        except KeyError:
            raise UnknownCounter(f"counter {counter} is not configured") from None

    def _action(name: str, summary: str) -> None:
        async def handler(ticket_id: TicketId, body: m.CounterAction, who: Who) -> m.TicketView:
            staff = require_staff(who, body.counter)  # every action names the clerk in its event
            if name == "cancel":
                return await do(lambda h: h.ticket_view(h.engine.cancel(ticket_id, body.counter, staff=staff)))
            act = lambda h: getattr(h.engine, name)(ticket_id, body.counter, staff_id=staff)  # noqa: E731
            return await do(lambda h: h.ticket_view(act(h)))

        handler.__name__ = f"ticket_{name}"
        path = name.replace("_", "-")
        app.post(
            f"/api/v1/tickets/{{ticket_id}}/{path}", response_model=m.TicketView, tags=["counter"], summary=summary
        )(handler)

    _action("recall", "Call the ticket again (past the recall limit it becomes a no-show)")
    _action("start", "The resident has arrived at the counter")
    _action("done", "Service finished")
    _action("no_show", "The resident did not come")
    _action("cancel", "Cancel the ticket")
    _action("return_to_queue", "Put the ticket back in the queue (a late arrival: by [hall] late_arrival_*)")
    _action("undo", "Take back this counter's no-show or cancel of the last [hall] undo_seconds")

    @app.post("/api/v1/tickets/{ticket_id}/priority", response_model=m.TicketView, tags=["counter"])
    async def set_priority(ticket_id: TicketId, body: m.PriorityRequest, who: Who) -> m.TicketView:
        """Mark a ticket with a priority need (called first), or take the mark away (``need`` null)."""
        staff = require_staff(who, body.counter)
        return await do(
            lambda h: h.ticket_view(h.engine.set_priority(ticket_id, body.counter, body.need, staff_id=staff))
        )

    @app.post("/api/v1/tickets/{ticket_id}/route/add", response_model=m.TicketView, tags=["counter"])
    async def add_step(ticket_id: TicketId, body: m.StepRequest, who: Who) -> m.TicketView:
        """Add a procedure to the ticket's route, among the steps still to come (``position`` 0 = next, null = at
        the end); a ticket of one procedure becomes a visit."""
        staff = require_staff(who, body.counter)
        return await do(
            lambda h: h.ticket_view(
                h.engine.add_step(ticket_id, body.counter, body.service_id, body.position, staff_id=staff)
            )
        )

    @app.post("/api/v1/tickets/{ticket_id}/route/remove", response_model=m.TicketView, tags=["counter"])
    async def remove_step(ticket_id: TicketId, body: m.StepRequest, who: Who) -> m.TicketView:
        """Take a procedure still to come off the ticket's route."""
        staff = require_staff(who, body.counter)
        return await do(
            lambda h: h.ticket_view(h.engine.remove_step(ticket_id, body.counter, body.service_id, staff_id=staff))
        )

    @app.post("/api/v1/counters/{counter}/state", response_model=m.CounterQueue, tags=["counter"])
    async def set_counter_state(counter: CounterNo, body: m.CounterStateRequest, who: Who) -> m.CounterQueue:
        """Open, on a break (with a reason) or closed: the wait estimates count the counters really open."""
        staff = require_staff(who, counter)

        def change(h: HallService) -> m.CounterQueue:
            h.engine.set_counter_state(counter, body.state, body.reason, staff_id=staff)
            return h.counter_queue(counter)

        return await do(change)

    @app.get("/api/v1/counters", response_model=list[m.CounterNow], tags=["counter"])
    async def counters(who: Who) -> list[m.CounterNow]:
        """Every counter's state; who is logged in where only for staff and the admin console."""
        views = await do(lambda h: h.counter_views())
        if sees_everything(who):
            return views
        return [m.CounterNow(number=c.number, state=c.state, current=c.current) for c in views]

    @app.get("/api/v1/counters/{counter}/waiting", response_model=m.WaitingList, tags=["counter"])
    async def waiting_list(counter: CounterNo, who: Who) -> m.WaitingList:
        if who.role != "admin":
            require_staff(who)
        try:
            return await do(lambda h: h.waiting_list(counter))
        except KeyError:
            raise UnknownCounter(f"counter {counter} is not configured") from None

    @app.get("/api/v1/staff/members", response_model=list[m.StaffMember], tags=["staff"])
    async def staff_members(who: Who) -> list[m.StaffMember]:
        """The staff a clerk may send a resident to, and where they are logged in."""
        require_staff(who)
        return await do(lambda h: h.staff_directory())

    @app.post("/api/v1/tickets/{ticket_id}/call", response_model=m.TicketView, tags=["counter"])
    async def call_ticket(ticket_id: TicketId, body: m.CounterAction, who: Who) -> m.TicketView:
        staff = require_staff(who, body.counter)
        return await do(
            lambda h: h.ticket_view(h.engine.call_ticket(ticket_id, body.counter, staff_id=staff, device=who.device))
        )

    @app.post("/api/v1/tickets/{ticket_id}/transfer", response_model=m.TicketView, tags=["counter"])
    async def transfer(ticket_id: TicketId, body: m.TransferRequest, who: Who) -> m.TicketView:
        """To another service, or for one counter (``to_counter``) or one clerk (``to_staff``)."""
        staff = require_staff(who, body.counter)
        return await do(
            lambda h: h.ticket_view(
                h.engine.transfer(
                    ticket_id,
                    body.counter,
                    body.service_id,
                    body.reason,
                    to_counter=body.to_counter,
                    to_staff=body.to_staff,
                    staff_id=staff,
                )
            )
        )

    @app.get("/api/v1/tickets/{ticket_id}/form", response_model=m.FormView, tags=["forms"])
    async def form(ticket_id: TicketId, who: Who) -> m.FormView:
        staff = require_staff(who)
        return await do(lambda h: h.read_form(ticket_id, staff_id=staff, counter=who.counter, device=who.device))

    @app.post("/api/v1/tickets/{ticket_id}/form/individual-number", tags=["forms"])
    async def reveal_number(ticket_id: TicketId, who: Who) -> dict[str, str]:
        staff = require_staff(who)
        number = await do(
            lambda h: h.reveal_individual_number(ticket_id, staff_id=staff, counter=who.counter, device=who.device)
        )
        return {"individual_number": number}

    # ------------------------------------------------------------------ staff sessions
    @app.post("/api/v1/staff/login", response_model=m.StaffSession, tags=["staff"])
    async def login(body: m.StaffLogin, request: Request, who: Who) -> m.StaffSession:
        if who.role != "staff":
            raise HTTPException(403, "staff log in on a counter PC")
        source = request.client.host if request.client else "?"
        wait = server.login_throttle.wait_s(body.staff_id, source)
        if wait > 0:
            log.info("staff login throttled on device %s", who.device)
            raise HTTPException(
                429, "too many failed logins; wait a minute", headers={"Retry-After": str(int(wait) + 1)}
            )
        found = await do(lambda h: h.staff_login_record(body.staff_id))
        # scrypt is slow on purpose: it runs on a worker thread, neither on the event loop nor on the writer. An
        # unknown id is checked against a hash all the same, so the answer takes as long as for a known one.
        stored = found[1] if found is not None else unknown_account_hash()
        async with server.password_checks:
            right = await asyncio.to_thread(verify_password, body.password, stored)
        if found is None or not right or not found[2]:
            server.login_throttle.failed(body.staff_id, source)
            known = found is not None
            # audited either way, and at the same cost for an unknown id; counted towards a lock when the password
            # of a known account was wrong
            await do(lambda h: h.login_failed(body.staff_id if known else None, who.device, count=known and not right))
            log.info("staff login refused on device %s", who.device)
            # A locked or disabled account answers as a wrong password does, the right one included: a guesser
            # must not learn that a guess was right. The clerk's console says to ask the administrator, who sees
            # the lock (alert, accounts tab).
            raise HTTPException(401, "wrong staff id or password")
        session = await do(lambda h: h.open_staff_session(body.staff_id, who.device, who.device_counter, body.counter))
        if needs_rehash(stored):  # made with weaker parameters: made again now that the password is at hand
            async with server.password_checks:
                fresh = await asyncio.to_thread(hash_password, body.password)
            await do(lambda h: h.rehash_password(body.staff_id, fresh))
        return m.StaffSession(session=session, staff_id=body.staff_id, display_name=found[0])

    @app.post("/api/v1/staff/logout", status_code=204, tags=["staff"])
    async def logout(request: Request, who: Who) -> Response:
        session = request.headers.get("X-Staff-Session")
        if session:
            await do(lambda h: h.end_staff_session(session))
        return Response(status_code=204)

    # ------------------------------------------------------------------ devices
    @app.post("/api/v1/devices/heartbeat", status_code=204, tags=["devices"])
    async def heartbeat(body: m.DeviceHealth, who: Who) -> Response:
        await do(lambda h: h.heartbeat(who.device, body))
        return Response(status_code=204)

    @app.post("/api/v1/alerts", status_code=202, response_model=m.StaffCall, tags=["devices"])
    async def alert(body: m.StaffAlert, who: Who) -> m.StaffCall:
        require_role(who, "kiosk", "display")
        call = await do(lambda h: h.call_staff(who.device, body.screen, body.language))
        log.warning("staff called to %s (screen %s, call %d)", who.device, body.screen, call.call_id)
        return call

    @app.get("/api/v1/alerts/{call_id}", response_model=m.StaffCall, tags=["devices"])
    async def call_status(call_id: TicketId, who: Who) -> m.StaffCall:
        """The device that called follows its own call (has someone answered?)."""
        require_role(who, "kiosk", "display")
        return await do(lambda h: h.call_status(call_id, None if who.role == "admin" else who.device))

    @app.post("/api/v1/alerts/{call_id}/ack", response_model=m.StaffCall, tags=["devices"])
    async def acknowledge_call(call_id: TicketId, who: Who) -> m.StaffCall:
        """ "On my way": a logged-in staff member (their counter is named to the resident) or the admin console."""
        if who.role != "admin":
            require_staff(who)
        return await do(lambda h: h.acknowledge_call(call_id, counter=who.counter, role=who.role))

    @app.get("/api/v1/admin/devices", tags=["admin"])
    async def devices(who: Who) -> list[dict[str, object]]:
        require_role(who, "admin")
        return await do(lambda h: h.devices())

    @app.post("/api/v1/admin/purge-forms", tags=["admin"])
    async def purge(who: Who) -> dict[str, int]:
        require_role(who, "admin")
        return {"purged": await do(lambda h: h.purge_forms())}

    # ------------------------------------------------------------------ event stream
    @app.websocket("/events")
    async def events(ws: WebSocket) -> None:
        reader, hub = server.reader, server.hub
        try:
            public = not sees_everything(server.auth.websocket(ws))
        except HTTPException:
            await ws.close(code=4401)
            return
        since_param = ws.query_params.get("since")
        try:
            since = int(since_param) if since_param is not None else None
        except ValueError:
            await ws.close(code=4422)
            return
        await ws.accept()
        q = hub.subscribe()
        try:
            last = reader.last_event_id()
            stream = ws.query_params.get("stream")
            # A position from another database (a restore, a replaced file), from the future or from before the
            # hall day cannot be resumed (replay is today's only): the client is told to load its state again,
            # and the stream goes on from now. ``since=0`` asks for the whole of today, from the day's roll on.
            today_from = reader.day_start_event_id()
            if since == 0 and stream is None:
                since = max(0, today_from - 1)
            resumable = since is not None and today_from <= since + 1 and since <= last
            resumable = resumable and stream in (None, server.database_id)
            hello = {"type": "stream.hello" if resumable or since is None else "stream.reset"}
            await ws.send_text(json.dumps({**hello, "stream": server.database_id, "last_event_id": last}))
            if resumable:
                assert since is not None
                last = since
            while True:  # replay what the client missed
                batch = reader.events_since(last, 500)
                if not batch:
                    break
                for e in batch:
                    text = event_json(e, server.tz, public=public)
                    if text is not None:
                        await ws.send_text(text)
                    last = e.id
            # Wait for the next event or for the client to go away (or the server to shut down), whichever
            # comes first: a handler blocked on the queue alone would hold a graceful shutdown until its timeout.
            incoming: asyncio.Future[MutableMapping[str, Any]] = asyncio.ensure_future(ws.receive())
            loop = asyncio.get_running_loop()
            next_check = loop.time() + RECHECK_S
            try:
                while True:
                    getter: asyncio.Future[Any] = asyncio.ensure_future(q.get())
                    pending: set[asyncio.Future[Any]] = {getter, incoming}
                    wait_s = max(0.0, next_check - loop.time())
                    done, _ = await asyncio.wait(pending, timeout=wait_s, return_when=asyncio.FIRST_COMPLETED)
                    if loop.time() >= next_check:  # is the device still allowed, its staff member still logged in?
                        next_check = loop.time() + RECHECK_S
                        try:
                            now_who = server.auth.websocket(ws)
                        except HTTPException:  # disabled, removed or given a new token: the stream ends
                            getter.cancel()
                            await ws.close(code=4401)
                            break
                        public = public or not sees_everything(now_who)  # narrows, never widens
                    if incoming in done:
                        if incoming.result().get("type") == "websocket.disconnect":
                            getter.cancel()
                            break
                        incoming = asyncio.ensure_future(ws.receive())  # clients have nothing to say; ignore
                    if getter not in done:
                        getter.cancel()
                        continue
                    live = getter.result()
                    if live is None:
                        break
                    event_id, full, public_text = live
                    if event_id <= last:
                        continue
                    text = public_text if public else full
                    if text is not None:
                        await ws.send_text(text)
                    last = event_id
            finally:
                incoming.cancel()
        except (WebSocketDisconnect, RuntimeError, ConnectionError):
            pass
        finally:
            hub.unsubscribe(q)
            with contextlib.suppress(Exception):
                await ws.close()

    # ------------------------------------------------------------------ HTML pages
    register_public_routes(app, server)
    register_booking_routes(app, server)
    register_admin_routes(app, server)
    register_api_docs(app, server)
    return app
