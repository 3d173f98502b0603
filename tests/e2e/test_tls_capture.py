"""docs/security.md, "Encrypted traffic": what a person capturing the hall's network sees.

The server serves TLS with a certificate from a test city's private CA; the staff console, the board, the
kiosk's client, the admin client and a phone reach it through a relay that records every byte both ways. With
TLS, the capture holds no token, password or resident data. The same scenario in plain HTTP (the negative
control) shows them all: the relay does see the traffic.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot

from madoguchi.apps.board.board_window import BoardWindow
from madoguchi.apps.staff.staff_console import StaffConsole
from madoguchi.client.admin_client import AdminClient
from madoguchi.client.hall_client import HallClient, ServerUnreachable
from madoguchi.client.local_server import STAFF_PASSWORD, HallServerProcess, counter_pc
from madoguchi.devices.speech.voice_adapter import ChimeOnlyVoice
from madoguchi.qt.event_bridge import EventBridge
from tests.support.qt_apps import silent_announcer
from tests.support.recording_relay import RecordingRelay
from tests.support.tls import make_certificates

COUNTER = 9  # kokuho: a form with the individual number
NUMBER = "123456789018"
FORM = {
    "name": "平塚　花子",
    "address": "神奈川県平塚市浅間町９－１",
    "birth_date": "1980-02-17",
    "sex": "female",
    "individual_number": NUMBER,
    "phone": "0463-21-0000",
}


@pytest.fixture
def tls_hall(tmp_path: Path) -> Iterator[tuple[HallServerProcess, Path]]:
    ca, cert, key = make_certificates(tmp_path / "tls")
    with HallServerProcess(tmp_path / "server", tls=(cert, key), ca_file=ca) as srv:
        yield srv, ca


def _hall_day_through(
    qtbot: QtBot, srv: HallServerProcess, url: str, ca: Path | None, voice_cache: Path
) -> dict[str, str]:
    """Kiosk, staff console, board, admin and a phone, all through ``url``; returns what must not be seen."""
    kiosk = HallClient(url, srv.tokens["kiosk-1"], ca_file=ca)
    board_token = srv.tokens["board-1"]
    board = BoardWindow(
        HallClient(url, board_token, ca_file=ca),
        EventBridge(url, board_token, ca_file=ca),
        silent_announcer(voice_cache, ChimeOnlyVoice(voice_cache)),
    )
    qtbot.addWidget(board)
    board.show()
    with qtbot.waitSignal(board.resynced, timeout=15000):
        board.start()
    issued = kiosk.issue("kokuho", language="vi", source="card", form=FORM)
    pc_token = srv.tokens[counter_pc(COUNTER)]
    console = StaffConsole(HallClient(url, pc_token, ca_file=ca), EventBridge(url, pc_token, ca_file=ca), COUNTER)
    qtbot.addWidget(console)
    console.show()
    console.login_screen.staff_id.setText("staff1")
    console.login_screen.password.setText(STAFF_PASSWORD)
    with qtbot.waitSignal(console.controller.logged_in, timeout=15000):
        console.login_screen.button.click()
    buttons = console.counter_screen.action_buttons.buttons
    qtbot.waitUntil(lambda: buttons["call_next"].isEnabled() and console.controller.hall is not None, timeout=15000)
    with qtbot.waitSignal(board.call_shown, timeout=15000) as shown:
        buttons["call_next"].click()
    assert shown.args[0].number == issued.ticket.number
    sheet = console.counter_screen.form
    qtbot.waitUntil(lambda: sheet.showing, timeout=15000)
    assert {r.key: r.value for r in sheet.rows}["name"] == FORM["name"]
    assert sheet.show_button is not None
    with qtbot.waitSignal(console.controller.individual_number_revealed, timeout=15000):
        sheet.show_button.click()
    admin = AdminClient(url, srv.tokens["admin-1"], ca_file=ca)
    assert {s["staff_id"] for s in admin.staff()} >= {"staff1"}
    phone = httpx.get(f"{url}/t/{issued.token}", verify=ssl.create_default_context(cafile=str(ca)) if ca else False)
    assert phone.status_code == 200 and issued.ticket.number in phone.text
    if ca is not None:  # a browser that saw the hall over TLS keeps to it
        assert phone.headers["strict-transport-security"] == "max-age=31536000"
    session = console.controller.client.staff_session
    assert session is not None
    secrets = {
        "kiosk token": srv.tokens["kiosk-1"],
        "board token": board_token,
        "counter PC token": pc_token,
        "admin token": srv.tokens["admin-1"],
        "staff password": STAFF_PASSWORD,
        "staff session": session,
        "phone page token": issued.token,
        "individual number": NUMBER,
        "name": FORM["name"],
        "address": FORM["address"],
        "birth date": FORM["birth_date"],
        "phone": FORM["phone"],
    }
    buttons_done = console.counter_screen.action_buttons.buttons["start"]
    qtbot.waitUntil(buttons_done.isEnabled, timeout=15000)
    console.close()
    board.close()
    return secrets


def _found(captured: bytes, secrets: dict[str, str]) -> list[str]:
    return [what for what, value in secrets.items() if value.encode() in captured]


def test_with_tls_a_capture_holds_no_token_password_or_resident_data(
    qtbot: QtBot, tls_hall: tuple[HallServerProcess, Path], tmp_path: Path
) -> None:
    srv, ca = tls_hall
    with RecordingRelay(srv.port) as relay:
        secrets = _hall_day_through(qtbot, srv, f"https://127.0.0.1:{relay.port}", ca, tmp_path / "voice")
        captured = relay.seen()
    assert len(captured) > 20_000 and captured[:3] == b"\x16\x03\x01"  # a TLS handshake, then records
    assert _found(captured, secrets) == []
    assert "平塚".encode() not in captured and b"/api/v1/" not in captured


def test_a_client_refuses_a_server_its_ca_did_not_sign(
    tls_hall: tuple[HallServerProcess, Path], tmp_path: Path
) -> None:
    srv, _ca = tls_hall
    other_ca, _, _ = make_certificates(tmp_path / "other")
    with pytest.raises(ServerUnreachable):
        HallClient(srv.base_url, srv.tokens["kiosk-1"], ca_file=other_ca).health()
    with pytest.raises(ServerUnreachable):  # the public CA bundle alone does not know a city's private CA
        HallClient(srv.base_url, srv.tokens["kiosk-1"]).health()


def test_negative_control_in_plain_http_the_capture_shows_everything(qtbot: QtBot, tmp_path: Path) -> None:
    with HallServerProcess(tmp_path / "server") as srv, RecordingRelay(srv.port) as relay:
        secrets = _hall_day_through(qtbot, srv, f"http://127.0.0.1:{relay.port}", None, tmp_path / "voice")
        captured = relay.seen()
    assert _found(captured, secrets) == list(secrets)


def test_tls_1_2_without_forward_secrecy_is_refused(tls_hall: tuple[HallServerProcess, Path]) -> None:
    srv, ca = tls_hall
    weak = ssl.create_default_context(cafile=str(ca))
    weak.maximum_version = ssl.TLSVersion.TLSv1_2
    weak.set_ciphers("AES128-SHA:AES256-GCM-SHA384")  # RSA key exchange: a stolen key would open old captures
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{srv.base_url}/healthz", verify=weak)
    strong = ssl.create_default_context(cafile=str(ca))
    strong.maximum_version = ssl.TLSVersion.TLSv1_2
    assert httpx.get(f"{srv.base_url}/healthz", verify=strong).status_code == 200


def test_a_key_every_user_can_read_is_refused_at_start(tmp_path: Path) -> None:
    ca, cert, key = make_certificates(tmp_path / "tls")
    key.chmod(0o644)
    srv = HallServerProcess(tmp_path / "server", tls=(cert, key), ca_file=ca)
    with pytest.raises(RuntimeError):
        srv.start(timeout=10)
    assert srv.log_path is not None and "readable by every user" in srv.log_path.read_text(encoding="utf-8")
