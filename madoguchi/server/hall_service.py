"""What the hall server does, without HTTP: issue with form encryption, board state, forms with audit, health.

It runs on the server's writer thread only (``hall_server.HallServer.do``): its store is the one connection that
writes. The FastAPI routes (``web``) only translate between HTTP and these methods, so the same logic is
testable without a network.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

from madoguchi.core import api_models as m
from madoguchi.core.config import HallConfig
from madoguchi.core.forms.validation import fields_of_form, shape_problems
from madoguchi.core.hall_time import Clock, iso
from madoguchi.core.life_events import RouteRefused, check_route, visit_form_service
from madoguchi.server import visit_route
from madoguchi.server.accounts import audit_account_change, change_device, change_staff
from madoguchi.server.booking import BookingDesk
from madoguchi.server.counter_states import CounterNow, counters_now
from madoguchi.server.engine import IllegalTransition, Issued, QueueEngine, QueueError, VisitRefused
from madoguchi.server.estimates.live import EstimateTable, LiveEstimator
from madoguchi.server.purge_journal import PurgeRecord, record_purge
from madoguchi.server.reservations import ReservationBook
from madoguchi.server.security import FormCipher, mask_individual_number, new_token, token_hash
from madoguchi.server.store import EventRow, StepRow, Store, TicketRow
from madoguchi.server.visit_stats import visit_statistics

log = logging.getLogger(__name__)


class NotAllowed(QueueError):
    code = "auth.not_allowed"


class RateLimited(QueueError):
    code = "queue.rate_limited"


class FormRefused(QueueError):
    """A form beyond what its procedure's form could hold (unknown fields, over-long values)."""

    code = "form.refused"


class HallService:
    def __init__(
        self,
        config: HallConfig,
        store: Store,
        cipher: FormCipher,
        *,
        clock: Clock | None = None,
        public_url: str = "http://127.0.0.1:8700",
    ) -> None:
        self.config = config
        self.store = store
        self.cipher = cipher
        self.engine = QueueEngine(store, config, clock=clock)
        self.public_url = public_url.rstrip("/")
        self.reservations = ReservationBook(store, cipher.key_dir, config.service_ids())
        self.booking = BookingDesk(store, self.reservations.key, lambda: self.config)
        # the estimator reads on its own read-only connection, on the estimates thread
        self.estimator = LiveEstimator(config, Store(store.path, connect=False, read_only=True), self.engine.clock)
        self.estimates = EstimateTable(self.estimator)

    def close(self) -> None:
        self.estimator.store.close()

    @property
    def tz(self) -> str:
        return self.config.hall.timezone

    def reload_config(self, config: HallConfig) -> None:
        self.config = config
        self.engine.reload_config(config)
        self.reservations.service_ids = config.service_ids()
        self.estimator.reload_config(config)

    # ------------------------------------------------------------------ views
    def predict(self, service_id: str, people_ahead: int, *, ticket_id: int | None = None) -> tuple[m.Estimate, float]:
        """The range for a ticket with ``people_ahead`` of its service ahead (a fresh count; the rest of the
        hall's state is at most about a second old), and the model value to store for calibration."""
        if ticket_id is None:
            est = self.estimates.for_position(service_id, people_ahead)
        else:
            est = self.estimates.for_ticket(service_id, ticket_id, people_ahead)
        view = m.Estimate(low_min=round(est.low_min, 1), mid_min=round(est.mid_min, 1), high_min=round(est.high_min, 1))
        return view, est.model_min if est.model_min is not None else est.mid_min

    def estimate_for(self, service_id: str, people_ahead: int) -> m.Estimate:
        return self.predict(service_id, people_ahead)[0]

    def ticket_view(self, t: TicketRow) -> m.TicketView:
        est = None
        if t.est_mid is not None:
            est = m.Estimate(low_min=t.est_low or 0, mid_min=t.est_mid, high_min=t.est_high or t.est_mid)
        return m.TicketView(
            id=t.id,
            number=t.number,
            day=t.day,
            service_id=t.service_id,
            state=t.state,  # type: ignore[arg-type]
            language=t.language,
            source=t.source,  # type: ignore[arg-type]
            priority_need=t.priority_need,
            reservation=t.reservation_id is not None,
            issued_at=iso(t.issued_at, self.tz) or "",
            called_at=iso(t.called_at, self.tz),
            counter=t.counter,
            recalls=t.recalls,
            has_form=bool(t.has_form),
            estimate=est,
            transfers=t.transfers,
            target_counter=t.target_counter,
            target_staff=t.target_staff,
            route=[self._route_step(s) for s in self.store.visit_steps(t.id)],
        )

    @staticmethod
    def _route_step(s: StepRow) -> m.RouteStep:
        waited = None
        if s.called_at is not None and s.joined_at is not None:
            waited = round(max(0.0, s.called_at - s.joined_at) / 60, 1)
        return m.RouteStep(service_id=s.service_id, state=s.state, counter=s.counter, waited_min=waited)  # type: ignore[arg-type]

    def _public_route(self, steps: list[StepRow]) -> list[m.PublicRouteStep]:
        out = []
        for s in steps:
            counters = [c for c in self.config.counters if s.service_id in c.services]
            areas = [self.config.counter_area(c) for c in counters]
            # one waiting area for all its counters is worth saying; several would mislead
            area = areas[0] if areas and all(a == areas[0] for a in areas) else None
            out.append(
                m.PublicRouteStep(
                    service_id=s.service_id,
                    service_name=self.config.service(s.service_id).name,
                    state=s.state,  # type: ignore[arg-type]
                    counters=[c.number for c in counters],
                    area=area,
                )
            )
        return out

    def route_estimate(self, route: tuple[str, ...], first: m.Estimate) -> m.Estimate:
        """From now to the last counter done. The first step's wait; at each later step, those waiting there now
        (they were issued earlier: they stay ahead of a ticket placed by its issue time) less what their counters
        serve while the resident is at the earlier steps, never less than the wait at the head of the queue; plus
        every step's service time."""
        day = self.engine.today()
        low, mid, high = first.low_min, first.mid_min, first.high_min
        for i, sid in enumerate(route):
            if i > 0:
                head = self.estimate_for(sid, 0)
                queue = self.estimate_for(sid, self.store.waiting_count(day, sid))
                low += head.low_min
                mid += max(head.mid_min, queue.mid_min - mid)
                high += max(head.high_min, queue.high_min - low)
            service_min = self.config.service(sid).mean_service_min
            low, mid, high = low + 0.7 * service_min, mid + service_min, high + 1.5 * service_min
        return m.Estimate(low_min=round(low), mid_min=round(mid), high_min=round(high))

    def hall_info(self) -> m.HallInfo:
        c = self.config
        return m.HallInfo(
            name=c.hall.name,
            timezone=c.hall.timezone,
            languages=list(c.hall.languages),
            opening_start=c.hall.opening.start.strftime("%H:%M"),
            opening_end=c.hall.opening.end.strftime("%H:%M"),
            inactivity_seconds=c.hall.inactivity_seconds,
            services=[
                m.ServiceInfo(
                    id=s.id,
                    prefix=s.prefix,
                    category=s.category,
                    icon=s.icon,
                    name=s.name,
                    description=s.description,
                    form=s.form,
                    card_autofill=s.card_autofill,
                    needs_individual_number=s.needs_individual_number,
                    hours_start=s.hours.start.strftime("%H:%M") if s.hours else None,
                    hours_end=s.hours.end.strftime("%H:%M") if s.hours else None,
                    mean_service_min=s.mean_service_min,
                )
                for s in c.services
            ],
            counters=[
                m.CounterInfo(number=k.number, name=k.name, area=c.counter_area(k), services=list(k.services))
                for k in c.counters
            ],
            forms={fid: f.model_dump(mode="json") for fid, f in c.forms.items()},
            notices=list(c.hall.notices),
            hall_day=self.engine.today(),
            kiosk_when_printer_fails=c.hall.kiosk_when_printer_fails,
            machine_translated={path: list(langs) for path, langs in c.machine_translated.items()},
            life_events=[e.model_dump(mode="json") for e in c.life_events],
        )

    def _hours_now(self, service_id: str, now: dt.datetime) -> tuple[bool, str | None, float | None]:
        """Open now; else when it opens today (None: not again today); while open, minutes until it closes."""
        s = self.config.service(service_id)
        span = s.hours or self.config.hall.opening
        t = now.time()
        if span.contains(t):
            ends = dt.datetime.combine(now.date(), span.end, tzinfo=now.tzinfo)
            return True, None, round((ends.timestamp() - now.timestamp()) / 60, 1)
        if t < span.start:
            return False, span.start.strftime("%H:%M"), None
        return False, None, None

    def services_status(self) -> list[m.ServiceStatus]:
        now = self.engine.clock()
        now_ts = now.timestamp()
        out = []
        for sid, (count, oldest) in self.engine.waiting_per_service().items():
            open_now, opens_at, closes_in_min = self._hours_now(sid, now)
            out.append(
                m.ServiceStatus(
                    id=sid,
                    waiting=count,
                    oldest_wait_min=round((now_ts - oldest) / 60, 1) if oldest else 0.0,
                    estimate=self.estimate_for(sid, count),
                    open_now=open_now,
                    opens_at=opens_at,
                    closes_in_min=closes_in_min,
                )
            )
        return out

    def local_now(self) -> dt.datetime:
        """The hall clock as a naive local time of the hall (slots and check-in windows are in it)."""
        return self.engine.clock().astimezone(ZoneInfo(self.tz)).replace(tzinfo=None)

    def status_url(self, token: str) -> str:
        return f"{self.public_url}/t/{token}"

    # ------------------------------------------------------------------ issuing
    def _rate_check(self, device: str) -> None:
        # Counted in the database, inside the issuing transaction: every server worker sees the same count, and a
        # retried request (same request id, the same ticket) is not counted twice.
        limit = self.config.hall.issue_rate_per_minute
        if not self.store.admit_issue(device, self.engine.now(), limit):
            raise RateLimited(f"kiosk {device} issued {limit} tickets in the last minute")

    def check_in(self, req: m.CheckinRequest, device: str) -> m.IssuedTicket:
        """Check a reservation in: a ticket with reservation priority, or ReservationRefused with the reason."""
        existing = self.store.ticket_by_request(device, req.request_id)
        if existing is not None:
            return self.issued_view(Issued(existing, duplicate=True), 0)
        h = self.config.hall
        row = self.reservations.find_for_checkin(
            req.code, self.engine.clock(), h.reservation_early_min, h.reservation_late_min
        )
        reservation_id = int(str(row["id"]))
        service_id = str(row["service_id"])
        # Booked on /book in another language, shown at a kiosk still in its default Japanese: the ticket (its
        # phone page, the board's call line) speaks the language the resident booked in
        language = req.language
        if language == "ja" and row.get("language") and row["language"] in self.config.hall.languages:
            language = str(row["language"])
        est, model = self.predict(service_id, 0)

        def link(ticket: TicketRow) -> None:
            if not self.store.link_reservation(reservation_id, ticket.id):
                from madoguchi.server.reservations import ReservationRefused

                raise ReservationRefused("reservation.error.already_checked_in")

        issued = self.engine.issue(
            service_id,
            language=language,
            source="reservation",
            device=device,
            request_id=req.request_id,
            reservation_id=reservation_id,
            estimate=(est.low_min, est.mid_min, est.high_min),
            estimate_model=model,
            before_commit=link,
        )
        return self.issued_view(issued, self.engine.position(issued.ticket.id))

    def withdraw_request(self, device: str, request_id: str) -> m.WithdrawResult:
        """A kiosk told its resident that this request failed: its ticket, if stored, must not stay in the queue.

        Only the kiosk that sent the request can name it. A waiting (or already called) ticket is cancelled with
        its event; a check-in's reservation is freed so the resident can check in again."""
        found = self.store.ticket_by_request(device, request_id)
        if found is None:
            return m.WithdrawResult(status="not_found")
        if found.state not in ("waiting", "called"):
            log.info("withdrawn request of ticket %s kept: already %s", found.number, found.state)
            return m.WithdrawResult(status="kept", number=found.number)
        with self.store.write():
            ticket = self.engine.cancel(found.id, by="kiosk", reason="not_handed_out")
            if ticket.reservation_id is not None:
                self.store.unlink_reservation(ticket.reservation_id, ticket.id)
        log.warning("ticket %s cancelled: kiosk %s had told the resident it could not issue", ticket.number, device)
        return m.WithdrawResult(status="cancelled", number=ticket.number)

    def issued_view(self, issued: Issued, ahead: int) -> m.IssuedTicket:
        """The answer to a kiosk (built outside the transaction by the server: the write lock is held less)."""
        t = issued.ticket
        view = self.ticket_view(t)
        estimate = view.estimate or self.estimate_for(t.service_id, ahead)
        route = tuple(s.service_id for s in view.route if s.state in ("current", "pending"))
        return m.IssuedTicket(
            ticket=view,
            people_ahead=ahead,
            estimate=estimate,
            token=t.token,
            status_url=self.status_url(t.token),
            route_estimate=self.route_estimate(route, estimate) if len(route) > 1 else None,
        )

    def issue(self, req: m.IssueRequest, device: str, *, rate_limit: bool = True) -> m.IssuedTicket:
        return self.issued_view(*self.issue_ticket(req, device, rate_limit=rate_limit))

    def issue_ticket(self, req: m.IssueRequest, device: str, *, rate_limit: bool = True) -> tuple[Issued, int]:
        """The database part of issuing: the ticket and how many of its service are ahead of it.

        A refused or failed issue leaves nothing behind: it runs as one writer job, in its own savepoint."""
        try:
            self.config.service(req.service_id)
        except KeyError:
            from madoguchi.server.engine import UnknownService

            raise UnknownService("no such service is configured") from None
        route: tuple[str, ...] | None = None
        form_service = req.service_id
        if req.route is not None and len(req.route) > 1:
            try:
                route = check_route(self.config, req.route)
            except RouteRefused as exc:
                raise VisitRefused("visit.route_invalid", str(exc)) from None
            # the one form of the visit: the first of its procedures with a form
            form_service = visit_form_service(self.config, route) or req.service_id
        if req.form:
            service = self.config.service(form_service)
            problems = shape_problems(self.config.forms.get(service.form) if service.form else None, req.form)
            if problems:
                raise FormRefused("; ".join(problems)[:500])
        waiting = self.store.waiting_count(self.engine.today(), req.service_id)
        est, model = self.predict(req.service_id, waiting)
        form = req.form

        def attach_form(ticket: TicketRow) -> None:
            if form:
                nonce, ct = self.cipher.encrypt(ticket.day, ticket.id, form)
                self.store.put_form(ticket.id, self.config.service(form_service).form, nonce, ct, ticket.issued_at)

        issued: Issued = self.engine.issue(
            req.service_id,
            language=req.language,
            source=req.source,
            priority_need=req.priority_need,
            device=device,
            request_id=req.request_id,
            has_form=bool(form),
            estimate=(est.low_min, est.mid_min, est.high_min),
            estimate_model=model,
            before_commit=attach_form,
            # after the engine's look-up of a repeated request: a retry gets its ticket back even at the limit
            admit=(lambda: self._rate_check(device)) if rate_limit else None,
            route=route,
            life_event=req.life_event if route is not None else None,
        )
        t = issued.ticket
        # a fresh walk-in ticket is behind everyone already waiting; a repeated request is looked up again
        ahead = self.engine.position(t.id) if issued.duplicate or t.priority_need else waiting
        return issued, ahead

    def ticket_by_token(self, token: str) -> m.TicketView:
        found = self.store.ticket_by_token(token)
        if found is None:
            from madoguchi.server.engine import UnknownTicket

            raise UnknownTicket("no ticket with this code")
        return self.ticket_view(found)

    # ------------------------------------------------------------------ phone page and board
    def ticket_status(self, token: str) -> tuple[m.TicketStatus, TicketRow] | None:
        """A phone page's ticket; only today's (an old day's token says nothing more)."""
        t = self.store.ticket_by_token(token)
        if t is None or t.day != self.engine.today():
            return None
        ahead = self.engine.position(t.id) if t.state == "waiting" else 0
        est = self.predict(t.service_id, ahead, ticket_id=t.id)[0] if t.state == "waiting" else None
        status = m.TicketStatus(
            number=t.number,
            state=t.state,  # type: ignore[arg-type]
            language=t.language,
            service_name=self.config.service(t.service_id).name,
            people_ahead=ahead,
            estimate=est,
            counter=t.counter if t.state in ("called", "serving") else None,
            now_calling=self.store.last_called(t.day, t.service_id) if t.state == "waiting" else None,
            recalls=t.recalls,
            updated_at=iso(self.engine.now(), self.tz),
            route=self._public_route(self.store.visit_steps(t.id)),
        )
        return status, t

    def phone_statuses(self, tokens: list[str]) -> dict[str, tuple[m.TicketStatus, int, str] | None]:
        """The statuses of the tickets phones follow, with each ticket's id and procedure (one writer job for all
        of them after an event)."""
        out: dict[str, tuple[m.TicketStatus, int, str] | None] = {}
        for token in tokens:
            found = self.ticket_status(token)
            out[token] = (found[0], found[1].id, found[1].service_id) if found is not None else None
        return out

    def resident_leaves(self, token: str) -> tuple[m.TicketStatus, TicketRow] | None:
        """ "I am leaving" on the phone page: a waiting (or called) ticket of today is cancelled by its resident."""
        found = self.ticket_status(token)
        if found is None:
            return None
        _status, t = found
        if t.state in ("waiting", "called"):
            self.engine.cancel(t.id, by="resident", reason="left")
            log.info("ticket %s cancelled from its phone page", t.number)
        return self.ticket_status(token)

    def reservations_of_day(self, day: dt.date | None) -> m.ReservationDay:
        now = self.local_now()
        views = self.booking.of_day(day or now.date(), now)
        return m.ReservationDay(
            date=(day or now.date()).isoformat(),
            reservations=[
                m.ReservationView(
                    id=v.id,
                    reference=v.reference_shown,
                    service_id=v.service_id,
                    date=v.day.isoformat(),
                    slot_start=v.start.strftime("%H:%M"),
                    slot_end=v.end.strftime("%H:%M") if v.end else None,
                    source=v.source,
                    state=v.state,
                    ticket_number=v.ticket_number,
                )
                for v in views
            ],
            capacity=dict(self.config.booking.capacity),
        )

    def board_state(self, limit: int = 12) -> m.BoardState:
        day = self.engine.today()
        calls: list[m.BoardCall] = []
        seen: set[int] = set()
        for e in self.store.recent_calls(limit * 3):
            if e.ticket_id is None or e.ticket_id in seen:
                continue
            seen.add(e.ticket_id)
            calls.append(
                m.BoardCall(
                    event_id=e.id,
                    ticket_id=e.ticket_id,
                    number=e.data.get("number", ""),
                    counter=e.counter or 0,
                    service_id=e.data.get("service_id", ""),
                    language=e.data.get("language", "ja"),
                    at=iso(e.at, self.tz) or "",
                    recall=int(e.data.get("recall", 0)),
                    step=e.data.get("step"),
                    steps=e.data.get("steps"),
                )
            )
            if len(calls) >= limit:
                break
        serving = {c: t.number for c, t in self.store.now_serving(day).items()}
        waiting = {sid: n for sid, (n, _) in self.engine.waiting_per_service().items()}
        return m.BoardState(
            last_event_id=self.store.last_event_id(),
            recent_calls=calls,
            now_serving=serving,
            waiting=waiting,
            notices=list(self.config.hall.notices),
            # open and on a break; closed only when closed today (a counter never opened is no news to residents)
            counters={n: c.state for n, c in self.counters_now().items() if c.state != "closed" or c.since},
            next_steps=self.recent_next_steps(),
        )

    def recent_next_steps(self, minutes: float = 10, limit: int = 8) -> list[m.BoardNextStep]:
        """Visits that moved on to their next counter lately: the board says where they go now."""
        since = self.engine.now() - minutes * 60
        return [
            m.BoardNextStep(
                event_id=e.id,
                number=str(e.data.get("number", "")),
                service_id=str(e.data.get("service_id", "")),
                step=int(e.data.get("step", 0)),
                steps=int(e.data.get("steps", 0)),
                at=iso(e.at, self.tz) or "",
            )
            for e in self.store.recent_events(("ticket.next_step",), since, limit)
        ]

    # ------------------------------------------------------------------ counters
    def counters_now(self) -> dict[int, CounterNow]:
        """Every counter's state: what its staff set today, closed where nobody is logged in."""
        numbers = [c.number for c in self.config.counters]
        return counters_now(numbers, self.store.counter_states(), self.store.staffed_counters(), self.engine.today())

    def counter_views(self) -> list[m.CounterNow]:
        names = self.store.staff_names()
        serving = {c: t.number for c, t in self.store.now_serving(self.engine.today()).items()}
        return [
            m.CounterNow(
                number=n,
                state=c.state,
                reason=c.reason,  # type: ignore[arg-type]
                since=iso(c.since, self.tz) if c.since else None,
                staff=[names.get(s, s) for s in c.staff],
                current=serving.get(n),
            )
            for n, c in self.counters_now().items()
        ]

    def close_unstaffed_counters(self) -> int:
        """A counter left open (or on a break) with nobody logged in any more is closed, with its event: the
        board and the estimates then know (a PC switched off, a session run out, a logout)."""
        today = self.engine.today()
        rows = self.store.counter_states()
        staffed = self.store.staffed_counters()
        stale = [n for n, r in rows.items() if r.day == today and r.state != "closed" and n not in staffed]
        if not stale:
            return 0
        with self.store.write():
            now = self.engine.now()
            for n in stale:
                self.engine.record_counter_state(n, today, now, "closed", None, None)
        self.engine.notify_events()
        return len(stale)

    def hall_now(self) -> m.HallNow:
        return m.HallNow(
            hall_day=self.engine.today(),
            at=iso(self.engine.now(), self.tz) or "",
            services=self.services_status(),
            counters=self.counter_views(),
        )

    def staff_names(self) -> dict[str, str]:
        """Staff id → display name (statistics show names, not ids)."""
        return self.store.staff_names()

    def staff_directory(self) -> list[m.StaffMember]:
        """Active staff and where they are logged in (to send a resident to one clerk)."""
        staffed = self.store.staffed_counters()
        where: dict[str, list[int]] = {}
        for counter, ids in staffed.items():
            for sid in ids:
                where.setdefault(sid, []).append(counter)
        return [
            m.StaffMember(
                staff_id=str(s["staff_id"]),
                display_name=str(s["display_name"]),
                counters=where.get(str(s["staff_id"]), []),
            )
            for s in self.store.staff_members()
            if s["active"] and not s["locked_at"]
        ]

    def _waiting_view(self, t: TicketRow, now: float, steps: list[StepRow] | None = None) -> m.WaitingTicket:
        where = visit_route.place(steps) if steps else None
        return m.WaitingTicket(
            step=where[0] if where else None,
            steps=where[1] if where else None,
            id=t.id,
            number=t.number,
            service_id=t.service_id,
            language=t.language,
            # a no-show: how long ago it was called off (the late-arrival window runs from then)
            waited_min=round(
                max(0.0, now - (t.finished_at if t.state == "no_show" and t.finished_at else t.issued_at)) / 60, 1
            ),
            priority_need=t.priority_need,
            reservation=t.reservation_id is not None,
            transfers=t.transfers,
            target_counter=t.target_counter,
            target_staff=t.target_staff,
        )

    def waiting_list(self, counter: int) -> m.WaitingList:
        """The tickets this counter may call, in the order Call next takes them, and the no-shows it may still
        put back."""
        services = self.config.counter(counter).services
        day, now = self.engine.today(), self.engine.now()
        h = self.config.hall
        waiting = self.store.waiting_list(day, services, counter)
        no_shows = self.store.recent_no_shows(day, services, now - h.late_arrival_within_min * 60)
        routes = self.store.visit_steps_of([t.id for t in waiting])
        return m.WaitingList(
            counter=counter,
            waiting=[self._waiting_view(t, now, routes.get(t.id)) for t in waiting],
            no_shows=[self._waiting_view(t, now) for t in no_shows] if h.late_arrival_within_min else [],
            late_arrival_within_min=h.late_arrival_within_min,
            undo_seconds=h.undo_seconds,
        )

    def counter_queue(self, counter: int) -> m.CounterQueue:
        services = self.config.counter(counter).services
        now = self.engine.now()
        counts = self.engine.waiting_per_service()
        active = self.store.active_at_counter(counter)
        state = self.counters_now()[counter]
        return m.CounterQueue(
            state=state.state,
            reason=state.reason,  # type: ignore[arg-type]
            counter=counter,
            services=[
                m.QueueOfService(
                    service_id=sid,
                    waiting=counts[sid][0],
                    oldest_wait_min=round((now - counts[sid][1]) / 60, 1) if counts[sid][1] else 0.0,  # type: ignore[operator]
                )
                for sid in services
            ],
            current=self.ticket_view(active) if active else None,
        )

    # ------------------------------------------------------------------ forms
    def _form_ticket(self, ticket_id: int, counter: int | None, device: str) -> TicketRow:
        t = self.engine.ticket(ticket_id)
        if counter is None or t.counter != counter or t.state not in ("called", "serving"):
            raise NotAllowed("only the counter that called this ticket may see its form")
        called_by = self.store.called_device(t.id)
        if called_by is not None and called_by != device:  # another PC at the same counter
            raise NotAllowed("only the PC that called this ticket may see its form")
        return t

    def read_form(self, ticket_id: int, *, staff_id: str, counter: int | None, device: str) -> m.FormView:
        t = self._form_ticket(ticket_id, counter, device)
        with self.store.write():
            # which procedure's view of the form was read (a visit's counters each see their own fields)
            self.store.audit(
                self.engine.now(),
                "form.view",
                staff_id=staff_id,
                device=device,
                counter=counter,
                ticket_id=t.id,
                subject=t.service_id,
            )
        fields, form_id = self._decrypt(t)
        masked = None
        if "individual_number" in fields:
            masked = mask_individual_number(str(fields.pop("individual_number")))
        return m.FormView(ticket_id=t.id, form_id=form_id, fields=fields, individual_number_masked=masked)

    def reveal_individual_number(self, ticket_id: int, *, staff_id: str, counter: int | None, device: str) -> str:
        t = self._form_ticket(ticket_id, counter, device)
        fields, _ = self._decrypt(t)
        if "individual_number" not in fields:
            raise IllegalTransition("this ticket's form has no individual number")
        with self.store.write():
            self.store.audit(
                self.engine.now(),
                "form.reveal_individual_number",
                staff_id=staff_id,
                device=device,
                counter=counter,
                ticket_id=t.id,
            )
        return str(fields["individual_number"])

    def _decrypt(self, t: TicketRow) -> tuple[dict[str, Any], str | None]:
        """The form as the ticket's counter now may see it: a visit's later counter sees only the fields of its
        own procedure's form (the visit's form was filled once, for its first procedure with a form)."""
        row = self.store.get_form(t.id)
        if row is None:
            return {}, None
        form_id, nonce, ct = row
        data = self.cipher.decrypt(t.day, t.id, nonce, ct) or {}
        step_form = self.config.service(t.service_id).form
        if step_form == form_id or not self.store.visit_steps(t.id):
            return data, form_id
        if step_form is None or step_form not in self.config.forms:
            return {}, None
        return fields_of_form(data, self.config.forms[step_form]), step_form

    def purge_forms(self, *, before_day: str | None = None) -> int:
        """Delete form data (all, or of days before ``before_day``) and the keys that could decrypt it."""
        now = self.engine.now()
        with self.store.write():
            count = self.store.purge_forms(before_day=before_day)
            self.store.append_event(now, "forms.purged", None, None, {"count": count})
        # written down beside the database: a restore of an older backup applies it again
        scope = PurgeRecord(now, "all") if before_day is None else PurgeRecord(now, "before_day", before_day)
        self.store.after_commit(lambda: record_purge(self.store.path, scope))
        # once committed: copy the WAL into the file and truncate it, so no copy of the purged rows stays there
        self.store.after_commit(self.store.checkpoint)
        keys = self.cipher.purge_keys(before_day=before_day)
        log.info("purged %d form records and %d day keys", count, keys)
        return count

    def visit_statistics(self, day: str | None = None) -> m.VisitStats:
        return visit_statistics(self.store, day or self.engine.today(), self.config)

    def roll_day(self) -> int:
        """Day roll (called by a timer): expire old tickets, purge old forms and their keys."""
        purged = self.engine.roll_day_if_needed()
        today = self.engine.today()
        self.estimator.learn_if_needed(today)
        days = self.cipher.key_days()
        if purged or (days and days[0] < today):
            self.store.after_commit(self.store.checkpoint)
            self.cipher.purge_keys(before_day=today)
        return purged

    # ------------------------------------------------------------------ staff sessions
    def staff_login_record(self, staff_id: str) -> tuple[str, str, bool] | None:
        """(display name, password hash, may log in) of a staff member; the hash is checked off this thread."""
        return self.store.staff(staff_id)

    def login_failed(self, staff_id: str | None, device: str, *, count: bool = True) -> bool:
        """A refused login, audited (``staff_id`` None: an id that does not exist, which is not written down, since
        it may be a password typed in the wrong field); ``count``: a wrong password, counted towards the lock.
        True when this one locked the account (then logged and alerted)."""
        now = self.engine.now()
        self.store.audit(now, "staff.login_failed", staff_id=staff_id, device=device, counter=None, ticket_id=None)
        if staff_id is None or not count:
            return False
        locked = self.store.login_failed(staff_id, self.config.security.lock_after_failed_logins, now)
        if locked:
            self.store.audit(now, "staff.locked", staff_id=staff_id, device=device, counter=None, ticket_id=None)
            log.warning("staff account %s locked after repeated failed logins", staff_id)
        return locked

    def open_staff_session(self, staff_id: str, device: str, device_counter: int | None, counter: int | None) -> str:
        """A new session for a staff member who just proved their password, at the counter their PC is bound to.

        The counter is the server's to know, never the client's to declare: a PC bound to counter 3 opens sessions
        at counter 3 only, and an unbound staff PC none at all."""
        if device_counter is None:
            raise NotAllowed(f"the PC {device} is bound to no counter; an administrator binds it (admin bind-device)")
        if counter is not None and counter != device_counter:
            raise NotAllowed(f"this PC serves counter {device_counter}")
        self.store.login_succeeded(staff_id)
        session = new_token()
        now = self.engine.now()
        self.store.add_staff_session(token_hash(session), staff_id, device, device_counter, now)
        self.store.audit(now, "staff.login", staff_id=staff_id, device=device, counter=device_counter, ticket_id=None)
        # a clerk logging in opens the counter (a break or a close is their next decision)
        now_state = self.counters_now().get(device_counter)
        if now_state is not None and (now_state.state != "open" or self._state_unset(device_counter)):
            self.engine.set_counter_state(device_counter, "open", staff_id=staff_id)
        return session

    def _state_unset(self, counter: int) -> bool:
        row = self.store.counter_states().get(counter)
        return row is None or row.day != self.engine.today()

    def rehash_password(self, staff_id: str, password_hash: str) -> None:
        """The password just proved, hashed anew with today's parameters."""
        self.store.set_password_hash(staff_id, password_hash)

    def purge_old_forms(self) -> int:
        """``[hall] form_retention_hours``: a form older than that is deleted before the day reset does it."""
        hours = self.config.hall.form_retention_hours
        if not hours:
            return 0
        cutoff = self.engine.now() - hours * 3600
        purged = self.store.purge_forms_created_before(cutoff)
        if purged:
            now = self.engine.now()
            self.store.after_commit(lambda: record_purge(self.store.path, PurgeRecord(now, "created_before", cutoff)))
            log.info("%d form records older than %d hours purged", purged, hours)
            self.store.after_commit(self.store.checkpoint)
        return purged

    def end_idle_sessions(self) -> int:
        idle_s = self.config.security.staff_idle_min * 60
        now = self.engine.now()
        return self.store.end_staff_sessions(now, idle_before=now - idle_s)

    def end_staff_session(self, session: str) -> None:
        digest = token_hash(session)
        owner = self.store.session_owner(digest)
        if owner is not None:
            staff_id, device, counter = owner
            self.store.audit(
                self.engine.now(), "staff.logout", staff_id=staff_id, device=device, counter=counter, ticket_id=None
            )
        self.store.end_staff_session(digest)
        self.close_unstaffed_counters()

    # ------------------------------------------------------------------ devices
    def call_staff(self, device: str, screen: str, language: str) -> m.StaffCall:
        """A resident asked for help at a kiosk or board: a call on every staff console and admin console.

        The answer says how many consoles can see it now, so the kiosk never promises help nobody will see."""
        data = {"device": device, "screen": screen, "language": language}
        with self.store.write():
            call_id = self.store.append_event(self.engine.now(), "alert.call_staff", None, None, data)
        self.engine.notify_events()
        return m.StaffCall(call_id=call_id, watching=self.consoles_watching())

    def consoles_watching(self) -> int:
        """Staff consoles with someone logged in, and admin consoles, whose heartbeat is recent."""
        fresh = self.engine.now() - self.config.operations.heartbeat_timeout_s
        logged_in = set(self.store.staff_session_devices())
        return sum(
            1
            for d in self.store.devices()
            if d["last_seen"] is not None
            and float(d["last_seen"]) >= fresh
            and (d["role"] == "admin" or (d["role"] == "staff" and d["name"] in logged_in))
        )

    def _call(self, call_id: int, device: str | None) -> EventRow:
        """The call event; ``device``: only that device's own call (a kiosk asking about another's is refused)."""
        from madoguchi.server.engine import UnknownTicket

        call = self.store.event(call_id, "alert.call_staff")
        if call is None or (device is not None and call.data.get("device") != device):
            raise UnknownTicket("no such call for help")
        return call

    def call_status(self, call_id: int, device: str | None) -> m.StaffCall:
        self._call(call_id, device)
        ack = self.store.event_about("alert.call_staff_ack", "call_id", call_id)
        return m.StaffCall(
            call_id=call_id,
            watching=self.consoles_watching(),
            acknowledged=ack is not None,
            counter=ack.counter if ack is not None else None,
        )

    def acknowledge_call(self, call_id: int, *, counter: int | None, role: str) -> m.StaffCall:
        """Staff (at ``counter``) or the admin console answered "on my way"; the first answer stands."""
        call = self._call(call_id, None)
        if self.store.event_about("alert.call_staff_ack", "call_id", call_id) is None:
            data = {"call_id": call_id, "device": call.data.get("device", ""), "by": role}
            with self.store.write():
                self.store.append_event(self.engine.now(), "alert.call_staff_ack", None, counter, data)
            self.engine.notify_events()
            by = f"counter {counter}" if counter else role
            log.info("call %d from %s answered by %s", call_id, data["device"], by)
        return self.call_status(call_id, None)

    def devices(self) -> list[dict[str, object]]:
        return self.store.devices()

    # ------------------------------------------------------------------ accounts (the administrator's)
    def staff_members(self) -> list[dict[str, object]]:
        return self.store.staff_members()

    def change_staff(self, staff_id: str, action: str, *, by: str) -> bool:
        """disable (ends their sessions), enable, unlock or remove, by the admin device ``by`` (audited); False
        when there is no such member."""
        changed = change_staff(self.store, staff_id, action)
        if changed:
            audit_account_change(self.store, self.engine.now(), f"account.staff.{action}", staff_id, by)
        return changed

    def change_device(self, name: str, action: str, *, by: str) -> bool:
        """disable (its token refused, its sessions ended), enable or remove, by ``by`` (audited); False when
        there is no such device."""
        changed = change_device(self.store, name, action)
        if changed:
            audit_account_change(self.store, self.engine.now(), f"account.device.{action}", name, by)
        return changed

    def heartbeat(self, device: str, health: m.DeviceHealth) -> None:
        self.store.device_heartbeat(device, self.engine.now(), health.model_dump_json())
