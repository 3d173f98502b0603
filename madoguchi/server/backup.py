"""Online backups of the hall database with SQLite's backup API, verified, rotated; and restore.

A backup is a consistent copy taken while the server runs (WAL readers do not block writers): it is written
under a temporary name, opened and checked with ``PRAGMA integrity_check``, and only then renamed to
``hall-YYYYmmdd-HHMMSS.sqlite3``; the oldest copies beyond ``keep`` are deleted. Form-encryption keys live
outside the database and are not backed up: a restored database decrypts nothing it should have forgotten. A
restore applies again every purge made after the backup and keeps the newer audit rows (``restore_carry``).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from madoguchi.server.restore_carry import Carried, carry_over

log = logging.getLogger(__name__)

PREFIX = "hall-"
SUFFIX = ".sqlite3"


class BackupError(Exception):
    """A backup could not be written or a copy failed its check."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    mtime: float


def verify_backup(path: Path) -> None:
    """Open the copy read-only and run ``PRAGMA integrity_check``; raises BackupError if it is not sound."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
            conn.execute("SELECT count(*) FROM tickets").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{path.name}: cannot be read: {exc}") from None
    if rows != [("ok",)]:
        raise BackupError(f"{path.name}: integrity check failed: {rows[0][0] if rows else 'no answer'}")


def backup_database(db_path: Path | str, backup_dir: Path | str, *, now: float | None = None) -> Path:
    """Copy the live database to ``backup_dir`` (online), verify the copy; returns its path."""
    folder = Path(backup_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.fromtimestamp(now if now is not None else time.time()).strftime("%Y%m%d-%H%M%S")
    final = folder / f"{PREFIX}{stamp}{SUFFIX}"
    n = 1
    while final.exists():  # two backups in one second (tests, a manual one after the timer's)
        final = folder / f"{PREFIX}{stamp}_{n}{SUFFIX}"  # "_" sorts after "."
        n += 1
    tmp = final.with_suffix(".partial")
    try:
        src = sqlite3.connect(db_path, timeout=30)  # reads only; ro mode would need the -shm file
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst, pages=1024)  # in steps: writers get the lock between steps
            dst.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
        finally:
            dst.close()
            src.close()
        verify_backup(tmp)
        tmp.rename(final)
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"backup to {folder} failed: {exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return final


def list_backups(backup_dir: Path | str) -> list[BackupInfo]:
    """Backups in the folder, oldest first."""
    folder = Path(backup_dir)
    if not folder.is_dir():
        return []
    found = []
    for p in folder.glob(f"{PREFIX}*{SUFFIX}"):
        st = p.stat()
        found.append(BackupInfo(p, st.st_size, st.st_mtime))
    return sorted(found, key=lambda b: (b.mtime, b.path.name))


def prune_backups(backup_dir: Path | str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups; returns what was deleted."""
    backups = list_backups(backup_dir)
    doomed = [b.path for b in backups[: max(0, len(backups) - keep)]]
    for p in doomed:
        p.unlink(missing_ok=True)
    return doomed


def database_in_use(db_path: Path | str) -> bool:
    """True while another connection (a running server) has the database open.

    In WAL mode every open connection holds a shared lock on the file, so an exclusive-mode transaction fails.
    """
    if not Path(db_path).exists():
        return False
    conn = sqlite3.connect(db_path, timeout=0.2, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()
    return False


def restore_backup(
    backup: Path | str, db_path: Path | str, *, keep_previous: bool = True, carried: list[Carried] | None = None
) -> Path | None:
    """Replace the database at ``db_path`` with a verified backup. The server must be stopped.

    The current database is first kept as ``<db>.before-restore-<time>`` (returned) unless ``keep_previous``
    is False. The copy gets every purge made since the backup and the current database's newer audit rows
    (appended to ``carried`` when given). The WAL and shared-memory files are removed so the old log is not
    replayed over the copy.
    """
    src_path = Path(backup)
    target = Path(db_path)
    verify_backup(src_path)
    previous: Path | None = None
    if target.exists() and keep_previous:
        previous = target.with_name(f"{target.name}.before-restore-{time.strftime('%Y%m%d-%H%M%S')}")
        src = sqlite3.connect(target)
        dst = sqlite3.connect(previous)
        try:
            src.backup(dst)  # includes what is still only in the WAL
        finally:
            dst.close()
            src.close()
    tmp = target.with_name(target.name + ".restoring")
    shutil.copyfile(src_path, tmp)
    _new_identity(tmp)
    what = carry_over(tmp, target if target.exists() else None, target, src_path.name)
    if carried is not None:
        carried.append(what)
    for extra in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        extra.unlink(missing_ok=True)
    tmp.replace(target)
    verify_backup(target)
    log.info("database restored from %s", src_path.name)
    return previous


def _new_identity(path: Path) -> None:
    """A restored database is another database to the event-stream clients: boards and consoles that hold event
    ids of the one it replaces are told to load their state again (``hall_server.DATABASE_ID``)."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute(
                "INSERT INTO meta VALUES ('database_id', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (secrets.token_hex(8),),
            )
    finally:
        conn.close()


class BackupScheduler:
    """Runs a backup every ``every_min`` minutes on a worker thread; ``tick()`` is cheap (the server's ticker)."""

    def __init__(
        self,
        db_path: Path | str,
        settings: Callable[[], tuple[str, int, int]],
        *,
        on_done: Callable[[Path | None, str | None], None] | None = None,
    ) -> None:
        """``settings()`` returns (backup_dir, every_min, keep) from the current configuration."""
        self.db_path = Path(db_path)
        self._settings = settings
        self._on_done = on_done
        self._thread: threading.Thread | None = None
        self._next_due = time.monotonic() + 5.0  # not in the middle of start-up
        self.last_path: Path | None = None
        self.last_error: str | None = None
        self.last_at: float | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def tick(self) -> None:
        folder, every_min, _keep = self._settings()
        if not folder or self.running or time.monotonic() < self._next_due:
            return
        self._next_due = time.monotonic() + every_min * 60
        self.start()

    def start(self) -> bool:
        """Start a backup now (False if one is running or no folder is configured)."""
        if self.running or not self._settings()[0]:
            return False
        self._thread = threading.Thread(target=self.run_once, name="backup", daemon=True)
        self._thread.start()
        return True

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def run_once(self) -> Path | None:
        folder, _every, keep = self._settings()
        try:
            path = backup_database(self.db_path, folder)
            removed = prune_backups(folder, keep)
        except (BackupError, OSError) as exc:
            self.last_error = str(exc)
            self.last_at = time.time()
            log.error("backup failed: %s", exc)
            if self._on_done is not None:
                self._on_done(None, self.last_error)
            return None
        self.last_path, self.last_error, self.last_at = path, None, time.time()
        log.info("backup written to %s (%d old copies removed)", path, len(removed))
        if self._on_done is not None:
            self._on_done(path, None)
        return path
