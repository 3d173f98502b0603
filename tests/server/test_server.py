"""The hall server on a real uvicorn process: endpoints, roles, transitions, forms, event stream."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from madoguchi.client.hall_client import (
    Conflict,
    EventStream,
    InvalidRequest,
    NotAuthorized,
    NotFound,
    RateLimited,
    new_request_id,
)
from madoguchi.client.local_server import HallServerProcess
from madoguchi.core import api_models as m
from madoguchi.server.store import Store

RESIDENT = {"name": "平塚　花子", "address": "神奈川県平塚市浅間町９－１", "birth_date": "1980-02-17"}


def test_health_hall_and_services(server: HallServerProcess) -> None:
    k = server.client("kiosk-1")
    assert k.health().status == "ok"
    hall = k.hall()
    assert any(s.id == "juminhyo" for s in hall.services)
    statuses = {s.id: s for s in k.services()}
    assert statuses["juminhyo"].waiting == 0
    assert statuses["juminhyo"].estimate.high_min >= statuses["juminhyo"].estimate.low_min


def test_no_token_wrong_token_wrong_role(server: HallServerProcess) -> None:
    assert httpx.get(f"{server.base_url}/api/v1/services").status_code == 401
    bad = httpx.get(f"{server.base_url}/api/v1/services", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    board = server.client("board-1")
    with pytest.raises(NotAuthorized):
        board.issue("juminhyo")  # a display cannot issue tickets
    kiosk = server.client("kiosk-1")
    with pytest.raises(NotAuthorized):
        kiosk.call_next(1)  # a kiosk cannot call numbers
    staff = server.client("counter-pc-1")
    with pytest.raises(NotAuthorized):
        staff.call_next(1)  # staff must log in first
    with pytest.raises(NotAuthorized):
        staff.login("staff1", "wrong password", 1)


def test_staff_session_is_bound_to_its_counter(server: HallServerProcess) -> None:
    server.client("kiosk-1").issue("juminhyo")
    s = server.staff_client(1)
    with pytest.raises(NotAuthorized):
        s.call_next(2)
    assert s.call_next(1) is not None


def test_counter_actions_and_transitions(server: HallServerProcess) -> None:
    kiosk = server.client("kiosk-1")
    issued = kiosk.issue("juminhyo", language="en")
    assert issued.ticket.number == "A-001" and issued.status_url.endswith(issued.token)
    staff = server.staff_client(1)
    t = staff.call_next(1)
    assert t is not None and t.id == issued.ticket.id
    with pytest.raises(Conflict):
        staff.call_next(1)  # finish the current ticket first
    assert staff.recall(t.id, 1).recalls == 1
    assert staff.start(t.id, 1).state == "serving"
    with pytest.raises(Conflict):
        staff.no_show(t.id, 1)  # illegal from serving → 409
    moved = staff.transfer(t.id, 1, "tennyu", "needs moving-in")
    assert moved.state == "waiting" and moved.service_id == "tennyu"
    s4 = server.staff_client(4, staff_id="staff2")
    again = s4.call_next(4)
    assert again is not None and again.id == t.id
    assert s4.no_show(t.id, 4).state == "no_show"
    assert s4.return_to_queue(t.id, 4).state == "waiting"
    assert s4.cancel(t.id, 4).state == "cancelled"
    with pytest.raises(NotFound):
        s4.start(99999, 4)
    with pytest.raises(InvalidRequest):
        kiosk.issue("no_such_service")


def test_rate_limit_per_kiosk(server: HallServerProcess) -> None:
    kiosk = server.client("kiosk-2")
    with pytest.raises(RateLimited):
        for _ in range(100):
            kiosk.issue("inkan")
    assert server.client("kiosk-3").issue("inkan").ticket.number  # other kiosks unaffected


def test_issue_is_idempotent_by_request_id(server: HallServerProcess) -> None:
    kiosk = server.client("kiosk-1")
    rid = new_request_id()
    a = kiosk.issue("koseki", request_id=rid)
    b = kiosk.issue("koseki", request_id=rid)
    assert a.ticket.id == b.ticket.id and a.token == b.token


def test_form_encrypted_audited_only_for_calling_counter(server: HallServerProcess) -> None:
    kiosk = server.client("kiosk-1")
    form = {**RESIDENT, "sex": "female", "individual_number": "123456789018"}  # the health insurance form's fields
    issued = kiosk.issue("kokuho", source="card", form=form)
    # at rest: not in the database file in clear
    raw = server.db_path.read_bytes() + (
        server.db_path.with_suffix(".sqlite3-wal").read_bytes()
        if server.db_path.with_suffix(".sqlite3-wal").exists()
        else b""
    )
    assert "平塚".encode() not in raw and b"123456789018" not in raw
    s9 = server.staff_client(9)
    with pytest.raises(NotAuthorized):
        s9.form(issued.ticket.id)  # not called yet
    t = s9.call_next(9)
    assert t is not None and t.has_form
    s10 = server.staff_client(10, staff_id="staff2")
    with pytest.raises(NotAuthorized):
        s10.form(t.id)  # another counter
    view = s9.form(t.id)
    assert view.fields["name"] == RESIDENT["name"]
    assert "individual_number" not in view.fields and view.individual_number_masked == "••••••••9018"
    assert s9.reveal_individual_number(t.id) == "123456789018"
    store = Store(server.db_path)
    actions = [a["action"] for a in store.audit_rows(t.id)]
    assert actions == ["form.view", "form.reveal_individual_number"]
    assert all(a["staff_id"] == "staff1" for a in store.audit_rows(t.id))


def test_purge_leaves_nothing_decryptable(server: HallServerProcess) -> None:
    kiosk = server.client("kiosk-1")
    issued = kiosk.issue("juminhyo", source="card", form=RESIDENT)
    admin = server.client("admin-1")
    r = admin._request("POST", "/api/v1/admin/purge-forms")
    assert r["purged"] == 1
    keys = list((server.data_dir / "keys").glob("forms-*.key"))
    assert keys == []
    store = Store(server.db_path)
    assert store.form_count() == 0
    s1 = server.staff_client(1)
    t = s1.call_next(1)
    assert t is not None and t.id == issued.ticket.id
    assert s1.form(t.id).fields == {}


def test_phone_page_shows_own_ticket_only(server: HallServerProcess) -> None:
    kiosk = server.client("kiosk-1")
    kiosk.issue("juminhyo", form=RESIDENT)
    mine = kiosk.issue("juminhyo", language="en")
    page = httpx.get(mine.status_url).text
    assert "A-002" in page and "1 person ahead of you" in page
    assert "A-001" not in page and "平塚" not in page
    server.staff_client(1).call_next(1)
    status = server.client("kiosk-1").ticket_status(mine.token)
    assert status.people_ahead == 0
    assert httpx.get(f"{server.base_url}/t/not-a-token").status_code == 404


def test_validation_errors_never_echo_values(server: HallServerProcess) -> None:
    secret = "平塚花子-SECRET-VALUE"
    r = httpx.post(
        f"{server.base_url}/api/v1/tickets",
        headers={"Authorization": f"Bearer {server.tokens['kiosk-1']}"},
        json={"service_id": "juminhyo", "request_id": secret, "form": {"name": secret}},
    )
    assert r.status_code == 422
    assert secret not in r.text and "request_id" in r.text


def test_the_issue_route_reads_its_own_body(server: HallServerProcess) -> None:
    """The issue route checks its JSON body itself (it is the hot path): the answers of FastAPI's own checks (auth
    now comes first: an unknown caller learns nothing about the body), and the same document."""
    url, kiosk = f"{server.base_url}/api/v1/tickets", {"Authorization": f"Bearer {server.tokens['kiosk-1']}"}
    body = {"service_id": "juminhyo", "request_id": new_request_id()}
    assert httpx.post(url, json=body).status_code == 401
    display = {"Authorization": f"Bearer {server.tokens['board-1']}"}
    assert httpx.post(url, json=body, headers=display).status_code == 403
    as_text = httpx.post(url, content=str(body), headers={**kiosk, "Content-Type": "text/plain"})
    assert as_text.status_code == 422 and "JSON" in as_text.json()["detail"]
    assert httpx.post(url, content=b"{", headers=kiosk).status_code == 422
    missing = httpx.post(url, json={"request_id": new_request_id()}, headers=kiosk)
    assert missing.status_code == 422 and missing.json()["detail"].startswith("service_id:")
    unknown = httpx.post(url, json={**body, "colour": "red"}, headers=kiosk)
    assert unknown.status_code == 422 and "colour" in unknown.json()["detail"]
    made = httpx.post(url, json=body, headers={**kiosk, "Content-Type": "application/json; charset=utf-8"})
    assert made.status_code == 201 and made.json()["ticket"]["number"] == "A-001"
    admin = {"Authorization": f"Bearer {server.tokens['admin-1']}"}
    spec = httpx.get(f"{server.base_url}/openapi.json", headers=admin).json()["paths"]["/api/v1/tickets"]["post"]
    schema = spec["requestBody"]["content"]["application/json"]["schema"]
    assert spec["requestBody"]["required"] and set(schema["required"]) == {"service_id", "request_id"}
    assert "201" in spec["responses"]


def test_event_stream_in_order_and_resume(server: HallServerProcess) -> None:
    got: list[m.Event] = []
    done = threading.Event()

    def on_event(e: m.Event) -> None:
        got.append(e)
        if e.type == "ticket.done":  # the last of the story (the replay starts with the day roll)
            done.set()

    stream = EventStream(server.base_url, server.tokens["board-1"], on_event, since=0).start()
    kiosk = server.client("kiosk-1")
    for _ in range(3):
        kiosk.issue("juminhyo")
    s = server.staff_client(1)
    t = s.call_next(1)
    assert t is not None
    s.start(t.id, 1)
    s.done(t.id, 1)
    assert done.wait(30)
    stream.stop()
    ids = [e.id for e in got]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert [e.type for e in got][-3:] == ["ticket.called", "ticket.serving", "ticket.done"]
    # reconnect later from the last id: only what happened meanwhile arrives
    kiosk.issue("inkan")
    later: list[m.Event] = []
    stream2 = EventStream(server.base_url, server.tokens["board-1"], later.append, since=ids[-1]).start()
    deadline = time.monotonic() + 30
    while not later and time.monotonic() < deadline:
        time.sleep(0.02)
    stream2.stop()
    assert [e.type for e in later] == ["ticket.issued"] and later[0].id == ids[-1] + 1


def test_websocket_requires_token(server: HallServerProcess) -> None:
    from websockets.sync.client import connect

    # closed with 4401 before the handshake completes
    with pytest.raises(Exception), connect(f"ws://127.0.0.1:{server.port}/events", open_timeout=3) as ws:  # noqa: B017
        ws.recv(timeout=3)


def test_board_state_and_openapi(server: HallServerProcess) -> None:
    kiosk = server.client("kiosk-1")
    kiosk.issue("juminhyo", language="vi")
    s = server.staff_client(1)
    s.call_next(1)
    board = server.client("board-1").board()
    assert board.recent_calls[0].number == "A-001" and board.recent_calls[0].language == "vi"
    assert board.now_serving == {1: "A-001"}
    admin = {"Authorization": f"Bearer {server.tokens['admin-1']}"}
    spec = httpx.get(f"{server.base_url}/openapi.json", headers=admin).json()
    assert "/api/v1/tickets" in spec["paths"] and "/api/v1/counters/{counter}/call-next" in spec["paths"]
    page = httpx.get(f"{server.base_url}/board")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
