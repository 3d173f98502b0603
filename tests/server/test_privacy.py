"""Personal data never reaches a log line or an error body; the queue core never imports Qt."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx

from madoguchi.client.local_server import HallServerProcess
from madoguchi.core.logging_setup import PersonalDataFilter, setup_logging

RESIDENT = {"name": "平塚　花子", "address": "神奈川県平塚市浅間町９－１", "birth_date": "1980-02-17"}


def test_filter_refuses_records_with_personal_fields() -> None:
    f = PersonalDataFilter()
    ok = logging.LogRecord("madoguchi", logging.INFO, "", 0, "ticket %s issued", ("A-001",), None)
    assert f.filter(ok)
    bad = logging.LogRecord("madoguchi", logging.INFO, "", 0, "resident", (), None)
    bad.address = "somewhere"
    assert not f.filter(bad)
    marked = logging.LogRecord("madoguchi", logging.INFO, "", 0, "x", (), None)
    marked.personal = True
    assert not f.filter(marked)


def test_setup_logging_writes_rotating_file(tmp_path: Path) -> None:
    log = setup_logging("unit", tmp_path)
    log.info("ticket %s issued", "A-001")
    log.info("leak", extra={"birth_date": "1980-02-17"})
    for h in logging.getLogger().handlers:
        h.flush()
    text = (tmp_path / "unit.log").read_text(encoding="utf-8")
    assert "A-001" in text and "1980-02-17" not in text and "leak" not in text
    setup_logging("unit", None)


def test_server_logs_and_errors_carry_no_form_values(server: HallServerProcess) -> None:
    kiosk = server.client("kiosk-1")
    issued = kiosk.issue("juminhyo", source="card", form=RESIDENT)
    s = server.staff_client(1)
    t = s.call_next(1)
    assert t is not None
    s.form(t.id)
    bodies = []
    for payload in (
        {"service_id": "nope", "request_id": "abcdefgh", "form": RESIDENT},
        {"service_id": "juminhyo", "request_id": "ab", "form": RESIDENT},
        {"service_id": RESIDENT["name"], "request_id": "abcdefgh"},
    ):
        r = httpx.post(
            f"{server.base_url}/api/v1/tickets",
            headers={"Authorization": f"Bearer {server.tokens['kiosk-2']}"},
            json=payload,
        )
        assert 400 <= r.status_code < 500
        bodies.append(r.text)
    bodies.append(httpx.get(issued.status_url).text)
    server.stop()
    assert server.log_path is not None
    log_text = server.log_path.read_text(encoding="utf-8", errors="replace")
    for value in RESIDENT.values():
        assert value not in log_text
        for body in bodies:
            assert value not in body


def test_an_unhandled_error_is_logged_as_one_line_without_its_message(
    tmp_path: Path, example_config_path: Path
) -> None:
    """uvicorn logs an unhandled error with its traceback; the message of the exception may hold a request value."""
    import io

    from madoguchi.server.web.app import ServerSettings, create_app

    create_app(ServerSettings(config_path=example_config_path, db_path=tmp_path / "q.db", key_dir=tmp_path / "k"))
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    uvicorn_error = logging.getLogger("uvicorn.error")
    uvicorn_error.addHandler(handler)
    try:
        try:
            raise ValueError("山田太郎 1990-01-01")
        except ValueError as exc:
            uvicorn_error.error("Exception in ASGI application\n", exc_info=exc)
    finally:
        uvicorn_error.removeHandler(handler)
    text = out.getvalue()
    assert "internal error: ValueError at test_privacy.py:" in text
    assert "山田" not in text and "Traceback" not in text and text.count("\n") == 1
