"""Which server process runs the hall-wide periodic jobs: alert checks and mails, scheduled backups, systemd pings.

With several worker processes on one database each would otherwise mail every alert and take every backup once
per worker. The leader is whoever holds an exclusive ``flock`` on a file beside the database. The kernel drops the
lock the moment its holder dies (even by SIGKILL), and every other worker tries to take it at each tick, so the
jobs move to a live worker within about a second.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)


class Leadership:
    def __init__(self, lock_path: Path | str) -> None:
        self.lock_path = Path(lock_path)
        self._fd: int | None = None

    @classmethod
    def for_database(cls, db_path: Path | str) -> Leadership:
        return cls(f"{db_path}.leader")

    def holds(self) -> bool:
        """True while this process leads; tries to take the lead when nobody holds it."""
        if self._fd is not None:
            return True
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        log.info("this server process (pid %d) now runs the hall-wide periodic jobs", os.getpid())
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the lock
            self._fd = None


@dataclass
class PeriodicJobs:
    """What the server's ticker runs about once a second; each job must be quick."""

    #: per process: configuration reload (each worker holds its own copy of the configuration)
    every_worker: list[Callable[[], None]] = field(default_factory=list)
    #: hall-wide: alert evaluation and mails, scheduled backups, systemd readiness and watchdog
    leader_only: list[Callable[[], None]] = field(default_factory=list)
