"""Every purge of form data, written down beside the database, so that a restore can never bring a form back.

A backup taken at 10:00 still holds the forms the 12:00 purge deleted. ``madoguchi admin restore`` therefore
re-applies every purge recorded after the backup (``hall.sqlite3.purges``, one JSON line each, 0600) to the copy
before it replaces the database, and also deletes every form the replaced database no longer had
(``restore_carry``). The journal holds times and days only, never a resident's data.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

log = logging.getLogger(__name__)

Scope = Literal["all", "before_day", "created_before"]


@dataclass(frozen=True)
class PurgeRecord:
    at: float
    #: all forms; forms of tickets of days before ``value`` (ISO date); forms created before ``value`` (epoch)
    scope: Scope
    value: str | float | None = None


def journal_path(db_path: Path | str) -> Path:
    return Path(f"{db_path}.purges")


def record_purge(db_path: Path | str, record: PurgeRecord) -> bool:
    """Append one record (synced: a purge the journal forgot could come back with a restore). A failure is
    logged, never raised: the purge itself has happened."""
    path = journal_path(db_path)
    line = (json.dumps(asdict(record), separators=(",", ":")) + "\n").encode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        log.error("the purge could not be written to %s (%s): a restore would not know of it", path.name, exc)
        return False
    return True


def purges_since(db_path: Path | str, at: float) -> list[PurgeRecord]:
    """The purges recorded after ``at``, oldest first (an unreadable line is skipped and logged)."""
    path = journal_path(db_path)
    if not path.exists():
        return []
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = PurgeRecord(**json.loads(line))
        except (ValueError, TypeError):
            log.warning("purge journal line %d is unreadable; skipped", n)
            continue
        if record.at > at:
            out.append(record)
    return out


def apply_purge(conn: sqlite3.Connection, record: PurgeRecord) -> int:
    """Delete what the purge deleted (forms and, for whole days, the reservations' names); returns forms gone."""
    if record.scope == "all":
        cur = conn.execute("DELETE FROM forms")
        conn.execute("UPDATE reservations SET name_nonce = NULL, name_ciphertext = NULL")
    elif record.scope == "before_day":
        cur = conn.execute(
            "DELETE FROM forms WHERE ticket_id IN (SELECT id FROM tickets WHERE day < ?)", (str(record.value),)
        )
        conn.execute(
            "UPDATE reservations SET name_nonce = NULL, name_ciphertext = NULL WHERE date < ?", (str(record.value),)
        )
    else:
        cur = conn.execute("DELETE FROM forms WHERE created_at < ?", (float(record.value or 0),))
    return int(cur.rowcount)
