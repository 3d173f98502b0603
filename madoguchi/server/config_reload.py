"""Reload hall.toml without restarting the server: watch its modification time, validate, then apply.

A file that fails validation is refused: its errors are logged (file:line: key: what was expected; they name
configuration keys, never personal data) and kept in ``last_errors`` for the admin console, and the running
configuration stays. An editor that writes the file in two steps is caught on the next change.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from madoguchi.core.config import ConfigError, HallConfig, load_config

log = logging.getLogger(__name__)


@dataclass
class ReloadStatus:
    path: str
    loaded_at: float | None = None
    last_errors: list[str] = field(default_factory=list)
    refused_at: float | None = None


class ConfigWatcher:
    def __init__(
        self,
        path: Path | str,
        apply: Callable[[HallConfig], None],
        *,
        enabled: Callable[[], bool] = lambda: True,
        min_interval_s: float = 1.0,
    ) -> None:
        self.path = Path(path)
        self._apply = apply
        self._enabled = enabled
        self._min_interval = min_interval_s
        self._last_check = 0.0
        self._signature = self._stat()
        self.status = ReloadStatus(str(self.path))

    def _stat(self) -> tuple[float, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def tick(self) -> bool | None:
        """Check the file (throttled); None when unchanged, True when applied, False when refused."""
        mono = time.monotonic()
        if mono - self._last_check < self._min_interval or not self._enabled():
            return None
        self._last_check = mono
        return self.catch_up()

    def catch_up(self) -> bool | None:
        """Like ``tick``, now and even when watching is off: apply the file if it changed since it was read."""
        signature = self._stat()
        if signature is None or signature == self._signature:
            return None
        self._signature = signature
        return self.reload()

    def reload(self) -> bool:
        """Load, validate and apply now; False (old configuration kept) when the file is wrong."""
        try:
            config = load_config(self.path)
        except ConfigError as exc:
            self.status.last_errors = list(exc.errors)
            self.status.refused_at = time.time()
            log.error("configuration %s refused; the previous configuration stays:", self.path)
            for line in exc.errors:
                log.error("  %s", line)
            return False
        try:
            self._apply(config)
        except Exception as exc:  # an apply step that cannot take this change: keep running the old one
            self.status.last_errors = [f"{self.path}: cannot apply: {type(exc).__name__}: {exc}"]
            self.status.refused_at = time.time()
            log.error("configuration %s could not be applied: %s", self.path, type(exc).__name__)
            return False
        self.status.last_errors = []
        self.status.loaded_at = time.time()
        log.info(
            "configuration %s reloaded (%d services, %d counters)",
            self.path,
            len(config.services),
            len(config.counters),
        )
        return True


#: meta key changed by a manual reload (admin console), so that every server process reloads, not only the one
#: that was asked
CONFIG_GENERATION = "config.generation"


class ConfigFollower:
    """A process's configuration follows the file (when watched) and every manual reload made elsewhere."""

    def __init__(self, watcher: ConfigWatcher, read_generation: Callable[[], str | None]) -> None:
        self.watcher = watcher
        self._read_generation = read_generation
        # read at the first tick, in the process that ticks: the server builds its app (and this) before forking
        # its workers, and no database connection may cross a fork
        self._seen: str | None = None
        self._started = False

    def tick(self) -> None:
        if not self._started:
            self._started = True
            self._seen = self._read_generation()
            # a reload by hand between the configuration's reading and now changed the file: catch up with it
            self.watcher.catch_up()
        self.watcher.tick()
        current = self._read_generation()
        if current != self._seen:  # reloaded by hand in another process
            self._seen = current
            self.watcher.reload()

    def reloaded_here(self, write_generation: Callable[[str], None]) -> None:
        """This process reloaded by hand: tell the others."""
        self._seen = str(time.time_ns())
        write_generation(self._seen)
