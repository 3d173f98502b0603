"""The running hall server without HTTP: what the routes see, and the only way they reach the database.

- ``do(fn)`` runs ``fn(hall_service)`` on the writer thread (``writer.DatabaseWriter``): every write, and every
  read that goes with one, takes this one path. Routes are never given the hall service or a writing store.
- ``reader`` is the event loop's read-only connection: device tokens, staff sessions, the event stream.
- Once a second the ticker rolls the hall day, evaluates device health, follows the configuration file (one job
  on the writer), starts due backups and pings systemd's watchdog. A writer that hangs stops the pings, and
  systemd restarts the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from madoguchi import package_version
from madoguchi.core import api_models as m
from madoguchi.core.config import HallConfig, load_config
from madoguchi.core.hall_time import Clock
from madoguchi.server.backup import BackupScheduler
from madoguchi.server.config_reload import ConfigWatcher
from madoguchi.server.device_health import HealthMonitor, office_hours
from madoguchi.server.event_hub import EventHub
from madoguchi.server.hall_service import HallService
from madoguchi.server.security import FormCipher, unknown_account_hash
from madoguchi.server.store import Store
from madoguchi.server.systemd_notify import SystemdWatchdog
from madoguchi.server.web.auth import Authenticator, LoginThrottle
from madoguchi.server.writer import DatabaseWriter

log = logging.getLogger(__name__)

T = TypeVar("T")

#: the meta key of the database's identity, told to every event-stream client (``stream``)
DATABASE_ID = "database_id"
#: the meta key of the key folder the server uses: ``madoguchi admin purge-forms`` deletes the keys there
KEY_DIR = "server.key_dir"


@dataclass
class ServerSettings:
    config_path: Path
    db_path: Path
    key_dir: Path
    public_url: str = "http://127.0.0.1:8700"
    config: HallConfig | None = None
    clock: Clock | None = None
    #: seconds between the periodic jobs (day roll, health, configuration, backups)
    tick_seconds: float = 1.0
    #: how often the event hub looks for events written by another process (a maintenance command)
    event_poll_seconds: float = 0.25
    extra: dict[str, object] = field(default_factory=dict)


def kiosk_peripherals(config: HallConfig, device: str) -> frozenset[str]:
    """What hall.toml's [[kiosks]] entry of this device name says it has (a card reader, a camera)."""
    for k in config.kiosks:
        if k.name == device:
            return frozenset(p for p, v in (("card_reader", k.card_reader), ("camera", k.camera)) if v)
    return frozenset()


#: password checks run at once (each scrypt holds 128 MiB; more than the cores would only share them)
PASSWORD_CHECKS_AT_ONCE = 2


class HallServer:
    def __init__(self, settings: ServerSettings, render: Callable[..., str | None]) -> None:
        """``render(event, time_zone, public=False)``: an event's wire text (None: not for the public)."""
        self.settings = settings
        self.config: HallConfig = settings.config or load_config(settings.config_path)
        self.started = time.monotonic()
        self.db_path = str(settings.db_path)
        self.writer: DatabaseWriter[HallService] = DatabaseWriter(self.db_path, self._open_service)
        self.reader = Store(self.db_path, connect=False, read_only=True)
        self.hub = EventHub(self.reader, lambda e: (render(e, self.tz) or "", render(e, self.tz, public=True)))
        self.auth = Authenticator(
            self.reader, self._touch_session, lambda: self.config.security.staff_idle_min * 60.0, self._now
        )
        self.login_throttle = LoginThrottle()
        #: scrypt takes 128 MiB and a core for a moment: a morning's logins take turns instead of piling up
        self.password_checks = asyncio.Semaphore(PASSWORD_CHECKS_AT_ONCE)
        ops = lambda: self.config.operations  # noqa: E731 - always the current (reloadable) configuration
        self.backups = BackupScheduler(
            self.db_path, lambda: (ops().backup_dir, ops().backup_every_min, ops().backup_keep)
        )
        self.watcher = ConfigWatcher(settings.config_path, self._apply_config, enabled=lambda: ops().watch_config)
        self.watchdog = SystemdWatchdog()
        #: set on the writer thread when the database opens
        self.monitor: HealthMonitor | None = None
        self.database_id = ""
        self._service: HallService | None = None
        self._tasks: list[asyncio.Task[None]] = []

    # ------------------------------------------------------------------ the writer thread
    def _open_service(self, store: Store) -> HallService:
        hall = HallService(
            self.config,
            store,
            FormCipher(self.settings.key_dir),
            clock=self.settings.clock,
            public_url=self.settings.public_url,
        )
        hall.engine.on_events = self.hub.notify
        ops = lambda: self.config.operations  # noqa: E731
        self.monitor = HealthMonitor(
            store,
            now=hall.engine.now,
            timeout_s=lambda: ops().heartbeat_timeout_s,
            alert_command=lambda: ops().alert_command,
            expects=lambda name: kiosk_peripherals(self.config, name),
            on_change=self.hub.notify,
            monotonic=time.monotonic,
            schedule=office_hours(lambda: self.config),
        )
        with store.write():
            found = store.get_meta(DATABASE_ID)
            if found is None:
                found = secrets.token_hex(8)
                store.set_meta(DATABASE_ID, found)
            key_dir = str(Path(self.settings.key_dir).resolve())
            if store.get_meta(KEY_DIR) != key_dir:
                store.set_meta(KEY_DIR, key_dir)
        self.database_id = found
        hall.roll_day()
        self._service = hall
        return hall

    def _now(self) -> float:
        """The hall clock (shifted in a rehearsal), as the engine reads it."""
        return self._service.engine.now() if self._service is not None else time.time()

    def _touch_session(self, digest: str, at: float) -> None:
        """A staff session's last use, written by the writer without the request waiting for it."""
        self.writer.submit(lambda h: h.store.touch_staff_session(digest, at))

    def _apply_config(self, config: HallConfig) -> None:
        """A reloaded configuration (on the writer thread, between jobs)."""
        if self._service is not None:
            self._service.reload_config(config)
        self.config = config

    def _periodic(self, hall: HallService) -> None:
        hall.roll_day()
        hall.end_idle_sessions()
        hall.close_unstaffed_counters()
        hall.purge_old_forms()
        if self.monitor is not None:
            self.monitor.tick()
        self.watcher.tick()

    # ------------------------------------------------------------------ what routes use
    async def do(self, fn: Callable[[HallService], T]) -> T:
        """Run ``fn`` with the hall service on the writer thread: the one path to the database."""
        return await self.writer.run(fn)

    @property
    def tz(self) -> str:
        return self.config.hall.timezone

    def health(self) -> m.Health:
        """Without the writer: devices poll this, and it must answer while a write waits on a full disk."""
        failure = self.writer.failure
        return m.Health(
            status="degraded" if failure else "ok",
            version=package_version(),
            uptime_s=round(time.monotonic() - self.started, 1),
            last_event_id=self.reader.last_event_id(),
            hall_day=self._service.engine.today() if self._service else "",
            problem=f"database writes fail: {failure}" if failure else None,
        )

    # ------------------------------------------------------------------ life cycle
    def start(self) -> None:
        """In the event loop, before the first request."""
        self.hub.bind(asyncio.get_running_loop())
        self.writer.start()
        self.reader.conn  # noqa: B018 - connects now, after the writer has created or migrated the database
        assert self._service is not None
        self._service.estimates.start()
        # made now, off the loop: the first login of an unknown id then costs what every other login costs
        threading.Thread(target=unknown_account_hash, name="unknown-account-hash", daemon=True).start()
        self._tasks = [
            asyncio.create_task(self._ticker()),
            asyncio.create_task(self.hub.follow_other_writers(self.settings.event_poll_seconds)),
        ]
        log.info("hall server ready (%d services, %d counters)", len(self.config.services), len(self.config.counters))

    async def _ticker(self) -> None:
        while True:
            await asyncio.sleep(self.settings.tick_seconds)
            try:
                await self.do(self._periodic)
                self.backups.tick()
                self.watchdog.tick()
            except Exception as exc:  # keep ticking: a transient disk error must not end the day roll for good
                log.error("periodic task failed: %s", type(exc).__name__)

    def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self._service is not None:
            self._service.estimates.stop()
        self.hub.close()
        self.backups.wait(30)
        self.writer.stop()
        self.reader.close()
        with contextlib.suppress(Exception):
            if self._service is not None:
                self._service.close()
