"""docs/security.md, "Pages" and "Files": security headers on every page (and the pages still work under their
policy, in Chromium), API documentation off unless turned on and served without a CDN, data files the
server user's alone however the server was started, forms gone after form_retention_hours."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from madoguchi.client.admin_client import AdminClient
from madoguchi.client.local_server import HallServerProcess
from tests.support.browser import HeadlessChromium, chromium_available
from tests.support.rehearsal_clock import hall_time_ahead, move_hall_clock, write_offset

RESIDENT = {"name": "平塚　花子", "address": "神奈川県平塚市浅間町９－１", "birth_date": "1980-02-17"}


def _config(tmp: Path, example: Path, **replace: str) -> Path:
    text = example.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    path = tmp / "hall.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def docs_on(tmp_path: Path, example_config_path: Path) -> Iterator[HallServerProcess]:
    config = _config(tmp_path, example_config_path, **{"api_docs = false": "api_docs = true"})
    with HallServerProcess(tmp_path / "server", config_path=config) as srv:
        yield srv


def test_every_html_page_carries_the_security_headers(docs_on: HallServerProcess) -> None:
    issued = docs_on.client("kiosk-1").issue("juminhyo")
    pages = ["/board", f"/t/{issued.token}", "/t/no-such-ticket", "/admin/health", "/docs"]
    for path in pages:
        r = httpx.get(f"{docs_on.base_url}{path}")
        assert r.headers["content-type"].startswith("text/html"), path
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"  # a phone page's address is its ticket's token
        assert r.headers["cache-control"] == "no-store"
    api = httpx.get(f"{docs_on.base_url}/healthz")
    assert api.headers["x-content-type-options"] == "nosniff" and "content-security-policy" not in api.headers


def test_the_api_documentation_is_off_by_default(tmp_path: Path) -> None:
    with HallServerProcess(tmp_path / "server") as srv:
        admin = {"Authorization": f"Bearer {srv.tokens['admin-1']}"}
        assert httpx.get(f"{srv.base_url}/docs").status_code == 404
        assert httpx.get(f"{srv.base_url}/openapi.json", headers=admin).status_code == 404
        assert httpx.get(f"{srv.base_url}/docs/assets/swagger-ui-bundle.js").status_code == 404


def test_the_api_documentation_needs_no_cdn(docs_on: HallServerProcess) -> None:
    page = httpx.get(f"{docs_on.base_url}/docs").text
    assert "http://" not in page and "https://" not in page and "//cdn" not in page
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        r = httpx.get(f"{docs_on.base_url}/docs/assets/{asset}")
        assert r.status_code == 200 and len(r.content) > 10_000


@pytest.mark.skipif(not chromium_available(), reason="chromium and chromedriver are not installed")
def test_the_pages_work_under_their_policy_and_keep_tokens_out_of_urls(
    docs_on: HallServerProcess, artifacts_dir: Path
) -> None:
    browser = HeadlessChromium(width=1280, height=800)
    driver = browser.driver
    out = artifacts_dir / "security"
    out.mkdir(parents=True, exist_ok=True)
    try:
        # the board: token in the fragment, kept in a cookie, gone from the address; the call shown live
        driver.get(f"{docs_on.base_url}/board#token={docs_on.tokens['board-1']}")
        assert _wait(lambda: driver.execute_script("return location.href") == f"{docs_on.base_url}/board")
        kiosk = docs_on.client("kiosk-1")
        kiosk.issue("juminhyo")
        time.sleep(0.5)  # the page's WebSocket is open by now; a call it misses would come with the next sync
        docs_on.staff_client(1).call_next(1)
        assert _wait(lambda: driver.execute_script("return document.body.dataset.last") == "A-001")
        driver.save_screenshot(str(out / "board_under_csp.png"))
        # the API documentation: Swagger UI from the server's own files lists the routes
        driver.get(f"{docs_on.base_url}/docs#token={docs_on.tokens['admin-1']}")
        assert _wait(lambda: "/api/v1/tickets" in driver.find_element("tag name", "body").text, timeout=20)
        assert driver.execute_script("return location.hash") == ""
        driver.save_screenshot(str(out / "api_docs.png"))
        problems = [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]
        assert problems == []
    finally:
        browser.close()
    # the server's access log never saw a token in an address
    assert docs_on.log_path is not None
    log = docs_on.log_path.read_text(encoding="utf-8", errors="replace")
    assert docs_on.tokens["board-1"] not in log and docs_on.tokens["admin-1"] not in log


def _wait(check: object, timeout: float = 10.0) -> bool:
    assert callable(check)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except Exception:  # the page is still loading
            pass
        time.sleep(0.1)
    return False


def _modes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): stat.S_IMODE(p.stat().st_mode) for p in folder.rglob("*")}


def test_data_keys_backups_and_logs_are_the_server_users_alone_whatever_the_umask(
    tmp_path: Path, example_config_path: Path
) -> None:
    backups = tmp_path / "backups"
    config = _config(tmp_path, example_config_path, **{'backup_dir = ""': f'backup_dir = "{backups}"'})
    logs = tmp_path / "logs"
    old = os.umask(0o022)  # a hand start from a shell: what the server makes must not follow it
    try:
        srv = HallServerProcess(tmp_path / "server", config_path=config, extra_args=("--log-dir", str(logs)))
        with srv:
            srv.client("kiosk-1").issue("juminhyo", source="card", form=RESIDENT)
            admin = AdminClient(srv.base_url, srv.tokens["admin-1"])
            assert admin.backup_now()
            assert _wait(lambda: any(backups.glob("*.sqlite3*")), timeout=30)
            found = {**_modes(srv.data_dir), **{f"logs/{k}": v for k, v in _modes(logs).items()}}
            found |= {f"backups/{k}": v for k, v in _modes(backups).items()}
    finally:
        os.umask(old)
    found.pop("server.log")  # the test harness's capture of the process's output, not the server's file
    assert any(name.startswith("hall.sqlite3") for name in found) and "keys" in found
    assert any(name.startswith("logs/") for name in found) and any(name.startswith("backups/") for name in found)
    loose = {name: oct(mode) for name, mode in found.items() if mode & 0o077}
    assert loose == {}


def test_forms_are_deleted_after_form_retention_hours(tmp_path: Path, example_config_path: Path) -> None:
    config = _config(tmp_path, example_config_path, **{"form_retention_hours = 0": "form_retention_hours = 1"})
    offset = tmp_path / "clock-offset"
    morning = hall_time_ahead(9, 30)
    write_offset(offset, morning)
    srv = HallServerProcess(tmp_path / "server", config_path=config, extra_args=("--clock-offset-file", str(offset)))
    with srv:
        kiosk = srv.client("kiosk-1")
        kiosk.issue("juminhyo", source="card", form=RESIDENT)
        move_hall_clock(offset, morning + dt.timedelta(minutes=50))
        kiosk.issue("juminhyo", source="card", form=RESIDENT)
        assert _form_count(srv.db_path) == 2
        move_hall_clock(offset, morning + dt.timedelta(minutes=70))
        assert _wait(lambda: _form_count(srv.db_path) == 1, timeout=30)  # the first, 70 minutes old, is gone
        assert kiosk.hall().hall_day == morning.date().isoformat()  # not the day reset's doing


def _form_count(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM forms").fetchone()[0])
    finally:
        conn.close()
