"""``madoguchi admin restore FILE``: put a backup back in place of the hall database, after a clear question.

Refuses while the server has the database open, shows what the backup holds against what is there now, and
asks the operator to type ``restore`` (or ``--yes`` for scripts). The current database is kept beside it as
``hall.sqlite3.before-restore-<time>``.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path
from typing import Any

CONFIRM_WORD = "restore"


def add_restore_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``restore`` action to ``madoguchi admin``'s sub-parsers; returns the new parser."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "restore", help="replace the hall database with a backup (the server must be stopped)"
    )
    p.add_argument("file", type=Path, help="a backup file (hall-YYYYmmdd-HHMMSS.sqlite3 in backup_dir)")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation (scripts)")
    return p


def _describe(path: Path) -> str:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tickets, last_day = conn.execute("SELECT count(*), max(day) FROM tickets").fetchone()
            events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"unreadable ({exc})"
    return f"{tickets} tickets, {events} events, last hall day {last_day or '—'}"


def run_restore(args: argparse.Namespace) -> int:
    """Needs ``args.file``, ``args.yes`` and the admin parser's ``--data-dir``/``--key-dir``."""
    from madoguchi.core.cli_args import config_if_present, data_paths
    from madoguchi.server.backup import BackupError, database_in_use, restore_backup, verify_backup
    from madoguchi.server.restore_carry import Carried

    config_path = getattr(args, "config", None)
    db_path, _keys = data_paths(args, config_if_present(config_path) if config_path else None)
    backup: Path = args.file
    if not backup.is_file():
        print(f"restore: no such file: {backup}", file=sys.stderr)
        return 2
    try:
        verify_backup(backup)
    except BackupError as exc:
        print(f"restore: the backup is not usable: {exc}", file=sys.stderr)
        return 2
    if database_in_use(db_path):
        print(
            f"restore: {db_path} is in use. Stop the hall server first (systemctl stop madoguchi-server).",
            file=sys.stderr,
        )
        return 2
    print(f"database now : {db_path}\n               {_describe(db_path) if db_path.exists() else 'none'}")
    print(f"backup       : {backup}\n               {_describe(backup)}")
    print("Everything after the backup's time is lost (tickets, calls, events); purges and the audit are kept.")
    print("復元すると、バックアップ以降の記録は失われます（個人データの削除と監査記録は残ります）。")
    if not args.yes:
        if not sys.stdin.isatty():
            print("restore: not a terminal; pass --yes to confirm", file=sys.stderr)
            return 2
        answer = input(f"Type '{CONFIRM_WORD}' to replace the database / 復元するには {CONFIRM_WORD} と入力: ")
        if answer.strip() != CONFIRM_WORD:
            print("restore: cancelled; nothing changed", file=sys.stderr)
            return 1
    carried: list[Carried] = []
    try:
        previous = restore_backup(backup, db_path, carried=carried)
    except (BackupError, OSError, sqlite3.Error) as exc:
        print(f"restore: failed: {exc}", file=sys.stderr)
        return 1
    if previous is not None:
        print(f"the previous database is kept as {previous}")
    for c in carried:
        print(
            f"kept from the replaced database: {c.purges} purge(s) applied again ({c.forms_removed} form(s) of the "
            f"backup deleted), {c.audit_rows} newer audit row(s)"
        )
    print("restored; start the hall server again (systemctl start madoguchi-server)")
    return 0
