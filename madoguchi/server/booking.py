"""Residents' own bookings (/book): the free slots, booking one, its confirmation page, cancelling it.

Runs on the writer thread (``HallService.booking``), so a slot's seats are counted and taken in one job after
another: two residents pressing "book" for the last seat at once get it once. A booking takes a seat of its slot
(1..capacity); the store's unique index on (procedure, date, slot, seat) refuses a seat taken twice whatever
writes. Bookings made on the kiosk's check-in path are reservations like imported ones: the same ``MDR1:`` code.

A resident keeps the confirmation page's address: ``/book/r/<token>``, 128 bits derived from the booking form's
request id with the hall's check-in key (a form sent twice, a double tap, leads to the same booking), stored only
as its SHA-256. No name, no address, no phone number is asked.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from madoguchi.core.booking_slots import booking_days, is_bookable, open_slots, slot_end
from madoguchi.core.config import HallConfig
from madoguchi.core.forms.checkin_window import checkin_decision
from madoguchi.core.forms.reservation_codes import encode_checkin_code, format_reference, new_reference
from madoguchi.server.engine import QueueError
from madoguchi.server.store import Store

#: a slot with this many seats left or fewer is "few left"
FEW_LEFT = 1


class BookingRefused(QueueError):
    """The booking cannot be made; ``code`` is the message id shown to the resident."""

    code = "book.error"

    def __init__(self, message_id: str) -> None:
        super().__init__(message_id)
        self.code = message_id


@dataclass(frozen=True)
class DayOffer:
    day: dt.date
    closed: bool
    slots: int
    free_slots: int
    few_left: bool


@dataclass(frozen=True)
class SlotOffer:
    start: dt.time
    end: dt.time
    free: int


@dataclass(frozen=True)
class BookingView:
    id: int
    reference: str
    service_id: str
    day: dt.date
    start: dt.time
    end: dt.time | None
    language: str
    #: "booked" (may check in), "checked_in", "cancelled", "missed" (the check-in window has passed)
    state: str
    checkin_code: str
    checkin_opens: dt.datetime
    checkin_closes: dt.datetime
    ticket_number: str | None
    source: str

    @property
    def reference_shown(self) -> str:
        return format_reference(self.reference) if len(self.reference) == 9 else self.reference


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class BookingDesk:
    def __init__(self, store: Store, key: bytes, config: Callable[[], HallConfig]) -> None:
        self.store = store
        self.key = key
        self._config = config

    @property
    def config(self) -> HallConfig:
        return self._config()

    # ------------------------------------------------------------------ what is offered
    def days(self, service_id: str, now: dt.datetime) -> list[DayOffer]:
        cfg = self.config
        days = booking_days(cfg, now.date())
        cap = cfg.booking.capacity.get(service_id, 0)
        taken = self.store.booking_counts(service_id, days[0].isoformat(), days[-1].isoformat())
        out = []
        for day in days:
            starts = open_slots(cfg, service_id, day, now)
            free = [cap - taken.get((day.isoformat(), t.strftime("%H:%M")), 0) for t in starts]
            free_slots = sum(1 for f in free if f > 0)
            out.append(
                DayOffer(
                    day=day,
                    closed=cfg.booking.is_closed(day),
                    slots=len(starts),
                    free_slots=free_slots,
                    few_left=0 < sum(max(0, f) for f in free) <= max(FEW_LEFT, cap),
                )
            )
        return out

    def slots(self, service_id: str, day: dt.date, now: dt.datetime) -> list[SlotOffer]:
        cfg = self.config
        cap = cfg.booking.capacity.get(service_id, 0)
        taken = self.store.slot_bookings(service_id, day.isoformat())
        return [
            SlotOffer(t, slot_end(cfg, t), max(0, cap - len(taken.get(t.strftime("%H:%M"), []))))
            for t in open_slots(cfg, service_id, day, now)
        ]

    # ------------------------------------------------------------------ booking
    def manage_token(self, request_id: str) -> str:
        mac = hmac.new(self.key, f"book-manage:{request_id}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac[:16]).decode().rstrip("=")

    def book(
        self, service_id: str, day: dt.date, start: dt.time, language: str, request_id: str, now: dt.datetime, at: float
    ) -> tuple[BookingView, str]:
        """The booking and its confirmation page's token; the same booking again for a form sent twice."""
        token = self.manage_token(request_id)
        found = self.store.booking_by("request_hash", digest(request_id))
        if found is not None:
            return self._view(found), token
        cfg = self.config
        if service_id not in cfg.booking.capacity:
            raise BookingRefused("book.error.not_offered")
        if not is_bookable(cfg, service_id, day, start, now):
            raise BookingRefused("book.error.not_offered")
        slot = start.strftime("%H:%M")
        capacity = cfg.booking.capacity[service_id]
        taken = self.store.slot_bookings(service_id, day.isoformat()).get(slot, [])
        if len(taken) >= capacity:
            raise BookingRefused("book.error.full")
        seat = min(set(range(1, capacity + 1)) - {s for s in taken if s is not None})
        reference = new_reference()
        while self.store.reservation_by_code(reference) is not None:  # one in 31^8: never twice in a row
            reference = new_reference()
        with self.store.write():
            self.store.insert_booking(
                reference,
                service_id,
                day.isoformat(),
                slot,
                slot_end(cfg, start).strftime("%H:%M"),
                seat,
                language,
                digest(token),
                digest(request_id),
                at,
            )
        made = self.store.booking_by("manage_hash", digest(token))
        assert made is not None
        return self._view(made, now), token

    def find(self, token: str, now: dt.datetime | None = None) -> BookingView | None:
        row = self.store.booking_by("manage_hash", digest(token))
        return self._view(row, now) if row is not None else None

    def cancel(self, token: str, now: dt.datetime, at: float) -> BookingView | None:
        """Cancel a booking not checked in yet (a cancelled one stays cancelled); None for an unknown token."""
        row = self.store.booking_by("manage_hash", digest(token))
        if row is None:
            return None
        view = self._view(row, now)
        if view.state == "booked":
            with self.store.write():
                self.store.cancel_reservation(view.id, at)
            row = self.store.booking_by("manage_hash", digest(token))
            assert row is not None
            view = self._view(row, now)
        return view

    def of_day(self, day: dt.date, now: dt.datetime) -> list[BookingView]:
        return [self._view(r, now) for r in self.store.reservations_of_day(day.isoformat())]

    # ------------------------------------------------------------------ views
    def _view(self, row: dict[str, Any], now: dt.datetime | None = None) -> BookingView:
        h = self.config.hall
        day = dt.date.fromisoformat(str(row["date"]))
        start = dt.time.fromisoformat(str(row["slot_start"]))
        end = dt.time.fromisoformat(str(row["slot_end"])) if row.get("slot_end") else None
        window = checkin_decision(
            dt.datetime.combine(day, start),
            now or dt.datetime.combine(day, start),
            early_min=h.reservation_early_min,
            late_min=h.reservation_late_min,
        )
        if row.get("cancelled_at") is not None:
            state = "cancelled"
        elif row.get("ticket_id") is not None:
            state = "checked_in"
        elif now is not None and now > window.closes_at:
            state = "missed"
        else:
            state = "booked"
        return BookingView(
            id=int(row["id"]),
            reference=str(row["code"]),
            service_id=str(row["service_id"]),
            day=day,
            start=start,
            end=end,
            language=str(row.get("language") or "ja"),
            state=state,
            checkin_code=encode_checkin_code(str(row["code"]), self.key),
            checkin_opens=window.opens_at,
            checkin_closes=window.closes_at,
            ticket_number=row.get("ticket_number"),
            source=str(row.get("source") or "import"),
        )
