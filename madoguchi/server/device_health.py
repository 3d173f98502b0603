"""Device health: a tile state per device from its last heartbeat, and alerts raised and cleared from them.

A tile is green, amber (paper near end, a late heartbeat, a reader error, low disk) or red (silent for longer
than ``heartbeat_timeout_s``, paper out, cover open, printer offline, card reader or camera gone). Devices that
never sent a heartbeat are grey and raise nothing (an admin PC or a spare token).

Every problem of a device is an alert with an id. ``HealthMonitor.tick()`` (the server's ticker, about once a
second) compares the problems now with the active alerts and writes ``alert.raised`` / ``alert.cleared`` events
to the log, so boards, staff consoles and the admin console receive them on the event stream; active alerts
survive a server restart in the ``meta`` table. An optional ``alert_command`` gets each raised and each cleared
alert as JSON on stdin (``"event": "alert.raised"`` / ``"alert.cleared"``), on a thread of its own (a slow mail
script never holds up the ticker).

Devices are expected on only in office hours (``[operations] devices_expected``, ``office_hours``): a counter PC
switched off at night is grey ("off hours"), raises nothing and runs no mail hook. An administrator can
acknowledge an alert (someone is on it: it stays listed, marked) and mute a device for a while (its alerts are
listed as muted and run no hook).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal
from zoneinfo import ZoneInfo

from madoguchi.core.config import HallConfig
from madoguchi.server.store import Store

log = logging.getLogger(__name__)

TileState = Literal["green", "amber", "red", "grey"]
Severity = Literal["amber", "red"]
_RANK = {"grey": 0, "green": 1, "amber": 2, "red": 3}

META_KEY = "alerts.active"
#: device name → muted until (epoch seconds)
MUTES_KEY = "alerts.mutes"
#: problems that only say a device is not there: not a problem while it is expected off
ABSENCE_CODES = frozenset({"device.offline", "device.slow"})
#: below this much free disk a device is amber, below a fifth of it red
DISK_LOW_MB = 500.0
#: hall clock and monotonic clock disagreeing by more than this between two checks is a jump, not drift
CLOCK_JUMP_S = 60.0

_PRINTER_PROBLEMS: dict[str, tuple[str, Severity, str]] = {
    "PAPER_LOW": ("printer.paper_low", "amber", "printer paper near end"),
    "PAPER_OUT": ("printer.paper_out", "red", "printer out of paper"),
    "COVER_OPEN": ("printer.cover_open", "red", "printer cover open"),
    "CUTTER_ERROR": ("printer.cutter_error", "red", "printer cutter error"),
    "OFFLINE": ("printer.offline", "red", "printer offline"),
    "UNKNOWN": ("printer.unknown", "amber", "printer status unknown"),
}


@dataclass(frozen=True)
class Problem:
    code: str  # stable id, also the message id suffix for UIs: health.<code>
    severity: Severity
    message: str  # short English text for logs and the HTML page (never personal data)


@dataclass(frozen=True)
class Tile:
    name: str
    role: str
    state: TileState
    last_seen: float | None
    age_s: float | None
    problems: tuple[Problem, ...]
    health: dict[str, Any] = field(default_factory=dict)
    #: outside office hours and silent: switched off as expected (grey, no alert)
    off_hours: bool = False
    #: its alerts run no hook until this time (epoch seconds)
    muted_until: float | None = None

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["problems"] = [asdict(p) for p in self.problems]
        return out


@dataclass(frozen=True)
class Alert:
    id: str
    device: str
    code: str
    severity: Severity
    message: str
    raised_at: float
    #: who acknowledged it (an admin device) and when: someone is on it
    acknowledged_by: str | None = None
    acknowledged_at: float | None = None
    #: the device is muted: this alert runs no hook (filled in when listed)
    muted: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


DeviceSchedule = Callable[[str, float], bool]


def always_expected(_device: str, _at: float) -> bool:
    return True


def office_hours(config: Callable[[], HallConfig]) -> DeviceSchedule:
    """Whether a device is expected on at a time: ``[operations] devices_expected`` of the current config."""

    def expected(device: str, at: float) -> bool:
        cfg = config()
        ops = cfg.operations
        if ops.devices_expected == "always" or device in ops.always_on:
            return True
        local = dt.datetime.fromtimestamp(at, ZoneInfo(cfg.hall.timezone))
        if local.weekday() not in ops.office_days:
            return False
        minute = local.hour * 60 + local.minute + local.second / 60
        opening = cfg.hall.opening
        start = opening.start.hour * 60 + opening.start.minute - ops.devices_on_before_min
        end = opening.end.hour * 60 + opening.end.minute + ops.devices_off_after_min
        return start <= minute <= end

    return expected


def device_problems(
    health: dict[str, Any], age_s: float | None, timeout_s: float, expects: frozenset[str] = frozenset()
) -> list[Problem]:
    """The problems a heartbeat (``DeviceHealth`` as a dict) and its age show; empty when all is well.

    ``expects`` names the peripherals this device should have ("card_reader", "camera"): a kiosk reports a
    reader or camera it was never given as absent too, and that is not a problem.
    """
    if age_s is None:
        return []
    if age_s > timeout_s:
        # A silent device's last health is stale: only the silence itself is the problem.
        return [Problem("device.offline", "red", f"no heartbeat for {int(age_s)} s")]
    out: list[Problem] = []
    if age_s > timeout_s / 2:
        out.append(Problem("device.slow", "amber", f"heartbeat late ({int(age_s)} s)"))
    printer = health.get("printer") or {}
    status = printer.get("status")
    if status in _PRINTER_PROBLEMS:
        code, severity, message = _PRINTER_PROBLEMS[status]
        out.append(Problem(code, severity, message))
    if health.get("card_reader_present") is False and "card_reader" in expects:
        out.append(Problem("card_reader.missing", "red", "card reader not found"))
    elif health.get("card_reader_error"):
        out.append(Problem("card_reader.error", "amber", "card reader reported an error"))
    if health.get("camera_ok") is False and "camera" in expects:
        out.append(Problem("camera.lost", "red", "camera delivers no frames"))
    free = health.get("free_disk_mb")
    if isinstance(free, int | float):
        if free < DISK_LOW_MB / 5:
            out.append(Problem("disk.full", "red", f"free disk {int(free)} MB"))
        elif free < DISK_LOW_MB:
            out.append(Problem("disk.low", "amber", f"free disk {int(free)} MB"))
    return out


def present_peripherals(health: dict[str, Any]) -> set[str]:
    """The peripherals a heartbeat shows working (seen once, they are expected from then on)."""
    out = set()
    if health.get("card_reader_present") is True:
        out.add("card_reader")
    if health.get("camera_ok") is True:
        out.add("camera")
    return out


def tile_for(device: dict[str, Any], now: float, timeout_s: float, expects: frozenset[str] = frozenset()) -> Tile:
    """A device row (``Store.devices()``) as a tile."""
    last_seen = device.get("last_seen")
    try:
        health = json.loads(device.get("health") or "{}")
    except ValueError:
        health = {}
    age = None if last_seen is None else max(0.0, now - float(last_seen))
    problems = device_problems(health, age, timeout_s, expects)
    state: TileState = "grey" if age is None else "green"
    for p in problems:
        if _RANK[p.severity] > _RANK[state]:
            state = p.severity
    return Tile(str(device["name"]), str(device["role"]), state, last_seen, age, tuple(problems), health)


Expectations = Callable[[str], frozenset[str]]


def no_expectations(_device: str) -> frozenset[str]:
    return frozenset()


AlertHook = Callable[[str, Alert], None]


class HealthMonitor:
    """Turns tiles into alerts: ``tick()`` raises new problems and clears the ones that went away."""

    def __init__(
        self,
        store: Store,
        *,
        now: Callable[[], float],
        timeout_s: Callable[[], float],
        alert_command: Callable[[], Sequence[str]] = tuple,
        expects: Expectations = no_expectations,
        on_change: Callable[[], None] | None = None,
        min_interval_s: float = 0.5,
        monotonic: Callable[[], float] | None = None,
        schedule: DeviceSchedule = always_expected,
    ) -> None:
        self.store = store
        self._schedule = schedule
        self._now = now
        self._timeout_s = timeout_s
        self._alert_command = alert_command
        self._on_change = on_change
        self._min_interval = min_interval_s
        self._last_tick = 0.0
        self._lock = threading.Lock()
        self._expects = expects
        self._started_at = now()
        # With a monotonic clock the monitor notices the hall clock jumping (an NTP step, a day-roll rehearsal):
        # every heartbeat then looks hours old, so the quiet period of a restart starts again instead of a mail
        # per device. Without one (tests driving ``now`` by hand) there is no jump detection.
        self._monotonic = monotonic
        self._clock_pair = (self._started_at, monotonic()) if monotonic else None
        # The stored alert list (of the run before a restart) is read on the first tick, on the writer thread.
        self.active: dict[tuple[str, str], Alert] = {}
        #: whether the alert checks have run yet (until then, the list as stored before the restart counts)
        self._ticked = False
        # peripherals seen working per device (a reader that disappears later is "gone", not "never fitted")
        self._seen: dict[str, set[str]] = {}
        self._seeded = False

    def _load_stored(self) -> None:
        """(Re)read the stored alert list (under ``_lock``). The first time, an active "missing" alert from before
        a restart counts as a peripheral seen, so it is not cleared by forgetting."""
        self.active = self._load()
        if not self._seeded:
            self._seeded = True
            for device, code in self.active:
                if code in ("card_reader.missing", "camera.lost"):
                    self._seen.setdefault(device, set()).add(code.split(".")[0])

    def _load(self) -> dict[tuple[str, str], Alert]:
        raw = self.store.get_meta(META_KEY)
        if not raw:
            return {}
        try:
            return {(a["device"], a["code"]): Alert(**a) for a in json.loads(raw)}
        except (ValueError, TypeError, KeyError):
            log.warning("active alert list in the database is unreadable; starting afresh")
            return {}

    def tiles(self) -> list[Tile]:
        now, timeout = self._now(), float(self._timeout_s())
        mutes = self.mutes(now)
        out = []
        with self._lock:
            if not self._seeded:
                self._load_stored()
            for d in self.store.devices():
                name = str(d["name"])
                try:
                    health = json.loads(d.get("health") or "{}")
                except ValueError:
                    health = {}
                seen = self._seen.setdefault(name, set())
                seen |= present_peripherals(health)
                tile = tile_for(d, now, timeout, self._expects(name) | seen)
                absent = bool(tile.problems) and all(p.code in ABSENCE_CODES for p in tile.problems)
                if absent and not self._schedule(name, now):
                    tile = replace(tile, state="grey", problems=(), off_hours=True)
                out.append(replace(tile, muted_until=mutes[name]) if name in mutes else tile)
        return out

    def alerts(self) -> list[Alert]:
        mutes = self.mutes(self._now())
        with self._lock:
            # until the first check, the list as stored before the restart
            active = self.active if self._ticked else self._load()
            found = sorted(active.values(), key=lambda a: (a.raised_at, a.device, a.code))
        return [replace(a, muted=a.device in mutes) for a in found]

    # ------------------------------------------------------------------ acknowledge and mute
    def mutes(self, now: float) -> dict[str, float]:
        """Devices muted now → until when."""
        raw = self.store.get_meta(MUTES_KEY)
        try:
            found = {str(k): float(v) for k, v in json.loads(raw).items()} if raw else {}
        except (ValueError, TypeError, AttributeError):
            return {}
        return {k: v for k, v in found.items() if v > now}

    def acknowledge(self, alert_id: str, by: str) -> Alert | None:
        """Someone is on it: the alert stays listed, marked with who and when. None when no such alert is active."""
        now = self._now()
        with self._lock:
            if not self._ticked:
                self._load_stored()
            key = next((k for k, a in self.active.items() if a.id == alert_id), None)
            if key is None:
                return None
            alert = self.active[key]
            if alert.acknowledged_by is None:
                alert = self.active[key] = replace(alert, acknowledged_by=by, acknowledged_at=now)
                snapshot = json.dumps([a.to_json() for a in self.active.values()])
                with self.store.write():
                    data = {"id": alert.id, "device": alert.device, "code": alert.code, "by": by}
                    self.store.append_event(now, "alert.acknowledged", None, None, data)
                    self.store.set_meta(META_KEY, snapshot)
        log.info("alert %s acknowledged by %s", alert_id, by)
        if self._on_change is not None:
            self._on_change()
        return alert

    def mute(self, device: str, minutes: int, by: str) -> float | None:
        """Mute a device's alerts for ``minutes`` (0: unmute); returns until when (None: unmuted)."""
        now = self._now()
        mutes = self.mutes(now)
        until = now + minutes * 60 if minutes > 0 else None
        if until is None:
            mutes.pop(device, None)
        else:
            mutes[device] = until
        with self.store.write():
            self.store.set_meta(MUTES_KEY, json.dumps(mutes))
            self.store.append_event(now, "alert.muted", None, None, {"device": device, "until": until, "by": by})
        log.info("alerts of %s %s by %s", device, f"muted for {minutes} min" if until else "unmuted", by)
        if self._on_change is not None:
            self._on_change()
        return until

    def tick(self) -> tuple[list[Alert], list[Alert]]:
        """Evaluate every device (throttled); returns (raised, cleared) alerts of this round."""
        mono = time.monotonic()
        if mono - self._last_tick < self._min_interval:
            return [], []
        self._last_tick = mono
        if not self._ticked:  # the first round since the start: the stored list counts
            self._ticked = True
            with self._lock:
                self._load_stored()
        return self.evaluate()

    def _notice_clock_jump(self, now: float) -> None:
        if self._monotonic is None or self._clock_pair is None:
            return
        mono = self._monotonic()
        wall_then, mono_then = self._clock_pair
        self._clock_pair = (now, mono)
        if abs((now - wall_then) - (mono - mono_then)) > CLOCK_JUMP_S:
            log.warning("hall clock jumped by %+.0f s: device silence is not judged for a while", now - wall_then)
            self._started_at = now

    def evaluate(self) -> tuple[list[Alert], list[Alert]]:
        now = self._now()
        self._notice_clock_jump(now)
        # Just after a (re)start every device looks silent until its next heartbeat: no offline alerts (and
        # no mails) for that, and a silent device's alerts from before the restart are not cleared yet.
        settling = now - self._started_at < float(self._timeout_s())
        current: dict[tuple[str, str], tuple[Tile, Problem]] = {}
        #: silent devices switched off as expected (outside office hours): their alerts neither rise nor clear
        resting: set[str] = set()
        for tile in self.tiles():
            if tile.off_hours:
                resting.add(tile.name)
            for p in tile.problems:
                current[(tile.name, p.code)] = (tile, p)
        # a staff account locked after repeated failed logins (someone guessing?) alerts like a device does, until
        # an administrator unlocks it
        for member in self.store.staff_members():
            if member["locked_at"]:
                name = f"staff {member['staff_id']}"
                locked = Problem("staff.locked", "red", "staff account locked after repeated failed logins")
                current[(name, locked.code)] = (Tile(name, "staff", "red", None, None, (locked,)), locked)
        with self._lock:
            raised = [
                Alert(uuid.uuid4().hex[:12], tile.name, p.code, p.severity, p.message, now)
                for key, (tile, p) in current.items()
                if key not in self.active and not (settling and p.code == "device.offline")
            ]
            silent = {device for device, code in current if code == "device.offline"} if settling else set()
            silent |= resting
            cleared = [a for key, a in self.active.items() if key not in current and a.device not in silent]
            if not raised and not cleared:
                return [], []
            for a in cleared:
                del self.active[(a.device, a.code)]
            for a in raised:
                self.active[(a.device, a.code)] = a
            snapshot = json.dumps([a.to_json() for a in self.active.values()])
            with self.store.write():
                for a in raised:
                    self.store.append_event(now, "alert.raised", None, None, a.to_json())
                for a in cleared:
                    self.store.append_event(
                        now,
                        "alert.cleared",
                        None,
                        None,
                        {"id": a.id, "device": a.device, "code": a.code, "raised_at": a.raised_at},
                    )
                self.store.set_meta(META_KEY, snapshot)
        mutes = self.mutes(now) if raised or cleared else {}
        for a in raised:
            log_fn = log.error if a.severity == "red" else log.warning
            log_fn("alert %s raised: %s %s (%s)", a.id, a.device, a.code, a.message)
            if a.device not in mutes:
                self._run_hook("raised", a)
        for a in cleared:
            log.info("alert %s cleared: %s %s", a.id, a.device, a.code)
            if a.device not in mutes:
                self._run_hook("cleared", a)
        if self._on_change is not None:
            self._on_change()
        return raised, cleared

    def _run_hook(self, kind: str, alert: Alert) -> None:
        command = list(self._alert_command())
        if not command:
            return
        payload = json.dumps({"event": f"alert.{kind}", **alert.to_json()}, ensure_ascii=False).encode()
        threading.Thread(target=run_alert_command, args=(command, payload), name="alert-hook", daemon=True).start()


def run_alert_command(command: Sequence[str], payload: bytes, timeout_s: float = 60.0) -> int | None:
    """Run the configured hook with the alert JSON on stdin (blocking: call it on a thread of its own)."""
    try:
        proc = subprocess.run(
            list(command),
            input=payload,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=timeout_s,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.error("alert command %s failed: %s", command[0], type(exc).__name__)
        return None
    if proc.returncode != 0:
        log.error("alert command %s exited with %d", command[0], proc.returncode)
    return proc.returncode
