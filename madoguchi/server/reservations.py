"""Reservations (窓口予約): creating them, importing a CSV, and checking a resident in at the kiosk.

A reservation has a reference code; its confirmation carries an ``MDR1:`` 2D code signed with the hall's
check-in key (``checkin.key`` in the key folder), so a typo or a forged code fails before any lookup. At the
kiosk, checking in inside the window (``reservation_early_min`` before to ``reservation_late_min`` after the
slot) issues a ticket with reservation priority; outside it the resident gets a friendly reason and may take a
normal ticket instead.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from madoguchi.core.forms.checkin_window import checkin_decision
from madoguchi.core.forms.reservation_codes import (
    ReservationCodeError,
    decode_checkin_code,
    encode_checkin_code,
    new_reference,
)
from madoguchi.core.forms.reservations_csv import ReservationRow, RowError, parse_reservations_csv
from madoguchi.server.engine import QueueError, UnknownService
from madoguchi.server.store import Store


class ReservationRefused(QueueError):
    """Check-in not possible now; ``code`` is a message id and ``params`` fill it (times, dates)."""

    code = "reservation.error"

    def __init__(self, message_id: str, params: dict[str, str] | None = None) -> None:
        super().__init__(message_id)
        self.code = message_id
        self.params = params or {}


@dataclass(frozen=True)
class Reservation:
    id: int
    reference: str
    service_id: str
    date: dt.date
    slot_start: dt.time
    checkin_code: str


def checkin_key(key_dir: Path) -> bytes:
    """The hall's secret for signing check-in codes (created once, 0600, beside the form keys)."""
    key_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = key_dir / "checkin.key"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    return key


class ReservationBook:
    def __init__(self, store: Store, key_dir: Path, service_ids: tuple[str, ...]) -> None:
        self.store = store
        self.key = checkin_key(key_dir)
        self.service_ids = service_ids

    def create(
        self,
        service_id: str,
        date: dt.date,
        slot_start: dt.time,
        slot_end: dt.time | None = None,
        *,
        reference: str | None = None,
        at: float,
    ) -> Reservation:
        if service_id not in self.service_ids:
            raise UnknownService("no such service is configured")
        # references of our own carry a check symbol; ones from outside booking systems are taken as given
        ref = reference.strip().upper().replace("-", "") if reference else new_reference()
        with self.store.write():
            rid = self.store.insert_reservation(
                ref,
                service_id,
                date.isoformat(),
                slot_start.strftime("%H:%M"),
                slot_end.strftime("%H:%M") if slot_end else None,
                None,
                at,
            )
        return Reservation(rid, ref, service_id, date, slot_start, encode_checkin_code(ref, self.key))

    def import_csv(self, text: str, *, at: float) -> tuple[list[Reservation], list[RowError]]:
        """All or nothing: with any bad row nothing is stored and every row error is returned."""
        rows, errors = parse_reservations_csv(text, self.service_ids)
        existing = self.store.reservation_codes()
        for r in rows:
            if r.reference.upper().replace("-", "") in existing:
                errors.append(
                    RowError(r.row, "reference", "reservations_csv.error.duplicate_reference", {"first_row": 0})
                )
        if errors:
            return [], sorted(errors, key=lambda e: e.row)
        made = []
        with self.store.write():
            for r in rows:
                made.append(self._from_row(r, at))
        return made, []

    def _from_row(self, r: ReservationRow, at: float) -> Reservation:
        return self.create(r.procedure_id, r.date, r.slot_start, r.slot_end, reference=r.reference, at=at)

    def find_for_checkin(self, code_text: str, now: dt.datetime, early_min: int, late_min: int) -> dict[str, object]:
        """The reservation row a check-in code names, if it may check in now; else ReservationRefused."""
        try:
            reference = decode_checkin_code(code_text, self.key)
        except ReservationCodeError as exc:
            raise ReservationRefused(exc.message_id) from None
        row = self.store.reservation_by_code(reference)
        if row is None:
            raise ReservationRefused("reservation.error.unknown")
        if row["ticket_id"] is not None:
            raise ReservationRefused("reservation.error.already_checked_in")
        if row.get("cancelled_at") is not None:
            raise ReservationRefused("reservation.error.cancelled")
        tz = now.tzinfo or ZoneInfo("Asia/Tokyo")
        slot = dt.datetime.combine(
            dt.date.fromisoformat(str(row["date"])), dt.time.fromisoformat(str(row["slot_start"]))
        )
        decision = checkin_decision(
            slot, now.astimezone(tz).replace(tzinfo=None), early_min=early_min, late_min=late_min
        )
        if not decision.allowed:
            raise ReservationRefused(decision.message_id, decision.params)
        return row
