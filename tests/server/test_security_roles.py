"""docs/security.md, "What each role may do" and "Counters bound by the server": every route tried by every
principal, and every way a staff member tried to reach another counter's residents on the last release."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from madoguchi.client.hall_client import NotAuthorized, SessionExpired, new_request_id
from madoguchi.client.local_server import DEFAULT_DEVICES, HallServerProcess
from madoguchi.server.web.app import RECHECK_S
from tests.support.paths import ARTIFACTS

RESIDENT = {"name": "平塚　花子", "address": "神奈川県平塚市浅間町９－１", "birth_date": "1980-02-17"}
KOKUHO_FORM = {**RESIDENT, "sex": "female", "individual_number": "123456789018"}

#: who calls: a name and the headers it sends (filled once the server is up)
PRINCIPALS = ("nobody", "kiosk", "display", "staff PC", "clerk at 1", "clerk at 9", "admin")


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory, example_config_path: Path) -> Iterator[HallServerProcess]:
    tmp = tmp_path_factory.mktemp("roles")
    config = tmp / "hall.toml"
    config.write_text(
        example_config_path.read_text(encoding="utf-8").replace("api_docs = false", "api_docs = true"),
        encoding="utf-8",
    )
    # a second PC at counter 10 (the form of a ticket is read on the PC that called it)
    devices = (*DEFAULT_DEVICES, ("counter-pc-10b", "staff", 10))
    srv = HallServerProcess(tmp / "server", config_path=config, devices=devices)
    srv.start()
    yield srv
    srv.stop()


def _headers(hall: HallServerProcess) -> dict[str, dict[str, str]]:
    def device(name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {hall.tokens[name]}"}

    def clerk(counter: int, staff_id: str) -> dict[str, str]:
        c = hall.staff_client(counter, staff_id=staff_id)
        assert c.staff_session is not None
        return {**device(f"counter-pc-{counter}"), "X-Staff-Session": c.staff_session}

    return {
        "nobody": {},
        "kiosk": device("kiosk-1"),
        "display": device("board-1"),
        "staff PC": device("counter-pc-1"),
        "clerk at 1": clerk(1, "staff1"),
        "clerk at 9": clerk(9, "staff2"),
        "admin": device("admin-1"),
    }


def _route_table(hall: HallServerProcess) -> list[tuple[str, str, str, Callable[[], Any]]]:
    """(method, path, label, body) of every route; bodies are made fresh per call (request ids)."""
    kiosk = hall.client("kiosk-2")
    issued = kiosk.issue("kokuho", source="card", form=KOKUHO_FORM)
    ticket = issued.ticket.id  # called at counter 9 before the tour: its form is counter 9's
    mine = kiosk.issue("juminhyo").ticket.id  # a ticket of counter 1's services, for counter 1's actions
    call = kiosk.call_staff("matrix", "ja").call_id  # a kiosk's call for help
    return [
        ("GET", "/healthz", "/healthz", lambda: None),
        ("GET", "/api/v1/hall", "/api/v1/hall", lambda: None),
        ("GET", "/api/v1/services", "/api/v1/services", lambda: None),
        ("GET", "/api/v1/board", "/api/v1/board", lambda: None),
        (
            "POST",
            "/api/v1/tickets",
            "/api/v1/tickets",
            lambda: {"service_id": "koseki", "request_id": new_request_id()},
        ),
        (
            "POST",
            "/api/v1/reservations/check-in",
            "/api/v1/reservations/check-in",
            lambda: {"code": "MDR1:nothing", "request_id": new_request_id()},
        ),
        (
            "POST",
            "/api/v1/reservations",
            "/api/v1/reservations",
            lambda: {"service_id": "koseki", "date": "2099-01-05", "slot_start": "10:00"},
        ),
        ("GET", "/api/v1/reservations", "GET /api/v1/reservations", lambda: None),
        ("GET", "/book", "/book (and every /book page)", lambda: None),
        ("GET", f"/t/{issued.token}/events", "/t/{token}/events (and every /t/{token} page)", lambda: None),
        ("GET", f"/api/v1/tickets/{ticket}", "/api/v1/tickets/{id}", lambda: None),
        ("GET", f"/api/v1/tickets/by-token/{issued.token}", "/api/v1/tickets/by-token/{token}", lambda: None),
        ("POST", "/api/v1/counters/1/call-next", "/api/v1/counters/1/call-next", lambda: None),
        ("GET", "/api/v1/counters/1/queue", "/api/v1/counters/1/queue", lambda: None),
        ("GET", "/api/v1/counters/1/waiting", "/api/v1/counters/1/waiting", lambda: None),
        ("GET", "/api/v1/counters", "/api/v1/counters", lambda: None),
        ("POST", "/api/v1/counters/1/state", "/api/v1/counters/1/state", lambda: {"state": "open"}),
        ("GET", "/api/v1/staff/members", "/api/v1/staff/members", lambda: None),
        ("POST", f"/api/v1/tickets/{mine}/call", "/api/v1/tickets/{id}/call (counter 1)", lambda: {"counter": 1}),
        (
            "POST",
            f"/api/v1/tickets/{mine}/transfer",
            "/api/v1/tickets/{id}/transfer (counter 1)",
            lambda: {"counter": 1, "service_id": "juminhyo"},
        ),
        ("POST", f"/api/v1/tickets/{mine}/done", "/api/v1/tickets/{id}/done (counter 1)", lambda: {"counter": 1}),
        ("POST", f"/api/v1/tickets/{mine}/undo", "/api/v1/tickets/{id}/undo (counter 1)", lambda: {"counter": 1}),
        (
            "POST",
            f"/api/v1/tickets/{mine}/priority",
            "/api/v1/tickets/{id}/priority (counter 1)",
            lambda: {"counter": 1, "need": "wheelchair"},
        ),
        (
            "POST",
            f"/api/v1/tickets/{mine}/route/add",
            "/api/v1/tickets/{id}/route/add (counter 1)",
            lambda: {"counter": 1, "service_id": "inkan"},
        ),
        (
            "POST",
            f"/api/v1/tickets/{mine}/route/remove",
            "/api/v1/tickets/{id}/route/remove (counter 1)",
            lambda: {"counter": 1, "service_id": "inkan"},
        ),
        ("GET", f"/api/v1/tickets/{ticket}/form", "/api/v1/tickets/{id}/form", lambda: None),
        (
            "POST",
            f"/api/v1/tickets/{ticket}/form/individual-number",
            "/api/v1/tickets/{id}/form/individual-number",
            lambda: None,
        ),
        ("POST", "/api/v1/staff/login", "/api/v1/staff/login", lambda: {"staff_id": "staff3", "password": "x"}),
        ("POST", "/api/v1/devices/heartbeat", "/api/v1/devices/heartbeat", lambda: {"app_version": "test"}),
        ("POST", "/api/v1/alerts", "/api/v1/alerts", lambda: {"screen": "matrix"}),
        ("GET", f"/api/v1/alerts/{call}", "/api/v1/alerts/{id}", lambda: None),
        ("POST", f"/api/v1/alerts/{call}/ack", "/api/v1/alerts/{id}/ack", lambda: None),
        ("POST", "/api/v1/tickets/withdraw", "/api/v1/tickets/withdraw", lambda: {"request_id": new_request_id()}),
        ("GET", "/api/v1/admin/devices", "/api/v1/admin/devices", lambda: None),
        ("GET", "/api/v1/admin/tiles", "/api/v1/admin/tiles", lambda: None),
        ("GET", "/api/v1/admin/alerts", "/api/v1/admin/alerts", lambda: None),
        ("POST", "/api/v1/admin/alerts/0123456789ab/ack", "/api/v1/admin/alerts/{id}/ack", lambda: None),
        (
            "POST",
            "/api/v1/admin/alerts/mute",
            "/api/v1/admin/alerts/mute",
            lambda: {"device": "kiosk-3", "minutes": 0},
        ),
        ("GET", "/api/v1/admin/live", "/api/v1/admin/live", lambda: None),
        ("GET", "/api/v1/admin/export/open-data.sqlite", "/api/v1/admin/export/open-data.sqlite", lambda: None),
        ("GET", "/api/v1/admin/statistics", "/api/v1/admin/statistics", lambda: None),
        ("GET", "/api/v1/admin/statistics/visits", "/api/v1/admin/statistics/visits", lambda: None),
        ("GET", "/api/v1/admin/export/tickets.csv", "/api/v1/admin/export/tickets.csv", lambda: None),
        ("GET", "/api/v1/admin/operations", "/api/v1/admin/operations", lambda: None),
        ("POST", "/api/v1/admin/reload-config", "/api/v1/admin/reload-config", lambda: None),
        ("GET", "/api/v1/admin/staff", "/api/v1/admin/staff", lambda: None),
        ("POST", "/api/v1/admin/staff/staff3/unlock", "/api/v1/admin/staff/{id}/unlock", lambda: None),
        ("POST", "/api/v1/admin/devices/kiosk-3/enable", "/api/v1/admin/devices/{name}/enable", lambda: None),
        ("GET", "/openapi.json", "/openapi.json", lambda: None),
        ("GET", "/docs", "/docs", lambda: None),
    ]


#: route label → the principals let through (every other one is refused with 401 or 403). An admin device may do
#: what kiosks and displays do (imports, the day simulator, the benchmarks) but no counter's work: it reads no
#: form and no ticket.
STAFF_PCS = {"staff PC", "clerk at 1", "clerk at 9"}
#: a staff PC with a clerk logged in (a PC left unattended reads nothing)
CLERKS = {"clerk at 1", "clerk at 9"}
EXPECTED: dict[str, set[str]] = {
    "/healthz": set(PRINCIPALS),
    "/api/v1/hall": set(PRINCIPALS) - {"nobody"},
    "/api/v1/services": set(PRINCIPALS) - {"nobody"},
    "/api/v1/board": set(PRINCIPALS) - {"nobody"},
    "/api/v1/tickets": {"kiosk", "admin"},
    "/api/v1/reservations/check-in": {"kiosk", "admin"},
    "/api/v1/reservations": {"admin"},
    # a day's reservations: clerks at their counter and the admin console (none holds personal data)
    "GET /api/v1/reservations": CLERKS | {"admin"},
    # residents' pages: the booking pages need no token, a phone page only its ticket's
    "/book (and every /book page)": set(PRINCIPALS),
    "/t/{token}/events (and every /t/{token} page)": set(PRINCIPALS),
    "/api/v1/tickets/{id}": CLERKS,
    "/api/v1/tickets/by-token/{token}": CLERKS,
    "/api/v1/counters/1/call-next": {"clerk at 1"},
    "/api/v1/counters/1/queue": CLERKS | {"admin"},
    "/api/v1/counters/1/waiting": CLERKS | {"admin"},
    # every device may see the counters' states (a board shows them); names and reasons only clerks and admin
    "/api/v1/counters": set(PRINCIPALS) - {"nobody"},
    "/api/v1/counters/1/state": {"clerk at 1"},
    "/api/v1/staff/members": CLERKS,
    "/api/v1/tickets/{id}/undo (counter 1)": {"clerk at 1"},
    "/api/v1/tickets/{id}/priority (counter 1)": {"clerk at 1"},
    "/api/v1/tickets/{id}/route/add (counter 1)": {"clerk at 1"},
    "/api/v1/tickets/{id}/route/remove (counter 1)": {"clerk at 1"},
    "/api/v1/tickets/{id}/call (counter 1)": {"clerk at 1"},
    "/api/v1/tickets/{id}/transfer (counter 1)": {"clerk at 1"},
    "/api/v1/tickets/{id}/done (counter 1)": {"clerk at 1"},
    "/api/v1/tickets/{id}/form": {"clerk at 9"},
    "/api/v1/tickets/{id}/form/individual-number": {"clerk at 9"},
    "/api/v1/staff/login": STAFF_PCS,
    "/api/v1/devices/heartbeat": set(PRINCIPALS) - {"nobody"},
    "/api/v1/alerts": {"kiosk", "display", "admin"},
    "/api/v1/alerts/{id}": {"kiosk", "display", "admin"},  # another device's call: 404, not its status
    "/api/v1/alerts/{id}/ack": CLERKS | {"admin"},
    "/api/v1/tickets/withdraw": {"kiosk", "admin"},
    # the Swagger UI page itself holds nothing: the description it loads (/openapi.json) is the admin's
    "/docs": set(PRINCIPALS),
    **{
        path: {"admin"}
        for path in (
            "/api/v1/admin/devices",
            "/api/v1/admin/tiles",
            "/api/v1/admin/alerts",
            "/api/v1/admin/alerts/{id}/ack",
            "/api/v1/admin/alerts/mute",
            "/api/v1/admin/live",
            "/api/v1/admin/export/open-data.sqlite",
            "/api/v1/admin/statistics",
            "/api/v1/admin/statistics/visits",
            "/api/v1/admin/export/tickets.csv",
            "/api/v1/admin/operations",
            "/api/v1/admin/reload-config",
            "/api/v1/admin/staff",
            "/api/v1/admin/staff/{id}/unlock",
            "/api/v1/admin/devices/{name}/enable",
            "/openapi.json",
        )
    },
}


def test_every_route_answers_only_the_roles_docs_security_names(hall: HallServerProcess) -> None:
    headers = _headers(hall)
    routes = _route_table(hall)
    # the kokuho ticket is called at counter 9 first: its form is then counter 9's to read, and nobody else's
    clerk9 = httpx.Client(base_url=hall.base_url, headers=headers["clerk at 9"])
    called = clerk9.post("/api/v1/counters/9/call-next")
    assert called.status_code == 200 and called.json()["ticket"]["service_id"] == "kokuho"
    seen: dict[str, dict[str, int]] = {}
    with httpx.Client(base_url=hall.base_url, timeout=10) as http:
        for method, path, label, body in routes:
            if label == "/api/v1/staff/login":
                continue  # below: a login ends nothing, but a wrong password is counted
            for who in PRINCIPALS:
                made = body()
                r = http.request(method, path, headers=headers[who], json=made) if made is not None else (
                    http.request(method, path, headers=headers[who])
                )  # fmt: skip
                seen.setdefault(label, {})[who] = r.status_code
    # logins: the password is right; who may log in at all is the question
    for who in PRINCIPALS:
        pc = hall.tokens["counter-pc-1"] if who.startswith("clerk") or who == "staff PC" else None
        h = headers[who] if pc is None else {"Authorization": f"Bearer {pc}"}
        r = httpx.post(
            f"{hall.base_url}/api/v1/staff/login",
            headers=h,
            json={"staff_id": "staff3", "password": hall.staff_password},
        )
        seen.setdefault("/api/v1/staff/login", {})[who] = r.status_code
    matrix = _write_matrix(seen)
    refused = {(label, who) for label, row in seen.items() for who, code in row.items() if code in (401, 403)}
    for label, row in seen.items():
        for who, code in row.items():
            allowed = who in EXPECTED[label]
            assert ((label, who) not in refused) == allowed, f"{label} by {who}: {code}\n{matrix}"
            assert code < 500, f"{label} by {who}: {code}"


def _write_matrix(seen: dict[str, dict[str, int]]) -> str:
    """The role matrix for the closing note and docs/security.md: tests/artifacts/security/role-matrix.md."""
    lines = ["| route | " + " | ".join(PRINCIPALS) + " |", "|---" * (len(PRINCIPALS) + 1) + "|"]
    for label, row in seen.items():
        cells = [("refused " if row[w] in (401, 403) else "allowed ") + str(row[w]) for w in PRINCIPALS]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n"
    out = ARTIFACTS / "security" / "role-matrix.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return text


def test_the_bypasses_of_the_last_release_are_refused(hall: HallServerProcess) -> None:
    kiosk = hall.client("kiosk-1")
    issued = kiosk.issue("kokuho", source="card", form=KOKUHO_FORM)
    # 1. logging in again naming another counter: the PC's counter is the server's to know
    pc1 = hall.client("counter-pc-1")
    with pytest.raises(NotAuthorized) as refused:
        pc1.login("staff1", hall.staff_password, 10)
    assert refused.value.status == 403 and "counter 1" in str(refused.value)
    # ... and a login that names no counter opens one at the PC's own
    pc1.login("staff1", hall.staff_password)
    with pytest.raises(NotAuthorized):
        pc1.call_next(10)
    # 2. calling a ticket of a service the counter does not serve (kokuho is counters 9 and 10's)
    with pytest.raises(NotAuthorized) as refused:
        pc1.call_ticket(issued.ticket.id, 1)
    assert refused.value.code == "queue.not_this_counter"
    # 3. a session carried to another PC (copied from counter 1's PC to counter 10's)
    pc10 = hall.client("counter-pc-10")
    pc10.staff_session = pc1.staff_session
    with pytest.raises(SessionExpired):
        pc10.call_next(10)
    # 4. the form, read by a counter that did not call the ticket, or from another PC of the same session
    clerk10 = hall.staff_client(10, staff_id="staff2")
    called = clerk10.call_next(10)
    assert called is not None and called.id == issued.ticket.id
    with pytest.raises(NotAuthorized):
        pc1.form(issued.ticket.id)
    with pytest.raises(NotAuthorized):
        pc1.reveal_individual_number(issued.ticket.id)
    assert clerk10.form(issued.ticket.id).fields["name"] == RESIDENT["name"]
    # ... nor another PC bound to the same counter, the same clerk logged in there too
    second_pc = hall.client("counter-pc-10b")
    second_pc.login("staff2", hall.staff_password)
    with pytest.raises(NotAuthorized) as refused:
        second_pc.form(issued.ticket.id)
    assert "PC that called" in str(refused.value)
    # 5. a counter taking back another counter's call
    with pytest.raises(NotAuthorized):
        pc1.done(issued.ticket.id, 1)
    # the audit names the device, the staff member and the counter
    conn = sqlite3.connect(f"file:{hall.db_path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT action, device, staff_id, counter FROM audit WHERE ticket_id = ?", (called.id,))
        assert rows.fetchall() == [("form.view", "counter-pc-10", "staff2", 10)]
        call = conn.execute("SELECT staff_id, counter FROM tickets WHERE id = ?", (called.id,)).fetchone()
        assert call == ("staff2", 10)
    finally:
        conn.close()


def test_a_staff_pc_bound_to_no_counter_opens_no_session(hall: HallServerProcess) -> None:
    # a PC of the last release that never opened a session is migrated unbound
    conn = sqlite3.connect(hall.db_path)
    try:
        with conn:
            conn.execute("UPDATE devices SET counter = NULL WHERE name = 'counter-pc-11'")
    finally:
        conn.close()
    admin = hall.client("admin-1")
    admin._request("POST", "/api/v1/admin/devices/counter-pc-11/enable")  # the look-up cache forgets it now
    pc = hall.client("counter-pc-11")
    with pytest.raises(NotAuthorized) as refused:
        pc.login("staff3", hall.staff_password, 11)
    assert "bind-device" in str(refused.value)


def _stream(hall: HallServerProcess, device: str, session: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {hall.tokens[device]}"}
    if session:
        headers["X-Staff-Session"] = session
    return connect(f"ws://127.0.0.1:{hall.port}/events", additional_headers=headers, open_timeout=5)


def _read_until_ticket(ws: Any, ticket_id: int) -> list[dict[str, Any]]:
    """Events received up to the issue of ``ticket_id`` (the greeting left out)."""
    got = []
    while True:
        e = json.loads(ws.recv(timeout=10))
        if e["type"].startswith("stream."):
            continue
        got.append(e)
        if e["type"] == "ticket.issued" and e["ticket_id"] == ticket_id:
            return got


def test_displays_and_kiosks_see_the_ticket_life_cycle_without_staff_words(hall: HallServerProcess) -> None:
    clerk = hall.staff_client(2, staff_id="staff3")
    with (
        _stream(hall, "counter-pc-2", clerk.staff_session) as staff_ws,
        _stream(hall, "counter-pc-3") as unattended_ws,  # a staff PC nobody is logged in on
        _stream(hall, "board-1") as board_ws,
        _stream(hall, "kiosk-1") as kiosk_ws,
    ):
        kiosk = hall.client("kiosk-3")
        issued = kiosk.issue("juminhyo")
        t = clerk.call_ticket(issued.ticket.id, 2)
        clerk.transfer(t.id, 2, "inkan", reason="本人確認書類を忘れた（隣の佐藤さんに相談）")
        kiosk.call_staff("start", "ja")
        last = hall.client("kiosk-2").issue("koseki").ticket.id  # every stream reads up to this one
        full = _read_until_ticket(staff_ws, last)
        public = _read_until_ticket(board_ws, last)
        at_kiosk = _read_until_ticket(kiosk_ws, last)
        unattended = _read_until_ticket(unattended_ws, last)
    assert {"alert.call_staff", "ticket.transferred"} <= {e["type"] for e in full}
    assert any("佐藤" in json.dumps(e, ensure_ascii=False) for e in full)
    text = json.dumps(public, ensure_ascii=False)
    assert "佐藤" not in text and "staff3" not in text and "alert." not in text
    assert all(e["type"].startswith(("ticket.", "day.")) for e in public if "id" in e)
    assert any(e["type"] == "ticket.transferred" and e["ticket_id"] == issued.ticket.id for e in public)
    assert at_kiosk == public and unattended == public


def test_an_open_stream_ends_when_its_device_is_disabled_and_narrows_when_its_clerk_leaves(
    hall: HallServerProcess,
) -> None:
    admin = hall.client("admin-1")
    clerk = hall.staff_client(12, staff_id="staff1")
    with _stream(hall, "counter-pc-12", clerk.staff_session) as ws:
        assert json.loads(ws.recv(timeout=5))["type"] == "stream.hello"
        clerk.logout()  # within RECHECK_S the stream carries only what any device may see
        time.sleep(RECHECK_S + 1)
        with contextlib.suppress(TimeoutError):  # what came while the clerk was there
            while True:
                ws.recv(timeout=0.5)
        hall.client("kiosk-1").call_staff("start", "ja")
        last = hall.client("kiosk-1").issue("koseki").ticket.id
        seen = _read_until_ticket(ws, last)
        assert [e["type"] for e in seen] == ["ticket.issued"]
    with _stream(hall, "board-1") as ws:
        assert json.loads(ws.recv(timeout=5))["type"] == "stream.hello"
        admin._request("POST", "/api/v1/admin/devices/board-1/disable")
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=RECHECK_S + 5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
    admin._request("POST", "/api/v1/admin/devices/board-1/enable")


def test_replay_reaches_back_to_the_start_of_the_hall_day_only(hall: HallServerProcess) -> None:
    """``since=0`` replays today from the day's roll on; a position before it cannot be resumed (the day roll in
    tests/server/test_security_accounts.py shows both across a real roll)."""
    hall.client("kiosk-1").issue("koseki")
    with connect(
        f"ws://127.0.0.1:{hall.port}/events?since=0",
        additional_headers={"Authorization": f"Bearer {hall.tokens['admin-1']}"},
        open_timeout=5,
    ) as ws:
        assert json.loads(ws.recv(timeout=5))["type"] == "stream.hello"
        first = json.loads(ws.recv(timeout=5))
        assert first["type"] == "day.rolled"


def test_a_websocket_with_the_cookie_of_another_site_is_refused(hall: HallServerProcess) -> None:
    cookie = {"Cookie": f"madoguchi_token={hall.tokens['board-1']}"}
    url = f"ws://127.0.0.1:{hall.port}/events"
    with connect(url, additional_headers={**cookie, "Origin": f"http://127.0.0.1:{hall.port}"}, open_timeout=5) as ws:
        assert json.loads(ws.recv(timeout=5))["type"] == "stream.hello"  # the hall's own board page
    with (
        pytest.raises(Exception),  # noqa: B017 - closed before the handshake completes
        connect(url, additional_headers={**cookie, "Origin": "http://evil.example"}, open_timeout=5) as ws,
    ):
        ws.recv(timeout=5)


def _admin_cli(hall: HallServerProcess, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "madoguchi", "admin", "--data-dir", str(hall.data_dir), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_audit_names_logins_logouts_and_account_changes(hall: HallServerProcess) -> None:
    pc = hall.client("counter-pc-5")
    with pytest.raises(NotAuthorized):
        pc.login("staff3", "a wrong password")
    with pytest.raises(NotAuthorized):
        pc.login("my-password-typed-as-the-id", "x")
    pc.login("staff3", hall.staff_password)
    pc.logout()
    hall.client("admin-1")._request("POST", "/api/v1/admin/devices/kiosk-3/disable")
    hall.client("admin-1")._request("POST", "/api/v1/admin/devices/kiosk-3/enable")
    _admin_cli(hall, "disable-staff", "staff3")
    _admin_cli(hall, "enable-staff", "staff3")
    rows = [line.split(",") for line in _admin_cli(hall, "audit", "--days", "1").splitlines()]
    assert rows[0] == ["at", "action", "staff_id", "device", "counter", "ticket_id", "subject"]
    mine = [r[1:] for r in rows[1:] if "counter-pc-5" in r or r[6] in ("kiosk-3", "staff3")]
    assert mine[-8:] == [
        ["staff.login_failed", "staff3", "counter-pc-5", "", "", ""],
        ["staff.login_failed", "", "counter-pc-5", "", "", ""],  # an unknown id is not written down
        ["staff.login", "staff3", "counter-pc-5", "5", "", ""],
        ["staff.logout", "staff3", "counter-pc-5", "5", "", ""],
        ["account.device.disable", "", "admin-1", "", "", "kiosk-3"],
        ["account.device.enable", "", "admin-1", "", "", "kiosk-3"],
        ["account.staff.disable", "", "admin-cli", "", "", "staff3"],
        ["account.staff.enable", "", "admin-cli", "", "", "staff3"],
    ]
    assert "my-password-typed-as-the-id" not in "\n".join(",".join(r) for r in rows)
