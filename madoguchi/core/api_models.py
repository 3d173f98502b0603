"""Typed request and response bodies of the hall server API, shared by the server and its client.

Times are ISO 8601 strings with offset (the hall's time zone) on the wire; minutes are floats.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

TicketState = Literal["waiting", "called", "serving", "done", "no_show", "cancelled", "transferred", "expired"]
CounterState = Literal["open", "break", "closed"]
BreakReason = Literal["lunch", "rest", "meeting", "errand", "other"]
PriorityNeed = Literal["wheelchair", "pregnancy", "infant", "health", "other"]
Source = Literal["touch", "card", "code", "reservation"]
Role = Literal["kiosk", "staff", "display", "admin"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _one_plain_line(value: str) -> str:
    """Control and format characters out (a newline in a device's text would forge a log line)."""
    return "".join(ch for ch in value if unicodedata.category(ch)[0] != "C")


#: short texts from a device or a clerk: bounded, on one line, with no control characters
Line10 = Annotated[str, Field(max_length=10), AfterValidator(_one_plain_line)]
Line40 = Annotated[str, Field(max_length=40), AfterValidator(_one_plain_line)]
Line200 = Annotated[str, Field(max_length=200), AfterValidator(_one_plain_line)]


class Estimate(_Body):
    low_min: float = Field(ge=0)
    mid_min: float = Field(ge=0)
    high_min: float = Field(ge=0)


class ServiceInfo(_Body):
    id: str
    prefix: str
    category: str
    icon: str
    name: dict[str, str]
    description: dict[str, str] | None = None
    form: str | None = None
    card_autofill: bool
    needs_individual_number: bool
    hours_start: str | None = None
    hours_end: str | None = None
    #: the configured mean service time (a visit's later steps: when the resident would reach them)
    mean_service_min: float = 6.0


class CounterInfo(_Body):
    number: int
    name: dict[str, str] | None = None
    area: dict[str, str] | None = None
    services: list[str]


PrinterFailurePolicy = Literal["show_number", "stop"]
KioskState = Literal["ready", "degraded", "out_of_service", "closed"]


class HallInfo(_Body):
    name: dict[str, str]
    timezone: str
    languages: list[str]
    opening_start: str
    opening_end: str
    inactivity_seconds: int
    services: list[ServiceInfo]
    counters: list[CounterInfo]
    forms: dict[str, Any]
    notices: list[dict[str, str]]
    hall_day: str
    #: what a kiosk does while its printer cannot print: issue with the number on screen, or stop issuing
    kiosk_when_printer_fails: PrinterFailurePolicy = "show_number"
    #: hall texts filled by machine translation and not yet reviewed: text path → languages
    machine_translated: dict[str, list[str]] = Field(default_factory=dict)
    #: the life events (``[[life_events]]`` as ``core.config.LifeEvent`` dumps) the kiosk offers as one visit
    life_events: list[dict[str, Any]] = Field(default_factory=list)


class ServiceStatus(_Body):
    id: str
    waiting: int
    oldest_wait_min: float
    estimate: Estimate
    open_now: bool
    opens_at: str | None = None
    #: while open: minutes until its hours (or the hall's) end today
    closes_in_min: float | None = None


#: a step of a visit's route: waiting for its turn, the step now, served, skipped after a no-show (``[visits]
#: after_no_show = "next"``), or dropped (a cancel, or taken off the route by a clerk)
StepState = Literal["pending", "current", "done", "skipped", "dropped"]


class RouteStep(_Body):
    """One procedure of a visit's route (staff views and the kiosk's answer)."""

    service_id: str
    state: StepState
    #: the counter that served it (done) or has it now (called or serving)
    counter: int | None = None
    #: minutes waited for this step's call (None until called)
    waited_min: float | None = None


class PublicRouteStep(_Body):
    """A route step as a resident's phone and the board may see it: no staff, no form data."""

    service_id: str
    service_name: dict[str, str]
    state: StepState
    #: the counters that serve it, and where they are (the waiting area's texts)
    counters: list[int] = Field(default_factory=list)
    area: dict[str, str] | None = None


class IssueRequest(_Body):
    service_id: str = Field(min_length=1, max_length=40)
    #: one ticket through several procedures (a life event's route, in counter order); starts with ``service_id``
    route: list[Annotated[str, Field(min_length=1, max_length=40)]] | None = Field(default=None, max_length=12)
    #: the life event the route came from (statistics only)
    life_event: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$", max_length=40)
    language: str = Field(default="ja", min_length=2, max_length=10)
    source: Source = "touch"
    priority_need: Line40 | None = None
    #: filled form fields (field key → value; repeated groups as lists of dicts); encrypted at rest
    form: dict[str, Any] | None = None
    reservation_code: str | None = Field(default=None, max_length=80)
    #: idempotency key chosen by the kiosk per resident action: a retried request returns the same ticket
    request_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class CheckinRequest(_Body):
    """A reservation check-in at the kiosk: the ``MDR1:`` code read from the confirmation."""

    code: str = Field(min_length=5, max_length=200)
    language: str = Field(default="ja", min_length=2, max_length=10)
    request_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class WithdrawRequest(_Body):
    """A kiosk takes back a request it told the resident had failed (its ticket, if the server stored one)."""

    request_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class WithdrawResult(_Body):
    #: cancelled: the stored ticket is cancelled now; not_found: nothing was stored (yet); kept: the ticket had
    #: already left the queue (served, cancelled by staff) and stays as it is
    status: Literal["cancelled", "not_found", "kept"]
    number: str | None = None


class ReservationCreate(_Body):
    service_id: str = Field(min_length=1, max_length=40)
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    slot_start: str = Field(pattern=r"^\d{2}:\d{2}$")
    slot_end: str | None = Field(default=None, pattern=r"^\d{2}:\d{2}$")
    reference: str | None = Field(default=None, max_length=20)


class ReservationCreated(_Body):
    id: int
    reference: str
    service_id: str
    date: str
    slot_start: str
    checkin_code: str


class TicketView(_Body):
    id: int
    number: str
    day: str
    service_id: str
    state: TicketState
    language: str
    source: Source
    priority_need: str | None = None
    reservation: bool = False
    issued_at: str
    called_at: str | None = None
    counter: int | None = None
    recalls: int = 0
    has_form: bool = False
    estimate: Estimate | None = None
    transfers: int = 0
    #: sent to one counter or one clerk (a transfer; staff views only)
    target_counter: int | None = None
    target_staff: str | None = None
    #: a visit's route (empty for a ticket of one procedure); the ``current`` step is ``service_id``
    route: list[RouteStep] = Field(default_factory=list)


class IssuedTicket(_Body):
    ticket: TicketView
    people_ahead: int
    estimate: Estimate
    token: str
    status_url: str
    #: a visit's whole route: from now until the last counter is done (None for one procedure)
    route_estimate: Estimate | None = None


class TicketStatus(_Body):
    """What a resident's phone may see: their own ticket only."""

    number: str
    state: TicketState
    language: str
    service_name: dict[str, str]
    people_ahead: int
    estimate: Estimate | None
    counter: int | None = None
    #: the latest number called of the same procedure today (what the board shows)
    now_calling: str | None = None
    #: how often the ticket has been called again (a phone alerts once per call)
    recalls: int = 0
    #: the hall's time when this was read (ISO 8601)
    updated_at: str | None = None
    #: a visit's route (empty for one procedure): the step now, those done and those to come
    route: list[PublicRouteStep] = Field(default_factory=list)


class CounterAction(_Body):
    counter: int = Field(ge=1, le=99)


class TransferRequest(_Body):
    counter: int = Field(ge=1, le=99)
    #: the service to queue at (None: the ticket's own, or the first of ``to_counter``'s)
    service_id: str | None = Field(default=None, min_length=1, max_length=40)
    #: for staff only: it never reaches a kiosk, a board or a phone, and leaves the log at the day reset
    reason: Line200 = ""
    #: for one counter only, or for one clerk only (wherever they are logged in)
    to_counter: int | None = Field(default=None, ge=1, le=99)
    to_staff: str | None = Field(default=None, min_length=1, max_length=40)


class StepRequest(_Body):
    """A clerk adds a procedure to a visit's route (after the step now, or at ``position`` among those to come)
    or takes one of those to come off it."""

    counter: int = Field(ge=1, le=99)
    service_id: str = Field(min_length=1, max_length=40)
    #: where among the steps still to come (0 = next); None: at the end
    position: int | None = Field(default=None, ge=0, le=12)


class PriorityRequest(_Body):
    counter: int = Field(ge=1, le=99)
    #: None takes the mark away
    need: PriorityNeed | None = None


class CounterStateRequest(_Body):
    state: CounterState
    #: why the counter is on a break (required for ``break``)
    reason: BreakReason | None = None


class CounterNow(_Body):
    """A counter now. ``state`` is public (the board shows it); the rest is for staff and the admin console."""

    number: int
    state: CounterState
    reason: BreakReason | None = None
    since: str | None = None
    #: display names of the staff logged in there
    staff: list[str] = Field(default_factory=list)
    #: the ticket number at the counter now
    current: str | None = None


class WaitingTicket(_Body):
    """One waiting ticket in a counter's list (staff only)."""

    id: int
    number: str
    service_id: str
    language: str
    waited_min: float
    priority_need: str | None = None
    reservation: bool = False
    transfers: int = 0
    target_counter: int | None = None
    target_staff: str | None = None
    #: a visit's step (2 of 3); None for one procedure
    step: int | None = None
    steps: int | None = None


class WaitingList(_Body):
    counter: int
    #: in the order Call next takes them
    waiting: list[WaitingTicket]
    #: today's no-shows of the counter's services that may still be put back (a late arrival)
    no_shows: list[WaitingTicket] = Field(default_factory=list)
    late_arrival_within_min: int = 0
    undo_seconds: int = 0


class StaffMember(_Body):
    staff_id: str
    display_name: str
    #: where they are logged in now (None: nowhere)
    counters: list[int] = Field(default_factory=list)


class HallNow(_Body):
    """The admin console's live view of the hall."""

    hall_day: str
    at: str
    services: list[ServiceStatus]
    counters: list[CounterNow]


class CallResult(_Body):
    ticket: TicketView | None


class QueueOfService(_Body):
    service_id: str
    waiting: int
    oldest_wait_min: float


class CounterQueue(_Body):
    counter: int
    services: list[QueueOfService]
    current: TicketView | None
    state: CounterState = "closed"
    reason: BreakReason | None = None


class BoardCall(_Body):
    event_id: int
    ticket_id: int
    number: str
    counter: int
    service_id: str
    language: str
    at: str
    recall: int = 0
    #: a visit's step (2 of 3); None for one procedure
    step: int | None = None
    steps: int | None = None


class BoardNextStep(_Body):
    """A visit that has moved on to its next counter (the board says where to go now)."""

    event_id: int
    number: str
    service_id: str
    #: which step of how many (2 of 3)
    step: int
    steps: int
    at: str


class BoardState(_Body):
    last_event_id: int
    recent_calls: list[BoardCall]
    now_serving: dict[int, str]
    waiting: dict[str, int]
    notices: list[dict[str, str]]
    #: the counters open or on a break, and those closed today (a board says which counters will not call)
    counters: dict[int, CounterState] = Field(default_factory=dict)
    #: visits that moved on to their next counter in the last minutes, newest first
    next_steps: list[BoardNextStep] = Field(default_factory=list)


class FormView(_Body):
    ticket_id: int
    form_id: str | None
    fields: dict[str, Any]
    individual_number_masked: str | None = None


class StaffLogin(_Body):
    staff_id: str = Field(min_length=1, max_length=40)
    password: str = Field(min_length=1, max_length=200)
    counter: int | None = Field(default=None, ge=1, le=99)


class StaffSession(_Body):
    session: str
    staff_id: str
    display_name: str


class PrinterHealth(_Body):
    status: Literal["OK", "PAPER_LOW", "PAPER_OUT", "COVER_OPEN", "CUTTER_ERROR", "OFFLINE", "UNKNOWN", "NONE"]
    last_error: Line200 | None = None


class DeviceHealth(_Body):
    app_version: Line40 = ""
    uptime_s: float = Field(default=0, ge=0, le=10**9)
    free_disk_mb: float | None = Field(default=None, ge=0, le=10**9)
    printer: PrinterHealth | None = None
    card_reader_present: bool | None = None
    card_reader_error: Line200 | None = None
    camera_frames: int | None = Field(default=None, ge=0, le=2**62)
    camera_ok: bool | None = None
    screen: Line40 | None = None
    #: what a resident walking up to this kiosk sees (kiosks only), and why when it is not "ready"
    kiosk_state: KioskState | None = None
    kiosk_state_reasons: list[Literal["server", "printer", "card_reader", "camera", "hours"]] = Field(
        default_factory=list, max_length=5
    )


class StaffAlert(_Body):
    kind: Literal["call_staff"] = "call_staff"
    screen: Line40 = ""
    language: Line10 = "ja"


class StaffCall(_Body):
    """A resident's call for help at a kiosk, as the kiosk that raised it follows it."""

    call_id: int
    #: staff consoles with someone logged in, and admin consoles, that are alive now (0: nobody will see it)
    watching: int = 0
    acknowledged: bool = False
    #: the counter whose staff member is on the way (None: from the admin console, or nobody yet)
    counter: int | None = None


class Event(_Body):
    id: int
    at: str
    type: str
    ticket_id: int | None = None
    counter: int | None = None
    data: dict[str, Any] = Field(default_factory=dict)


class Health(_Body):
    status: Literal["ok", "degraded"]
    version: str
    uptime_s: float
    last_event_id: int
    hall_day: str
    #: what is wrong while ``degraded`` (e.g. "database writes fail: database or disk is full")
    problem: str | None = None


class ErrorBody(_Body):
    error: str
    detail: str
    params: dict[str, str] | None = None


class ReservationView(_Body):
    """A reservation as staff and the admin console see it: no personal data (none is asked)."""

    id: int
    reference: str
    service_id: str
    date: str
    slot_start: str
    slot_end: str | None
    #: "web" (a resident booked on /book) or "import" (CSV, the admin API)
    source: str
    #: "booked", "checked_in", "cancelled" or "missed" (the check-in window has passed)
    state: str
    ticket_number: str | None = None


class ReservationDay(_Body):
    date: str
    reservations: list[ReservationView]
    #: bookings per slot each procedure takes (``[booking] capacity``)
    capacity: dict[str, int]


class VisitStepStats(_Body):
    service_id: str
    #: visits that reached this step, and their waits for its call (minutes)
    visits: int
    wait_mean_min: float | None = None
    wait_p90_min: float | None = None


class VisitStats(_Body):
    """A day's visits of several procedures: time in the hall and the waits per step."""

    day: str
    visits: int
    #: visits whose every step is done or skipped (none still open)
    completed: int
    #: from the ticket's issue to its last step's end
    in_hall_mean_min: float | None = None
    in_hall_p90_min: float | None = None
    #: per life event id (``""``: a route put together by staff)
    by_event: dict[str, int] = Field(default_factory=dict)
    steps: list[VisitStepStats] = Field(default_factory=list)
