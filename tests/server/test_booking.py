"""Residents' bookings (/book) against a real server: what is offered, one seat per booking even when everyone
presses at once, a form sent twice books once, cancelling gives the seat back and the code no longer checks in,
the per-source limit (behind the reverse proxy, by the address it names), and what staff see."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from madoguchi.client.hall_client import ClientError
from madoguchi.client.local_server import HallServerProcess
from madoguchi.core.config import EXAMPLE_CONFIG
from tests.support.rehearsal_clock import hall_time_ahead, write_offset


def _config(folder: Path, **keys: str) -> Path:
    """The example hall with every day bookable up to the slot and the given [booking] keys replaced."""
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    text = re.sub(r"^closed_weekdays = .*$", "closed_weekdays = []", text, flags=re.M)
    text = re.sub(r"^closed_dates = \[.*?\n\]", "closed_dates = []", text, flags=re.M | re.S)
    for key, value in {"lead_min": "0", **keys}.items():
        text, n = re.subn(rf"^{key} = .*$", f"{key} = {value}", text, count=1, flags=re.M)
        assert n == 1, key
    path = folder / "hall.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HallServerProcess]:
    tmp = tmp_path_factory.mktemp("booking")
    offset = tmp / "clock-offset"
    write_offset(offset, hall_time_ahead(10, 50))
    config = _config(tmp, per_source_per_hour="1000", trusted_proxies='["127.0.0.1"]')
    with HallServerProcess(tmp / "server", config_path=config, extra_args=("--clock-offset-file", str(offset))) as srv:
        yield srv


def today(hall: HallServerProcess) -> str:
    return hall.client("kiosk-1").hall().hall_day


def slot_form(http: httpx.Client, service: str, day: str) -> tuple[list[str], str]:
    page = http.get(f"/book/{service}", params={"day": day, "lang": "en"})
    assert page.status_code == 200
    slots = re.findall(r'name="slot" id="slot-([\d:]+)"', page.text)
    request_id = re.findall(r'name="request_id" value="([^"]+)"', page.text)[0]
    return slots, request_id


def book(http: httpx.Client, service: str, day: str, slot: str, request_id: str, **headers: str) -> httpx.Response:
    data = {"day": day, "slot": slot, "request_id": request_id, "lang": "en"}
    return http.post(f"/book/{service}", data=data, headers=headers)


def test_the_offered_days_and_times_follow_the_configuration(hall: HallServerProcess) -> None:
    with httpx.Client(base_url=hall.base_url) as http:
        home = http.get("/book", params={"lang": "en"})
        assert home.status_code == 200
        offered = set(re.findall(r'href="/book/([a-z_]+)\?', home.text))
        assert offered == {"tennyu", "tenshutsu", "tenkyo", "mynumber", "kokuho"}  # [booking] capacity
        assert http.get("/book/juminhyo").status_code == 404  # not bookable
        days = http.get("/book/tennyu", params={"lang": "en"}).text
        assert len(re.findall(r"day=\d{4}-\d{2}-\d{2}", days)) == 14  # days_ahead, none closed here
        slots, _ = slot_form(http, "tennyu", today(hall))
        # the hall clock reads 10:50: the 10:30 slot has begun; the lunch break (12:00–13:00) has none
        assert slots[0] == "11:00" and "10:30" not in slots and "12:00" not in slots and "12:30" not in slots
        assert slots[-1] == "16:30"  # the last one ends at 17:00, before the 17:15 closing


def test_everyone_pressing_for_the_last_seats_at_once_gets_each_seat_once(hall: HallServerProcess) -> None:
    day = (dt.date.fromisoformat(today(hall)) + dt.timedelta(days=2)).isoformat()
    with httpx.Client(base_url=hall.base_url) as http:
        forms = [slot_form(http, "tennyu", day)[1] for _ in range(30)]

    async def everyone() -> list[int]:
        async with httpx.AsyncClient(base_url=hall.base_url, timeout=30) as http:
            answers = await asyncio.gather(
                *(http.post("/book/tennyu", data={"day": day, "slot": "14:00", "request_id": r}) for r in forms)
            )
        return [a.status_code for a in answers]

    codes = asyncio.run(everyone())
    assert sorted(codes).count(303) == 2 and codes.count(409) == 28  # capacity 2 per tennyu slot
    rows = _rows(hall, "SELECT seat FROM reservations WHERE date = ? AND slot_start = '14:00'", day)
    assert sorted(r[0] for r in rows) == [1, 2]
    with httpx.Client(base_url=hall.base_url) as http:
        slots, _ = slot_form(http, "tennyu", day)
        assert "14:00" not in slots  # full: not offered any more


def test_a_form_sent_twice_books_once_and_cancelling_gives_the_seat_back(hall: HallServerProcess) -> None:
    day = (dt.date.fromisoformat(today(hall)) + dt.timedelta(days=3)).isoformat()
    with httpx.Client(base_url=hall.base_url) as http:
        _, request_id = slot_form(http, "tenkyo", day)  # capacity 1
        first = book(http, "tenkyo", day, "09:00", request_id)
        again = book(http, "tenkyo", day, "09:00", request_id)  # a double tap, a reload
        assert first.status_code == again.status_code == 303
        assert first.headers["location"] == again.headers["location"]
        token = first.headers["location"].split("/")[3].split("?")[0]
        _, other = slot_form(http, "tenkyo", day)
        assert book(http, "tenkyo", day, "09:00", other).status_code == 409  # the one seat is taken
        page = http.get(f"/book/r/{token}", params={"lang": "en"})
        assert "Cancel this booking" in page.text and "MDR1" not in page.text  # the code is in the QR only
        assert http.post(f"/book/r/{token}/cancel", data={"lang": "en"}).status_code == 303
        assert "This booking has been cancelled" in http.get(f"/book/r/{token}", params={"lang": "en"}).text
        assert book(http, "tenkyo", day, "09:00", other).status_code == 303  # the seat is free again
        assert http.get("/book/r/AAAAAAAAAAAAAAAAAAAAAA").status_code == 404


def test_a_cancelled_booking_no_longer_checks_in(hall: HallServerProcess) -> None:
    day = today(hall)
    with httpx.Client(base_url=hall.base_url) as http:
        _, request_id = slot_form(http, "mynumber", day)
        made = book(http, "mynumber", day, "11:00", request_id)
        token = made.headers["location"].split("/")[3].split("?")[0]
        code = _checkin_code(hall, token)
        http.post(f"/book/r/{token}/cancel", data={"lang": "en"})
    with pytest.raises(ClientError) as refused:
        hall.client("kiosk-1").check_in(code)
    assert refused.value.code == "reservation.error.cancelled"


def test_too_many_attempts_from_one_source_are_refused(tmp_path: Path) -> None:
    config = _config(tmp_path, per_source_per_hour="3", trusted_proxies='["127.0.0.1"]')
    with HallServerProcess(tmp_path / "server", config_path=config) as srv, httpx.Client(base_url=srv.base_url) as http:
        day = (dt.date.fromisoformat(today(srv)) + dt.timedelta(days=1)).isoformat()
        answers = []
        for _ in range(4):
            _, request_id = slot_form(http, "mynumber", day)
            answers.append(book(http, "mynumber", day, "10:00", request_id, **{"X-Real-IP": "198.51.100.7"}))
        assert [a.status_code for a in answers] == [303, 303, 303, 429]
        assert "Too many bookings" in answers[-1].text and int(answers[-1].headers["retry-after"]) > 0
        # another resident behind the same proxy is counted apart
        _, request_id = slot_form(http, "mynumber", day)
        assert book(http, "mynumber", day, "10:30", request_id, **{"X-Real-IP": "198.51.100.8"}).status_code == 303


def test_the_real_ip_header_counts_only_from_the_trusted_proxy(tmp_path: Path) -> None:
    config = _config(tmp_path, per_source_per_hour="2")  # no trusted proxy: the header is a resident's claim
    with HallServerProcess(tmp_path / "server", config_path=config) as srv, httpx.Client(base_url=srv.base_url) as http:
        day = (dt.date.fromisoformat(today(srv)) + dt.timedelta(days=1)).isoformat()
        codes = []
        for i in range(3):
            _, request_id = slot_form(http, "mynumber", day)
            codes.append(book(http, "mynumber", day, "10:00", request_id, **{"X-Real-IP": f"203.0.113.{i}"}))
        assert [c.status_code for c in codes] == [303, 303, 429]


def test_staff_and_the_admin_console_see_the_days_bookings(hall: HallServerProcess) -> None:
    day = (dt.date.fromisoformat(today(hall)) + dt.timedelta(days=5)).isoformat()
    with httpx.Client(base_url=hall.base_url) as http:
        _, request_id = slot_form(http, "kokuho", day)
        book(http, "kokuho", day, "13:30", request_id)
    hall.client("admin-1").create_reservation("kokuho", day, "15:00")  # an imported one sits beside it
    seen = hall.client("admin-1").reservations(day)
    assert [(r.service_id, r.slot_start, r.source, r.state) for r in seen.reservations] == [
        ("kokuho", "13:30", "web", "booked"),
        ("kokuho", "15:00", "import", "booked"),
    ]
    assert seen.capacity["kokuho"] == 1
    assert hall.staff_client(9).reservations(day).reservations == seen.reservations
    with pytest.raises(ClientError):
        hall.client("kiosk-1").reservations(day)


def _rows(hall: HallServerProcess, sql: str, *params: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{hall.db_path}?mode=ro", uri=True)
    try:
        return list(conn.execute(sql, params))
    finally:
        conn.close()


def _checkin_code(hall: HallServerProcess, token: str) -> str:
    """The code the confirmation's QR carries, made as the server makes it (the key from the key folder)."""
    import hashlib

    from madoguchi.core.forms.reservation_codes import encode_checkin_code

    digest = hashlib.sha256(token.encode()).hexdigest()
    (reference,) = _rows(hall, "SELECT code FROM reservations WHERE manage_hash = ?", digest)[0]
    key = (hall.data_dir / "keys" / "checkin.key").read_bytes()
    return encode_checkin_code(str(reference), key)


def test_the_database_itself_refuses_a_seat_taken_twice(tmp_path: Path) -> None:
    """Migration 9's unique index: whatever writes (a maintenance script, a bug), a seat is taken once; a
    cancelled booking's seat (NULL) and imported reservations (no seat) never collide."""
    from madoguchi.server.store import Store

    store = Store(tmp_path / "hall.sqlite3")
    try:
        args = ("tennyu", "2027-01-18", "10:00", "10:30")
        with store.write():
            first = store.insert_booking("AAAA", *args, 1, "ja", "m1", "r1", 0.0)
            store.insert_booking("BBBB", *args, 2, "en", "m2", "r2", 0.0)
        with pytest.raises(sqlite3.IntegrityError), store.write():
            store.insert_booking("CCCC", *args, 1, "ja", "m3", "r3", 0.0)
        with store.write():
            assert store.cancel_reservation(first, 1.0)
            store.insert_booking("DDDD", *args, 1, "ja", "m4", "r4", 0.0)  # the seat given back
            store.insert_reservation("EEEE", "tennyu", "2027-01-18", "10:00", None, None, 0.0)
        assert sorted(store.slot_bookings("tennyu", "2027-01-18")["10:00"], key=str) == [1, 2, None]
    finally:
        store.close()
