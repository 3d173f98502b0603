"""What the hall server checks before it serves: the data folder is its alone, and the database is a sound hall.

A refused start exits with ``REFUSED`` and one clear message that says what to do; it never replaces a missing,
empty or damaged database with an empty hall (residents' tickets would silently vanish).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import IO

#: exit status of a start refused by these checks (systemd: ``RestartPreventExitStatus=3``)
REFUSED = 3


class StartRefused(Exception):
    """The server must not start; the message tells the operator what to do."""


class DataFolderLock:
    """Held for the server's lifetime on ``<data>/server.lock``: a second server on the same data folder is
    refused whatever its port. The operating system releases it when the process ends, even killed."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "server.lock"
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        f = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        try:
            _lock_exclusive(f)
        except OSError:
            f.seek(0)
            holder = f.read().strip() or "?"
            f.close()
            raise StartRefused(
                f"another Madoguchi hall server (pid {holder}) is already using the data folder {self.path.parent}; "
                "stop it first (systemctl stop madoguchi-server)"
            ) from None
        f.seek(0)
        f.truncate()
        f.write(f"{os.getpid()}\n")
        f.flush()
        self._file = f

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the lock
            self._file = None


def _lock_exclusive(f: IO[str]) -> None:
    """A non-blocking exclusive lock on an open file; OSError when another process holds it."""
    if sys.platform == "win32":
        import msvcrt

        f.seek(0)
        msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def private_files(*folders: Path | None) -> None:
    """Everything this process creates is its user's alone (0600 files, 0700 folders), however it was started;
    what older releases or a hand copy left readable in these folders is made so too."""
    os.umask(0o077)
    for folder in folders:
        if folder is None or not folder.is_dir():
            continue
        folder.chmod(0o700)
        for path in folder.iterdir():
            if path.is_file() and not path.is_symlink() and path.stat().st_mode & 0o077:
                path.chmod(0o600)


def check_tls_files(cert: Path, key: Path) -> None:
    """The certificate and key can be read, and the key is not readable by every user of the machine."""
    for what, path in (("certificate", cert), ("key", key)):
        if not path.is_file():
            raise StartRefused(f"the TLS {what} {path} does not exist")
    if os.name == "posix" and key.stat().st_mode & 0o004:
        raise StartRefused(f"the TLS key {key} is readable by every user: chmod 0640 (or 0600) it first")


def check_database(db_path: Path, data_flag: str) -> None:
    """Refuse a missing, empty, damaged or foreign database. ``data_flag``: how the operator named the folder."""
    restore = f"restore the last backup: madoguchi admin {data_flag} restore BACKUP_FILE"
    if not db_path.exists():
        raise StartRefused(
            f"no hall database at {db_path}. A new hall starts with its devices and staff: "
            f"madoguchi admin {data_flag} provision (or add-device / add-staff); for an existing hall, {restore}"
        )
    if db_path.stat().st_size == 0:
        raise StartRefused(f"the hall database {db_path} is empty (0 bytes): it was damaged or replaced; {restore}")
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
        try:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
            known = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_version'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StartRefused(f"the hall database {db_path} cannot be read ({exc}); {restore}") from None
    if problems != ["ok"]:
        raise StartRefused(f"the hall database {db_path} is damaged ({'; '.join(problems)}); {restore}")
    if not known:
        raise StartRefused(f"{db_path} is not a Madoguchi hall database; {restore}")
