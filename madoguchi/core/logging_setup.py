"""One logging set-up for every process: rotating file plus stderr, and a personal-data guard.

Log lines name ticket ids and device names, never people. The guard drops any record that carries a personal
data field as ``extra`` (a programming mistake we want to notice in tests, not to ship to a log file), and
records that a caller explicitly marks as personal.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

#: Attribute names that must never travel on a log record.
PERSONAL_FIELDS = frozenset(
    {
        "name",
        "kana",
        "address",
        "birth_date",
        "sex",
        "individual_number",
        "my_number",
        "pin",
        "phone",
        "form",
        "form_data",
        "previous_address",
        "security_code",
    }
)

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class PersonalDataFilter(logging.Filter):
    """Refuses records that carry personal data as extra fields.

    ``logging.LogRecord`` already has an attribute called ``name`` (the logger name), so ``name`` is checked
    by looking for ``extra`` keys only: those are the attributes not present on a bare record.
    """

    _record_attrs = frozenset(logging.LogRecord("x", 0, "", 0, "", None, None).__dict__) | {
        "message",
        "asctime",
    }

    def filter(self, record: logging.LogRecord) -> bool:
        extra_keys = set(record.__dict__) - self._record_attrs
        if extra_keys & PERSONAL_FIELDS:
            return False
        return not getattr(record, "personal", False)


def guarded(handler: logging.Handler) -> logging.Handler:
    """A handler with the personal-data guard and Madoguchi's line format (every handler a process adds)."""
    handler.addFilter(PersonalDataFilter())
    handler.setFormatter(logging.Formatter(_FORMAT))
    return handler


def setup_logging(
    app: str,
    log_dir: Path | None = None,
    level: int = logging.INFO,
    *,
    max_bytes: int = 5_000_000,
    backups: int = 5,
    rotate: bool = True,
) -> logging.Logger:
    """Configure the root logger once per process; returns the app's logger.

    ``log_dir`` None logs to stderr only (tests, command-line tools). ``rotate`` False appends without rotating,
    for several processes writing one file (logrotate then rotates it).
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_madoguchi", False):
            root.removeHandler(handler)
            handler.close()
    stderr = logging.StreamHandler(sys.stderr)
    handlers: list[logging.Handler] = [stderr]
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / f"{app}.log"
        handlers.append(
            logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
            if rotate
            else logging.FileHandler(path, encoding="utf-8")
        )
    for handler in handlers:
        handler._madoguchi = True  # type: ignore[attr-defined]
        root.addHandler(guarded(handler))
    root.setLevel(level)
    # one line per HTTP request from the client library would drown what matters
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    return logging.getLogger(f"madoguchi.{app}")
