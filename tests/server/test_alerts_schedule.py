"""Alerts that follow the office's hours, and that a manager can acknowledge and mute.

On the last release switching a counter PC off at night raised an offline alert and ran the mail hook; there was
no acknowledge or mute. Here the real monitor runs on a real store with a real mail hook (a script that writes
what it receives), the clock set by hand; and the admin routes on a real server.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from madoguchi.client.admin_client import AdminClient
from madoguchi.client.local_server import HallServerProcess
from madoguchi.core import api_models as m
from madoguchi.core.config import HallConfig, load_config
from madoguchi.server.accounts import make_device
from madoguchi.server.device_health import HealthMonitor, office_hours
from madoguchi.server.store import Store

TOKYO = ZoneInfo("Asia/Tokyo")


class Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.t = at.timestamp()

    def __call__(self) -> float:
        return self.t


def _hook(folder: Path) -> tuple[list[str], Path]:
    """A mail hook that appends every alert it is given to a file."""
    out = folder / "mails.jsonl"
    script = folder / "mail-hook"
    # one append per mail: the monitor may run two hooks at once, and "cat; echo" of two could interleave
    script.write_text(f'#!/bin/sh\nmail=$(cat)\nprintf "%s\\n" "$mail" >> {out}\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return [str(script)], out


def _mails(out: Path, timeout: float = 5.0, expect: int = 0) -> list[dict[str, object]]:
    deadline = time.monotonic() + timeout
    while True:
        lines = [json.loads(x) for x in out.read_text().splitlines() if x.strip()] if out.exists() else []
        if len(lines) >= expect or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


def _monitor(store: Store, config: HallConfig, clock: Clock, hook: list[str]) -> HealthMonitor:
    return HealthMonitor(
        store,
        now=clock,
        timeout_s=lambda: 30,
        alert_command=lambda: hook,
        min_interval_s=0,
        schedule=office_hours(lambda: config),
    )


def test_a_counter_pc_switched_off_at_night_raises_nothing_and_mails_nobody(
    store: Store, hall_config: HallConfig, tmp_path: Path
) -> None:
    hook, mails = _hook(tmp_path)
    clock = Clock(dt.datetime(2026, 11, 30, 17, 10, tzinfo=TOKYO))  # a Monday, at the counters' last minutes
    make_device(store, "counter-pc-3", "staff", clock.t, counter=3)
    make_device(store, "kiosk-1", "kiosk", clock.t)
    for name in ("counter-pc-3", "kiosk-1"):
        store.device_heartbeat(name, clock.t, m.DeviceHealth().model_dump_json())
    mon = _monitor(store, hall_config, clock, hook)
    clock.t += 40  # out of the start-up quiet period
    for name in ("counter-pc-3", "kiosk-1"):
        store.device_heartbeat(name, clock.t, m.DeviceHealth().model_dump_json())
    assert mon.tick() == ([], [])
    clock.t += 45 * 60  # 17:55: the hall closed at 17:15, devices may go off from 17:45
    raised, _ = mon.tick()
    assert raised == []
    tiles = {t.name: t for t in mon.tiles()}
    assert tiles["counter-pc-3"].state == "grey" and tiles["counter-pc-3"].off_hours
    # the night passes; at 08:00 the next morning they are expected again (opening 08:30, 30 min before)
    clock.t = dt.datetime(2026, 12, 1, 7, 55, tzinfo=TOKYO).timestamp()
    assert mon.tick() == ([], [])
    clock.t = dt.datetime(2026, 12, 1, 8, 5, tzinfo=TOKYO).timestamp()
    raised, _ = mon.tick()
    assert sorted((a.device, a.code) for a in raised) == [
        ("counter-pc-3", "device.offline"),
        ("kiosk-1", "device.offline"),
    ]
    assert len(_mails(mails, expect=2)) == 2  # a PC still off in office hours is worth a mail
    # a Sunday is no office day at all
    clock.t = dt.datetime(2026, 12, 6, 11, 0, tzinfo=TOKYO).timestamp()
    assert {t.name: t.state for t in mon.tiles()} == {"counter-pc-3": "grey", "kiosk-1": "grey"}


def test_a_device_always_on_is_watched_at_night(store: Store, tmp_path: Path, example_config_path: Path) -> None:
    text = example_config_path.read_text(encoding="utf-8").replace("always_on = []", 'always_on = ["board-lobby"]')
    (tmp_path / "hall.toml").write_text(text, encoding="utf-8")
    config = load_config(tmp_path / "hall.toml")
    hook, _ = _hook(tmp_path)
    clock = Clock(dt.datetime(2026, 11, 30, 23, 0, tzinfo=TOKYO))
    make_device(store, "board-lobby", "display", clock.t)
    store.device_heartbeat("board-lobby", clock.t, m.DeviceHealth().model_dump_json())
    mon = _monitor(store, config, clock, hook)
    clock.t += 100
    raised, _ = mon.tick()
    assert [(a.device, a.code) for a in raised] == [("board-lobby", "device.offline")]


def test_acknowledged_and_muted_alerts(store: Store, hall_config: HallConfig, tmp_path: Path) -> None:
    hook, mails = _hook(tmp_path)
    clock = Clock(dt.datetime(2026, 11, 30, 10, 0, tzinfo=TOKYO))
    for name in ("kiosk-1", "kiosk-2"):
        make_device(store, name, "kiosk", clock.t)
    mon = _monitor(store, hall_config, clock, hook)
    clock.t += 40
    out = m.DeviceHealth(printer=m.PrinterHealth(status="PAPER_OUT")).model_dump_json()
    store.device_heartbeat("kiosk-1", clock.t, out)
    store.device_heartbeat("kiosk-2", clock.t, m.DeviceHealth().model_dump_json())
    [paper], _ = mon.tick()
    assert len(_mails(mails, expect=1)) == 1
    done = mon.acknowledge(paper.id, "admin-1")
    assert done is not None and done.acknowledged_by == "admin-1"
    assert mon.acknowledge("no-such-alert", "admin-1") is None
    [listed] = mon.alerts()
    assert listed.acknowledged_by == "admin-1" and listed.acknowledged_at == clock.t
    # muted for an hour: kiosk-2's new alert is listed, marked, and mails nobody
    assert mon.mute("kiosk-2", 60, "admin-1") == clock.t + 3600
    store.device_heartbeat("kiosk-2", clock.t, out)
    raised, _ = mon.tick()
    assert [a.device for a in raised] == ["kiosk-2"]
    assert {a.device: a.muted for a in mon.alerts()} == {"kiosk-1": False, "kiosk-2": True}
    assert {t.name: t.muted_until for t in mon.tiles()}["kiosk-2"] == clock.t + 3600
    time.sleep(0.5)
    assert len(_mails(mails, timeout=0.5)) == 1
    # the mute ends by itself after its hour
    clock.t += 3601
    store.device_heartbeat("kiosk-2", clock.t, m.DeviceHealth().model_dump_json())
    store.device_heartbeat("kiosk-1", clock.t, out)
    _, cleared = mon.tick()
    assert [a.device for a in cleared] == ["kiosk-2"]
    assert len(_mails(mails, expect=2)) == 2  # no longer muted: the clearing is mailed
    assert mon.alerts()[0].acknowledged_by == "admin-1"  # acknowledged stays until it clears
    assert os.path.exists(mails)


def test_acknowledge_and_mute_through_the_admin_routes(tmp_path: Path) -> None:
    srv = HallServerProcess(tmp_path / "data").start()
    try:
        with srv.client("kiosk-1") as kiosk:
            kiosk.heartbeat(m.DeviceHealth(printer=m.PrinterHealth(status="PAPER_OUT")))
        admin = AdminClient(srv.base_url, srv.tokens["admin-1"])
        deadline = time.monotonic() + 15
        while not (alerts := admin.alerts()) and time.monotonic() < deadline:
            time.sleep(0.2)
        [alert] = [a for a in alerts if a["code"] == "printer.paper_out"]
        done = admin.acknowledge_alert(alert["id"])
        assert done["acknowledged_by"] == "admin-1"
        muted = admin.mute_device("kiosk-1", 30)
        assert muted["device"] == "kiosk-1" and muted["until"]
        [listed] = [a for a in admin.alerts() if a["id"] == alert["id"]]
        assert listed["muted"] and listed["acknowledged_by"] == "admin-1"
        assert admin.mute_device("kiosk-1", 0)["until"] is None
        with pytest.raises(Exception) as unknown:
            admin.acknowledge_alert("0123456789ab")
        assert getattr(unknown.value, "status", None) == 404
        admin.close()
    finally:
        srv.stop()
