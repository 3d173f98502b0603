"""SQLite cache of machine translations, keyed by (text, source, target, model version)."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    text TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    model_version TEXT NOT NULL,
    translation TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (text, source, target, model_version)
)
"""


class TranslationCache:
    """One SQLite file (or ``":memory:"``); safe to share between the server's worker threads."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        with self._lock, self._db:
            self._db.execute("PRAGMA journal_mode=WAL" if self.path != ":memory:" else "PRAGMA journal_mode=MEMORY")
            self._db.execute(_SCHEMA)

    def get(self, text: str, source: str, target: str, model_version: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT translation FROM translations WHERE text=? AND source=? AND target=? AND model_version=?",
                (text, source, target, model_version),
            ).fetchone()
        return None if row is None else str(row[0])

    def put(self, text: str, source: str, target: str, model_version: str, translation: str) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?)",
                (text, source, target, model_version, translation, time.time()),
            )

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM translations").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
