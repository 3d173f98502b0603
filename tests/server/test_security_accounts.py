"""docs/security.md, "Staff accounts": guesses throttled, accounts locked and unlocked, sessions that end when
idle, at the day roll, with a new password or a disabled account; old password hashes made again."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from madoguchi.client.admin_client import AdminClient
from madoguchi.client.hall_client import HallClient, NotAuthorized, RateLimited, SessionExpired
from madoguchi.client.local_server import HallServerProcess
from madoguchi.server.security import SCRYPT_N, hash_password, needs_rehash, unknown_account_hash
from tests.support.rehearsal_clock import hall_time_ahead, move_hall_clock, write_offset

pytestmark = pytest.mark.timeout(180)


def _hall(tmp: Path, example: Path, *, lock_after: int = 10, extra: tuple[str, ...] = ()) -> HallServerProcess:
    config = tmp / "hall.toml"
    text = example.read_text(encoding="utf-8")
    config.write_text(
        text.replace("lock_after_failed_logins = 10", f"lock_after_failed_logins = {lock_after}"), encoding="utf-8"
    )
    return HallServerProcess(tmp / "server", config_path=config, extra_args=extra)


@pytest.fixture
def strict_hall(tmp_path: Path, example_config_path: Path) -> Iterator[HallServerProcess]:
    """Accounts lock after 3 failures (the lowest the configuration allows), below the throttle's 5."""
    with _hall(tmp_path, example_config_path, lock_after=3) as srv:
        yield srv


@pytest.fixture
def hall(tmp_path: Path, example_config_path: Path) -> Iterator[HallServerProcess]:
    with _hall(tmp_path, example_config_path) as srv:
        yield srv


def _wait_for(check: Callable[[], bool], timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_an_account_locks_after_failures_raises_an_alert_and_an_admin_unlocks_it(
    strict_hall: HallServerProcess,
) -> None:
    pc = strict_hall.client("counter-pc-1")
    open_session = strict_hall.staff_client(2, staff_id="staff1")
    for _ in range(3):
        with pytest.raises(NotAuthorized) as refused:
            pc.login("staff1", "guessed-password", 1)
        assert refused.value.status == 401
    # locked: every attempt hears "wrong password", the right password too (a guesser learns nothing)
    for password in ("another-guess", strict_hall.staff_password):
        with pytest.raises(NotAuthorized) as refused:
            pc.login("staff1", password, 1)
        assert refused.value.status == 401 and str(refused.value) == "wrong staff id or password"
    with pytest.raises(SessionExpired):  # the lock ended the member's sessions too
        open_session.call_next(2)
    admin = AdminClient(strict_hall.base_url, strict_hall.tokens["admin-1"])
    staff = {s["staff_id"]: s for s in admin.staff()}
    assert staff["staff1"]["locked_at"] and not staff["staff2"]["locked_at"]
    assert _wait_for(lambda: any(a["code"] == "staff.locked" for a in admin.alerts()))
    admin.change_staff("staff1", "unlock")
    assert pc.login("staff1", strict_hall.staff_password, 1).staff_id == "staff1"
    assert _wait_for(lambda: not any(a["code"] == "staff.locked" for a in admin.alerts()))


def test_guesses_are_throttled_per_account_and_per_source(hall: HallServerProcess) -> None:
    pc = hall.client("counter-pc-1")
    for _ in range(5):
        with pytest.raises(NotAuthorized):
            pc.login("staff1", "guessed-password")
    # the sixth attempt is refused before the password is even looked at, the right one included
    with pytest.raises(RateLimited) as waited:
        pc.login("staff1", hall.staff_password)
    assert waited.value.status == 429
    r = httpx.post(
        f"{hall.base_url}/api/v1/staff/login",
        headers={"Authorization": f"Bearer {hall.tokens['counter-pc-1']}"},
        json={"staff_id": "staff1", "password": hall.staff_password},
    )
    assert r.status_code == 429 and 1 <= int(r.headers["Retry-After"]) <= 61
    assert r.json()["error"] == "auth.throttled"
    # another account from the same PC still logs in ...
    assert pc.login("staff2", hall.staff_password).staff_id == "staff2"
    # ... until the source itself has failed 20 times, whatever the ids it tried
    for i in range(15):
        with pytest.raises(NotAuthorized):
            pc.login(f"nobody-{i}", "guessed-password")
    with pytest.raises(RateLimited):
        pc.login("staff3", hall.staff_password)
    # the throttle is the guesser's: the account was not locked by it (5 + 0 failures < 10)
    admin = AdminClient(hall.base_url, hall.tokens["admin-1"])
    assert {s["staff_id"]: s["failed_logins"] for s in admin.staff()}["staff1"] == 5


def test_an_unknown_id_costs_the_server_what_a_known_one_costs() -> None:
    """The same answer time for unknown ids: the login checks the password against a hash of the same
    parameters either way (the times themselves are measured in bench/login_timing.py)."""
    known = hash_password("a staff member's password")
    unknown = unknown_account_hash()
    assert known.split("$")[:4] == unknown.split("$")[:4] == ["scrypt", str(SCRYPT_N), "8", "1"]
    assert not needs_rehash(unknown)
    assert needs_rehash("scrypt$16384$8$1$c2FsdA==$ZGlnZXN0")


def _set_password(hall: HallServerProcess, staff_id: str, password: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "madoguchi", "admin", "--data-dir", str(hall.data_dir), "add-staff", staff_id],
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_a_new_password_a_disabled_account_or_a_removed_pc_ends_what_was_open(hall: HallServerProcess) -> None:
    admin = AdminClient(hall.base_url, hall.tokens["admin-1"])
    # a new password (the administrator's command) ends the sessions opened with the old one
    s1 = hall.staff_client(1, staff_id="staff1")
    _set_password(hall, "staff1", "a-new-password-1")
    with pytest.raises(SessionExpired):
        s1.call_next(1)
    admin_view = {s["staff_id"]: s for s in admin.staff()}
    assert admin_view["staff1"]["display_name"] == "STAFF1"  # a new password leaves the name as it was
    with pytest.raises(NotAuthorized):
        hall.client("counter-pc-1").login("staff1", hall.staff_password)
    assert hall.client("counter-pc-1").login("staff1", "a-new-password-1").staff_id == "staff1"
    # a disabled account: sessions end, the right password opens nothing; enabled again, it works
    s2 = hall.staff_client(2, staff_id="staff2")
    admin.change_staff("staff2", "disable")
    with pytest.raises(SessionExpired):
        s2.call_next(2)
    with pytest.raises(NotAuthorized) as refused:
        hall.client("counter-pc-2").login("staff2", hall.staff_password)
    assert refused.value.status == 401
    _set_password(hall, "staff2", "a-new-password-2")  # a new password does not enable a disabled account
    with pytest.raises(NotAuthorized) as refused:
        hall.client("counter-pc-2").login("staff2", "a-new-password-2")
    assert refused.value.status == 401
    _set_password(hall, "staff2", hall.staff_password)
    admin.change_staff("staff2", "enable")
    assert hall.client("counter-pc-2").login("staff2", hall.staff_password).staff_id == "staff2"
    # a lost counter PC: disabled, its token and sessions are refused at once; removed, it is gone
    s3 = hall.staff_client(3, staff_id="staff3")
    admin.change_device("counter-pc-3", "disable")
    with pytest.raises(NotAuthorized):
        s3.call_next(3)
    admin.change_device("counter-pc-3", "enable")
    hall.staff_client(3, staff_id="staff3").call_next(3)
    admin.change_device("kiosk-3", "remove")
    with pytest.raises(NotAuthorized) as refused:
        hall.client("kiosk-3").hall()
    assert refused.value.status == 401
    assert "kiosk-3" not in {d["name"] for d in admin.devices()}
    # an admin device cannot shut itself out
    r = httpx.post(
        f"{hall.base_url}/api/v1/admin/devices/admin-1/disable",
        headers={"Authorization": f"Bearer {hall.tokens['admin-1']}"},
    )
    assert r.status_code == 409


def test_sessions_end_when_idle_and_at_the_day_roll_which_also_forgets_the_staffs_notes(
    tmp_path: Path, example_config_path: Path
) -> None:
    offset = tmp_path / "clock-offset"
    morning = hall_time_ahead(10)
    write_offset(offset, morning)
    with _hall(tmp_path, example_config_path, extra=("--clock-offset-file", str(offset))) as hall:
        kiosk = hall.client("kiosk-1")
        day = kiosk.hall().hall_day
        assert day == morning.date().isoformat()
        clerk = hall.staff_client(1)
        issued = kiosk.issue("juminhyo")
        phone = f"{hall.base_url}/t/{issued.token}"
        assert httpx.get(phone).status_code == 200
        clerk.call_ticket(issued.ticket.id, 1)
        clerk.transfer(issued.ticket.id, 1, "inkan", reason="窓口メモ: 本人確認はまだ")
        # [security] staff_idle_min is 30: a session used 20 minutes later is open and its last use written ...
        move_hall_clock(offset, morning + dt.timedelta(minutes=20))
        assert _session_alive(clerk)
        move_hall_clock(offset, morning + dt.timedelta(minutes=45))
        assert _session_alive(clerk)  # 25 minutes after its last use
        # ... and one left 31 minutes ends (the request is refused; the periodic job deletes the row)
        move_hall_clock(offset, morning + dt.timedelta(minutes=76))
        assert not _session_alive(clerk)
        # a session open at the day's end, used a minute before the reset (03:00), ends with the day two
        # minutes later; yesterday's events are not replayed
        before_reset = dt.datetime.combine(morning.date() + dt.timedelta(days=1), dt.time(2, 59), morning.tzinfo)
        move_hall_clock(offset, before_reset)
        clerk = hall.staff_client(1)
        last_of_day = kiosk.board().last_event_id
        move_hall_clock(offset, before_reset + dt.timedelta(minutes=2))
        assert _wait_for(lambda: kiosk.board().last_event_id > last_of_day, timeout=30)  # day.rolled
        assert kiosk.hall().hall_day > day
        assert not _session_alive(clerk)
        assert httpx.get(phone).status_code == 404  # yesterday's ticket says nothing more
        # a client that missed something of yesterday loads its state again; one that missed only the roll
        # resumes with it
        with connect(
            f"ws://127.0.0.1:{hall.port}/events?since={last_of_day - 1}",
            additional_headers={"Authorization": f"Bearer {hall.tokens['admin-1']}"},
            open_timeout=5,
        ) as ws:
            assert json.loads(ws.recv(timeout=5))["type"] == "stream.reset"
        with connect(
            f"ws://127.0.0.1:{hall.port}/events?since={last_of_day}",
            additional_headers={"Authorization": f"Bearer {hall.tokens['admin-1']}"},
            open_timeout=5,
        ) as ws:
            assert json.loads(ws.recv(timeout=5))["type"] == "stream.hello"
            assert json.loads(ws.recv(timeout=5))["type"] == "day.rolled"
        with connect(
            f"ws://127.0.0.1:{hall.port}/events?since=0",
            additional_headers={"Authorization": f"Bearer {hall.tokens['admin-1']}"},
            open_timeout=5,
        ) as ws:
            assert json.loads(ws.recv(timeout=5))["type"] == "stream.hello"
            first = json.loads(ws.recv(timeout=5))  # today from its roll on: nothing of yesterday
            assert first["type"] == "day.rolled" and first["id"] > last_of_day
    conn = sqlite3.connect(hall.db_path)
    try:
        rows = conn.execute("SELECT data FROM events WHERE type = 'ticket.transferred'").fetchall()
        assert rows and all("窓口メモ" not in data for (data,) in rows)
    finally:
        conn.close()


def _session_alive(clerk: HallClient) -> bool:
    """The session is sent with every request of a logged-in client; reading the queue changes nothing."""
    try:
        clerk.counter_queue(1)
    except SessionExpired:
        return False
    return True
