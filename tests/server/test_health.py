"""Device tiles and alerts: heartbeat age and health → green/amber/red; alerts raised, cleared, hooked, logged."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from madoguchi.core import api_models as m
from madoguchi.server.accounts import make_device
from madoguchi.server.device_health import HealthMonitor, device_problems, tile_for
from madoguchi.server.store import Store
from madoguchi.server.web.app import ServerSettings, create_app


def _row(last_seen: float | None, **health: object) -> dict[str, object]:
    return {"name": "kiosk-1", "role": "kiosk", "last_seen": last_seen, "health": json.dumps(health)}


def test_tile_states_follow_heartbeat_age_and_health() -> None:
    now = 1000.0
    assert tile_for(_row(None), now, 30).state == "grey"
    assert tile_for(_row(now - 2, printer={"status": "OK"}), now, 30).state == "green"
    assert tile_for(_row(now - 2, printer={"status": "PAPER_LOW"}), now, 30).state == "amber"
    assert tile_for(_row(now - 20), now, 30).state == "amber"  # late: the device is slow
    assert tile_for(_row(now - 2, printer={"status": "PAPER_OUT"}), now, 30).state == "red"
    fitted = frozenset({"card_reader", "camera"})
    assert tile_for(_row(now - 2, card_reader_present=False), now, 30, fitted).state == "red"
    assert tile_for(_row(now - 2, camera_ok=False), now, 30, fitted).state == "red"
    # a kiosk without a reader or camera reports them absent: that is not a problem
    assert tile_for(_row(now - 2, card_reader_present=False, camera_ok=False), now, 30).state == "green"
    offline = tile_for(_row(now - 31, printer={"status": "PAPER_OUT"}), now, 30)
    assert offline.state == "red"
    assert [p.code for p in offline.problems] == ["device.offline"]  # stale health is not reported


def test_problem_codes_are_stable() -> None:
    codes = {p.code for p in device_problems({"printer": {"status": "COVER_OPEN"}, "free_disk_mb": 300}, 1, 30)}
    assert codes == {"printer.cover_open", "disk.low"}


class FakeTime:
    def __init__(self) -> None:
        self.t = 1_700_000_000.0

    def __call__(self) -> float:
        return self.t


def _events(store: Store, type_: str) -> list[dict[str, object]]:
    return [e.data for e in store.events_since(0, 10_000) if e.type == type_]


def test_monitor_raises_once_clears_and_survives_restart(store: Store, tmp_path: Path) -> None:
    now = FakeTime()
    make_device(store, "kiosk-1", "kiosk", now.t)
    health = m.DeviceHealth(printer=m.PrinterHealth(status="PAPER_OUT"))
    store.device_heartbeat("kiosk-1", now.t, health.model_dump_json())
    mon = HealthMonitor(store, now=now, timeout_s=lambda: 30, min_interval_s=0)
    raised, cleared = mon.tick()
    assert [(a.device, a.code, a.severity) for a in raised] == [("kiosk-1", "printer.paper_out", "red")]
    assert not cleared
    assert mon.tick() == ([], [])  # still out of paper: no second alert
    # a restarted server knows the alert is already raised
    again = HealthMonitor(store, now=now, timeout_s=lambda: 30, min_interval_s=0)
    assert again.tick() == ([], [])
    assert [a.id for a in again.alerts()] == [raised[0].id]
    now.t += 3
    store.device_heartbeat("kiosk-1", now.t, m.DeviceHealth(printer=m.PrinterHealth(status="OK")).model_dump_json())
    raised2, cleared2 = again.tick()
    assert not raised2 and [a.id for a in cleared2] == [raised[0].id]
    assert [e["code"] for e in _events(store, "alert.raised")] == ["printer.paper_out"]
    assert [e["id"] for e in _events(store, "alert.cleared")] == [raised[0].id]


def test_a_reader_seen_then_gone_is_red_until_it_is_back(store: Store) -> None:
    now = FakeTime()
    make_device(store, "kiosk-3", "kiosk", now.t)
    mon = HealthMonitor(store, now=now, timeout_s=lambda: 30, min_interval_s=0)

    def beat(**health: object) -> tuple[list[str], list[str]]:
        store.device_heartbeat("kiosk-3", now.t, m.DeviceHealth(**health).model_dump_json())  # type: ignore[arg-type]
        raised, cleared = mon.tick()
        return [a.code for a in raised], [a.code for a in cleared]

    assert beat(card_reader_present=False, camera_ok=False) == ([], [])  # never fitted
    assert beat(card_reader_present=True, camera_ok=False) == ([], [])
    assert beat(card_reader_present=False, camera_ok=False) == (["card_reader.missing"], [])
    # after a restart the missing reader is still missing (not forgotten, not raised twice)
    mon = HealthMonitor(store, now=now, timeout_s=lambda: 30, min_interval_s=0)
    assert beat(card_reader_present=False, camera_ok=False) == ([], [])
    assert beat(card_reader_present=True, camera_ok=False) == ([], ["card_reader.missing"])
    configured = HealthMonitor(
        store, now=now, timeout_s=lambda: 30, expects=lambda _d: frozenset({"camera"}), min_interval_s=0
    )
    mon = configured
    assert beat(card_reader_present=True, camera_ok=False) == (["camera.lost"], [])


def test_alert_command_gets_the_alert_json_on_stdin(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "hook.json"
    script = tmp_path / "hook.py"
    script.write_text(f"import sys, pathlib\npathlib.Path({str(out)!r}).write_bytes(sys.stdin.buffer.read())\n")
    now = FakeTime()
    make_device(store, "kiosk-2", "kiosk", now.t)
    store.device_heartbeat("kiosk-2", now.t, m.DeviceHealth(camera_ok=False).model_dump_json())
    mon = HealthMonitor(
        store,
        now=now,
        timeout_s=lambda: 30,
        alert_command=lambda: (sys.executable, str(script)),
        expects=lambda _d: frozenset({"camera"}),
        min_interval_s=0,
    )
    mon.tick()
    deadline = time.monotonic() + 20
    while not out.exists() or not out.read_bytes():
        assert time.monotonic() < deadline, "alert command did not run"
        time.sleep(0.05)
    body = json.loads(out.read_text())
    assert body["event"] == "alert.raised" and body["device"] == "kiosk-2" and body["code"] == "camera.lost"


class SettableClock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def app_client(tmp_path: Path, example_config_path: Path) -> Iterator[tuple[TestClient, SettableClock, dict[str, str]]]:
    clock = SettableClock()
    db = tmp_path / "hall.sqlite3"
    store = Store(db)
    tokens = {name: make_device(store, name, role, 0) for name, role in (("kiosk-1", "kiosk"), ("admin-1", "admin"))}
    store.close()
    app = create_app(
        ServerSettings(config_path=example_config_path, db_path=db, key_dir=tmp_path / "keys", clock=clock)
    )
    with TestClient(app) as client:
        yield client, clock, tokens


def test_heartbeat_timeout_turns_the_tile_red(app_client: tuple[TestClient, SettableClock, dict[str, str]]) -> None:
    client, clock, tokens = app_client
    kiosk = {"Authorization": f"Bearer {tokens['kiosk-1']}"}
    admin = {"Authorization": f"Bearer {tokens['admin-1']}"}
    r = client.post("/api/v1/devices/heartbeat", json={"printer": {"status": "OK"}}, headers=kiosk)
    assert r.status_code == 204
    tiles = {t["name"]: t for t in client.get("/api/v1/admin/tiles", headers=admin).json()}
    assert tiles["kiosk-1"]["state"] == "green"
    assert tiles["admin-1"]["state"] == "grey"
    clock.now += dt.timedelta(seconds=31)  # the example hall's heartbeat_timeout_s is 30
    tiles = {t["name"]: t for t in client.get("/api/v1/admin/tiles", headers=admin).json()}
    assert tiles["kiosk-1"]["state"] == "red"
    assert tiles["kiosk-1"]["problems"][0]["code"] == "device.offline"
    server = app_client[0].app.state.server  # type: ignore[attr-defined]
    server.writer.call(lambda _h: server.monitor.evaluate())  # on the writer thread, like the ticker
    alerts = client.get("/api/v1/admin/alerts", headers=admin).json()
    assert [(a["device"], a["code"]) for a in alerts] == [("kiosk-1", "device.offline")]


def test_admin_routes_need_an_admin_token(app_client: tuple[TestClient, SettableClock, dict[str, str]]) -> None:
    client, _clock, tokens = app_client
    assert client.get("/api/v1/admin/tiles").status_code == 401
    kiosk = {"Authorization": f"Bearer {tokens['kiosk-1']}"}
    assert client.get("/api/v1/admin/tiles", headers=kiosk).status_code == 403
    assert client.get("/api/v1/admin/export/tickets.csv", headers=kiosk).status_code == 403
    page = client.get("/admin/health")
    assert page.status_code == 200 and "/api/v1/admin/tiles" in page.text


def test_no_offline_alarm_storm_after_a_server_restart(store: Store) -> None:
    now = FakeTime()
    for name in ("kiosk-1", "kiosk-2"):
        make_device(store, name, "kiosk", now.t)
    out = m.DeviceHealth(printer=m.PrinterHealth(status="PAPER_OUT")).model_dump_json()
    store.device_heartbeat("kiosk-1", now.t, out)
    store.device_heartbeat("kiosk-2", now.t, m.DeviceHealth().model_dump_json())
    HealthMonitor(store, now=now, timeout_s=lambda: 30, min_interval_s=0).tick()
    now.t += 600  # the server was down for ten minutes
    restarted = HealthMonitor(store, now=now, timeout_s=lambda: 30, min_interval_s=0)
    assert restarted.tick() == ([], [])  # nobody has had a chance to report yet
    now.t += 5
    store.device_heartbeat("kiosk-2", now.t, m.DeviceHealth().model_dump_json())
    assert restarted.tick() == ([], [])
    now.t += 30  # kiosk-1 is really gone
    store.device_heartbeat("kiosk-2", now.t, m.DeviceHealth().model_dump_json())
    raised, cleared = restarted.tick()
    assert [(a.device, a.code) for a in raised] == [("kiosk-1", "device.offline")]
    assert [(a.device, a.code) for a in cleared] == [("kiosk-1", "printer.paper_out")]


def test_a_hall_clock_jump_starts_the_quiet_period_again(store: Store) -> None:
    """An NTP step or a day-roll rehearsal makes every heartbeat look hours old: no offline mail per device."""
    now, mono = FakeTime(), FakeTime()
    for name in ("kiosk-1", "kiosk-2"):
        make_device(store, name, "kiosk", now.t)
    mon = HealthMonitor(store, now=now, timeout_s=lambda: 30, min_interval_s=0, monotonic=mono)
    now.t += 40
    mono.t += 40  # out of the start-up quiet period, both kiosks reporting
    for name in ("kiosk-1", "kiosk-2"):
        store.device_heartbeat(name, now.t, m.DeviceHealth().model_dump_json())
    assert mon.tick() == ([], [])
    now.t += 15 * 3600  # the hall clock jumps; only a second really passed
    mono.t += 1
    assert mon.tick() == ([], [])
    now.t += 5
    mono.t += 5
    store.device_heartbeat("kiosk-2", now.t, m.DeviceHealth().model_dump_json())
    assert mon.tick() == ([], [])
    now.t += 30  # kiosk-1 really went silent after the jump
    mono.t += 30
    store.device_heartbeat("kiosk-2", now.t, m.DeviceHealth().model_dump_json())
    raised, _ = mon.tick()
    assert [(a.device, a.code) for a in raised] == [("kiosk-1", "device.offline")]
