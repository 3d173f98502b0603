"""docs/security.md, "Limits": bodies bounded per route, forms bounded by their procedure, device texts on one
line, WebSocket messages bounded, error bodies that never repeat what was sent."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from madoguchi.client.hall_client import InvalidRequest, new_request_id
from madoguchi.client.local_server import HallServerProcess
from madoguchi.server.web.limits import DEFAULT_BYTES, LIMITS

RESIDENT = {"name": "平塚　花子", "address": "神奈川県平塚市浅間町９－１", "birth_date": "1980-02-17"}


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HallServerProcess]:
    with HallServerProcess(tmp_path_factory.mktemp("limits") / "server") as srv:
        yield srv


def _auth(hall: HallServerProcess, device: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {hall.tokens[device]}"}


@pytest.mark.parametrize(
    ("path", "device"),
    [
        ("/api/v1/tickets", "kiosk-1"),
        ("/api/v1/devices/heartbeat", "board-1"),
        ("/api/v1/alerts", "board-1"),
        ("/api/v1/staff/login", "counter-pc-1"),
        ("/api/v1/reservations", "admin-1"),
        ("/api/v1/reservations/check-in", "kiosk-1"),
        ("/api/v1/tickets/1/transfer", "counter-pc-1"),  # every other route: DEFAULT_BYTES
    ],
)
def test_a_body_over_its_routes_limit_is_refused_unread(hall: HallServerProcess, path: str, device: str) -> None:
    limit = LIMITS.get(path, DEFAULT_BYTES)
    too_big = json.dumps({"padding": "x" * limit}).encode()
    r = httpx.post(f"{hall.base_url}{path}", headers=_auth(hall, device), content=too_big)
    assert r.status_code == 413
    assert r.json() == {
        "error": "request.too_large",
        "detail": f"the request body is larger than the {limit} bytes this address accepts",
    }
    # sent without a length (chunked), it is counted as it comes and refused all the same
    chunks = (too_big[i : i + 1000] for i in range(0, len(too_big), 1000))
    r = httpx.post(f"{hall.base_url}{path}", headers=_auth(hall, device), content=chunks)
    assert r.status_code == 413
    # within the limit, the route itself answers (here: the padding is not a field)
    r = httpx.post(f"{hall.base_url}{path}", headers=_auth(hall, device), json={"padding": "x"})
    assert r.status_code in (401, 403, 422)


def test_a_300_mb_form_costs_the_server_nothing(hall: HallServerProcess) -> None:
    """The last release stored it. Now the declared length alone refuses it, before a byte of it is read."""
    with socket.create_connection(("127.0.0.1", hall.port), timeout=5) as s:
        s.sendall(
            b"POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + f"Authorization: Bearer {hall.tokens['kiosk-1']}\r\nContent-Length: {300 * 2**20}\r\n\r\n".encode()
            + b'{"form": {"name": "'
        )
        answer = s.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert hall.client("kiosk-1").health().status == "ok"


def test_a_form_holds_only_what_its_procedure_asks_for(hall: HallServerProcess) -> None:
    kiosk = hall.client("kiosk-1")
    secret = "山田太郎の個人番号123456789018"
    cases = [
        ({**RESIDENT, "favourite_colour": secret}, "favourite_colour: not a field of this form"),
        ({**RESIDENT, secret: "x"}, "a field: not a field of this form"),
        ({**RESIDENT, "name": secret * 40}, "name: at most"),
    ]
    for form, problem in cases:
        with pytest.raises(InvalidRequest) as refused:
            kiosk.issue("juminhyo", form=form, request_id=new_request_id())
        assert problem in refused.value.detail and secret not in refused.value.detail
    with pytest.raises(InvalidRequest) as refused:
        kiosk.issue("mynumber", form={"name": secret}, request_id=new_request_id())  # no form
    assert secret not in refused.value.detail


def test_device_texts_are_one_bounded_line(hall: HallServerProcess) -> None:
    board = _auth(hall, "board-1")
    forged = "menu\n2026-12-07 10:00:00 INFO madoguchi.server admin-1: staff staff1 unlock"
    r = httpx.post(f"{hall.base_url}/api/v1/alerts", headers=board, json={"screen": forged[:40]})
    assert r.status_code == 202
    r = httpx.post(f"{hall.base_url}/api/v1/alerts", headers=board, json={"screen": "x" * 41})
    assert r.status_code == 422 and "x" * 41 not in r.text
    r = httpx.post(
        f"{hall.base_url}/api/v1/devices/heartbeat",
        headers=board,
        json={"app_version": "1.0\r\nFAKE", "screen": "a\u202eb\x1b[31m"},
    )
    assert r.status_code == 204
    devices = {d["name"]: d for d in hall.client("admin-1")._request("GET", "/api/v1/admin/devices")}
    health = json.loads(devices["board-1"]["health"])
    assert health["app_version"] == "1.0FAKE" and health["screen"] == "ab[31m"
    assert hall.log_path is not None
    log_lines = hall.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    alert_lines = [line for line in log_lines if "staff called to board-1" in line]
    assert alert_lines and all("2026-12-07 10:00:00 INFO" not in line.split("(screen", 1)[0] for line in log_lines)
    assert not any(line.startswith("2026-12-07 10:00:00 INFO madoguchi.server admin-1") for line in log_lines)


def test_a_websocket_message_over_4_kib_closes_the_stream(hall: HallServerProcess) -> None:
    with connect(f"ws://127.0.0.1:{hall.port}/events", additional_headers=_auth(hall, "board-1"), open_timeout=5) as ws:
        assert json.loads(ws.recv(timeout=5))["type"] == "stream.hello"
        ws.send("x" * 100)  # clients have nothing to say; a short message is ignored
        ws.send("x" * 5000)
        with pytest.raises(ConnectionClosed) as closed:
            for _ in range(100):
                ws.recv(timeout=5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


def test_error_bodies_never_repeat_what_was_sent(hall: HallServerProcess) -> None:
    secret = "平塚花子123456789018"
    clerk = hall.staff_client(1)
    assert clerk.staff_session is not None
    headers = {**_auth(hall, "counter-pc-1"), "X-Staff-Session": clerk.staff_session}
    tries = [
        ("POST", "/api/v1/tickets", _auth(hall, "kiosk-1"), {"service_id": secret, "request_id": new_request_id()}),
        ("POST", "/api/v1/tickets", _auth(hall, "kiosk-1"), {"service_id": "juminhyo", "request_id": secret}),
        ("POST", "/api/v1/tickets/1/transfer", headers, {"counter": 1, "service_id": secret}),
        ("POST", "/api/v1/tickets/1/transfer", headers, {"counter": 1, "service_id": "inkan", "reason": secret * 20}),
        ("POST", "/api/v1/staff/login", _auth(hall, "counter-pc-1"), {"staff_id": secret, "password": secret}),
        ("GET", f"/api/v1/tickets/by-token/{secret}", headers, None),
        ("POST", f"/api/v1/admin/staff/{secret}/disable", _auth(hall, "admin-1"), None),
        ("POST", "/api/v1/reservations/check-in", _auth(hall, "kiosk-1"), {"code": secret, "request_id": "abcdefgh"}),
    ]
    for method, path, h, body in tries:
        r = httpx.request(method, f"{hall.base_url}{path}", headers=h, json=body)
        assert 400 <= r.status_code < 500, (path, r.status_code)
        assert secret not in r.text and "123456789018" not in r.text, path
