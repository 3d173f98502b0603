"""What a restore carries over from the database it replaces: the purges since the backup, and the audit.

Restoring puts the hall back to the backup's time for its tickets and events, but two things never go back:

- a purged form stays purged: every purge recorded after the backup is applied again (``purge_journal``), and a
  form the replaced database no longer holds is deleted from the copy too;
- the audit (who read which form, who logged in, who changed which account) is the hall's record: the replaced
  database's rows newer than the backup's newest are appended to the copy, and the restore itself is audited.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from madoguchi.server.purge_journal import apply_purge, purges_since

log = logging.getLogger(__name__)

#: who the audit says restored (the command line on the server)
RESTORE_DEVICE = "admin-cli"


@dataclass(frozen=True)
class Carried:
    purges: int  # journal records applied again
    forms_removed: int  # forms of the backup deleted (by the purges, or gone from the replaced database)
    audit_rows: int  # audit rows of the replaced database kept


def _backup_time(conn: sqlite3.Connection) -> float:
    """The backup's moment: its newest event or audit row (a backup holds nothing later)."""
    row = conn.execute(
        "SELECT max(coalesce((SELECT max(at) FROM events), 0), coalesce((SELECT max(at) FROM audit), 0))"
    ).fetchone()
    return float(row[0] or 0)


def carry_over(copy: Path, replaced: Path | None, journal_of: Path, backup_name: str) -> Carried:
    """Apply to ``copy`` (the backup about to become the database) what must survive from ``replaced`` (the
    database it replaces, None when there is none or it is unreadable) and the purge journal of ``journal_of``."""
    conn = sqlite3.connect(copy, isolation_level=None)
    try:
        attached = False
        if replaced is not None:  # (outside the transaction: SQLite attaches only there)
            try:
                # read only by this command (the server is stopped); a plain attach replays its WAL, if any
                conn.execute("ATTACH DATABASE ? AS replaced", (str(replaced),))
                conn.execute("SELECT count(*) FROM replaced.audit").fetchone()
                attached = True
            except sqlite3.Error as exc:
                log.warning("the replaced database cannot be read (%s): only the purge journal is applied", exc)
        conn.execute("BEGIN IMMEDIATE")
        since = _backup_time(conn)
        before = int(conn.execute("SELECT count(*) FROM forms").fetchone()[0])
        records = purges_since(journal_of, since)
        for record in records:
            apply_purge(conn, record)
        kept_audit = _carry_from_replaced(conn) if attached else 0
        after = int(conn.execute("SELECT count(*) FROM forms").fetchone()[0])
        own = _columns(conn, "main")
        row = {"at": time.time(), "device": RESTORE_DEVICE, "action": "admin.restore", "subject": backup_name}
        names = [k for k in row if k in own]
        marks = ", ".join("?" for _ in names)
        conn.execute(f"INSERT INTO audit ({', '.join(names)}) VALUES ({marks})", [row[k] for k in names])
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
    carried = Carried(purges=len(records), forms_removed=before - after, audit_rows=kept_audit)
    log.info(
        "restore: %d purges applied again, %d forms kept out, %d audit rows carried over",
        carried.purges,
        carried.forms_removed,
        carried.audit_rows,
    )
    return carried


def _carry_from_replaced(conn: sqlite3.Connection) -> int:
    """Forms the replaced database had purged leave the copy; its newer audit rows join the copy's."""
    has_forms = conn.execute("SELECT 1 FROM replaced.sqlite_master WHERE type = 'table' AND name = 'forms'").fetchone()
    if has_forms:
        conn.execute("DELETE FROM forms WHERE ticket_id NOT IN (SELECT ticket_id FROM replaced.forms)")
        conn.execute(
            "UPDATE reservations SET name_nonce = NULL, name_ciphertext = NULL WHERE id IN "
            "(SELECT id FROM replaced.reservations WHERE name_ciphertext IS NULL)"
        )
    newest = conn.execute("SELECT coalesce(max(at), 0) FROM audit").fetchone()[0]
    theirs, own = _columns(conn, "replaced"), _columns(conn, "main")
    wanted = ["at", "staff_id", "device", "counter", "ticket_id", "action", "subject"]
    shared = [c for c in wanted if c in theirs and c in own]
    if "at" not in shared or "action" not in shared:
        return 0
    names = ", ".join(shared)
    cur = conn.execute(
        f"INSERT INTO audit ({names}) SELECT {names} FROM replaced.audit WHERE at > ? ORDER BY id", (newest,)
    )
    return int(cur.rowcount)


def _columns(conn: sqlite3.Connection, schema: str) -> set[str]:
    """The audit table's columns in ``schema`` (a backup of an older release may lack the newer ones)."""
    return {str(r[1]) for r in conn.execute(f"PRAGMA {schema}.table_info(audit)")}
